/**
 * The compile gate: generated clients are type-checked with the runtime they ship with, so a
 * client that does not compile is never reported as generated. One `tsc --noEmit` run checks any
 * number of clients (each in its own folder beside a copy of the runtime), which keeps a corpus of
 * specs fast to check. tsc runs through TypeScript's API in a child process
 * (typecheck-child.mjs), which can start early and parse what does not depend on the clients.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "./paths.mjs";

/** The hand-written runtime generated clients compile against (`generated/` beside its files). */
export const runtimeDir = join(repoRoot, "packages/client/src");
const childScript = join(dirname(fileURLToPath(import.meta.url)), "typecheck-child.mjs");

/**
 * @typedef {object} TypecheckResult
 * @property {string} label the client's name, as given
 * @property {boolean} ok true when tsc reported no error in this client's folder
 * @property {string[]} errors tsc's diagnostics for this client (lines; a message's continuation
 *   lines follow it), paths relative to the client folder: `generated/schema.ts(3,5): error TS...`
 *   for generated files, `client.ts(...)` for the runtime's
 * @property {string[]} generated the lines of `errors` about generated files
 * @property {string[]} handWritten the lines of `errors` about the runtime's own (hand-written)
 *   files, each path as the runtime folder's (`packages/client/src/client.ts(12,3): error TS...`)
 */

/**
 * Starts the compile gate before the clients exist: a child process loads TypeScript and parses
 * and binds the standard library and the runtime (the work that does not depend on the generated
 * code) while the caller validates the spec and generates. `check` then type-checks the clients.
 * Call `close` when the check will not run (it stops the child and removes its folder).
 * @param {{ signal?: AbortSignal, runtime?: string }} [options] signal: stops tsc (`check` rejects
 *   with an AbortError); runtime: the runtime's folder (default {@link runtimeDir})
 * @returns {{ check: (clients: Array<{ label: string, dir: string }>) => Promise<TypecheckResult[]>, close: () => void }}
 */
