/**
 * The generator on a spec that uses what the Users API does not: `x-sdk-method-name`,
 * `x-pagination` (object and `false`), reserved-word and dashed path parameters, schema names
 * that are not identifiers or clash with globals, JSON, multipart and streamed bodies, 204s.
 * The output is compiled with the runtime (without Node's types: the runtime path must use web
 * APIs only) and then driven against a real server.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, startServer, type TestServer } from "./server.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(pkg, "../..");
const tsc = join(dirname(createRequire(join(pkg, "package.json")).resolve("typescript/package.json")), "bin/tsc");
mkdirSync(join(pkg, ".tmp"), { recursive: true });
const work = mkdtempSync(join(pkg, ".tmp/features-"));
const src = join(work, "src");

// biome-ignore lint/suspicious/noExplicitAny: the generated client's type exists only in the temporary folder.
let client: any;
let server: TestServer;

beforeAll(async () => {
  execFileSync(
    process.execPath,
    ["scripts/lib/generate.mjs", "--target", "client", "--quiet", "--out", join(work, "out")].concat([
      "--spec",
      relative(repo, join(pkg, "test/fixtures/features.openapi.yaml")),
    ]),
    { cwd: repo, stdio: ["ignore", "ignore", "pipe"] },
  );
  mkdirSync(src, { recursive: true });
  for (const file of readdirSync(join(pkg, "src"))) {
    if (file.endsWith(".ts") && !file.endsWith(".test.ts")) cpSync(join(pkg, "src", file), join(src, file));
  }
  cpSync(join(work, "out/client"), join(src, "generated"), { recursive: true });

  server = await startServer((req, res, i) => {
    if (req.path.includes("/children/")) {
      const page = Number(req.query.get("offset_page") ?? 0);
      const nodes = (page < 2 ? [0, 1] : [0]).map((n) => ({ children: [], parent: { children: [`${page}-${n}`] } }));
      json(res, 200, { nodes, total: 5 });
    } else if (req.path === "/v1/nodes" && req.method === "POST") {
      json(res, 503, { detail: `busy ${i}` });
    } else if (req.path === "/v1/nodes/upload") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: one\n\ndata: two\n\n");
    } else {
      json(res, 200, { nodes: [], total: 0 });
    }
  });
  const mod = await import(pathToFileURL(join(src, "client.ts")).href);
  client = mod.createTracesClient({ baseUrl: `${server.url}/v1`, apiKey: "k" });
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("generator features", () => {
  it("compiles with the runtime, using web APIs only", () => {
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        extends: relative(work, join(repo, "tsconfig.base.json")),
        compilerOptions: { noEmit: true, types: [] },
        include: ["src"],
      }),
    );
    try {
      execFileSync(process.execPath, [tsc, "-p", join(work, "tsconfig.json")], { stdio: "pipe", encoding: "utf8" });
    } catch (error) {
      throw new Error(`tsc failed:\n${(error as { stdout?: string }).stdout ?? ""}`);
    }
  });

  it("names methods, parameters and types as the spec asks", () => {
    const resources = readFileSync(join(src, "generated/resources.ts"), "utf8");
    expect(resources).toContain("export class TreeNodesResource {");
    expect(resources).toContain("  plant(body: LLMToolInput, options?: RequestOptions): APIPromise<void> {");
    expect(resources).toMatch(/listChildren\(\n {4}nodeId: number,\n {4}classParam: string,/);
    expect(resources).toContain("): PagePromise<NodePage, Node> {");
    expect(resources).toContain(
      "listNodes(params?: ListNodesParams, options?: RequestOptions): APIPromise<NodePage> {",
    );
    expect(resources).toContain("*\\/ inside.");
    const types = readFileSync(join(src, "generated/types.ts"), "utf8");
    expect(types).toContain(
      'export interface LLMToolInput extends SchemaType<components["schemas"]["LLMTool-Input"]> {}',
    );
    expect(types).toContain('export interface Response2 extends SchemaType<components["schemas"]["Response"]> {}');
  });

  it("pages with the parameters and fields x-pagination names", async () => {
    const ids: unknown[] = [];
    for await (const node of client.treeNodes.listChildren(7, "a b", { size: 2, day: new Date(2026, 2, 1, 23, 30) })) {
      ids.push(node);
    }
    expect(ids).toHaveLength(5);
    const seen = server.requests.filter((r) => r.path.includes("/children/"));
    expect(seen.map((r) => r.query.get("offset_page"))).toEqual([null, "1", "2"]);
    expect(seen[0]?.path).toBe("/v1/nodes/7/children/a%20b");
    expect(seen[0]?.query.get("day")).toBe("2026-03-01");
  });

  it("does not paginate where x-pagination is false", () => {
    const result = client.treeNodes.listNodes();
    expect(result).toBeInstanceOf(Promise);
    expect(Symbol.asyncIterator in result).toBe(false);
    return result;
  });

  it("never retries a POST", async () => {
    const before = server.requests.length;
    await expect(client.treeNodes.plant({ name: "x" })).rejects.toThrow(/POST \/v1\/nodes failed with 503/);
    expect(server.requests.length - before).toBe(1);
    expect(server.requests.at(-1)?.body).toBe('{"name":"x"}');
    expect(server.requests.at(-1)?.headers["content-type"]).toBe("application/json");
  });

  it("sends multipart bodies and hands a stream over as the Response", async () => {
    const form = new FormData();
    form.append("file", new Blob(["hello"], { type: "text/plain" }), "a.txt");
    const response: Response = await client.treeNodes.upload(form);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe("data: one\n\ndata: two\n\n");
    const seen = server.requests.at(-1);
    expect(seen?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen?.body).toContain('filename="a.txt"');
    expect(seen?.body).toContain("hello");
  });
});
