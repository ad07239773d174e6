#!/usr/bin/env node
/**
 * Benchmarks traces-sdk against the tools users would otherwise pick, in one run on one machine,
 * and writes reports/latest.md and reports/latest.json. Never fails on timing.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { getHeapSpaceStatistics } from "node:v8";
import { gzipSync } from "node:zlib";
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

/**
 * Times commands `runs` times each into a fresh folder, interleaved (one run of every command per
 * round) so that a busy machine slows them alike; reports the medians.
 * @param {string} group
 * @param {Array<{ name: string, args: (out: string) => string[] }>} commands each run with node
 */
function timeCommands(group, commands) {
  const times = commands.map(() => []);
  const sizes = [];
  const failed = new Set();
  for (let round = 0; round < runs; round++) {
    commands.forEach((command, i) => {
      if (failed.has(i)) return;
      const out = mkdtempSync(join(tmpdir(), "traces-bench-"));
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, command.args(out), {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, REDOCLY_TELEMETRY: "off" },
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) {
        log(`  ${command.name}: failed (${(r.stderr || r.stdout).trim().split("\n").slice(-2).join(" ")})`);
        failed.add(i);
      } else {
        times[i].push(ms);
        sizes[i] = folderSize(out);
      }
      rmSync(out, { recursive: true, force: true });
    });
    log(`  round ${round + 1}/${runs} done`);
  }
  return commands.map((command, i) => {
    if (failed.has(i)) {
      const row = { group, name: command.name, error: "failed" };
      results.push(row);
      return row;
    }
    const row = { group, name: command.name, medianMs: median(times[i]), runs, ...sizes[i] };
    log(
      `  ${command.name}: ${(row.medianMs / 1000).toFixed(2)} s (median of ${runs}), ${row.files} files, ${(row.bytes / 1024).toFixed(0)} KiB`,
    );
    results.push(row);
    return row;
  });
}

/**
 * Generation of the engine's full spec: our pipeline as `pnpm generate --spec` runs it (client and
 * docs, validated, type-checked), each target alone, and the stock tools users would run instead,
 * interleaved in the same run. The ratios put our time against the stock tools': a regression
 * shows as a higher ratio whatever the machine.
 */
function generation() {
  log(`generation of the engine's full spec (214 operations), ${runs} interleaved rounds`);
  const group = "generation";
  const gen = join(root, "scripts/lib/generate.mjs");
  const cli = join(root, "node_modules/@openapitools/openapi-generator-cli/main.js");
  const ots = join(root, "node_modules/openapi-typescript/bin/cli.js");
  const ours =
    (...flags) =>
    (out) => [gen, "--spec", upstream, "--quiet", "--out", out, ...flags];
  const rows = timeCommands(group, [
    { name: "traces-sdk pipeline: client + docs, type-checked (`pnpm generate --spec`)", args: ours() },
    {
      name: "traces-sdk client (types + resources + metadata, type-checked)",
      args: ours("--target", "client"),
    },
    {
      name: "traces-sdk client without the compile gate (--skip-typecheck)",
      args: ours("--target", "client", "--skip-typecheck"),
    },
    { name: "traces-sdk docs (markdown + HTML + index)", args: ours("--target", "docs") },
    { name: "openapi-typescript alone (types only)", args: (out) => [ots, upstream, "-o", join(out, "schema.ts")] },
    {
      name: "openapi-generator typescript-fetch",
      args: (out) => [cli, "generate", "-g", "typescript-fetch", "-i", upstream, "-o", out, "--skip-validate-spec"],
    },
    {
      name: "openapi-generator markdown, stock templates",
      args: (out) => [cli, "generate", "-g", "markdown", "-i", upstream, "-o", out, "--skip-validate-spec"],
    },
  ]);
  const [pipeline, client, , docs, , fetchGen, markdownGen] = rows;
  const ok = (...rs) => rs.every((r) => r.medianMs !== undefined);
  const ratio = (name, a, b) => {
    results.push({ group: "generationRatio", name, ratio: a / b });
    log(`  ${name}: ${x(a / b)}`);
  };
  if (ok(pipeline, fetchGen, markdownGen)) {
    ratio(
      "pipeline (client + docs, type-checked) vs typescript-fetch + markdown",
      pipeline.medianMs,
      fetchGen.medianMs + markdownGen.medianMs,
    );
  }
  if (ok(client, fetchGen)) ratio("client (type-checked) vs typescript-fetch", client.medianMs, fetchGen.medianMs);
  if (ok(docs, markdownGen)) ratio("docs vs markdown", docs.medianMs, markdownGen.medianMs);
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
async function timeRequests(group, n, variants, concurrency = 1) {
  const rounds = 40;
  const perRound = Math.ceil(n / rounds / concurrency);
  const lat = new Map(variants.map(([name]) => [name, []]));
  /** Milliseconds each round took, per variant (for per-round ratios). */
  const roundMs = new Map(variants.map(([name]) => [name, []]));
  for (const [, call] of variants) for (let i = 0; i < 100; i++) await call(i); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = variants.map((_, k) => variants[(k + r) % variants.length]);
    for (const [name, call] of order) {
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async (_, w) => {
          for (let i = 0; i < perRound; i++) {
            const s = performance.now();
            await call(w * perRound + i);
            lat.get(name).push(performance.now() - s);
          }
        }),
      );
      roundMs.get(name).push(performance.now() - t0);
    }
  }
  const bareName = variants.find(([name]) => name.includes("bare"))?.[0];
  for (const [name] of variants) {
    const xs = lat.get(name);
    const row = {
      group,
      concurrency,
      name,
      requests: xs.length,
      // Median round, like the ratio: a GC pause in one round does not decide it.
      perSecond: Math.round(median(roundMs.get(name).map((ms) => (perRound * concurrency * 1000) / ms))),
      p50Ms: median(xs),
      p95Ms: pct(xs, 95),
    };
    log(
      `  c=${concurrency} ${name}: ${row.perSecond} req/s, p50 ${row.p50Ms.toFixed(3)} ms, p95 ${row.p95Ms.toFixed(3)} ms`,
    );
    results.push(row);
  }
  // Throughput ratio: the median over rounds of openapi-fetch's round time over the variant's.
  const bareRounds = roundMs.get(bareName);
  for (const r of results) {
    if (r.group === group && r.concurrency === concurrency && bareRounds)
      r.vsBare = median(roundMs.get(r.name).map((ms, i) => bareRounds[i] / ms));
  }
}

