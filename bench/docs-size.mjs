/**
 * Size of the offline HTML reference (@traces-sdk/docs `generated/html/index.html`) for our spec and
 * for the engine's full spec (214 operations), raw, gzip and brotli, with what it carries (search
 * index, embedded spec, highlighted code), next to Redoc's single file from `redocly build-docs`
 * for the same spec: the page users would otherwise build. Redoc's file loads its script from a
 * CDN, so it is not offline; both sizes are what a reader downloads as HTML.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";

/** Bytes of parts of the page: the embedded JSON, highlighted code, tables. */
function parts(html) {
  const sum = (re) => [...html.matchAll(re)].reduce((n, m) => n + m[0].length, 0);
  return {
    searchIndex: sum(/<script type="application\/json" id="search-index">[\s\S]*?<\/script>/g),
    embeddedSpec: sum(/<script type="application\/json" id="openapi-spec">[\s\S]*?<\/script>/g),
    code: sum(/<pre>[\s\S]*?<\/pre>/g),
  };
}

/** Remote URLs a page loads (scripts, styles, fonts), as written in it. */
function remoteLoads(html) {
  return [
    ...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']((?:https?:)?\/\/[^"']+)/gi),
  ].map((m) => m[1]);
}

function measure(file) {
  const buffer = readFileSync(file);
  const html = buffer.toString("utf8");
  return {
    bytes: statSync(file).size,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer).length,
    remote: remoteLoads(html),
    ...parts(html),
  };
}

/**
 * Measures the pages; returns result rows for the report (group "docs size").
 * @param {{ root: string, upstream: string, log: (line: string) => void }} ctx
 */
export function docsSize({ root, upstream, log }) {
  const group = "docs size";
  const rows = [];
  const work = mkdtempSync(join(tmpdir(), "traces-bench-docs-"));
  const env = { ...process.env, REDOCLY_TELEMETRY: "off" };
  try {
    log("docs size: the offline HTML page for our spec and the engine's full spec, and Redoc's for the same");
    const specs = [
      {
        spec: "our spec",
        html: join(root, "packages/docs/generated/html/index.html"),
        json: join(root, "packages/docs/generated/openapi.json"),
      },
    ];
    const out = join(work, "upstream");
    const gen = spawnSync(
      process.execPath,
      [
        join(root, "scripts/lib/generate.mjs"),
        "--spec",
        upstream,
        "--lenient",
        "--target",
        "docs",
        "--quiet",
        "--out",
        out,
      ],
      { cwd: root, encoding: "utf8", env },
    );
    if (gen.status === 0) {
      specs.push({
        spec: "engine's full spec (214 operations)",
        html: join(out, "docs/html/index.html"),
        json: upstream,
      });
    } else {
      log(`  engine's full spec: generation failed (${(gen.stderr || gen.stdout).trim().split("\n").slice(-1)[0]})`);
      rows.push({ group, name: "traces-sdk, engine's full spec", error: "failed" });
    }
    const cli = join(root, "node_modules/@redocly/cli/bin/cli.js");
    for (const { spec, html, json } of specs) {
      const ours = measure(html);
      const redocFile = join(work, `redoc-${rows.length}.html`);
      const redoc = spawnSync(process.execPath, [cli, "build-docs", json, "-o", redocFile], {
        cwd: root,
        encoding: "utf8",
        env,
      });
      const theirs = redoc.status === 0 ? measure(redocFile) : undefined;
      rows.push({ group, name: `traces-sdk, ${spec}`, ...ours, offline: ours.remote.length === 0 });
      if (theirs)
        rows.push({
          group,
          name: `Redoc (redocly build-docs), ${spec}`,
          ...theirs,
          offline: theirs.remote.length === 0,
        });
      log(
        `  ${spec}: ${(ours.bytes / 1024).toFixed(0)} KiB (gzip ${(ours.gzip / 1024).toFixed(0)} KiB)` +
          (theirs
            ? `; Redoc ${(theirs.bytes / 1024).toFixed(0)} KiB (gzip ${(theirs.gzip / 1024).toFixed(0)} KiB) + its script from a CDN`
            : ""),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

/** The report's table for the rows {@link docsSize} returned. */
export function docsSizeTable(rows) {
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  const lines = [
    "| page | HTML | gzip | brotli | search index | embedded spec | code blocks | offline |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of rows) {
    if (r.error) {
      lines.push(`| ${r.name} | failed | | | | | | |`);
      continue;
    }
    const offline = r.offline
      ? "yes"
      : `no: loads ${r.remote.map((u) => u.replace(/^(https?:)?\/\//, "").split("/")[0]).join(", ")}`;
    const own = r.name.startsWith("traces-sdk");
    lines.push(
      `| ${r.name} | ${kib(r.bytes)} | ${kib(r.gzip)} | ${kib(r.brotli)} | ${own ? kib(r.searchIndex) : "n/a"} | ${own ? kib(r.embeddedSpec) : "n/a"} | ${own ? kib(r.code) : "n/a"} | ${offline} |`,
    );
  }
  const pairs = rows.filter((r) => r.name.startsWith("traces-sdk") && !r.error);
  for (const ours of pairs) {
    const spec = ours.name.slice("traces-sdk, ".length);
    const redoc = rows.find((r) => r.name === `Redoc (redocly build-docs), ${spec}`);
    if (redoc)
      lines.push(
        "",
        `${spec}: ours / Redoc's HTML = ${(ours.bytes / redoc.bytes).toFixed(2)}× raw, ${(ours.gzip / redoc.gzip).toFixed(2)}× gzip (Redoc's script, fetched from its CDN, not counted).`,
      );
  }
  return lines;
}
