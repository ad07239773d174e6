/** The published artefact: both module formats work, and every public export is documented. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, startServer, type TestServer } from "./server.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const tsc = join(dirname(createRequire(join(pkg, "package.json")).resolve("typescript/package.json")), "bin/tsc");
const RUNTIME_EXPORTS = [
  "TracesCore",
  "createTracesCore",
  "usersGetUserDetails",
  "usersListUsersMetadata",
  "APIConnectionError",
  "APIConnectionTimeoutError",
  "APIError",
  "APIUserAbortError",
  "AuthenticationError",
  "BadRequestError",
  "InternalServerError",
  "InvalidRequestError",
  "NotFoundError",
  "PermissionDeniedError",
  "RateLimitError",
  "TracesError",
  "UnprocessableEntityError",
  "UsersResource",
  "createTracesClient",
  "parseLocalDateTime",
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
    expect(Object.keys(manifest.exports)).toEqual([".", "./testing", "./package.json"]);
  });

  it("names its repository, home page and issue tracker, as the docs package does", () => {
    const docs = JSON.parse(readFileSync(join(pkg, "../docs/package.json"), "utf8"));
    for (const [dir, m] of [
      ["packages/client", manifest],
      ["packages/docs", docs],
    ] as const) {
      expect(m.repository).toEqual({
        type: "git",
        url: "git+https://github.com/traces-sdk/traces-sdk.git",
        directory: dir,
      });
      expect(m.homepage).toBe(`https://github.com/traces-sdk/traces-sdk/tree/main/${dir}#readme`);
      expect(m.bugs).toEqual({ url: "https://github.com/traces-sdk/traces-sdk/issues" });
    }
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
      // ./testing in the same format loads the main entry's copy: its errors are the main classes.
      // (In a separate Node.js process: here the test runner maps the package name to the sources.)
      const script =
        format === "esm"
          ? 'const m = await import("@traces-sdk/client"); const t = await import("@traces-sdk/client/testing");'
          : 'const m = require("@traces-sdk/client"); const t = require("@traces-sdk/client/testing");';
      const check = `${script} console.log(JSON.stringify([Object.keys(t).sort(), typeof t.fakePage({ users: [] })[Symbol.asyncIterator] === "function", t.fakeAPIError({ status: 404 }) instanceof m.NotFoundError]));`;
      const out = execFileSync(
        process.execPath,
        [...(format === "esm" ? ["--input-type=module"] : ["--input-type=commonjs"]), "-e", check],
        { cwd: pkg, encoding: "utf8" },
      );
      expect(JSON.parse(out)).toEqual([["createFakeClient", "fakeAPIError", "fakePage", "fakeResult"], true, true]);
    });
  }

  it("type-checks consumers by package name: strict ESM, loose ESM and CommonJS", { timeout: 120_000 }, () => {
    mkdirSync(join(pkg, ".tmp"), { recursive: true });
    const dir = mkdtempSync(join(pkg, ".tmp/consumer-"));
    try {
      const consumer = `import { createTracesClient, NotFoundError, type TraceUserMetadataResponse } from "@traces-sdk/client";
export async function firstUser(): Promise<TraceUserMetadataResponse | undefined> {
  const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
  for await (const user of client.users.listUsersMetadata({ task_ids: ["t"], start_time: new Date() })) return user;
  try {
    return await client.users.getUserDetails("u", { task_ids: ["t"] });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
`;
      writeFileSync(join(dir, "consumer.mts"), consumer);
      writeFileSync(join(dir, "consumer.cts"), consumer);
      // Self-reference: inside this package, "@traces-sdk/client" resolves through its own exports map.
      for (const [name, options] of [
        ["strict", { strict: true, module: "nodenext", moduleResolution: "nodenext" }],
        ["loose", { strict: false, module: "nodenext", moduleResolution: "nodenext" }],
      ] as const) {
        writeFileSync(
          join(dir, `tsconfig.${name}.json`),
          JSON.stringify({
            compilerOptions: {
              ...options,
              target: "es2022",
              lib: ["es2022", "dom"],
              noEmit: true,
              skipLibCheck: false,
              types: [],
            },
            files: ["consumer.mts", "consumer.cts"],
          }),
        );
        execFileSync(process.execPath, [tsc, "-p", join(dir, `tsconfig.${name}.json`)], { stdio: "pipe" });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("compiles every TypeScript example of the README against the built package", { timeout: 120_000 }, () => {
    mkdirSync(join(pkg, ".tmp"), { recursive: true });
    const dir = mkdtempSync(join(pkg, ".tmp/readme-"));
    try {
      const readme = readFileSync(join(pkg, "README.md"), "utf8");
      const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
      expect(blocks.length).toBeGreaterThanOrEqual(5);
      // Later examples use the `client` the first one creates.
      const preamble =
        'import { createTracesClient } from "@traces-sdk/client";\nconst client = createTracesClient();\n';
      const files = blocks.map((block, i) => {
        const file = `example-${i}.mts`;
        writeFileSync(join(dir, file), `${block.includes("const client") ? "" : preamble}${block}\nexport {};\n`);
        return file;
      });
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: "nodenext",
            target: "es2022",
            lib: ["es2022", "dom"],
            noEmit: true,
            types: [],
          },
          files,
        }),
      );
      try {
        execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { stdio: "pipe", encoding: "utf8" });
      } catch (error) {
        throw new Error(`a README example does not compile:\n${(error as { stdout?: string }).stdout ?? ""}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives every public export a JSDoc comment", () => {
    const dts = readFileSync(join(pkg, "dist/index.d.ts"), "utf8");
    const list = /^export \{ (.+) \};$/m.exec(dts)?.[1] ?? "";
    const names = list.split(", ").map((n) => n.replace(/^type /, ""));
    expect(names).toEqual(expect.arrayContaining(["paths", "components", "operations", "TraceUserListResponse"]));
    expect(undocumentedIn(dts, names)).toEqual([]);
    const testing = readFileSync(join(pkg, "dist/testing.d.ts"), "utf8");
    const testingNames = (/^export \{ (.+) \};$/m.exec(testing)?.[1] ?? "")
      .split(", ")
      .map((n) => n.replace(/^type /, ""));
    expect(testingNames).toEqual(
      expect.arrayContaining(["createFakeClient", "fakePage", "fakeAPIError", "fakeResult"]),
    );
    expect(undocumentedIn(testing, testingNames)).toEqual([]);
  });
});

/** The names among `names` whose declaration in `dts` has no JSDoc comment right before it. */
function undocumentedIn(dts: string, names: string[]): string[] {
  return names.filter((name) => {
    const declaration = new RegExp(`^(declare )?(class|interface|type|function) ${name.replace("$", "\\$")}\\b`, "m");
    const at = dts.search(declaration);
    if (at === -1) return true;
    return !dts.slice(0, at).trimEnd().endsWith("*/");
  });
}