async function clientModules() {
  const client = await import(pathToFileURL(join(root, "packages/client/dist/index.js")).href);
  const { default: createFetchClient } = await import(
    pathToFileURL(join(root, "packages/client/node_modules/openapi-fetch/dist/index.mjs")).href
  );
  return { client, createFetchClient };
}

/** The user body the engine sends, as a string (for stub fetches). */
const USER_BODY = JSON.stringify({
  user_id: "u",
  task_id: "task-1",
  session_ids: ["s-1"],
  session_count: 1,
  trace_ids: ["t-1"],
  trace_count: 1,
  span_count: 3,
  earliest_start_time: "2026-03-01T09:31:12.123000Z",
  latest_end_time: "2026-03-01T10:02:45.987000Z",
});
const PAGE_BODY = JSON.stringify({ count: 1, users: [JSON.parse(USER_BODY)] });

/** The variants compared per call: the same two operations through each client. */
function callVariants(client, createFetchClient, baseUrl, fetchImpl) {
  const ours = client.createTracesClient({ baseUrl, apiKey: "bench-key", maxRetries: 0, fetch: fetchImpl });
  const core = client.createTracesCore({ baseUrl, apiKey: "bench-key", maxRetries: 0, fetch: fetchImpl });
  const bare = createFetchClient({ baseUrl, headers: { Authorization: "Bearer bench-key" }, fetch: fetchImpl });
  const f = fetchImpl ?? ((input, init) => fetch(input, init));
  const hand = async (url) => {
    const r = await f(url, { headers: { authorization: "Bearer bench-key", accept: "application/json" } });
    if (!r.ok) throw new Error(`status ${r.status}`);
    return r.json();
  };
  const q = { task_ids: ["t1"] };
  return {
    getUserDetails: [
      ["hand-written fetch", (i) => hand(`${baseUrl}/api/v1/traces/users/u${i}?task_ids=t1`)],
      [
        "openapi-fetch (bare)",
        (i) => bare.GET("/api/v1/traces/users/{user_id}", { params: { path: { user_id: `u${i}` }, query: q } }),
      ],
      ["traces-sdk client.users.getUserDetails", (i) => ours.users.getUserDetails(`u${i}`, q)],
      ["traces-sdk usersGetUserDetails (standalone)", (i) => client.usersGetUserDetails(core, `u${i}`, q)],
      [
        "traces-sdk client.raw",
        (i) => ours.raw.GET("/api/v1/traces/users/{user_id}", { params: { path: { user_id: `u${i}` }, query: q } }),
      ],
    ],
    listUsersMetadata: [
      ["hand-written fetch", () => hand(`${baseUrl}/api/v1/traces/users?task_ids=t1&page_size=100`)],
      [
        "openapi-fetch (bare)",
        () => bare.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t1"], page_size: 100 } } }),
      ],
      [
        "traces-sdk client.users.listUsersMetadata",
        () => ours.users.listUsersMetadata({ task_ids: ["t1"], page_size: 100 }),
      ],
      [
        "traces-sdk usersListUsersMetadata (standalone)",
        () => client.usersListUsersMetadata(core, { task_ids: ["t1"], page_size: 100 }),
      ],
      [
        "traces-sdk client.raw",
        () => ours.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t1"], page_size: 100 } } }),
      ],
    ],
  };
}

