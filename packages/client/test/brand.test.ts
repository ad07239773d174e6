/**
 * Errors are recognisable across builds: with the ES module and the CommonJS build of the built
 * package loaded in one process (the dual-package hazard), `instanceof` holds either way.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, startServer, type TestServer } from "./server.js";

type Sdk = typeof import("../src/index.js");

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
let esm: Sdk;
let cjs: Sdk;
let server: TestServer;

beforeAll(async () => {
  esm = await import(pathToFileURL(join(pkg, manifest.exports["."].import.default)).href);
  cjs = createRequire(import.meta.url)(join(pkg, manifest.exports["."].require.default));
  server = await startServer((req, res) => {
    if (req.path.endsWith("/missing")) json(res, 404, { detail: "User missing not found or has no data" });
    else json(res, 401, { detail: "Not authenticated" });
  });
});
afterAll(() => server?.close());

/** What `sdk`'s client throws for the user `id`. */
async function thrownBy(sdk: Sdk, id: string): Promise<unknown> {
  const client = sdk.createTracesClient({ baseUrl: server.url, apiKey: "k", maxRetries: 0 });
  return client.users.getUserDetails(id, { task_ids: ["t"] }).catch((e: unknown) => e);
}

describe("errors across the ESM and CommonJS builds", () => {
  it("loads two distinct copies of the classes", () => {
    expect(esm.NotFoundError).not.toBe(cjs.NotFoundError);
  });

  for (const [thrower, checker] of [
    ["CommonJS", "ESM"],
    ["ESM", "CommonJS"],
  ] as const) {
    it(`an error thrown by the ${thrower} build is instanceof the ${checker} build's classes`, async () => {
      const from = thrower === "ESM" ? esm : cjs;
      const other = checker === "ESM" ? esm : cjs;
      const notFound = await thrownBy(from, "missing");
      expect(notFound).toBeInstanceOf(from.NotFoundError);
      expect(notFound instanceof other.NotFoundError).toBe(true);
      expect(notFound instanceof other.APIError).toBe(true);
      expect(notFound instanceof other.TracesError).toBe(true);
      // The brand names the class: a 404 is not an authentication error of the other build.
      expect(notFound instanceof other.AuthenticationError).toBe(false);
      expect(notFound instanceof other.APIConnectionError).toBe(false);
      const unauthenticated = await thrownBy(from, "u");
      expect(unauthenticated instanceof other.AuthenticationError).toBe(true);
      expect(unauthenticated instanceof other.NotFoundError).toBe(false);

      const invalid = await from
        .createTracesClient({ baseUrl: server.url })
        .users.listUsersMetadata({ task_ids: [] })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(invalid instanceof other.InvalidRequestError).toBe(true);
      expect(invalid instanceof other.APIError).toBe(false);

      const timeout = new from.APIConnectionTimeoutError("slow");
      expect(timeout instanceof other.APIConnectionTimeoutError).toBe(true);
      expect(timeout instanceof other.APIConnectionError).toBe(true);
      expect(new from.APIConnectionError("down") instanceof other.APIConnectionTimeoutError).toBe(false);
    });
  }

  it("leaves instanceof unchanged for plain values and for subclasses defined by callers", () => {
    for (const value of [undefined, null, 1, "NotFoundError", {}, new Error("x"), Object.create(null)]) {
      expect(value instanceof esm.TracesError).toBe(false);
    }
    // A caller's subclass has no brand of its own: only its own instances belong to it.
    class MyNotFound extends esm.NotFoundError {}
    const mine = new MyNotFound("m", { status: 404, headers: new Headers(), body: undefined, requestId: undefined });
    const plain = new cjs.NotFoundError("p", {
      status: 404,
      headers: new Headers(),
      body: undefined,
      requestId: undefined,
    });
    expect(mine instanceof MyNotFound).toBe(true);
    expect(mine instanceof cjs.NotFoundError).toBe(true);
    expect(plain instanceof MyNotFound).toBe(false);
    expect(
      new esm.NotFoundError("e", {
        status: 404,
        headers: new Headers(),
        body: undefined,
        requestId: undefined,
      }) instanceof MyNotFound,
    ).toBe(false);
    // A look-alike with the same name is not branded.
    const fake = Object.assign(new Error("x"), { name: "NotFoundError", status: 404 });
    expect(fake instanceof esm.NotFoundError).toBe(false);
  });
});

describe("error names", () => {
  it("gives each class's instances its own name, as an own property, in both builds", () => {
    const init = { status: 500, headers: new Headers(), body: undefined, requestId: undefined };
    for (const sdk of [esm, cjs]) {
      const made: [string, Error][] = [
        ["TracesError", new sdk.TracesError("m")],
        ["APIError", new sdk.APIError("m", init)],
        ["BadRequestError", new sdk.BadRequestError("m", init)],
        ["AuthenticationError", new sdk.AuthenticationError("m", init)],
        ["PermissionDeniedError", new sdk.PermissionDeniedError("m", init)],
        ["NotFoundError", new sdk.NotFoundError("m", init)],
        ["UnprocessableEntityError", new sdk.UnprocessableEntityError("m", init)],
        ["RateLimitError", new sdk.RateLimitError("m", init)],
        ["InternalServerError", new sdk.InternalServerError("m", init)],
        ["APIConnectionError", new sdk.APIConnectionError("m")],
        ["APIConnectionTimeoutError", new sdk.APIConnectionTimeoutError("m")],
        ["APIUserAbortError", new sdk.APIUserAbortError("m")],
        ["InvalidRequestError", new sdk.InvalidRequestError("m", "p")],
      ];
      for (const [name, error] of made) {
        expect(error.name).toBe(name);
        expect(Object.hasOwn(error, "name")).toBe(true);
        expect(String(error)).toBe(`${name}: m`);
        expect(error.stack?.startsWith(`${name}: m`)).toBe(true);
      }
    }
    // A caller's subclass keeps the name of the class it extends, unless it sets its own.
    class MyNotFound extends esm.NotFoundError {}
    expect(new MyNotFound("m", init).name).toBe("NotFoundError");
  });
});
