/**
 * The corpus: every spec under scripts/fixtures/corpus/ (any depth) and the engine's full spec is
 * generated once, with no flag, into a temporary folder (two at a time); then every client is
 * type-checked with the runtime in one tsc run, and every docs tree is checked for a page or
 * section per operation and per schema. A summary (operations, generate time, compiled) is written
 * to test-results/corpus.md.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createDocModel, modelFiles } from "../../packages/docs/codegen/doc-model.mjs";
import { typecheckClients } from "./compile-gate.mjs";
import { repoRoot } from "./paths.mjs";

const corpusDir = join(repoRoot, "scripts/fixtures/corpus");
const upstream = join(repoRoot, "scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json");
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * Every spec of the corpus, repo-relative, sorted. A file without a top-level `openapi` field is a
 * part that a spec beside it `$ref`s (see multi-file/), not a spec.
 */
function corpusSpecs(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(entry.name) && isDocument(p)) out.push(relative(repoRoot, p));
    }
  };
  walk(corpusDir);
  return [...out.sort(), relative(repoRoot, upstream)];
}

/** True for an OpenAPI document (a top-level `openapi` or `swagger` field), false for a part of one. */
function isDocument(file: string): boolean {
  const root = parse(readFileSync(file, "utf8"));
  return root !== null && typeof root === "object" && ("openapi" in root || "swagger" in root);
}

interface Generated {
  spec: string;
  out: string;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  operations: number;
  compiled?: boolean;
  tscErrors?: string[];
}

function runGenerateAsync(spec: string, out: string): Promise<Generated> {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    // The compile gate runs once for the whole corpus below, instead of once per spec.
    const child = spawn(
      process.execPath,
      [join(repoRoot, "scripts/lib/generate.mjs"), "--spec", spec, "--out", out, "--skip-typecheck"],
      { cwd: repoRoot, env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => {
      const operations = Number(stdout.match(/(\d+) operations,/)?.[1] ?? Number.NaN);
      resolvePromise({ spec, out, code, stdout, stderr, ms: performance.now() - t0, operations });
    });
  });
}

const specs = corpusSpecs();
const work = mkdtempSync(join(tmpdir(), "traces-corpus-"));
const results = new Map<string, Generated>();

beforeAll(async () => {
  const queue = specs.map((spec, i) => ({ spec, out: join(work, String(i).padStart(3, "0")) }));
  // Two at a time: the machine has two cores, and most of each run is one JVM.
  const workers = [0, 1].map(async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      results.set(job.spec, await runGenerateAsync(job.spec, job.out));
    }
  });
  await Promise.all(workers);
  const clients = [...results.values()]
    .filter((r) => r.code === 0 && existsSync(join(r.out, "client")))
    .map((r) => ({ label: r.spec, dir: join(r.out, "client") }));
  for (const check of await typecheckClients(clients)) {
    const r = results.get(check.label);
    if (r) Object.assign(r, { compiled: check.ok, tscErrors: check.errors });
  }
  const lines = [
    "| spec | operations | generate | compiled |",
    "| --- | ---: | ---: | --- |",
    ...specs.map((spec) => {
      const r = results.get(spec);
      return `| ${spec} | ${r?.operations ?? "?"} | ${r ? `${(r.ms / 1000).toFixed(1)} s` : "?"} | ${r?.code !== 0 ? "not generated" : r.compiled ? "yes" : "no"} |`;
    }),
  ];
  mkdirSync(join(repoRoot, "test-results"), { recursive: true });
  writeFileSync(join(repoRoot, "test-results/corpus.md"), `${lines.join("\n")}\n`);
}, 1_800_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Operations of a spec as `METHOD path`, from the document itself (not from our model). */
function specOperations(doc: { paths?: Record<string, Record<string, unknown> | null> }): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) if (item?.[method]) out.push(`${method.toUpperCase()} ${path}`);
  }
  return out.sort();
}

/** Cells of a markdown table row: split on `|` that is not escaped. */
function cells(row: string): number {
  return row.replace(/^\||\|$/g, "").split(/(?<!\\)\|/).length;
}

