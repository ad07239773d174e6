/** Helpers for the docs tests: run the pipeline as a user would, read the output, serve and open the HTML. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { fingerprint, launchChromium, listFiles } from "../../../scripts/lib/test-helpers.js";

export { fingerprint, launchChromium, listFiles };

/** packages/docs */
export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The repository root. */
export const repoRoot = resolve(packageDir, "../..");
/** The committed output. */
export const generatedDir = join(packageDir, "generated");
/** Test artefacts (screenshots); gitignored. */
export const resultsDir = join(packageDir, "test-results");
/** Scratch space inside the package, so examples resolve `@traces-sdk/client` from its node_modules. */
export const scratchDir = join(packageDir, ".tmp");

/** Result of one pipeline run. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node scripts/lib/generate.mjs --target docs ...args` from the repository root. */
export function runDocsPipeline(args: string[], env: NodeJS.ProcessEnv = process.env): RunResult {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, "scripts/lib/generate.mjs"), "--target", "docs", ...args],
    {
      cwd: repoRoot,
      env: { ...env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 600_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Anchors a markdown page defines: explicit `<a id>`/`<a name>` and GitHub-style heading slugs. */
export function markdownAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  for (const m of text.matchAll(/<a (?:id|name)="([^"]+)"/g)) anchors.add(m[1] as string);
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) {
    anchors.add(
      (m[1] as string)
        .trim()
        .toLowerCase()
        .replace(/<[^>]+>/g, "")
        .replace(/[^\w\- ]/g, "")
        .replace(/ /g, "-"),
    );
  }
  return anchors;
}

/** Every internal link of the markdown tree that does not resolve, as `file: link (why)`. */
export function brokenMarkdownLinks(markdownDir: string): { checked: number; broken: string[] } {
  const files = listFiles(markdownDir).filter((f) => f.endsWith(".md"));
  const anchors = new Map(files.map((f) => [f, markdownAnchors(readFileSync(join(markdownDir, f), "utf8"))]));
  const broken: string[] = [];
  let checked = 0;
  for (const file of files) {
    // Code blocks and code spans hold no links (CommonMark: code spans bind tighter than links).
    const text = readFileSync(join(markdownDir, file), "utf8")
      .replace(/```[\s\S]*?```/g, "")
      .replace(/`[^`\n]*`/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1] as string;
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // external: https:, mailto:
      checked++;
      const [target = "", anchor] = link.split("#");
      const targetFile =
        target === ""
          ? file
          : relative(markdownDir, resolve(markdownDir, dirname(file), target))
              .split("\\")
              .join("/");
      if (!anchors.has(targetFile)) {
        broken.push(`${file}: ${link} (no file ${targetFile})`);
      } else if (anchor !== undefined && !anchors.get(targetFile)?.has(anchor)) {
        broken.push(`${file}: ${link} (no anchor #${anchor} in ${targetFile})`);
      }
    }
  }
  return { checked, broken };
}

/** Decodes the HTML entities jmustache and our escaper write. */
export function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCharCode(Number.parseInt(n, 16)))
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");
}

/** One TypeScript code block and where it came from. */
export interface CodeBlock {
  source: string;
  code: string;
}

/** Every ```ts block of the markdown tree and every `language-ts` block of the HTML page. */
export function typescriptBlocks(dir: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const file of listFiles(dir)) {
    const text = readFileSync(join(dir, file), "utf8");
    if (file.endsWith(".md")) {
      let i = 0;
      for (const m of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm))
        blocks.push({ source: `${file}#${++i}`, code: m[1] as string });
    } else if (file.endsWith(".html")) {
      let i = 0;
      // Highlighted at generation: the code is the text of the spans.
      for (const m of text.matchAll(/<pre><code class="language-ts(?: [^"]*)?">([\s\S]*?)<\/code><\/pre>/g)) {
        blocks.push({ source: `${file}#${++i}`, code: decodeHtml((m[1] as string).replace(/<\/?span[^>]*>/g, "")) });
      }
    }
  }
  return blocks;
}

