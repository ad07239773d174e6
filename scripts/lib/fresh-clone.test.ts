/**
 * Fresh clones, as a new machine or a teammate gets them: `pnpm install && pnpm build` behind a
 * TLS-intercepting proxy (the generator jar comes from a loopback HTTPS server whose CA is only in
 * NODE_EXTRA_CA_CERTS), and a shared turbo remote cache (the open-source turborepo-remote-cache
 * server on loopback) that gives a second clone of the same commit nothing but cache hits.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./paths.mjs";

const GENERATOR_VERSION = JSON.parse(readFileSync(join(repoRoot, "openapitools.json"), "utf8"))["generator-cli"]
  .version;
const cachedJar = join(repoRoot, ".openapi-generator-cache", `${GENERATOR_VERSION}.jar`);
const openssl = spawnSync("openssl", ["version"]).status === 0;
const ready = openssl && existsSync(cachedJar);
const skipWhy = !openssl
  ? "openssl is not installed (apt-get install openssl): it makes the test CA"
  : `the generator jar is not cached at ${cachedJar}: run ./scripts/bootstrap first`;

let tmp = "";
let https: Server | undefined;
let cacheServer: ChildProcess | undefined;
let jarRequests: string[] = [];
let env: NodeJS.ProcessEnv = {};
const cacheToken = "traces-test-token";

/**
 * Runs a command without blocking this process: the HTTPS "proxy" answers from this event loop,
 * so a synchronous spawn would deadlock the download it serves.
 */
function sh(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), 600_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A CA of our own and a certificate for 127.0.0.1 signed by it. */
function makeCertificates(dir: string) {
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=traces-sdk test proxy CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(
    join(dir, "ext.cnf"),
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "ext.cnf",
  );
}

/** Clones the committed tree into `name`, as a new machine would. */
function cloneAt(name: string): string {
  const dir = join(tmp, name);
  execFileSync("git", ["clone", "--quiet", repoRoot, dir]);
  return dir;
}

/** `pnpm install && pnpm build` in a clone (dependencies from the local store: no registry). */
async function installAndBuild(dir: string, extra: NodeJS.ProcessEnv = {}) {
  const e = { ...env, ...extra };
  const install = await sh("pnpm", ["install", "--frozen-lockfile", "--offline", "--reporter=append-only"], {
    cwd: dir,
    env: e,
  });
  expect(install.code, install.out).toBe(0);
  const build = await sh("pnpm", ["build", "--summarize"], { cwd: dir, env: e });
  return build;
}

/** Task id → cache status/source from the newest `turbo --summarize` run of a clone. */
function summary(dir: string): Record<string, { status: string; source?: string }> {
  const runs = join(dir, ".turbo/runs");
  const newest = readdirSync(runs)
    .map((f) => join(runs, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const run = JSON.parse(readFileSync(newest as string, "utf8"));
  return Object.fromEntries(
    run.tasks
      .filter((t: { command: string }) => t.command !== "<NONEXISTENT>")
      .map((t: { taskId: string; cache: { status: string; source?: string } }) => [t.taskId, t.cache]),
  );
}

beforeAll(async () => {
  if (!ready) return;
  tmp = mkdtempSync(join(tmpdir(), "traces-fresh-clone-"));
  makeCertificates(tmp);
  // The machine's own proxy CA stays trusted (npm and Maven may sit behind it); ours is added.
  const machineCa =
    process.env.NODE_EXTRA_CA_CERTS && existsSync(process.env.NODE_EXTRA_CA_CERTS)
      ? readFileSync(process.env.NODE_EXTRA_CA_CERTS, "utf8")
      : "";
  writeFileSync(join(tmp, "ca-bundle.pem"), `${machineCa}\n${readFileSync(join(tmp, "ca.pem"), "utf8")}`);

  // "Maven Central" behind the proxy: serves the jar over HTTPS with the test CA's certificate.
  jarRequests = [];
  https = createHttpsServer(
    { key: readFileSync(join(tmp, "server.key")), cert: readFileSync(join(tmp, "server.pem")) },
    (req, res) => {
      jarRequests.push(req.url ?? "");
      if (req.url?.endsWith(`/openapi-generator-cli-${GENERATOR_VERSION}.jar`)) {
        res.writeHead(200, { "content-type": "application/java-archive", "content-length": statSync(cachedJar).size });
        createReadStream(cachedJar).pipe(res);
      } else {
        res.writeHead(404).end();
      }
    },
  );
  await new Promise<void>((resolve) => https?.listen(0, "127.0.0.1", resolve));
  const httpsPort = (https.address() as { port: number }).port;
  mkdirSync(join(tmp, "jars"));
  writeFileSync(
    join(tmp, "openapitools.json"),
    JSON.stringify({
      "generator-cli": {
        version: GENERATOR_VERSION,
        storageDir: join(tmp, "jars"),
        repository: {
          downloadUrl: `https://127.0.0.1:${httpsPort}/maven2/\${groupId}/\${artifactId}/\${versionName}/\${artifactId}-\${versionName}.jar`,
        },
      },
    }),
  );

  // The shared cache: turborepo-remote-cache with local storage, on a loopback port.
  const cachePort = await freePort();
  mkdirSync(join(tmp, "remote-cache"));
  cacheServer = spawn(process.execPath, [join(repoRoot, "node_modules/turborepo-remote-cache/dist/cli.js")], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(cachePort),
      STORAGE_PROVIDER: "local",
      STORAGE_PATH: join(tmp, "remote-cache"),
      STORAGE_PATH_USE_TMP_FOLDER: "false",
      TURBO_TOKEN: cacheToken,
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`the remote cache server did not start:\n${log}`)), 30_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes("Server listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    cacheServer?.stdout?.on("data", onData);
    cacheServer?.stderr?.on("data", onData);
    cacheServer?.once("exit", (code) => reject(new Error(`the remote cache server exited (${code}):\n${log}`)));
  });

  env = {
    ...process.env,
    NODE_EXTRA_CA_CERTS: join(tmp, "ca-bundle.pem"),
    TRACES_OPENAPITOOLS: join(tmp, "openapitools.json"),
    TURBO_API: `http://127.0.0.1:${cachePort}`,
    TURBO_TOKEN: cacheToken,
    TURBO_TEAM: "traces",
    TURBO_TELEMETRY_DISABLED: "1",
    REDOCLY_TELEMETRY: "off",
    NO_COLOR: "1",
  };
}, 120_000);