export function startTypecheck({ signal, runtime: runtimeFolder = runtimeDir } = {}) {
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
    const runtime = readdirSync(runtimeFolder).filter(
      (f) =>
        /\.ts$/.test(f) &&
        !/\.test(-d)?\.ts$/.test(f) &&
        !/from\s+["']@traces-sdk\/client["']/.test(readFileSync(join(runtimeFolder, f), "utf8")),
    );
    const copyRuntime = (i) => {
      const dir = join(work, `c${i}`);
      mkdirSync(dir, { recursive: true });
      for (const file of runtime) cpSync(join(runtimeFolder, file), join(dir, file));
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
    // A child stopped (by `signal`) before it was asked to check closes its stdin: the EPIPE of
    // the request must not crash this process; the stop is reported through `exited`.
    child.stdin.on("error", () => {});
    const exited = new Promise((resolvePromise, reject) => {
      child.on("error", reject);
      child.on("close", (status) => resolvePromise(status));
    });
    exited.catch(() => {});
    const check = async (clients) => {
      try {
        signal?.throwIfAborted();
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
        return collect(clients, answer, runtimeFolder);
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
 * @param {{ signal?: AbortSignal, runtime?: string }} [options] signal: stops tsc (the promise
 *   rejects with an AbortError); runtime: the runtime's folder (default {@link runtimeDir})
 * @returns {Promise<TypecheckResult[]>} one per client, in the given order
 */
export async function typecheckClients(clients, options = {}) {
  if (clients.length === 0) return [];
  return startTypecheck(options).check(clients);
}

/** Splits the child's diagnostics by client folder (`c0/...`, `c1/...`) and by file: generated or not. */
function collect(clients, { errors, output }, runtimeFolder) {
  const byClient = clients.map(() => ({ errors: [], generated: [], handWritten: [] }));
  const shownRuntime = displayFolder(runtimeFolder);
  const other = [];
  /** Where a message's continuation lines go: the lists its first line went to. */
  let last = [];
  for (const line of output.split("\n")) {
    if (!line.trim()) continue;
    const match = line.match(/^c(\d+)[\\/](.*)$/);
    if (match) {
      const client = byClient[Number(match[1])];
      const text = match[2].split("\\").join("/");
      if (!client) last = [];
      else if (text.startsWith("generated/")) {
        last = [client.errors, client.generated];
        for (const list of last) list.push(text);
      } else {
        client.errors.push(text);
        client.handWritten.push(`${shownRuntime}/${text}`);
        last = [client.errors, client.handWritten];
      }
    } else if (/error TS/.test(line)) {
      other.push(line);
      last = [other];
    }
    // A message's continuation lines (indented) belong to the diagnostic before them.
    else if (/^\s/.test(line)) for (const list of last) list.push(line);
  }
  if (errors > 0 && byClient.every((c) => c.errors.length === 0)) {
    throw new Error(`tsc failed without naming a generated file:\n${other.join("\n") || output}`);
  }
  return clients.map((client, i) => ({ label: client.label, ok: byClient[i].errors.length === 0, ...byClient[i] }));
}

/** A folder as messages name it: relative to the repository root when inside it, with `/`. */
function displayFolder(folder) {
  const rel = relative(repoRoot, resolve(folder)).split("\\").join("/");
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : resolve(folder);
}

/**
 * What a failed check means, for a person, blaming the file to fix: hand-written runtime files
 * that do not compile are named as such; generated files that import from the runtime what it
 * does not provide (a renamed export, a removed file) mean the runtime and the client generator
 * disagree; only other errors in generated files are a gap in the client generator. At most
 * `limit` lines of diagnostics each.
 * @param {TypecheckResult} result a result with `ok` false
 * @param {{ limit?: number, runtime?: string }} [options] runtime: the runtime's folder (default {@link runtimeDir})
 * @returns {string}
 */
export function describeFailure(result, { limit = 20, runtime = runtimeDir } = {}) {
  const list = (lines) =>
    lines
      .slice(0, limit)
      .map((e) => `  ${e}`)
      .join("\n") + (lines.length > limit ? `\n  ... and ${lines.length - limit} more lines` : "");
  const count = (lines) => {
    const n = lines.filter((l) => /error TS\d+/.test(l)).length;
    return `${n} tsc error${n === 1 ? "" : "s"}`;
  };
  const shownRuntime = displayFolder(runtime);
  if (result.handWritten.length > 0) {
    const files = [...new Set(result.handWritten.map((l) => l.match(/^(.+?)\(\d+,\d+\)/)?.[1]).filter(Boolean))];
    const one = files.length === 1;
    let message =
      `${one ? "the hand-written file" : "the hand-written files"} ${files.join(", ")} (part of the client runtime, not generated) ${one ? "fails" : "fail"} to compile (${count(result.handWritten)}):\n` +
      `${list(result.handWritten)}\n` +
      `Fix ${one ? "it" : "them"} by hand (\`pnpm --filter @traces-sdk/client typecheck\` shows the same errors); ` +
      "where an error names something from ./generated/, the runtime expects generated code that the spec or generator no longer produces, so adjust the runtime or the generator. Nothing was written.";
    if (result.generated.length > 0)
      message += `\nThe generated files have ${count(result.generated)} as well, which may follow from the above:\n${list(result.generated)}`;
    return message;
  }
  // `Module '"../pagination.js"' has no exported member ...`, `Cannot find module '../x.js' ...`
  const runtimeModules = [
    ...new Set(
      result.generated
        .map((l) => l.match(/error TS\d+: .*?['"]\.\.\/([\w.-]+?)(?:\.js)?['"]/)?.[1])
        .filter(Boolean)
        .map((name) => `${shownRuntime}/${name}.ts`),
    ),
  ];
  if (runtimeModules.length > 0) {
    return (
      `the generated client uses what the hand-written runtime (${runtimeModules.join(", ")}) does not provide (${count(result.generated)}):\n` +
      `${list(result.generated)}\n` +
      `The runtime and the client generator (packages/client/codegen) disagree: restore the runtime's export or file, or change the generator to match the runtime. Nothing was written.`
    );
  }
  return (
    `the generated client does not compile (${count(result.generated)}):\n${list(result.generated)}\n` +
    "The spec is valid; this is a gap in the client generator (packages/client/codegen). Nothing was written; " +
    "please report it with the spec. --skip-typecheck writes the output anyway, to inspect it."
  );
}