/** Serves one folder on 127.0.0.1 (a free port); close it when done. */
export async function serveFolder(dir: string): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
  };
  const server = createServer((req, res) => {
    const path = resolve(dir, `.${decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)}`);
    if (!path.startsWith(dir) || !existsSync(path) || extname(path) === "") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(readFileSync(path));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Makes sure a folder exists and returns it. */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every `src`/`href` value of an HTML document that is neither an in-page anchor nor a relative path. */
export function externalReferences(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href|srcset|action|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const value = decodeHtml((m[1] ?? m[2] ?? m[3] ?? "").trim());
    if (value.startsWith("#")) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith("//")) out.push(value);
  }
  // CSS: <style> elements and style attributes (a script's `URL(` is not a fetch).
  const css = [
    ...[...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1] as string),
    ...[...html.matchAll(/\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((m) => decodeHtml((m[1] ?? m[2]) as string)),
  ].join("\n");
  for (const m of css.matchAll(/url\(\s*['"]?([^'")]+)/gi)) {
    if (!(m[1] as string).startsWith("#") && !(m[1] as string).startsWith("data:")) out.push(`url(${m[1]})`);
  }
  for (const m of css.matchAll(/@import\b[^;]*/gi)) out.push(m[0]);
  return out;
}

/** In-page anchors (`href="#x"`) with no element of that id. */
export function missingAnchors(html: string): string[] {
  const ids = new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((m) => decodeHtml(m[1] as string)));
  const refs = [...html.matchAll(/\bhref="#([^"]*)"/g)].map((m) => decodeHtml(m[1] as string));
  return [...new Set(refs.filter((r) => r !== "" && !ids.has(r)))];
}

/** Ids used by more than one element, and search-index entries (embedded JSON) whose target id is missing. */
export function idProblems(html: string): { duplicates: string[]; unresolvedSearch: string[] } {
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => decodeHtml(m[1] as string));
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) (seen.has(id) ? duplicates : seen).add(id);
  const json = html.match(/<script type="application\/json" id="search-index">([\s\S]*?)<\/script>/)?.[1] ?? "[]";
  const index = JSON.parse(json) as string[][];
  return {
    duplicates: [...duplicates],
    unresolvedSearch: index.filter((e) => !seen.has((e[4] as string).slice(1))).map((e) => `${e[0]} ${e[1]} ${e[4]}`),
  };
}

/** What the browser saw when it loaded the page. */
export interface PageReport {
  consoleErrors: string[];
  foreignRequests: string[];
  operations: string[];
  models: string[];
}

/**
 * Loads the HTML page from a 127.0.0.1 server in headless Chromium and reports console errors,
 * requests to anything but that server, and the operations and models present.
 */
export async function loadInChromium(
  browser: Browser,
  htmlFile: string,
  act?: (page: import("playwright-core").Page) => Promise<void>,
): Promise<PageReport> {
  const { url, server } = await serveFolder(dirname(htmlFile));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const foreignRequests: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error" || msg.type() === "warning") consoleErrors.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
    page.on("request", (req) => {
      if (!req.url().startsWith(url)) foreignRequests.push(req.url());
    });
    const response = await page.goto(`${url}/index.html`, { waitUntil: "load" });
    if (response?.status() !== 200) consoleErrors.push(`status ${response?.status()}`);
    const operations = await page.$$eval("section.operation", (els) =>
      els.map((e) => e.getAttribute("data-operation") ?? ""),
    );
    const models = await page.$$eval("section.model", (els) => els.map((e) => e.getAttribute("data-model") ?? ""));
    if (act) await act(page);
    return { consoleErrors, foreignRequests, operations, models };
  } finally {
    await context.close();
    await new Promise((ok) => server.close(ok));
  }
}

/** The parts of a JSON schema the tests look at. */
export interface SchemaObject {
  type?: string;
  properties?: Record<string, { description?: string; anyOf?: unknown[] }>;
  required?: string[];
  enum?: string[];
}

/**
 * Markdown tables that render wrong, as `file:line: problem`: a header without rows, or a text
 * line right after the last row (GFM would read it as one more row).
 */
export function markdownTableProblems(markdownDir: string): string[] {
  const out: string[] = [];
  for (const file of listFiles(markdownDir).filter((f) => f.endsWith(".md"))) {
    const lines = readFileSync(join(markdownDir, file), "utf8")
      .replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, ""))
      .split("\n");
    lines.forEach((line, i) => {
      const next = lines[i + 1] ?? "";
      if (/^\| *-{3}/.test(line) && lines[i - 1]?.startsWith("|") && !next.startsWith("|")) {
        out.push(`${file}:${i + 1}: table without rows`);
      }
      if (line.startsWith("|") && next.trim() !== "" && !next.startsWith("|")) {
        out.push(`${file}:${i + 2}: text right after a table row`);
      }
    });
  }
  return out;
}

/**
 * Type-checks code blocks with tsc as one project in `projectDir` (blocks in `subdir`), and
 * returns tsc's output with each block's file named by where it came from.
 */
export function typecheckBlocks(
  blocks: CodeBlock[],
  projectDir: string,
  { subdir = "", compilerOptions = {} }: { subdir?: string; compilerOptions?: Record<string, unknown> } = {},
): { code: number | null; output: string } {
  const dir = join(projectDir, subdir);
  mkdirSync(dir, { recursive: true });
  const names = new Map<string, string>();
  blocks.forEach((block, i) => {
    const file = `block-${String(i).padStart(3, "0")}.ts`;
    names.set(file, block.source);
    writeFileSync(join(dir, file), block.code);
  });
  writeFileSync(
    join(projectDir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
        ...compilerOptions,
      },
      include: [subdir ? `${subdir}/*.ts` : "*.ts"],
    }),
  );
  const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", projectDir, "--pretty", "false"], { encoding: "utf8" });
  const output = `${result.stdout}${result.stderr}`.replace(/block-\d{3}\.ts/g, (f) => names.get(f) ?? f);
  return { code: result.status, output };
}
