/**
 * What the spec says beyond parameter styles, on the wire: `Accept` from the declared response
 * media types, request bodies encoded per content type, server variables at their defaults.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GeneratedClient, generateClient } from "./generated-client.js";
import { json, startServer, type TestServer } from "./server.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
let server: TestServer;
let generated: GeneratedClient;
// biome-ignore lint/suspicious/noExplicitAny: the generated client's type exists only in the temporary folder.
let mod: any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
let client: any;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.path.endsWith("/report")) {
      res.writeHead(200, { "content-type": "text/csv" });
      res.end("a,b\n1,2\n");
    } else if (req.path.endsWith("/both")) json(res, 200, { a: 1 });
    else {
      res.writeHead(204);
      res.end();
    }
  });
  generated = generateClient(join(fixtures, "wire.openapi.yaml"));
  mod = await generated.load();
  client = mod.createTracesClient({ baseUrl: `${server.url}/api/v2`, maxRetries: 0 });
}, 120_000);
afterAll(async () => {
  await server?.close();
  generated?.dispose();
});

describe("media types", () => {
  it("asks for what the operation returns and decodes text as a string", async () => {
    expect(await client.wire.getReport()).toBe("a,b\n1,2\n");
    expect(server.requests.at(-1)?.headers.accept).toBe("text/csv, application/json;q=0.9");
    await client.wire.getBoth();
    expect(server.requests.at(-1)?.headers.accept).toBe("application/json, application/xml");
    await client.raw.GET("/report", { parseAs: "text" });
    expect(server.requests.at(-1)?.headers.accept).toBe("text/csv, application/json;q=0.9");
  });

  it("encodes bodies per content type, with the form's encoding", async () => {
    await client.wire.postForm({ name: "a b", tags: ["x", "y"], meta: { k: 1 } });
    let req = server.requests.at(-1);
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req?.body).toBe("name=a+b&tags=x,y&meta=%7B%22k%22%3A1%7D");

    await client.wire.upload({ file: new Blob(["hello"], { type: "text/plain" }), meta: { k: 2 } });
    req = server.requests.at(-1);
    expect(req?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(req?.body).toContain('name="file"');
    expect(req?.body).toContain("hello");
    expect(req?.body).toContain('{"k":2}');

    await client.wire.postNote("plain words");
    req = server.requests.at(-1);
    expect(req?.headers["content-type"]).toBe("text/plain");
    expect(req?.body).toBe("plain words");

    await client.wire.putBlob(new Uint8Array([104, 105]));
    req = server.requests.at(-1);
    expect(req?.headers["content-type"]).toBe("application/octet-stream");
    expect(req?.body).toBe("hi");

    await client.wire.patchMerge({ a: null }, { "X-Note": "n" });
    req = server.requests.at(-1);
    expect(req?.headers["content-type"]).toBe("application/merge-patch+json");
    expect(req?.body).toBe('{"a":null}');
    expect(req?.headers["x-note"]).toBe("n");

    await client.raw.POST("/form", { body: { name: "r", tags: ["p", "q"] } });
    expect(server.requests.at(-1)?.body).toBe("name=r&tags=p,q");
  });

  it("refuses a body the content type cannot carry, naming the operation", async () => {
    const error = await client.wire.putBlob({ not: "bytes" }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("wire.putBlob: the request body is sent as `application/octet-stream`");
  });
});

describe("servers", () => {
  it("resolves server variables to their defaults in the default base URL", async () => {
    const meta = await import(join(generated.dir, "src/generated/metadata.ts"));
    expect(meta.defaultBaseUrl).toBe("http://127.0.0.1:9/api/v2");
    expect(mod.createTracesClient({}).baseUrl).toBe("http://127.0.0.1:9/api/v2");
  });

  it("joins a relative server URL with baseUrl", async () => {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "traces-relative-"));
    const spec = join(dir, "relative.yaml");
    writeFileSync(
      spec,
      readFileSync(join(fixtures, "wire.openapi.yaml"), "utf8").replace(
        /servers:\n(?: {2}.*\n)+?tags:/,
        "servers:\n  - url: /api/v3\ntags:",
      ),
    );
    const relative = generateClient(spec);
    try {
      const m = await relative.load();
      const create = m.createTracesClient as (o: object) => { baseUrl: string; wire: { getBoth(): Promise<unknown> } };
      expect(create({ baseUrl: server.url }).baseUrl).toBe(`${server.url}/api/v3`);
      expect(create({ baseUrl: `${server.url}/api/v3/` }).baseUrl).toBe(`${server.url}/api/v3`);
      await create({ baseUrl: server.url }).wire.getBoth();
      expect(server.requests.at(-1)?.path).toBe("/api/v3/both");
      expect(() => create({})).toThrow(/no `baseUrl`/);
    } finally {
      relative.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
