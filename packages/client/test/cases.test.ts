/**
 * Specs from public bug reports of similar generators (test/fixtures/cases/): each is generated,
 * type-checked with code that uses it as an app would, and called against a server on 127.0.0.1.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GeneratedClient, generateClient } from "./generated-client.js";
import { json, startServer, type TestServer } from "./server.js";

const cases = join(dirname(fileURLToPath(import.meta.url)), "fixtures/cases");

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.path === "/items") json(res, 200, ["a"]);
    else if (req.path.startsWith("/features/")) {
      res.writeHead(204);
      res.end();
    } else if (req.path.startsWith("/metrics/")) json(res, 200, { value: 1 });
    else if (req.path === "/accounts") json(res, 201, { id: "acc-1", name: JSON.parse(req.body).name });
    else json(res, 404, { detail: "no" });
  });
});
afterAll(() => server?.close());

/** Generates `file`, loads it and makes a client on the test server; disposes after the suite. */
function useCase(file: string) {
  // biome-ignore lint/suspicious/noExplicitAny: the generated client's type exists only in the temporary folder.
  const state: { generated?: GeneratedClient; client?: any; InvalidRequestError?: any } = {};
  beforeAll(async () => {
    state.generated = generateClient(join(cases, file));
    const mod = await state.generated.load();
    state.client = (mod.createTracesClient as (o: object) => unknown)({
      baseUrl: server.url,
      apiKey: "k",
      maxRetries: 0,
    });
    state.InvalidRequestError = (await import(join(state.generated.dir, "src/errors.ts"))).InvalidRequestError;
  }, 120_000);
  afterAll(() => state.generated?.dispose());
  return state;
}

describe("01-explode-false", () => {
  const c = useCase("01-explode-false.yaml");
  it("sends form/explode:false as CSV and pipeDelimited with pipes, from resources and client.raw", async () => {
    await c.client.items.listItems({ ids: ["a", "b"], tags: ["x", "y"] });
    expect(server.requests.at(-1)?.url).toBe("/items?ids=a,b&tags=x|y");
    await c.client.raw.GET("/items", { params: { query: { ids: ["a", "b"], tags: ["x", "y"] } } });
    expect(server.requests.at(-1)?.url).toBe("/items?ids=a,b&tags=x|y");
  });
});

describe("03-header-cookie-params", () => {
  const c = useCase("03-header-cookie-params.yaml");
  it("takes the header and cookie parameters in the method, sends them, and enforces the required one", async () => {
    await c.client.features.enableFeature("dark-mode", { "X-Tenant-ID": "tenant-1", session: "s 1" });
    const req = server.requests.at(-1);
    expect(req?.path).toBe("/features/dark-mode");
    expect(req?.headers["x-tenant-id"]).toBe("tenant-1");
    expect(req?.headers.cookie).toBe("session=s%201");
    const before = server.requests.length;
    const error = await c.client.features.enableFeature("dark-mode", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(c.InvalidRequestError);
    expect((error as Error).message).toContain("`X-Tenant-ID` is required");
    expect(server.requests.length).toBe(before);
    await c.client.raw.POST("/features/{feature}", {
      params: { path: { feature: "f" }, header: { "X-Tenant-ID": "t2" }, cookie: { session: "s2" } },
    });
    expect(server.requests.at(-1)?.headers["x-tenant-id"]).toBe("t2");
    expect(server.requests.at(-1)?.headers.cookie).toBe("session=s2");
  });

  it("types them: the required header is a compile error when missing", () => {
    const out = c.generated?.typecheck({
      "use-03.ts": `import { createTracesClient } from "./client.js";
const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
export const ok = client.features.enableFeature("f", { "X-Tenant-ID": "t", session: undefined });
// @ts-expect-error X-Tenant-ID is required.
export const missing = client.features.enableFeature("f", { session: "s" });
// @ts-expect-error the parameter object is required.
export const none = client.features.enableFeature("f");
`,
    });
    expect(out).toBe("");
  }, 120_000);
});

describe("10-param-shadows-metadata", () => {
  const c = useCase("10-param-shadows-metadata.yaml");
  it("compiles and calls with parameters named like the generator's own identifiers", async () => {
    expect(c.generated?.typecheck()).toBe("");
    expect(await c.client.metrics.getMetric("cpu")).toEqual({ value: 1 });
    expect(server.requests.at(-1)?.url).toBe("/metrics/cpu");
    await c.client.metrics.getNested("q", "o", "b", { limit: 2 });
    expect(server.requests.at(-1)?.url).toBe("/metrics/q/o/b?limit=2");
  }, 120_000);
});

describe("14-read-write-only", () => {
  const c = useCase("14-read-write-only.yaml");
  it("leaves readOnly out of requests and writeOnly out of responses", async () => {
    const created = await c.client.accounts.createAccount({ name: "n", password: "p" });
    expect(created).toEqual({ id: "acc-1", name: "n" });
    expect(JSON.parse(server.requests.at(-1)?.body ?? "")).toEqual({ name: "n", password: "p" });
    const out = c.generated?.typecheck({
      "use-14.ts": `import { createTracesClient } from "./client.js";
import type { Account, AccountInput } from "./generated/types.js";
const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
export async function run(): Promise<string> {
  const created: Account = await client.accounts.createAccount({ name: "n", password: "p" });
  // @ts-expect-error password is writeOnly: never in a response.
  created.password;
  // @ts-expect-error id is readOnly: the server assigns it.
  await client.accounts.createAccount({ id: "x", name: "n", password: "p" });
  const input: AccountInput = { name: "n", password: "p" };
  void input;
  return created.id;
}
`,
    });
    expect(out).toBe("");
  }, 120_000);
});