/** Rows whose number of cells differs from their table's header. */
function tableShapeProblems(markdownDir: string): string[] {
  const problems: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".md")) {
        const lines = readFileSync(p, "utf8")
          .replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, ""))
          .split("\n");
        let header = 0;
        lines.forEach((line, i) => {
          if (!line.startsWith("|")) {
            header = 0;
            return;
          }
          if (header === 0) header = cells(line);
          else if (cells(line) !== header) problems.push(`${relative(markdownDir, p)}:${i + 1}: ${line}`);
        });
      }
    }
  };
  walk(markdownDir);
  return problems;
}

describe.each(specs)("%s", (spec) => {
  const result = () => {
    const r = results.get(spec);
    if (!r) throw new Error(`${spec} was not generated`);
    return r;
  };

  it("generates with no flag", () => {
    const r = result();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("internal error");
  });

  it("its client compiles with the runtime", () => {
    const r = result();
    expect(r.code, r.stderr).toBe(0);
    expect(r.tscErrors ?? ["not type-checked"], (r.tscErrors ?? []).join("\n")).toEqual([]);
    expect(r.compiled).toBe(true);
  });

  it("its docs have a page or section for every operation and schema, and well-formed tables", () => {
    const r = result();
    expect(r.code, r.stderr).toBe(0);
    const docs = join(r.out, "docs");
    const bundled = JSON.parse(readFileSync(join(docs, "openapi.json"), "utf8"));
    const original = parse(readFileSync(join(repoRoot, spec), "utf8"));
    const index: Array<{ method: string; path: string; page: string; anchor: string; htmlAnchor: string }> = JSON.parse(
      readFileSync(join(docs, "operations.json"), "utf8"),
    );
    const html = readFileSync(join(docs, "html/index.html"), "utf8");

    // Every operation: listed in the index, with an anchor on its markdown page and in the HTML.
    expect(index.map((o) => `${o.method} ${o.path}`).sort()).toEqual(specOperations(original));
    expect(r.operations).toBe(index.length);
    for (const op of index) {
      const page = readFileSync(join(docs, "markdown", op.page), "utf8");
      expect(page, `${op.method} ${op.path}`).toContain(`<a id="${op.anchor}"></a>`);
      expect(html, `${op.method} ${op.path}`).toContain(`id="${op.htmlAnchor}"`);
    }

    // Every schema: a model page and an HTML section.
    const names = Object.keys(original.components?.schemas ?? {});
    const files = modelFiles(
      Object.keys(bundled.components?.schemas ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const model = createDocModel(bundled);
    for (const name of names) {
      const file = files.get(name);
      expect(file, name).toBeDefined();
      const page = join(docs, "markdown/Models", file as string);
      expect(existsSync(page), `${name}: ${file}`).toBe(true);
      expect(html, name).toContain(`id="${model.modelAnchor(name)}"`);
    }

    // `|` in names and descriptions never adds a column.
    expect(tableShapeProblems(join(docs, "markdown"))).toEqual([]);
  });
});

describe("what the edge cases of the corpus must show", () => {
  const docsOf = (spec: string) => {
    const r = results.get(spec);
    if (r?.code !== 0) throw new Error(`${spec} was not generated: ${r?.stderr}`);
    return join(r.out, "docs");
  };
  const read = (...parts: string[]) => readFileSync(join(...parts), "utf8");

  it("a primitive alias component (Date: string, date) gets a model page and an HTML section", () => {
    const docs = docsOf("scripts/fixtures/corpus/cases/09-primitive-alias-schema.yaml");
    const page = read(docs, "markdown/Models/Date.md");
    expect(page).toMatch(/^# Date$/m);
    expect(page).toContain("<code>string (date)</code>");
    expect(read(docs, "markdown/README.md")).toContain("| [Date](Models/Date.md) | alias |");
    expect(read(docs, "html/index.html")).toContain('id="model-Date"');
  });

  it("tags in any script, letterless tags and tags that derive one name each keep their own page", () => {
    const docs = docsOf("scripts/fixtures/corpus/edge/names-tags-aliases.yaml");
    const pages = readdirSync(join(docs, "markdown/Apis")).sort();
    expect(pages).toHaveLength(7);
    const headings = pages.map((p) => read(docs, "markdown/Apis", p).match(/^# (.+)$/m)?.[1]).sort();
    expect(headings).toEqual(
      ["2024", "User Accounts", "user-accounts", "Ελληνικά", "Пользователи", "用户", "🚀"].sort(),
    );
    const index: Array<{ sdkMethod: string }> = JSON.parse(read(docs, "operations.json"));
    const resources = index.map((o) => o.sdkMethod.split(".")[0]);
    expect(new Set(resources).size).toBe(7);
    expect(resources).toEqual(
      expect.arrayContaining(["пользователи", "用户", "userAccounts", "userAccounts2", "tag2024"]),
    );
  });

  it("names with `|`, backticks and HTML stay in their table cell and are escaped in HTML", () => {
    const docs = docsOf("scripts/fixtures/corpus/edge/names-tags-aliases.yaml");
    const user = read(docs, "markdown/Models/User.md");
    expect(user).toContain("| `display\\|name` |");
    expect(user).toContain("| `` `quoted` `` |");
    const html = read(docs, "html/index.html");
    expect(html).not.toContain("<tag>");
    expect(html).toContain("&lt;tag&gt;");
    expect(html).not.toContain("<b>and</b>");
    expect(tableShapeProblems(join(docs, "markdown"))).toEqual([]);
  });

  it("server variables show with their defaults", () => {
    const docs = docsOf("scripts/fixtures/corpus/edge/names-tags-aliases.yaml");
    const readme = read(docs, "markdown/README.md");
    expect(readme).toContain("| `https://eu.api.example.com/v2` | Regional endpoint (variables: `region` = `eu`");
    expect(readme).not.toContain("{region}");
    expect(read(docs, "html/index.html")).toContain("https://eu.api.example.com/v2");
  });

  it("a discriminator mapping of names and references to other files brings in every file and types each member", () => {
    const spec = "scripts/fixtures/corpus/multi-file/discriminator-mapping/openapi.yaml";
    const docs = docsOf(spec);
    const bundled = JSON.parse(read(docs, "openapi.json"));
    const schemas = bundled.components.schemas;
    // Every schema of every part, with a model page each.
    const parts = ["Cat", "Hamster", "dog", "Parrot", "lizard", "Fish", "Canary", "budgie", "Companion", "Pet"];
    expect(Object.keys(schemas).sort()).toEqual([...parts].sort());
    const models = readdirSync(join(docs, "markdown/Models"));
    for (const name of parts) expect(models, name).toContain(`${name}.md`);
    // Every mapping value is a reference to a schema of the bundle, whatever form it was written in.
    expect(schemas.Pet.discriminator.mapping).toEqual({
      cat: "#/components/schemas/Cat",
      dog: "#/components/schemas/dog",
      parrot: "#/components/schemas/Parrot",
      lizard: "#/components/schemas/lizard",
      hamster: "#/components/schemas/Hamster",
      fish: "#/components/schemas/Fish",
    });
    expect(schemas.Companion.discriminator.mapping).toEqual({
      parrot: "#/components/schemas/Parrot",
      cat: "#/components/schemas/Cat",
      canary: "#/components/schemas/Canary",
      budgie: "#/components/schemas/budgie",
    });
    // The client narrows each member's discriminator property to its mapping key.
    const types = read(results.get(spec)?.out as string, "client/schema.ts");
    for (const kind of ["cat", "dog", "parrot", "lizard", "hamster", "fish", "canary", "budgie"])
      expect(types).toContain(`kind: "${kind}";`);
  });

  it("a relative server URL is explained as joined with baseUrl, and no default is claimed", () => {
    const docs = docsOf("scripts/fixtures/corpus/edge/relative-server.yaml");
    const readme = read(docs, "markdown/README.md");
    expect(readme).toContain("The first server below is relative: the client joins it with the `baseUrl` option");
    expect(readme).toContain("`https://api.example.com/api/v3`");
    const page = read(docs, "markdown/Apis/DefaultApi.md");
    expect(page).toContain("relative to the spec's server `/api/v3`, joined with the `baseUrl` you pass");
    expect(page).not.toContain("by default");
  });

  it("without servers, the docs claim no default base URL", () => {
    const docs = docsOf("scripts/fixtures/corpus/edge/no-servers.yaml");
    const readme = read(docs, "markdown/README.md");
    expect(readme).toContain("there is no default");
    expect(readme).not.toContain("else the first server below");
    const page = read(docs, "markdown/Apis/DefaultApi.md");
    expect(page).toContain("the spec declares no default");
    expect(page).not.toMatch(/by default|http:\/\/localhost/);
    expect(page).toContain("the spec declares no default server");
    expect(read(docs, "html/index.html")).toContain("there is no default");
  });
});
