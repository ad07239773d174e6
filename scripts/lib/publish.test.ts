/**
 * Publishes both packages, as `pnpm pack` produces them, to a real registry (Verdaccio on
 * loopback) and installs them into a fresh project the way an app developer would.
 */
import { execFile, execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { runServer } from "verdaccio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./test-helpers.js";

const work = mkdtempSync(join(tmpdir(), "traces-publish-"));
let registry: Server;
let registryUrl = "";
let npmrc = "";

// Asynchronous on purpose: the registry runs in this process, so a blocking call would deadlock.
const execFileAsync = promisify(execFile);
// Under `pnpm test`, pnpm exports its own npm_config_* settings (the public registry among them);
// none of them may leak into these npm calls, which must only ever reach the loopback registry.
const npmEnv = () => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k))),
  npm_config_cache: join(work, "npm-cache"),
});
const npm = async (args: string[], cwd: string) =>
  (
    await execFileAsync(
      "npm",
      [...args, "--userconfig", npmrc, "--registry", registryUrl, "--no-audit", "--no-fund", "--no-update-notifier"],
      { cwd, encoding: "utf8", env: npmEnv() },
    )
  ).stdout;

/** The package folder of an installed dependency of the client (its real path in pnpm's store). */
const installedDir = (name: string, from: string) => {
  let dir = realpathSync(join(repoRoot, from, "node_modules", name));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
};

/** `pnpm pack` rewrites catalog: and workspace: ranges, exactly as `pnpm publish` does. */
function packWorkspacePackage(dir: string): string {
  const out = mkdtempSync(join(work, "pack-"));
  execFileSync("pnpm", ["pack", "--pack-destination", out], { cwd: join(repoRoot, dir), stdio: "ignore" });
  return join(out, readdirSync(out)[0] as string);
}

beforeAll(async () => {
  const app = await runServer({
    self_path: join(work, "config.yaml"),
    storage: join(work, "storage"),
    auth: { htpasswd: { file: join(work, "htpasswd"), max_users: 10 } },
    // No uplinks: everything the consumer installs must come from what was published here.
    uplinks: {},
    packages: { "**": { access: "$all", publish: "$authenticated", unpublish: "$authenticated" } },
    log: { type: "stdout", format: "pretty", level: "fatal" },
    web: { enable: false },
    // biome-ignore lint/suspicious/noExplicitAny: Verdaccio's config type wants every optional field.
  } as any);
  registry = await new Promise<Server>((resolve) => {
    const server: Server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
  const res = await fetch(`${registryUrl}-/user/org.couchdb.user:release`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "release", password: "release-password-1" }),
  });
  const { token } = (await res.json()) as { token: string };
  npmrc = join(work, ".npmrc");
  writeFileSync(npmrc, `registry=${registryUrl}\n//${registryUrl.slice("http://".length)}:_authToken=${token}\n`);

  // The client's runtime dependencies, from this install, so the registry needs no uplink.
  const fetchDir = installedDir("openapi-fetch", "packages/client");
  const helpersDir = installedDir("openapi-typescript-helpers", dirname(dirname(fetchDir)).replace(`${repoRoot}/`, ""));
  for (const dir of [helpersDir, fetchDir]) {
    const out = mkdtempSync(join(work, "dep-"));
    await npm(["pack", dir, "--pack-destination", out], work);
    await npm(["publish", join(out, readdirSync(out)[0] as string), "--ignore-scripts"], work);
  }
}, 300_000);

afterAll(() => {
  registry?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("publishing to a registry", () => {
  it("publishes both packages with their current versions and only their allow-listed files", async () => {
    for (const dir of ["packages/client", "packages/docs"]) {
      const manifest = JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8"));
      await npm(["publish", packWorkspacePackage(dir), "--ignore-scripts"], work);
      const published = JSON.parse(await npm(["view", manifest.name, "--json"], work));
      expect(published.version).toBe(manifest.version);
      // catalog: and workspace: ranges are resolved to real versions when packed.
      expect(JSON.stringify(published.dependencies ?? {})).not.toMatch(/catalog:|workspace:/);
    }
  });

  it("installs into a fresh app that imports it (ESM and CommonJS) and calls a server", async () => {
    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    await npm(["install", "@traces-sdk/client", "@traces-sdk/docs"], app);
    const files = readdirSync(join(app, "node_modules/@traces-sdk/client"));
    expect(files.sort()).toEqual(expect.arrayContaining(["dist", "package.json", "README.md"]));
    expect(files).not.toContain("src");
    expect(files).not.toContain("codegen");

    const { createServer } = await import("node:http");
    const seen: Array<{ url?: string; auth?: string }> = [];
    const api = createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          user_id: "user-1",
          task_id: "t1",
          session_ids: [],
          session_count: 0,
          trace_ids: [],
          trace_count: 0,
          span_count: 0,
          earliest_start_time: "2026-03-01T09:00:00Z",
          latest_end_time: "2026-03-01T10:00:00Z",
        }),
      );
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    try {
      writeFileSync(
        join(app, "esm.mjs"),
        `import { createTracesClient, NotFoundError } from "@traces-sdk/client";
import { existsSync } from "node:fs";
import { htmlFile, readOperations } from "@traces-sdk/docs";
const client = createTracesClient({ baseUrl: process.argv[2], apiKey: "app-key" });
const user = await client.users.getUserDetails("user 1", { task_ids: ["t1", "t2"] });
console.log(JSON.stringify({ user: user.user_id, notFound: typeof NotFoundError, html: existsSync(htmlFile), docs: readOperations().map((o) => o.sdkMethod).sort() }));`,
      );
      writeFileSync(
        join(app, "cjs.cjs"),
        `const { createTracesClient, APIError } = require("@traces-sdk/client");
console.log(JSON.stringify({ create: typeof createTracesClient, apiError: typeof APIError }));`,
      );
      const { execFile } = await import("node:child_process");
      const run = (file: string, args: string[] = []) =>
        new Promise<string>((resolve, reject) =>
          execFile(process.execPath, [file, ...args], { cwd: app }, (error, stdout, stderr) =>
            error ? reject(new Error(stderr)) : resolve(stdout),
          ),
        );
      expect(JSON.parse(await run("esm.mjs", [baseUrl]))).toEqual({
        user: "user-1",
        notFound: "function",
        html: true,
        docs: ["users.getUserDetails", "users.listUsersMetadata"],
      });
      expect(JSON.parse(await run("cjs.cjs"))).toEqual({ create: "function", apiError: "function" });
      expect(seen).toEqual([{ url: "/api/v1/traces/users/user%201?task_ids=t1&task_ids=t2", auth: "Bearer app-key" }]);
    } finally {
      api.close();
    }
  });
});
