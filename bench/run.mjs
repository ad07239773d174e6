#!/usr/bin/env node
/**
 * Benchmarks traces-sdk against the tools users would otherwise pick, in one run on one machine,
 * and writes reports/latest.md and reports/latest.json. Never fails on timing.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { docsSize, docsSizeTable } from "./docs-size.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const upstream = join(root, "scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json");
const { values } = parseArgs({ options: { only: { type: "string" }, runs: { type: "string", default: "3" } } });
const only = values.only ? new Set(values.only.split(",")) : undefined;
const runs = Math.max(1, Number(values.runs));
const results = [];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const log = (line) => process.stdout.write(`${line}\n`);

function folderSize(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** Times a command `runs` times into a fresh folder each time; reports the median. */
function timeCommand(name, group, makeArgs) {
  const times = [];
  let size;
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), "traces-bench-"));
    const [cmd, args] = makeArgs(out);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", env: { ...process.env, REDOCLY_TELEMETRY: "off" } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) {
      log(`  ${name}: failed (${(r.stderr || r.stdout).trim().split("\n").slice(-2).join(" ")})`);
      rmSync(out, { recursive: true, force: true });
      results.push({ group, name, error: "failed" });
      return;
    }
    times.push(ms);
    size = folderSize(out);
    rmSync(out, { recursive: true, force: true });
  }
  log(
    `  ${name}: ${(median(times) / 1000).toFixed(2)} s (median of ${runs}), ${size.files} files, ${(size.bytes / 1024).toFixed(0)} KiB`,
  );
  results.push({ group, name, medianMs: median(times), runs, ...size });
}

function generation() {
  log("generation of the engine's full spec (214 operations)");
  const group = "generation";
  const gen = join(root, "scripts/lib/generate.mjs");
  const cli = join(root, "node_modules/@openapitools/openapi-generator-cli/main.js");
  const ots = join(root, "node_modules/openapi-typescript/bin/cli.js");
  timeCommand("traces-sdk client (types + resources + metadata)", group, (out) => [
    process.execPath,
    [gen, "--spec", upstream, "--lenient", "--target", "client", "--quiet", "--out", out],
  ]);
  timeCommand("openapi-typescript alone (types only)", group, (out) => [
    process.execPath,
    [ots, upstream, "-o", join(out, "schema.ts")],
  ]);
  timeCommand("openapi-generator typescript-fetch", group, (out) => [
    process.execPath,
    [cli, "generate", "-g", "typescript-fetch", "-i", upstream, "-o", out, "--skip-validate-spec"],
  ]);
  timeCommand("traces-sdk docs (markdown + HTML + index)", group, (out) => [
    process.execPath,
    [gen, "--spec", upstream, "--lenient", "--target", "docs", "--quiet", "--out", out],
  ]);
  timeCommand("openapi-generator markdown, stock templates", group, (out) => [
    process.execPath,
    [cli, "generate", "-g", "markdown", "-i", upstream, "-o", out, "--skip-validate-spec"],
  ]);
}

