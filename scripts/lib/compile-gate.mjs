/**
 * The compile gate: generated clients are type-checked with the runtime they ship with, so a
 * client that does not compile is never reported as generated. One `tsc --noEmit` run checks any
 * number of clients (each in its own folder beside a copy of the runtime), which keeps a corpus of
 * specs fast to check.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { repoRoot } from "./paths.mjs";

const require = createRequire(import.meta.url);
const runtimeDir = join(repoRoot, "packages/client/src");

/**
 * @typedef {object} TypecheckResult
 * @property {string} label the client's name, as given
 * @property {boolean} ok true when tsc reported no error in this client's folder
 * @property {string[]} errors tsc's diagnostics for this client, paths relative to the client folder
 */

/**
 * Type-checks generated client folders (each holding `schema.ts`, `resources.ts`, ...) against
 * the hand-written runtime of packages/client/src, with the repository's compiler options
 * (tsconfig.base.json: strict, noUncheckedIndexedAccess) and no Node.js types (the runtime uses
 * web APIs only).
 * Runs in a child process, so the caller can do other work (the docs) meanwhile.
 * @param {Array<{ label: string, dir: string }>} clients
 * @param {{ signal?: AbortSignal }} [options] signal: stops tsc (the promise rejects with an AbortError)
 * @returns {Promise<TypecheckResult[]>} one per client, in the given order
 */
export async function typecheckClients(clients, { signal } = {}) {
  if (clients.length === 0) return [];
  // Inside packages/client so that the runtime's imports (openapi-fetch) resolve; `.tmp/` is ignored by git.
  const base = join(repoRoot, "packages/client/.tmp");
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(join(base, "typecheck-"));
  try {
    // Entry points built on the published package (`@traces-sdk/client/testing` imports
    // "@traces-sdk/client", which resolves only once dist/ is built) are not part of the runtime the
    // generated code compiles against; with them, generation in a fresh clone could never pass.
    const runtime = readdirSync(runtimeDir).filter(
      (f) =>
        /\.ts$/.test(f) &&
        !/\.test(-d)?\.ts$/.test(f) &&
        !/from\s+["']@traces-sdk\/client["']/.test(readFileSync(join(runtimeDir, f), "utf8")),
    );
    clients.forEach((client, i) => {
      const dir = join(work, `c${i}`);
      mkdirSync(dir, { recursive: true });
      for (const file of runtime) cpSync(join(runtimeDir, file), join(dir, file));
      cpSync(client.dir, join(dir, "generated"), { recursive: true });
    });
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        extends: relative(work, join(repoRoot, "tsconfig.base.json")).split("\\").join("/"),
        compilerOptions: { noEmit: true, types: [], declaration: false, sourceMap: false, skipLibCheck: true },
        include: ["c*/**/*.ts"],
      }),
    );
    const tsc = require.resolve("typescript/bin/tsc");
    const run = await new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [tsc, "-p", join(work, "tsconfig.json"), "--pretty", "false"], {
        cwd: work,
        signal,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d) => {
        stdout += d;
      });
      child.stderr.setEncoding("utf8").on("data", (d) => {
        stderr += d;
      });
      child.on("error", reject);
      child.on("close", (status) => resolvePromise({ status, stdout, stderr }));
    });
    const byClient = clients.map(() => []);
    const other = [];
    for (const line of `${run.stdout}${run.stderr}`.split("\n")) {
      if (!line.trim()) continue;
      const match = line.match(/^c(\d+)[\\/](.*)$/);
      if (match) byClient[Number(match[1])]?.push(match[2]);
      else if (/error TS/.test(line)) other.push(line);
      else if (byClient.length > 0 && !/^\s/.test(line) === false) byClient.at(-1)?.push(line);
    }
    if (run.status !== 0 && byClient.every((e) => e.length === 0)) {
      throw new Error(`tsc failed without naming a generated file:\n${other.join("\n") || run.stdout || run.stderr}`);
    }
    return clients.map((client, i) => ({ label: client.label, ok: byClient[i].length === 0, errors: byClient[i] }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
