/**
 * The package as apps get it: `pnpm pack`ed, unpacked into a fresh app's node_modules, then imported
 * from Node.js (the `node` entry and every JSON and file export) and built with Vite for the browser
 * (the `browser` entry, JSON with import attributes, the HTML page and a markdown page as `?raw`),
 * the build opened in headless Chromium.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedDir, launchChromium, packageDir, serveFolder } from "./helpers.js";

const operations: Array<{ id: string; sdkMethod: string }> = JSON.parse(
  readFileSync(join(generatedDir, "operations.json"), "utf8"),
);
const work = mkdtempSync(join(tmpdir(), "traces-docs-app-"));
const app = join(work, "app");

beforeAll(() => {
  const packed = join(work, "pack");
  mkdirSync(packed);
  execFileSync("pnpm", ["pack", "--pack-destination", packed], { cwd: packageDir, stdio: "ignore" });
  const tarball = join(packed, readdirSync(packed)[0] as string);
  execFileSync("tar", ["-xzf", tarball, "-C", packed]);
  mkdirSync(join(app, "node_modules/@traces-sdk"), { recursive: true });
  renameSync(join(packed, "package"), join(app, "node_modules/@traces-sdk/docs"));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("@traces-sdk/docs in Node.js", () => {
  it("imports the node entry, both JSON files with import attributes, and resolves the HTML and markdown files", () => {
    writeFileSync(
      join(app, "node-check.mjs"),
      `import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as docs from "@traces-sdk/docs";
import index from "@traces-sdk/docs/generated/operations.json" with { type: "json" };
import spec from "@traces-sdk/docs/generated/openapi.json" with { type: "json" };
const file = (s) => fileURLToPath(import.meta.resolve(s));
const html = file("@traces-sdk/docs/generated/html/index.html");
const md = file("@traces-sdk/docs/generated/markdown/README.md");
console.log(JSON.stringify({
  exports: Object.keys(docs).sort(),
  index: index.map((o) => o.id).sort(),
  entry: docs.readOperations().map((o) => o.id).sort(),
  same: JSON.stringify(docs.operations) === JSON.stringify(index),
  openapi: spec.openapi,
  html: readFileSync(html, "utf8").startsWith("<!doctype html>") && html === docs.htmlFile,
  md: existsSync(md) && md.startsWith(docs.markdownDir),
  specFile: docs.openapiFile === file("@traces-sdk/docs/generated/openapi.json"),
}));
`,
    );
    const run = spawnSync(process.execPath, ["node-check.mjs"], { cwd: app, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const ids = operations.map((o) => o.id).sort();
    expect(JSON.parse(run.stdout)).toEqual({
      exports: ["htmlFile", "markdownDir", "openapiFile", "operations", "operationsFile", "readOperations"],
      index: ids,
      entry: ids,
      same: true,
      openapi: expect.stringMatching(/^3\./),
      html: true,
      md: true,
      specFile: true,
    });
  });

  it("exports nothing else: src, test and codegen stay private", () => {
    const run = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", 'await import("@traces-sdk/docs/codegen/index.mjs")'],
      { cwd: app, encoding: "utf8" },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });
});

describe("@traces-sdk/docs types", () => {
  it("type-check for Node.js (nodenext: paths + index) and for bundlers (bundler: the browser entry)", () => {
    const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin/tsc");
    const check = (name: string, options: Record<string, unknown>, code: string) => {
      const dir = join(app, `types-${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "check.ts"), code);
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: "ES2022",
            resolveJsonModule: true,
            types: [],
            ...options,
          },
          include: ["check.ts"],
        }),
      );
      const run = spawnSync(process.execPath, [tsc, "-p", dir, "--pretty", "false"], { encoding: "utf8" });
      return `${run.stdout}${run.stderr}`.trim();
    };
    const common = `import { operations, readOperations, type OperationEntry } from "@traces-sdk/docs";
import index from "@traces-sdk/docs/generated/operations.json" with { type: "json" };
const first: OperationEntry | undefined = operations[0];
const fresh: OperationEntry[] = readOperations();
const ids: string[] = index.map((o) => o.id);
export { first, fresh, ids };
`;
    expect(
      check(
        "node",
        { module: "NodeNext", moduleResolution: "NodeNext" },
        `${common}import { htmlFile, markdownDir } from "@traces-sdk/docs";\nexport const files: string[] = [htmlFile, markdownDir];\n`,
      ),
    ).toBe("");
    expect(check("bundler", { module: "ESNext", moduleResolution: "Bundler" }, common)).toBe("");
    // The browser entry has no file paths: a bundler build that used them would fail to type-check.
    expect(
      check(
        "bundler-paths",
        { module: "ESNext", moduleResolution: "Bundler" },
        'import { htmlFile } from "@traces-sdk/docs";\nexport { htmlFile };\n',
      ),
    ).toMatch(/has no exported member 'htmlFile'/);
  });
});

describe("@traces-sdk/docs in a Vite app, in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("builds without warnings, lists the operations and embeds the HTML page", async () => {
    writeFileSync(
      join(app, "index.html"),
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>docs in an app</title><link rel="icon" href="data:,"></head>
<body><ul id="operations"></ul><p id="spec"></p><p id="markdown"></p><iframe id="reference" title="API reference"></iframe>
<script type="module" src="/main.js"></script></body></html>
`,
    );
    writeFileSync(
      join(app, "main.js"),
      `import { operations, readOperations } from "@traces-sdk/docs";
import index from "@traces-sdk/docs/generated/operations.json" with { type: "json" };
import spec from "@traces-sdk/docs/generated/openapi.json" with { type: "json" };
import page from "@traces-sdk/docs/generated/html/index.html?raw";
import readme from "@traces-sdk/docs/generated/markdown/README.md?raw";

const list = document.getElementById("operations");
for (const op of readOperations()) {
  const li = document.createElement("li");
  li.dataset.id = op.id;
  li.textContent = op.method + " " + op.path + " " + op.sdkMethod;
  list.append(li);
}
document.getElementById("spec").textContent = spec.info.title + " " + Object.keys(spec.paths).length + " " + (index.length === operations.length);
document.getElementById("markdown").textContent = readme.split("\\n").find((l) => l.startsWith("# "));
document.getElementById("reference").srcdoc = page;
`,
    );
    const vite = join(packageDir, "node_modules/vite/bin/vite.js");
    const build = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
      cwd: app,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(build.status, build.stderr).toBe(0);
    // The issue before: warnings about Node.js built-ins externalized for browser compatibility.
    expect(`${build.stdout}${build.stderr}`.trim()).toBe("");
    const bundle = readdirSync(join(app, "dist/assets"))
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(app, "dist/assets", f), "utf8"))
      .join("\n");
    expect(bundle).not.toMatch(/fileURLToPath|node:fs|node:url/);

    const { url, server } = await serveFolder(join(app, "dist"));
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      tab.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await tab.goto(`${url}/index.html`);
      await tab.waitForSelector("#operations li");
      const listed = await tab.$$eval("#operations li", (els) => els.map((e) => e.getAttribute("data-id")));
      expect(listed.sort()).toEqual(operations.map((o) => o.id).sort());
      expect(await tab.textContent("#spec")).toMatch(/ 2 true$/);
      expect(await tab.textContent("#markdown")).toMatch(/^# /);
      const frame = tab.frameLocator("#reference");
      await expect.poll(async () => frame.locator("section.operation").count()).toBe(operations.length);
      expect(await frame.locator("h1").first().textContent()).toBeTruthy();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await new Promise((ok) => server.close(ok));
    }
  });
});