/** A loopback server answering like the engine: one user, and pages of users with a total count. */
async function startServer(total) {
  const user = (i) => ({
    user_id: `user-${i}`,
    task_id: "task-1",
    session_ids: ["s-1"],
    session_count: 1,
    trace_ids: ["t-1"],
    trace_count: 1,
    span_count: 3,
    earliest_start_time: "2026-03-01T09:31:12.123000Z",
    latest_end_time: "2026-03-01T10:02:45.987000Z",
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    res.setHeader("content-type", "application/json");
    if (url.pathname === "/api/v1/traces/users") {
      const page = Number(url.searchParams.get("page") ?? 0);
      const size = Number(url.searchParams.get("page_size") ?? 10);
      const users = [];
      for (let i = page * size; i < Math.min(total, (page + 1) * size); i++) users.push(user(i));
      res.end(JSON.stringify({ count: total, users }));
    } else {
      res.end(JSON.stringify(user(url.pathname.split("/").pop())));
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, baseUrl: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Times sequential requests for each variant. Variants run interleaved in rounds, each round in a
 * rotated order, so JIT warm-up and machine noise fall on all of them alike.
 * @param {Array<[string, (i: number) => Promise<unknown>]>} variants
 */
async function timeRequests(group, n, variants) {
  const rounds = 8;
  const perRound = Math.ceil(n / rounds);
  const lat = new Map(variants.map(([name]) => [name, []]));
  const busy = new Map(variants.map(([name]) => [name, 0]));
  for (const [, call] of variants) for (let i = 0; i < 100; i++) await call(i); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = variants.map((_, k) => variants[(k + r) % variants.length]);
    for (const [name, call] of order) {
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) {
        const s = performance.now();
        await call(i);
        lat.get(name).push(performance.now() - s);
      }
      busy.set(name, busy.get(name) + performance.now() - t0);
    }
  }
  for (const [name] of variants) {
    const xs = lat.get(name);
    const row = {
      group,
      name,
      requests: xs.length,
      perSecond: Math.round((xs.length / busy.get(name)) * 1000),
      p50Ms: median(xs),
      p95Ms: pct(xs, 95),
    };
    log(`  ${name}: ${row.perSecond} req/s, p50 ${row.p50Ms.toFixed(3)} ms, p95 ${row.p95Ms.toFixed(3)} ms`);
    results.push(row);
  }
}

async function clientModules() {
  const client = await import(pathToFileURL(join(root, "packages/client/dist/index.js")).href);
  const { default: createFetchClient } = await import(
    pathToFileURL(join(root, "packages/client/node_modules/openapi-fetch/dist/index.mjs")).href
  );
  return { client, createFetchClient };
}

async function requests() {
  log("request overhead: 2,000 sequential GETs on loopback");
  const group = "requests";
  const { client, createFetchClient } = await clientModules();
  const { server, baseUrl } = await startServer(1);
  try {
    const ours = client.createTracesClient({ baseUrl, apiKey: "bench-key", maxRetries: 0 });
    const bare = createFetchClient({ baseUrl, headers: { Authorization: "Bearer bench-key" } });
    const n = 2000;
    await timeRequests(group, n, [
      [
        "plain fetch + JSON.parse",
        async (i) => {
          const r = await fetch(`${baseUrl}/api/v1/traces/users/u${i}?task_ids=t1`, {
            headers: { Authorization: "Bearer bench-key" },
          });
          await r.json();
        },
      ],
      [
        "openapi-fetch (bare)",
        (i) =>
          bare.GET("/api/v1/traces/users/{user_id}", {
            params: { path: { user_id: `u${i}` }, query: { task_ids: ["t1"] } },
          }),
      ],
      [
        "traces-sdk client.raw",
        (i) =>
          ours.raw.GET("/api/v1/traces/users/{user_id}", {
            params: { path: { user_id: `u${i}` }, query: { task_ids: ["t1"] } },
          }),
      ],
      ["traces-sdk client.users.getUserDetails", (i) => ours.users.getUserDetails(`u${i}`, { task_ids: ["t1"] })],
    ]);
  } finally {
    server.close();
  }
}

async function pagination() {
  log("pagination: 20,000 users in pages of 100");
  const group = "pagination";
  const { client, createFetchClient } = await clientModules();
  const total = 20_000;
  const { server, baseUrl } = await startServer(total);
  try {
    const ours = client.createTracesClient({ baseUrl, apiKey: "bench-key", maxRetries: 0 });
    const bare = createFetchClient({ baseUrl, headers: { Authorization: "Bearer bench-key" } });
    const measure = async (name, fn) => {
      const times = [];
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        const seen = await fn();
        times.push(performance.now() - t0);
        if (seen !== total) throw new Error(`${name} saw ${seen} users, expected ${total}`);
      }
      log(`  ${name}: ${median(times).toFixed(0)} ms (median of ${runs})`);
      results.push({ group, name, users: total, medianMs: median(times), runs });
    };
    await measure("hand-written page loop over openapi-fetch", async () => {
      let seen = 0;
      for (let page = 0; ; page++) {
        const { data } = await bare.GET("/api/v1/traces/users", {
          params: { query: { task_ids: ["t1"], page, page_size: 100 } },
        });
        seen += data.users.length;
        if (data.users.length < 100 || seen >= data.count) return seen;
      }
    });
    await measure("traces-sdk for await", async () => {
      let seen = 0;
      for await (const _user of ours.users.listUsersMetadata({ task_ids: ["t1"], page_size: 100 })) seen++;
      return seen;
    });
  } finally {
    server.close();
  }
}

function report() {
  mkdirSync(join(root, "bench/reports"), { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node.js ${process.version}`;
  const lines = ["# Benchmark report", "", `Machine: ${machine}. Regenerate with \`pnpm bench\`.`, ""];
  for (const group of [...new Set(results.map((r) => r.group))]) {
    const rows = results.filter((r) => r.group === group);
    lines.push(`## ${group}`, "");
    if (group === "generation") {
      lines.push("| tool | median | files | size |", "| --- | ---: | ---: | ---: |");
      for (const r of rows)
        lines.push(
          r.error
            ? `| ${r.name} | failed | | |`
            : `| ${r.name} | ${(r.medianMs / 1000).toFixed(2)} s | ${r.files} | ${(r.bytes / 1024).toFixed(0)} KiB |`,
        );
    } else if (group === "docs size") {
      lines.push(...docsSizeTable(rows));
    } else if (group === "requests") {
      lines.push("| client | req/s | p50 | p95 |", "| --- | ---: | ---: | ---: |");
      for (const r of rows)
        lines.push(`| ${r.name} | ${r.perSecond} | ${r.p50Ms.toFixed(3)} ms | ${r.p95Ms.toFixed(3)} ms |`);
    } else {
      lines.push("| approach | median |", "| --- | ---: |");
      for (const r of rows) lines.push(`| ${r.name} | ${r.medianMs.toFixed(0)} ms |`);
    }
    lines.push("");
  }
  writeFileSync(join(root, "bench/reports/latest.md"), `${lines.join("\n")}`);
  writeFileSync(join(root, "bench/reports/latest.json"), `${JSON.stringify({ machine, results }, null, 2)}\n`);
  log("wrote bench/reports/latest.md and bench/reports/latest.json");
}

if (!only || only.has("generation")) generation();
if (!only || only.has("requests")) await requests();
if (!only || only.has("pagination")) await pagination();
if (!only || only.has("docs-size")) results.push(...docsSize({ root, upstream, log }));
report();