/**
 * CPU time per call with a stub fetch that answers at once from memory: what each client adds to
 * a call, with no network. Variants run interleaved in rounds (rotated order), CPU time from
 * process.cpuUsage() (user + system), so that machine noise falls on all alike.
 */
async function cost() {
  log("per-call CPU with a stub fetch (in-process, no network)");
  const { client, createFetchClient } = await clientModules();
  const stub = async (input) => {
    const url = typeof input === "string" ? input : input.url;
    return new Response(url.includes("/users?") ? PAGE_BODY : USER_BODY, {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  const sets = callVariants(client, createFetchClient, "http://127.0.0.1:9", stub);
  const n = 2000;
  // Many short rounds and medians: a round of 2000 calls lasts ~40 ms, and a GC or JIT pause that
  // lands in one (process CPU time includes V8's background threads) must not decide the figure.
  const rounds = 40;
  for (const [operation, variants] of Object.entries(sets)) {
    const perRound = new Map(variants.map(([name]) => [name, []]));
    for (const [, call] of variants) for (let i = 0; i < 3000; i++) await call(i); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < variants.length; k++) {
        const [name, call] = variants[(k + r) % variants.length];
        const before = process.cpuUsage();
        for (let i = 0; i < n; i++) await call(i);
        const used = process.cpuUsage(before);
        perRound.get(name).push((used.user + used.system) / n);
      }
    }
    const allocated = new Map();
    for (const [name, call] of variants) allocated.set(name, await bytesPerCall(call));
    // Ratios are medians of the per-round ratios: each round's variants ran back to back.
    const ratio = (name, base) => median(perRound.get(name).map((us, r) => us / perRound.get(base)[r]));
    for (const [name] of variants) {
      const row = {
        group: "cost",
        operation,
        name,
        usPerCall: median(perRound.get(name)),
        vsHand: ratio(name, "hand-written fetch"),
        vsBare: ratio(name, "openapi-fetch (bare)"),
        bytesPerCall: allocated.get(name),
      };
      log(
        `  ${operation} ${name}: ${row.usPerCall.toFixed(2)} µs/call (${row.vsHand.toFixed(2)}x hand-written, ${row.vsBare.toFixed(2)}x openapi-fetch), ${row.bytesPerCall} B allocated/call`,
      );
      results.push(row);
    }
  }
}

/**
 * Bytes allocated per call in V8's young generation (where short-lived objects go), from the
 * growth of `new_space` over batches of 100 calls; a batch during which a scavenge ran (the space
 * shrank) is skipped. Deterministic where CPU time is not: it shows what a client makes per call.
 */
async function bytesPerCall(call) {
  const used = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_used_size;
  let bytes = 0;
  let calls = 0;
  for (let batch = 0; batch < 200 && calls < 4000; batch++) {
    const before = used();
    for (let i = 0; i < 100; i++) await call(i);
    const after = used();
    if (after > before) {
      bytes += after - before;
      calls += 100;
    }
  }
  return calls ? Math.round(bytes / calls) : undefined;
}

async function requests() {
  log("requests over loopback HTTP, concurrency 1 and 64");
  const group = "requests";
  const { client, createFetchClient } = await clientModules();
  const { server, baseUrl } = await startServer(1);
  try {
    const sets = callVariants(client, createFetchClient, baseUrl, undefined);
    const variants = sets.getUserDetails.filter(([name]) => !name.includes("standalone"));
    for (const concurrency of [1, 64])
      await timeRequests(group, concurrency === 1 ? 4000 : 6400, variants, concurrency);
  } finally {
    server.close();
  }
}

/** Minified + gzipped size of a consumer bundled by esbuild, in bytes. */
async function bundleSize(entry, source, dir) {
  const esbuild = await import("esbuild");
  const file = join(dir, entry);
  writeFileSync(file, source);
  const out = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  const code = out.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

/**
 * Bundle size of a consumer that calls one operation (esbuild, minified, gzipped): bare
 * openapi-fetch, our client object, our standalone function; and the standalone function of the
 * engine's full 214-operation spec against the same of the 2-operation spec (tree-shaking by operation).
 */
async function bundles() {
  log("bundle size of a one-operation consumer (esbuild, minified + gzipped)");
  const group = "bundle";
  const dir = mkdtempSync(join(tmpdir(), "traces-bundle-"));
  try {
    const pkgSrc = join(root, "packages/client/src");
    const openapiFetch = join(root, "packages/client/node_modules/openapi-fetch/dist/index.mjs");
    const rows = [];
    const add = async (name, source) => {
      const size = await bundleSize(`${rows.length}.ts`, source, dir);
      rows.push({ group, name, ...size });
      log(
        `  ${name}: ${(size.gzipped / 1024).toFixed(2)} KiB gzipped (${(size.minified / 1024).toFixed(1)} KiB minified)`,
      );
    };
    await add(
      "openapi-fetch (bare), one GET",
      `import createClient from ${JSON.stringify(openapiFetch)};
const c = createClient({ baseUrl: "https://engine.example.com", headers: { Authorization: "Bearer k" } });
console.log(await c.GET("/api/v1/traces/users/{user_id}", { params: { path: { user_id: "u" }, query: { task_ids: ["t"] } } }));`,
    );
    await add(
      "traces-sdk createTracesClient + client.users.getUserDetails",
      `import { createTracesClient } from ${JSON.stringify(join(pkgSrc, "index.ts"))};
const c = createTracesClient({ baseUrl: "https://engine.example.com", apiKey: "k" });
console.log(await c.users.getUserDetails("u", { task_ids: ["t"] }));`,
    );
    const standalone = (src, fn) => `import { createTracesCore } from ${JSON.stringify(join(src, "client.ts"))};
import { ${fn} } from ${JSON.stringify(join(src, "generated/functions.ts"))};
const c = createTracesCore({ baseUrl: "https://engine.example.com", apiKey: "k" });
console.log(await ${fn}(c, "u", { task_ids: ["t"] }));`;
    await add(
      "traces-sdk createTracesCore + usersGetUserDetails (2-operation spec)",
      standalone(pkgSrc, "usersGetUserDetails"),
    );
    // The same consumer against a client generated from the engine's full spec.
    const full = join(dir, "full");
    const r = spawnSync(
      process.execPath,
      [
        join(root, "scripts/lib/generate.mjs"),
        "--spec",
        upstream,
        "--lenient",
        "--target",
        "client",
        "--quiet",
        "--out",
        full,
      ],
      { cwd: root, encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`generating the full spec failed: ${r.stderr}`);
    const fullSrc = join(full, "src");
    mkdirSync(fullSrc, { recursive: true });
    for (const f of readdirSync(pkgSrc))
      if (f.endsWith(".ts") && !f.endsWith(".test.ts")) copyFileSync(join(pkgSrc, f), join(fullSrc, f));
    renameSync(join(full, "client"), join(fullSrc, "generated"));
    const fn = /export function (\w+GetUserDetails)\(/.exec(
      readFileSync(join(fullSrc, "generated/functions.ts"), "utf8"),
    )?.[1];
    await add("traces-sdk createTracesCore + one function (214-operation spec)", standalone(fullSrc, fn));
    // What apps bundle: the built package (its entries share chunks), not the sources.
    const dist = JSON.stringify(join(root, "packages/client/dist/index.js"));
    await add(
      "traces-sdk createTracesCore + usersGetUserDetails (built package, 2-operation spec)",
      `import { createTracesCore, usersGetUserDetails } from ${dist};
const c = createTracesCore({ baseUrl: "https://engine.example.com", apiKey: "k" });
console.log(await usersGetUserDetails(c, "u", { task_ids: ["t"] }));`,
    );
    await add(
      "traces-sdk createTracesClient + client.users.getUserDetails (built package)",
      `import { createTracesClient } from ${dist};
const c = createTracesClient({ baseUrl: "https://engine.example.com", apiKey: "k" });
console.log(await c.users.getUserDetails("u", { task_ids: ["t"] }));`,
    );
    const bare = rows[0].gzipped;
    for (const row of rows) {
      row.vsBare = row.gzipped / bare;
      results.push(row);
    }
    results.push({
      group: "treeShaking",
      ratio: rows[3].gzipped / rows[2].gzipped,
      full: rows[3].gzipped,
      two: rows[2].gzipped,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A CPU profile of our resource call with the stub fetch, summarised by self time (node --cpu-prof). */
function profile() {
  log("CPU profile of client.users.getUserDetails with a stub fetch");
  const dir = mkdtempSync(join(tmpdir(), "traces-prof-"));
  try {
    const script = join(dir, "run.mjs");
    writeFileSync(
      script,
      `const client = await import(${JSON.stringify(pathToFileURL(join(root, "packages/client/dist/index.js")).href)});
const body = ${JSON.stringify(USER_BODY)};
const stub = async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
const c = client.createTracesClient({ baseUrl: "http://127.0.0.1:9", apiKey: "k", maxRetries: 0, fetch: stub });
for (let i = 0; i < 60000; i++) await c.users.getUserDetails("u" + i, { task_ids: ["t1"] });
`,
    );
    const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, script], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    const prof = JSON.parse(
      readFileSync(
        join(
          dir,
          readdirSync(dir).find((f) => f.endsWith(".cpuprofile")),
        ),
        "utf8",
      ),
    );
    const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
    const self = new Map();
    let total = 0;
    prof.samples.forEach((id, i) => {
      const t = prof.timeDeltas[i] ?? 0;
      const frame = nodes.get(id).callFrame;
      const file = frame.url.split("/").pop() || "";
      const where = file.startsWith("index.js") ? "traces-sdk" : file ? `node:${file}` : "";
      const key = `${frame.functionName || "(anonymous)"}${where ? ` (${where})` : ""}`;
      self.set(key, (self.get(key) ?? 0) + t);
      total += t;
    });
    const ours = [...self].filter(([k]) => k.endsWith("(traces-sdk)")).reduce((a, [, t]) => a + t, 0);
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
    results.push({
      group: "profile",
      oursShare: ours / total,
      top: top.map(([name, t]) => ({ name, share: t / total })),
    });
    log(`  traces-sdk's own code: ${((ours / total) * 100).toFixed(1)}% of samples`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
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

const x = (v) => `${v.toFixed(2)}x`;
const status = (ok) => (ok ? "met" : "**not met**");

function report() {
  mkdirSync(join(root, "bench/reports"), { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node.js ${process.version}`;
  const lines = ["# Benchmark report", "", `Machine: ${machine}. Regenerate with \`pnpm bench\`.`, ""];
  const targets = [];
  const cost = results.filter((r) => r.group === "cost");
  if (cost.length) {
    lines.push(
      "## per-call CPU (stub fetch, in-process)",
      "",
      "CPU time (user + system) per call when `fetch` answers at once from memory: what each client adds. Medians over 40 interleaved rounds of 2000 calls per variant; each ratio is the median of the per-round ratios. Allocated: bytes per call in V8's young generation (the stub's `Response` and its body stream included), which GC time follows.",
      "",
      "| operation | client | µs/call | vs hand-written fetch | vs openapi-fetch | allocated/call |",
      "| --- | --- | ---: | ---: | ---: | ---: |",
    );
    for (const r of cost)
      lines.push(
        `| ${r.operation} | ${r.name} | ${r.usPerCall.toFixed(2)} | ${x(r.vsHand)} | ${x(r.vsBare)} | ${r.bytesPerCall === undefined ? "n/a" : `${(r.bytesPerCall / 1024).toFixed(1)} KiB`} |`,
      );
    lines.push("");
    for (const r of cost.filter((c) => c.name.startsWith("traces-sdk client.users"))) {
      targets.push([`${r.operation}: CPU ≤ 1.1x openapi-fetch`, x(r.vsBare), r.vsBare <= 1.1]);
      targets.push([`${r.operation}: CPU ≤ 1.25x hand-written fetch`, x(r.vsHand), r.vsHand <= 1.25]);
    }
  }
  const reqs = results.filter((r) => r.group === "requests");
  if (reqs.length) {
    lines.push(
      "## requests over loopback HTTP",
      "",
      "`getUserDetails` against a local `node:http` server; throughput measured while the variant runs, 40 interleaved rounds; the ratio is the median of the per-round ratios.",
      "",
      "| concurrency | client | req/s | vs openapi-fetch | p50 | p95 |",
      "| ---: | --- | ---: | ---: | ---: | ---: |",
    );
    for (const r of reqs) {
      lines.push(
        `| ${r.concurrency} | ${r.name} | ${r.perSecond} | ${r.vsBare === undefined ? "" : x(r.vsBare)} | ${r.p50Ms.toFixed(3)} ms | ${r.p95Ms.toFixed(3)} ms |`,
      );
    }
    lines.push("");
    for (const r of reqs.filter((q) => q.name.startsWith("traces-sdk client.users"))) {
      targets.push([`loopback, concurrency ${r.concurrency}: throughput ≥ openapi-fetch`, x(r.vsBare), r.vsBare >= 1]);
    }
  }
  const bundle = results.filter((r) => r.group === "bundle");
  if (bundle.length) {
    lines.push(
      "## bundle of a one-operation consumer",
      "",
      "esbuild, minified, then gzip -9. The standalone functions let bundlers keep only the operations called.",
      "",
      "| consumer | minified | gzipped | vs openapi-fetch |",
      "| --- | ---: | ---: | ---: |",
    );
    for (const r of bundle) {
      lines.push(
        `| ${r.name} | ${(r.minified / 1024).toFixed(1)} KiB | ${(r.gzipped / 1024).toFixed(2)} KiB | ${x(r.vsBare)} |`,
      );
    }
    const shaking = results.find((r) => r.group === "treeShaking");
    lines.push("");
    for (const r of bundle.filter((b) => b.name.includes("2-operation") || b.name.includes("client.users"))) {
      targets.push([
        `bundle (${r.name.replace(/^traces-sdk /, "")}) ≤ 1.5x openapi-fetch`,
        x(r.vsBare),
        r.vsBare <= 1.5,
      ]);
    }
    if (shaking) {
      lines.push(
        `One operation of the 214-operation client ships ${x(shaking.ratio)} what one of the 2-operation client ships.`,
        "",
      );
      targets.push(["one of 214 operations ≤ 1.3x one of 2", x(shaking.ratio), shaking.ratio <= 1.3]);
    }
  }
  const prof = results.find((r) => r.group === "profile");
  if (prof) {
    lines.push(
      "## CPU profile (client.users.getUserDetails, stub fetch)",
      "",
      `node --cpu-prof, self time. traces-sdk's own functions: ${(prof.oursShare * 100).toFixed(1)}% of samples; the rest is the stub's Response, undici's body reading, timers and GC.`,
      "",
      "| function | self time |",
      "| --- | ---: |",
      ...prof.top.map((t) => `| ${t.name.replace(/\|/g, "\\|")} | ${(t.share * 100).toFixed(1)}% |`),
      "",
    );
  }
  if (targets.length) {
    lines.splice(
      4,
      0,
      "## targets",
      "",
      "| target | measured | status |",
      "| --- | ---: | --- |",
      ...targets.map(([t, m, ok]) => `| ${t} | ${m} | ${status(ok)} |`),
      "",
    );
  }
  for (const group of ["generation", "pagination", "docs size"]) {
    const rows = results.filter((r) => r.group === group);
    if (!rows.length) continue;
    lines.push(`## ${group}`, "");
    if (group === "generation") {
      lines.push(
        `The engine's full spec (214 operations), ${rows[0]?.runs ?? runs} rounds, every tool once per round; medians.`,
        "",
        "| tool | median | files | size |",
        "| --- | ---: | ---: | ---: |",
      );
      for (const r of rows)
        lines.push(
          r.error
            ? `| ${r.name} | failed | | |`
            : `| ${r.name} | ${(r.medianMs / 1000).toFixed(2)} s | ${r.files} | ${(r.bytes / 1024).toFixed(0)} KiB |`,
        );
      const ratios = results.filter((r) => r.group === "generationRatio");
      if (ratios.length) {
        lines.push("", "| ratio (ours / stock, same run) | |", "| --- | ---: |");
        for (const r of ratios) lines.push(`| ${r.name} | ${x(r.ratio)} |`);
      }
    } else if (group === "docs size") {
      lines.push(...docsSizeTable(rows));
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
if (!only || only.has("cost")) await cost();
if (!only || only.has("requests")) await requests();
if (!only || only.has("bundle")) await bundles();
if (!only || only.has("profile")) profile();
if (!only || only.has("pagination")) await pagination();
if (!only || only.has("docs-size")) results.push(...docsSize({ root, upstream, log }));
report();
