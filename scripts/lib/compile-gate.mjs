/**
 * The compile gate: generated clients are type-checked with the runtime they ship with, so a
 * client that does not compile is never reported as generated. One `tsc --noEmit` run checks any
 * number of clients (each in its own folder beside a copy of the runtime), which keeps a corpus of
 * specs fast to check. tsc runs through TypeScript's API in a child process
 * (typecheck-child.mjs), which can start early and parse what does not depend on the clients.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "./paths.mjs";

const runtimeDir = join(repoRoot, "packages/client/src");
const childScript = join(dirname(fileURLToPath(import.meta.url)), "typecheck-child.mjs");

/**
 * @typedef {object} TypecheckResult
 * @property {string} label the client's name, as given
 * @property {boolean} ok true when tsc reported no error in this client's folder
 * @property {string[]} errors tsc's diagnostics for this client, paths relative to the client folder
 */

/**
 * Starts the compile gate before the clients exist: a child process loads TypeScript and parses
 * and binds the standard library and the runtime (the work that does not depend on the generated
 * code) while the caller validates the spec and generates. `check` then type-checks the clients.
 * Call `close` when the check will not run (it stops the child and removes its folder).
 * @param {{ signal?: AbortSignal }} [options] signal: stops tsc (`check` rejects with an AbortError)
 * @returns {{ check: (clients: Array<{ label: string, dir: string }>) => Promise<TypecheckResult[]>, close: () => void }}
 */
export function startTypecheck({ signal } = {}) {
  // Inside packages/client so that the runtime's imports (openapi-fetch) resolve; `.tmp/` is ignored by git.
  const base = join(repoRoot, "packages/client/.tmp");
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(join(base, "typecheck-"));
  let child;
  const close = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
    rmSync(work, { recursive: true, force: true });
  };
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
    const copyRuntime = (i) => {
      const dir = join(work, `c${i}`);
      mkdirSync(dir, { recursive: true });
      for (const file of runtime) cpSync(join(runtimeDir, file), join(dir, file));
      return dir;
    };
    // The first client's runtime is there from the start, so that the child parses it while waiting.
    copyRuntime(0);
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        extends: relative(work, join(repoRoot, "tsconfig.base.json")).split("\\").join("/"),
        compilerOptions: { noEmit: true, types: [], declaration: false, sourceMap: false, skipLibCheck: true },
        include: ["c*/**/*.ts"],
      }),
    );
    child = spawn(process.execPath, [childScript, join(work, "tsconfig.json")], {
      cwd: work,
      stdio: ["pipe", "pipe", "pipe"],
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
    const exited = new Promise((resolvePromise, reject) => {
      child.on("error", reject);
      child.on("close", (status) => resolvePromise(status));
    });
    exited.catch(() => {});
    const check = async (clients) => {
      try {
        if (clients.length === 0) return [];
        clients.forEach((client, i) => {
          const dir = i === 0 ? join(work, "c0") : copyRuntime(i);
          cpSync(client.dir, join(dir, "generated"), { recursive: true });
        });
        child.stdin.end("check\n");
        const status = await exited;
        const answer = stdout
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line))[0];
        if (status !== 0 || !answer) {
          throw new Error(`the type check stopped (exit code ${status}):\n${stderr.trim() || stdout.trim()}`);
        }
        return collect(clients, answer);
      } finally {
        close();
      }
    };
    return { check, close };
  } catch (error) {
    close();
    throw error;
  }
}

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
export async function typecheckClients(clients, options = {}) {
  if (clients.length === 0) return [];
  return startTypecheck(options).check(clients);
}

/** Splits the child's diagnostics by client folder (`c0/...`, `c1/...`). */
function collect(clients, { errors, output }) {
  const byClient = clients.map(() => []);
  const other = [];
  let last;
  for (const line of output.split("\n")) {
    if (!line.trim()) continue;
    const match = line.match(/^c(\d+)[\\/](.*)$/);
    if (match) {
      last = byClient[Number(match[1])];
      last?.push(match[2]);
    } else if (/error TS/.test(line)) {
      last = other;
      other.push(line);
    }
    // A message's continuation lines (indented) belong to the diagnostic before them.
    else if (/^\s/.test(line)) last?.push(line);
  }
  if (errors > 0 && byClient.every((e) => e.length === 0)) {
    throw new Error(`tsc failed without naming a generated file:\n${other.join("\n") || output}`);
  }
  return clients.map((client, i) => ({ label: client.label, ok: byClient[i].length === 0, errors: byClient[i] }));
}
