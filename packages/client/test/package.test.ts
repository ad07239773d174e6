/** The published artefact: both module formats work, and every public export is documented. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, startServer, type TestServer } from "./server.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const RUNTIME_EXPORTS = [
  "APIConnectionError",
  "APIConnectionTimeoutError",
  "APIError",
  "APIUserAbortError",
  "AuthenticationError",
  "BadRequestError",
  "InternalServerError",
  "InvalidRequestError",
  "NotFoundError",
  "PagePromise",
  "PermissionDeniedError",
  "RateLimitError",
  "TracesError",
  "UnprocessableEntityError",
  "UsersResource",
  "createTracesClient",
];

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, 404, { detail: "User u not found or has no data" }));
});
afterAll(() => server?.close());

describe("package", () => {
  it("declares a small, side-effect-free surface", () => {
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.files).toEqual(["dist"]);
    expect(Object.keys(manifest.exports)).toEqual([".", "./package.json"]);
  });

  for (const format of ["esm", "cjs"] as const) {
    it(`works from ${format === "esm" ? "an ES module" : "CommonJS"}`, async () => {
      const entry = join(
        pkg,
        format === "esm" ? manifest.exports["."].import.default : manifest.exports["."].require.default,
      );
      const mod = format === "esm" ? await import(pathToFileURL(entry).href) : createRequire(import.meta.url)(entry);
      expect(Object.keys(mod).sort()).toEqual([...RUNTIME_EXPORTS].sort());
      const client = mod.createTracesClient({ baseUrl: server.url, apiKey: "k" });
      const error = await client.users.getUserDetails("u", { task_ids: ["t"] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(mod.NotFoundError);
      expect(error).toBeInstanceOf(mod.TracesError);
      expect((error as Error).message).toContain("User u not found");
    });
  }

  it("gives every public export a JSDoc comment", () => {
    const dts = readFileSync(join(pkg, "dist/index.d.ts"), "utf8");
    const list = /^export \{ (.+) \};$/m.exec(dts)?.[1] ?? "";
    const names = list.split(", ").map((n) => n.replace(/^type /, ""));
    expect(names).toEqual(expect.arrayContaining(["paths", "components", "operations", "TraceUserListResponse"]));
    const undocumented = names.filter((name) => {
      const declaration = new RegExp(`^(declare )?(class|interface|type|function) ${name.replace("$", "\\$")}\\b`, "m");
      const at = dts.search(declaration);
      if (at === -1) return true;
      return !dts.slice(0, at).trimEnd().endsWith("*/");
    });
    expect(undocumented).toEqual([]);
  });
});
