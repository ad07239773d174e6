import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaObject } from "./helpers.js";
import {
  brokenMarkdownLinks,
  ensureDir,
  externalReferences,
  idProblems,
  launchChromium,
  listFiles,
  loadInChromium,
  markdownTableProblems,
  missingAnchors,
  repoRoot,
  resultsDir,
  runDocsPipeline,
  scratchDir,
  typecheckBlocks,
  typescriptBlocks,
} from "./helpers.js";
import { curlBlocks, recordingServer, runCurl, runTypescript } from "./requests.js";

// The engine's full spec: 214 operations, 394 schemas, and the invalid parts FACTS.md lists.
const upstream = "scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json";
const spec = JSON.parse(readFileSync(join(repoRoot, upstream), "utf8"));
const out = mkdtempSync(join(tmpdir(), "traces-docs-upstream-"));
const docs = join(out, "docs");
let browser: Browser | undefined;
let stderr = "";

beforeAll(() => {
  // The client too: the examples are type-checked against the client generated from the same spec.
  const result = runDocsPipeline(["--spec", upstream, "--out", out, "--quiet", "--target", "client"]);
  expect(result.code, result.stderr).toBe(0);
  stderr = result.stderr;
});
afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

describe("docs for the full upstream spec", () => {
  const operations = () =>
    JSON.parse(readFileSync(join(docs, "operations.json"), "utf8")) as Array<Record<string, string>>;

  it("document every operation on its tag page, under its anchor", () => {
    const ops = operations();
    expect(ops.length).toBe(214);
    const ids = Object.values<Record<string, { operationId?: string }>>(spec.paths).flatMap((item) =>
      Object.entries(item)
        .filter(([k]) => ["get", "put", "post", "delete", "patch", "head", "options", "trace"].includes(k))
        .map(([, op]) => op.operationId),
    );
    expect(ops.map((o) => o.id).sort()).toEqual(ids.sort());
    expect(new Set(ops.map((o) => `${o.page}#${o.anchor}`)).size).toBe(214);
    const pages = new Map<string, string>();
    for (const op of ops) {
      const page = pages.get(op.page as string) ?? readFileSync(join(docs, "markdown", op.page as string), "utf8");
      pages.set(op.page as string, page);
      expect(page, op.id).toContain(`<a id="${op.anchor}"></a>`);
      expect(page, op.id).toContain(`**${op.method}** \`${op.path}\``);
    }
  });

  it("write a page for every schema, and no empty property table where the schema has properties", () => {
    const models = listFiles(join(docs, "markdown/Models"));
    expect(models.length).toBe(394);
    for (const [name, schema] of Object.entries<SchemaObject>(spec.components.schemas)) {
      const file = `${name.replace(/[^A-Za-z0-9._-]/g, "_")}.md`;
      expect(models, name).toContain(file);
      const own = Object.keys(schema.properties ?? {});
      if (own.length === 0) continue;
      const page = readFileSync(join(docs, "markdown/Models", file), "utf8");
      for (const prop of own) expect(page, `${name}.${prop}`).toContain(`| \`${prop}\` |`);
    }
  });

  it("keep the descriptions and nullability of anyOf-null properties", () => {
    // `TraceUserMetadataResponse.prompt_token_count` is `anyOf: [integer, null]` with a description beside it.
    const prop = spec.components.schemas.TraceUserMetadataResponse.properties.prompt_token_count;
    expect(prop.anyOf).toEqual(expect.arrayContaining([{ type: "null" }]));
    const page = readFileSync(join(docs, "markdown/Models/TraceUserMetadataResponse.md"), "utf8");
    const row = page.split("\n").find((l) => l.startsWith("| `prompt_token_count` |"));
    expect(row).toBe(`| \`prompt_token_count\` | <code>integer</code> | no | yes |  |  | ${prop.description} |`);
  });

  it("has no table without rows or with text glued to its last row", () => {
    expect(markdownTableProblems(join(docs, "markdown"))).toEqual([]);
  });

  it("link only to files and anchors that exist", () => {
    const { checked, broken } = brokenMarkdownLinks(join(docs, "markdown"));
    expect(broken.slice(0, 20)).toEqual([]);
    expect(checked).toBeGreaterThan(2000);
  });

  it("give an HTML page that stays offline and loads in Chromium with all 214 operations", async () => {
    const htmlFile = join(docs, "html/index.html");
    const html = readFileSync(htmlFile, "utf8");
    expect(externalReferences(html)).toEqual([]);
    expect(missingAnchors(html)).toEqual([]);
    expect(idProblems(html)).toEqual({ duplicates: [], unresolvedSearch: [] });
    browser = await launchChromium();
    const report = await loadInChromium(browser, htmlFile, async (page) => {
      await page.fill("#search", "getUserDetails");
      const found = await page.$$eval("#search-results [role=option] .title", (els) =>
        els.map((e) => e.textContent?.trim()),
      );
      expect(found[0]).toBe("users.getUserDetails");
      // Content search over the whole engine: a parameter and an error class.
      await page.fill("#search", "task_ids");
      expect(await page.textContent("#search-result-0 .title")).toBe("task_ids");
      await page.fill("#search", "NotFoundError");
      expect(await page.textContent("#search-result-0 .title")).toBe("NotFoundError");
      const width = await page.evaluate(() => [document.scrollingElement?.scrollWidth ?? 0, innerWidth]);
      expect(width[0]).toBeLessThanOrEqual(width[1] as number);
      await page.screenshot({ path: join(ensureDir(resultsDir), "upstream-search.png") });
    });
    expect(report.consoleErrors).toEqual([]);
    expect(report.foreignRequests).toEqual([]);
    expect(report.operations.length).toBe(214);
    expect(report.models.length).toBe(394);
  });

  it("warn about the spec's example that its own enum forbids, and use an allowed value", () => {
    expect(stderr).toContain(
      'warning: docs: POST /api/v2/tasks/{task_id}/metrics: the spec\'s example "UserQueryRelevance" is not one of the allowed values',
    );
    const page = readFileSync(join(docs, "markdown/Apis/TasksApi.md"), "utf8");
    expect(page).toContain('type: "QueryRelevance",');
    // The prepared copy (scheme key renamed, raw-value examples dropped) passes openapi-generator's own validation.
    expect(stderr).not.toContain("--skip-validate-spec");
  });

  it("have examples that all type-check against the client generated from the same spec", () => {
    const work = join(ensureDir(scratchDir), `upstream-examples-${process.pid}`);
    try {
      // The client's hand-written runtime plus the resource layer generated for the upstream spec.
      const clientDir = join(repoRoot, "packages/client");
      const src = join(work, "client/src");
      mkdirSync(src, { recursive: true });
      for (const file of readdirSync(join(clientDir, "src"))) {
        if (file.endsWith(".ts") && !file.endsWith(".test.ts")) cpSync(join(clientDir, "src", file), join(src, file));
      }
      cpSync(join(out, "client"), join(src, "generated"), { recursive: true });
      const clientRequire = createRequire(join(clientDir, "package.json"));
      mkdirSync(join(work, "node_modules"));
      symlinkSync(
        dirname(clientRequire.resolve("openapi-fetch/package.json")),
        join(work, "node_modules/openapi-fetch"),
      );

      const blocks = typescriptBlocks(join(docs, "markdown"));
      // Two per operation, the README's quick start and its dates-and-times example.
      expect(blocks.length).toBe(2 * 214 + 2);
      const { code, output } = typecheckBlocks(blocks, work, {
        subdir: "examples",
        compilerOptions: { paths: { "@traces-sdk/client": ["./client/src/index.ts"] } },
      });
      expect(output.split("\n").slice(0, 20).join("\n")).toBe("");
      expect(code).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
  it("have curl examples that send what the client.raw examples send, for all 214 operations", async () => {
    const ops = operations();
    const pages = new Map<string, string>();
    const examples = ops.map((op) => {
      const page = pages.get(op.page as string) ?? readFileSync(join(docs, "markdown", op.page as string), "utf8");
      pages.set(op.page as string, page);
      const start = page.indexOf(`<a id="${op.anchor}"></a>`);
      const end = page.indexOf('<a id="', start + 1);
      const section = page.slice(start, end === -1 ? undefined : end);
      const ts = [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
      return { id: op.id as string, raw: ts[1] as string, curl: curlBlocks(section) };
    });
    expect(examples.filter((e) => e.curl.length !== 1).map((e) => e.id)).toEqual([]);
    const server = await recordingServer(() => ({ status: 200, body: {} }));
    const env = { TRACES_BASE_URL: server.url, TRACES_API_KEY: "test-key" };
    try {
      // client.raw (openapi-fetch under the client) works for any path at run time: the built client serves.
      const failures = await runTypescript(
        examples.map((e) => ({ label: `${e.id}:raw`, code: e.raw })),
        join(ensureDir(scratchDir), `upstream-raw-${process.pid}`),
        env,
      );
      expect(failures).toEqual({});
      for (const e of examples) await runCurl(e.curl[0] as string, `${e.id}:curl`, env);
      const mismatches: string[] = [];
      for (const e of examples) {
        const [curl] = server.groups.get(`${e.id}:curl`) ?? [];
        const [raw] = server.groups.get(`${e.id}:raw`) ?? [];
        const normal = (r: typeof curl) => {
          if (!r) return r;
          const { accept: _, ...headers } = r.headers;
          // Multipart bodies differ in their boundary only; their fields are compared as sent by each.
          const multipart = headers["content-type"] === "multipart/form-data";
          return { ...r, headers, body: multipart ? "(multipart)" : r.body };
        };
        if (JSON.stringify(normal(curl)) !== JSON.stringify(normal(raw))) {
          mismatches.push(`${e.id}\n  curl: ${JSON.stringify(normal(curl))}\n  raw:  ${JSON.stringify(normal(raw))}`);
        }
      }
      expect(mismatches.slice(0, 5).join("\n")).toBe("");
    } finally {
      await server.close();
      rmSync(join(scratchDir, `upstream-raw-${process.pid}`), { recursive: true, force: true });
    }
  }, 600_000);
});