afterAll(async () => {
  if (cacheServer?.pid) cacheServer.kill("SIGTERM");
  await new Promise<void>((resolve) => (https ? https.close(() => resolve()) : resolve()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!ready)(`a fresh clone${ready ? "" : ` (skipped: ${skipWhy})`}`, () => {
  it("without the proxy's CA, the jar download fails and says where from", async () => {
    const r = await sh(process.execPath, [join(repoRoot, "scripts/lib/ensure-generator.mjs")], {
      cwd: repoRoot,
      env: { ...env, NODE_EXTRA_CA_CERTS: "" },
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/could not be downloaded from https:\/\/127\.0\.0\.1:\d+\//);
    expect(readdirSync(join(tmp, "jars")).filter((f) => f.endsWith(".jar"))).toEqual([]);
  }, 120_000);

  it("builds with `pnpm install && pnpm build` behind a TLS-intercepting proxy with no cached jar, and fills the shared cache", async () => {
    const a = cloneAt("a");
    expect(existsSync(join(a, ".openapi-generator-cache"))).toBe(false);
    jarRequests = [];
    const build = await installAndBuild(a);
    expect(build.code, build.out).toBe(0);
    // The jar came through the "proxy", trusted only through NODE_EXTRA_CA_CERTS passed to the task.
    expect(jarRequests.some((u) => u.endsWith(`openapi-generator-cli-${GENERATOR_VERSION}.jar`))).toBe(true);
    expect(existsSync(join(tmp, "jars", `${GENERATOR_VERSION}.jar`))).toBe(true);
    for (const pkg of ["client", "docs"]) expect(existsSync(join(a, "packages", pkg, "dist")), pkg).toBe(true);
    const tasks = summary(a);
    expect(Object.keys(tasks).sort()).toEqual([
      "@traces-sdk/client#build",
      "@traces-sdk/client#generate",
      "@traces-sdk/docs#build",
      "@traces-sdk/docs#generate",
    ]);
    // Regeneration in a fresh clone reproduces the committed output exactly.
    expect((await sh("git", ["status", "--porcelain"], { cwd: a })).out.trim()).toBe("");
    // Every task's result was uploaded to the remote cache server.
    expect(readdirSync(join(tmp, "remote-cache"), { recursive: true }).length).toBeGreaterThanOrEqual(4);
  }, 900_000);

  it("a second clone of the same commit builds from the shared cache alone", async () => {
    const b = cloneAt("b");
    const before = jarRequests.length;
    const build = await installAndBuild(b);
    expect(build.code, build.out).toBe(0);
    const tasks = summary(b);
    expect(Object.keys(tasks)).toHaveLength(4);
    for (const [id, cache] of Object.entries(tasks))
      expect(cache, id).toMatchObject({ status: "HIT", source: "REMOTE" });
    expect(build.out).toContain("FULL TURBO");
    // Nothing was generated, so nothing was downloaded.
    expect(jarRequests.length).toBe(before);
    for (const pkg of ["client", "docs"]) expect(existsSync(join(b, "packages", pkg, "dist")), pkg).toBe(true);
  }, 900_000);
});
