/**
 * The wire, per OpenAPI style: for every spec in scripts/fixtures/corpus/styles/ (one per style and
 * location), each operation is called through the resource method and through `client.raw`, and
 * the request a real server on 127.0.0.1 receives must match OpenAPI 3.1.1's style examples
 * (§4.8.12.4.2; RFC 6570 for the path styles) for color = "blue", ["blue", "black", "brown"] and
 * { R: 100, G: 200, B: 150 }.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GeneratedClient, generateClient } from "./generated-client.js";
import { startServer, type TestServer } from "./server.js";

const styles = join(dirname(fileURLToPath(import.meta.url)), "../../../scripts/fixtures/corpus/styles");
const VALUES = { string: "blue", array: ["blue", "black", "brown"], object: { R: 100, G: 200, B: 150 } } as const;

/** [spec file, explode, kind] → what the server must see (path segment, query string, header or cookie value). */
const EXPECTED: Record<string, Record<string, string>> = {
  "path-simple": {
    string_plain: "blue",
    array_plain: "blue,black,brown",
    object_plain: "R,100,G,200,B,150",
    string_exploded: "blue",
    array_exploded: "blue,black,brown",
    object_exploded: "R=100,G=200,B=150",
  },
  "path-label": {
    string_plain: ".blue",
    array_plain: ".blue,black,brown",
    object_plain: ".R,100,G,200,B,150",
    string_exploded: ".blue",
    array_exploded: ".blue.black.brown",
    object_exploded: ".R=100.G=200.B=150",
  },
  "path-matrix": {
    string_plain: ";color=blue",
    array_plain: ";color=blue,black,brown",
    object_plain: ";color=R,100,G,200,B,150",
    string_exploded: ";color=blue",
    array_exploded: ";color=blue;color=black;color=brown",
    object_exploded: ";R=100;G=200;B=150",
  },
  "query-form": {
    string_plain: "color=blue",
    array_plain: "color=blue,black,brown",
    object_plain: "color=R,100,G,200,B,150",
    string_exploded: "color=blue",
    array_exploded: "color=blue&color=black&color=brown",
    object_exploded: "R=100&G=200&B=150",
  },
  "query-space-delimited": {
    array_plain: "color=blue%20black%20brown",
    object_plain: "color=R%20100%20G%20200%20B%20150",
  },
  "query-pipe-delimited": {
    array_plain: "color=blue|black|brown",
    object_plain: "color=R|100|G|200|B|150",
  },
  "query-deep-object": {
    object_exploded: "color[R]=100&color[G]=200&color[B]=150",
  },
  "header-simple": {
    string_plain: "blue",
    array_plain: "blue,black,brown",
    object_plain: "R,100,G,200,B,150",
    string_exploded: "blue",
    array_exploded: "blue,black,brown",
    object_exploded: "R=100,G=200,B=150",
  },
  "cookie-form": {
    string_plain: "color=blue",
    array_plain: "color=blue,black,brown",
    object_plain: "color=R,100,G,200,B,150",
    string_exploded: "color=blue",
    // OpenAPI's form style would join with "&", which a Cookie header cannot carry (the generator warns).
    array_exploded: "color=blue; color=black; color=brown",
    object_exploded: "R=100; G=200; B=150",
  },
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(204);
    res.end();
  });
});
afterAll(() => server?.close());

/** What the server saw of the parameter, for a spec's location. */
function seen(spec: string, opId: string): string {
  const req = server.requests.at(-1);
  if (!req) throw new Error("no request arrived");
  if (spec.startsWith("path")) return req.url.slice(`/colors/${opId}/`.length);
  if (spec.startsWith("query")) return req.url.slice(req.url.indexOf("?") + 1);
  if (spec.startsWith("header")) return String(req.headers["x-color"]);
  return String(req.headers.cookie);
}

const files = readdirSync(styles).filter((f) => f.endsWith(".yaml"));

it("covers every style spec in the corpus", () => {
  expect(files.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(Object.keys(EXPECTED).sort());
});

for (const file of files) {
  const spec = file.replace(/\.yaml$/, "");
  describe(spec, () => {
    let generated: GeneratedClient;
    // biome-ignore lint/suspicious/noExplicitAny: the generated client's type exists only in the temporary folder.
    let client: any;
    beforeAll(async () => {
      generated = generateClient(join(styles, file));
      const mod = await generated.load();
      client = (mod.createTracesClient as (o: object) => unknown)({ baseUrl: server.url, apiKey: "k", maxRetries: 0 });
    }, 120_000);
    afterAll(() => generated?.dispose());

    for (const [opId, expected] of Object.entries(EXPECTED[spec] ?? {})) {
      const [kind] = opId.split("_") as [keyof typeof VALUES];
      const value = VALUES[kind];
      const method = opId.replace(/_(\w)/, (_, c: string) => c.toUpperCase());
      it(`${opId}: resource method and client.raw send ${JSON.stringify(expected)}`, async () => {
        const location = spec.split("-")[0] as "path" | "query" | "header" | "cookie";
        const name = location === "header" ? "X-Color" : "color";
        if (location === "path") await client.colors[method](value);
        else await client.colors[method]({ [name]: value });
        expect(seen(spec, opId)).toBe(expected);
        const path = location === "path" ? `/colors/${opId}/{color}` : `/colors/${opId}`;
        const { response } = await client.raw.GET(path, { params: { [location]: { [name]: value } } });
        expect(response.status).toBe(204);
        expect(seen(spec, opId)).toBe(expected);
      });
    }

    it("compiles", () => {
      expect(generated.typecheck()).toBe("");
    }, 120_000);
  });
}

describe("combinations OpenAPI leaves undefined", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, parameter: string): string => {
    const dir = mkdtempSync(join(tmpdir(), "traces-style-"));
    dirs.push(dir);
    const file = join(dir, name);
    writeFileSync(
      file,
      `openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /things/{id}:
    get:
      operationId: get_thing
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - ${parameter}
      responses:
        "204": { description: ok }
`,
    );
    return file;
  };

  it("warns at generation and refuses the value at run time for deepObject with nested values", async () => {
    const generated = generateClient(
      write(
        "nested.yaml",
        "{ name: filter, in: query, style: deepObject, explode: true, schema: { type: object, properties: { tags: { type: array, items: { type: string } } } } }",
      ),
    );
    try {
      expect(generated.warnings).toContain("`filter` (deepObject) holds nested arrays or objects");
      const mod = await generated.load();
      // biome-ignore lint/suspicious/noExplicitAny: the generated client's type exists only in the temporary folder.
      const client = (mod.createTracesClient as (o: object) => any)({ baseUrl: server.url, maxRetries: 0 });
      const before = server.requests.length;
      const error = await client.default.getThing("x", { filter: { tags: ["a"] } }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/`filter` has a nested array, which style `deepObject` cannot send/);
      expect(server.requests.length).toBe(before);
      await client.default.getThing("x", { filter: { tags: "a" } });
      expect(server.requests.at(-1)?.url).toBe("/things/x?filter[tags]=a");
    } finally {
      generated.dispose();
    }
  }, 120_000);

  it("stops generation on a style its location does not allow, naming parameter and fix", () => {
    expect(() =>
      generateClient(
        write("bad.yaml", "{ name: ids, in: query, style: matrix, schema: { type: array, items: { type: string } } }"),
      ),
    ).toThrow(
      /parameter `ids` in query has style `matrix`, which OpenAPI does not define for query parameters \(allowed: form, spaceDelimited, pipeDelimited, deepObject\)/,
    );
  });
});
