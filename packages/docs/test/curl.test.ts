/**
 * The curl examples: serialization units against the OpenAPI style table, then every curl example of
 * the generated docs run for real (the `curl` binary, through `sh`) against a server on 127.0.0.1,
 * its request compared with the requests the operation's two TypeScript examples send.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultBaseUrl,
  headerValue,
  pathValue,
  percentEncode,
  queryPairs,
  shellDouble,
  shellSingle,
} from "../codegen/curl.mjs";
import { decodeHtml, generatedDir, repoRoot, scratchDir } from "./helpers.js";
import { curlBlocks, recordingServer, runCurl, runTypescript } from "./requests.js";

describe("parameter serialization (the OpenAPI 3.1 style examples)", () => {
  const color = ["blue", "black", "brown"];
  const rgb = { R: 100, G: 200, B: 150 };
  it("query, form style", () => {
    expect(queryPairs("color", "blue", {})).toEqual(["color=blue"]);
    expect(queryPairs("color", color, {})).toEqual(["color=blue", "color=black", "color=brown"]);
    expect(queryPairs("color", color, { style: "form", explode: false })).toEqual(["color=blue,black,brown"]);
    expect(queryPairs("color", rgb, { style: "form", explode: true })).toEqual(["R=100", "G=200", "B=150"]);
    expect(queryPairs("color", rgb, { style: "form", explode: false })).toEqual(["color=R,100,G,200,B,150"]);
  });
  it("query, spaceDelimited, pipeDelimited and deepObject", () => {
    expect(queryPairs("color", color, { style: "spaceDelimited", explode: false })).toEqual([
      "color=blue%20black%20brown",
    ]);
    expect(queryPairs("color", color, { style: "pipeDelimited", explode: false })).toEqual([
      "color=blue%7Cblack%7Cbrown",
    ]);
    expect(queryPairs("color", rgb, { style: "deepObject", explode: true })).toEqual([
      "color%5BR%5D=100",
      "color%5BG%5D=200",
      "color%5BB%5D=150",
    ]);
  });
  it("query: allowReserved keeps reserved characters, content parameters send JSON text", () => {
    expect(queryPairs("path", "/a/b:c,d", { allowReserved: true })).toEqual(["path=/a/b:c,d"]);
    expect(queryPairs("path", "/a/b:c,d", {})).toEqual(["path=%2Fa%2Fb%3Ac%2Cd"]);
    expect(queryPairs("q", "a#b!c", { allowReserved: true })).toEqual(["q=a%23b%21c"]);
    expect(queryPairs("filter", { a: 1, b: ["x"] }, { contentType: "application/json" })).toEqual([
      "filter=%7B%22a%22%3A1%2C%22b%22%3A%5B%22x%22%5D%7D",
    ]);
    expect(headerValue({ a: 1 }, { contentType: "application/json" })).toBe('{"a":1}');
  });
  it("path: simple, label and matrix", () => {
    expect(pathValue("color", "blue", {})).toBe("blue");
    expect(pathValue("color", color, {})).toBe("blue,black,brown");
    expect(pathValue("color", rgb, { explode: true })).toBe("R=100,G=200,B=150");
    expect(pathValue("color", rgb, { explode: false })).toBe("R,100,G,200,B,150");
    expect(pathValue("color", color, { style: "label", explode: false })).toBe(".blue,black,brown");
    expect(pathValue("color", color, { style: "label", explode: true })).toBe(".blue.black.brown");
    expect(pathValue("color", color, { style: "matrix", explode: false })).toBe(";color=blue,black,brown");
    expect(pathValue("color", color, { style: "matrix", explode: true })).toBe(";color=blue;color=black;color=brown");
    expect(pathValue("color", rgb, { style: "matrix", explode: true })).toBe(";R=100;G=200;B=150");
  });
  it("header: simple", () => {
    expect(headerValue(color, {})).toBe("blue,black,brown");
    expect(headerValue(rgb, { explode: true })).toBe("R=100,G=200,B=150");
  });
  it("percent-encodes all but unreserved characters, as RFC 3986 says", () => {
    expect(percentEncode("2026-03-01T09:30:00.000+01:00")).toBe("2026-03-01T09%3A30%3A00.000%2B01%3A00");
    expect(percentEncode("a b/c?d&e=f#g!'()*~._-")).toBe("a%20b%2Fc%3Fd%26e%3Df%23g%21%27%28%29%2A~._-");
    expect(percentEncode("é")).toBe("%C3%A9");
  });
  it("quotes for the shell", () => {
    expect(shellDouble('a"b$c`d\\e')).toBe('a\\"b\\$c\\`d\\\\e');
    expect(shellSingle("it's")).toBe("'it'\\''s'");
  });
  it("takes the first server's URL with its variables' defaults", () => {
    expect(defaultBaseUrl({})).toBe("http://localhost");
    expect(
      defaultBaseUrl({
        servers: [
          {
            url: "https://{region}.example.com:{port}/v1/",
            variables: { region: { default: "eu" }, port: { default: "8443" } },
          },
        ],
      }),
    ).toBe("https://eu.example.com:8443/v1");
  });
});

const spec = JSON.parse(readFileSync(join(generatedDir, "openapi.json"), "utf8"));
const index: Array<{ id: string; method: string; path: string; page: string; anchor: string }> = JSON.parse(
  readFileSync(join(generatedDir, "operations.json"), "utf8"),
);
const work = join(scratchDir, `curl-${process.pid}`);
beforeAll(() => {
  const curl = spawnSync("curl", ["--version"], { encoding: "utf8" });
  if (curl.status !== 0) {
    throw new Error(
      "These tests run the curl examples with the real `curl` binary: install it (e.g. apt-get install curl).",
    );
  }
  // The TypeScript examples run against the built client, as a user's app would.
  if (!existsSync(join(repoRoot, "packages/client/dist/index.js"))) {
    const built = spawnSync("pnpm", ["--filter", "@traces-sdk/client", "build"], { cwd: repoRoot, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
  }
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The spec's 2xx answer of the operation a request hits: its example body. */
function answer(method: string, path: string) {
  for (const [template, item] of Object.entries<
    Record<string, { responses: Record<string, { content?: Record<string, { example?: unknown }> }> }>
  >(spec.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    const op = item[method.toLowerCase()];
    if (!op || !re.test(path)) continue;
    const [status, response] = Object.entries(op.responses).find(([s]) => s.startsWith("2")) ?? ["200", {}];
    const body = Object.values(response.content ?? {})[0]?.example;
    return { status: Number(status), body: body ?? (status === "204" ? undefined : {}) };
  }
  return { status: 404, body: { detail: "Not Found" } };
}

/** The examples of one operation on its markdown page: [resource method, client.raw, curl]. */
function examplesOf(op: { page: string; anchor: string }) {
  const page = readFileSync(join(generatedDir, "markdown", op.page), "utf8");
  const start = page.indexOf(`<a id="${op.anchor}"></a>`);
  const end = page.indexOf('<a id="', start + 1);
  const section = page.slice(start, end === -1 ? undefined : end);
  const ts = [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
  return { ts, curl: curlBlocks(section) };
}

describe("the curl examples, run against a server on 127.0.0.1", () => {
  it("are in the markdown once per operation and in the HTML page, the same text", () => {
    const html = readFileSync(join(generatedDir, "html/index.html"), "utf8");
    const inHtml = [...html.matchAll(/<pre><code class="language-sh[^"]*">([\s\S]*?)<\/code><\/pre>/g)].map((m) =>
      decodeHtml((m[1] as string).replace(/<\/?span[^>]*>/g, "")),
    );
    const inMarkdown = index.map((op) => {
      const { curl } = examplesOf(op);
      expect(curl.length, op.id).toBe(1);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, not a template.
      expect(curl[0]).toContain('"${TRACES_BASE_URL:-http://localhost}/');
      expect(curl[0]).toContain('--header "Authorization: Bearer $TRACES_API_KEY"');
      return curl[0];
    });
    expect(inHtml.sort()).toEqual(inMarkdown.sort());
  });

  it("send the request the TypeScript examples send: method, path, query, headers, body", async () => {
    const server = await recordingServer(answer);
    const env = { TRACES_BASE_URL: server.url, TRACES_API_KEY: "test-key-123" };
    try {
      const ts = index.flatMap((op) => {
        const [resource, raw] = examplesOf(op).ts;
        return [
          { label: `${op.id}:ts`, code: resource as string },
          { label: `${op.id}:raw`, code: raw as string },
        ];
      });
      const failures = await runTypescript(ts, join(work, "ts"), env);
      expect(failures).toEqual({});
      for (const op of index) await runCurl(examplesOf(op).curl[0] as string, `${op.id}:curl`, env);

      for (const op of index) {
        const curl = server.groups.get(`${op.id}:curl`) ?? [];
        expect(curl.length, op.id).toBe(1);
        const [sent] = curl;
        expect(sent?.method).toBe(op.method);
        expect(sent?.headers.authorization).toBe("Bearer test-key-123");
        // The TypeScript example's first request (the awaited call), and the client.raw call.
        expect(server.groups.get(`${op.id}:ts`)?.[0], `${op.id}: resource method`).toEqual(sent);
        // client.raw leaves Accept to fetch (`*/*`); everything else must match.
        const raw = server.groups.get(`${op.id}:raw`)?.[0];
        const { accept: _, ...curlHeaders } = sent?.headers ?? {};
        const { accept: __, ...rawHeaders } = raw?.headers ?? {};
        expect({ ...raw, headers: rawHeaders }, `${op.id}: client.raw`).toEqual({ ...sent, headers: curlHeaders });
      }
      // The server reads back exactly the spec's example values (percent-encoding undone).
      const list = server.groups.get("list_users_metadata_api_v1_traces_users_get:curl")?.[0];
      const params = spec.paths["/api/v1/traces/users"].get.parameters as Array<{ name?: string; example?: unknown }>;
      for (const p of params.filter((x) => x.name && x.example !== undefined)) {
        expect(list?.query).toContainEqual([p.name, String(p.example)]);
      }
    } finally {
      await server.close();
    }
  });

  it("repeat the key of an exploded array parameter, and the check would catch a comma-joined one", async () => {
    const server = await recordingServer(answer);
    const env = { TRACES_BASE_URL: server.url, TRACES_API_KEY: "k" };
    try {
      const op = index.find((o) => o.path === "/api/v1/traces/users") as (typeof index)[number];
      const curl = examplesOf(op).curl[0] as string;
      const two = curl.replace(/task_ids=([^&"]+)/, "task_ids=$1&task_ids=second");
      await runCurl(two, "two", env);
      await runCurl(two.replace(/task_ids=([^&"]+)&task_ids=second/, "task_ids=$1,second"), "joined", env);
      const ids = (label: string) =>
        server.groups
          .get(label)?.[0]
          ?.query.filter(([k]) => k === "task_ids")
          .map(([, v]) => v);
      expect(ids("two")).toEqual(["0b5f8a5e-6a43-4f62-9f1e-2d7f0e4c9a11", "second"]);
      expect(ids("joined")).not.toEqual(ids("two"));
    } finally {
      await server.close();
    }
  });
});
