#!/usr/bin/env node
/**
 * The generation pipeline: validate the spec, run every target's generator into a temporary
 * folder, check the output, and only then swap it in. A failure anywhere leaves the previous
 * output exactly as it was.
 *
 *   node scripts/lib/generate.mjs [--spec <file>] [--out <dir>] [--target client,docs] [--strict]
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { constants as osConstants } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { describeFailure, startTypecheck } from "./compile-gate.mjs";
import { PipelineError, reportError, StoppedError, UsageError } from "./errors.mjs";
import { loadSpec } from "./load-spec.mjs";
import { collectOperations } from "./operations.mjs";
import { watchParent } from "./parent-watch.mjs";
import { defaultOutputs, defaultSpec, displayPath, regenerateCommand, repoRoot } from "./paths.mjs";
import { assertRefsInside } from "./spec-refs.mjs";

/** Every target, in the order they run. Each is a package's `codegen/index.mjs`. */
export const TARGETS = {
  client: join(repoRoot, "packages/client/codegen/index.mjs"),
  docs: join(repoRoot, "packages/docs/codegen/index.mjs"),
};

/** The order targets start in: the docs first, since their generator runs in a child process. */
const START_ORDER = ["docs", "client"];

/** Targets whose module exports `preflight` (tools checked before anything is generated). */
const PREFLIGHT = new Set(["docs"]);

/** Extensions of generated files that must carry the do-not-edit header. */
const HEADED = /\.(ts|mts|cts|js|mjs|md|html|css|yaml|yml)$/;

const USAGE = `Usage: pnpm generate [--spec <file>] [--out <dir>] [--target ${Object.keys(TARGETS).join(",")}] [--strict]

  --spec <file>    OpenAPI 3.0/3.1 document (YAML or JSON). Default: spec/openapi.yaml
  --out <dir>      write each target to <dir>/<target> instead of the packages' generated folders
  --target <list>  comma-separated targets to generate. Default: all
  --strict         fail on warnings too: the known-invalid but workable parts of a spec
                   (component keys with spaces, examples outside their schema, ...)
  --skip-typecheck write the client without type-checking it first (tsc --noEmit with the runtime)
  --quiet          print only warnings and errors

Generation fails only on what makes a correct client or docs impossible: a document that does
not parse, an unresolved $ref, duplicate operationIds, path templates and parameters that
disagree, invalid schema types. Style rules for spec/openapi.yaml run in \`pnpm lint\`.
(--lenient, the former opt-in to warnings, is accepted and no longer needed.)`;

/**
 * @typedef {object} GenerateOptions
 * @property {string} [spec]
 * @property {string} [out]
 * @property {string[]} [targets]
 * @property {boolean} [strict] fail on warnings too
 * @property {boolean} [skipTypecheck] write the client without the compile gate
 * @property {boolean} [lenient] deprecated: warnings are the default; prints a notice
 * @property {boolean} [quiet]
 * @property {string} [clientRuntime] the hand-written runtime the compile gate checks the client
 *   with (default packages/client/src)
 */

/**
 * Runs the pipeline. Throws a PipelineError for anything the user can fix.
 * @param {GenerateOptions} options
 * @returns {Promise<{ outputs: Record<string, string>, warnings: string[] }>}
 */
export async function generate(options = {}) {
  const specFile = options.spec ?? defaultSpec;
  // `--target client,client` names one target.
  const targets = [...new Set(options.targets ?? Object.keys(TARGETS))];
  const log = options.quiet ? () => {} : (line) => process.stdout.write(`${line}\n`);
  const started = Date.now();
  const steps = targets.length + 2;
  let step = 0;
  const banner = (text) => log(`› [${++step}/${steps}] ${text}`);

  for (const t of targets) {
    if (!(t in TARGETS))
      throw new UsageError(`--target: unknown target "${t}". Choose from: ${Object.keys(TARGETS).join(", ")}.`);
  }
  const outputs = Object.fromEntries(
    targets.map((t) => [t, options.out ? resolve(options.out, t) : defaultOutputs[t]]),
  );

  if (options.out && existsSync(options.out) && !statSync(options.out).isDirectory()) {
    throw new UsageError(`--out: ${displayPath(resolve(options.out))} is a file; name a folder.`);
  }
  // Replacing a folder deletes what is in it: only output of an earlier run may be replaced.
  for (const t of targets) {
    const problem = notGeneratedOutput(outputs[t]);
    if (problem) {
      throw new UsageError(
        `--out: ${displayPath(outputs[t])} ${problem}, and generating would replace it. Nothing was written. Choose a new or empty folder for --out (the ${t} goes into its "${t}" subfolder).`,
      );
    }
  }

  if (options.lenient) {
    process.stderr.write(
      "notice: --lenient is no longer needed and will be removed: known-invalid but workable parts of a spec are warnings by default (use --strict to make them fail).\n",
    );
  }
  const strict = Boolean(options.strict);
  // The compile gate's tsc starts now and reads the standard library and the runtime while the
  // spec is validated and the targets generate; a target that fails stops it (abort).
  const abort = new AbortController();
  // Ctrl-C or kill: stop the child processes (JVM, tsc) through `abort`, let every step remove its
  // temporary folders, write nothing, and exit as the signal says. A second signal exits at once.
  /** @type {string | undefined} */
  let stoppedBy;
  const onSignal = (name, why = name) => {
    const code = 128 + (osConstants.signals[name] ?? 0);
    if (stoppedBy) process.exit(code);
    stoppedBy = name;
    process.stderr.write(`\nstopping (${why}): cleaning up; nothing will be written ...\n`);
    abort.abort();
    setTimeout(() => process.exit(code), 10_000).unref();
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  // Node.js passes the signal's number as the second argument; `why` is ours.
  const onProcessSignal = (name) => onSignal(name);
  for (const name of signals) process.on(name, onProcessSignal);
  // A stop that reached this process and its parent shell together (Ctrl-C, a group signal) also
  // leaves it re-parented: that is the same stop, not a second one.
  const orphaned = watchParent(() => {
    if (!stoppedBy) onSignal("SIGTERM", "the package manager running this command was stopped");
  });
  const typecheck =
    targets.includes("client") && !options.skipTypecheck
      ? startTypecheck({ signal: abort.signal, runtime: options.clientRuntime })
      : undefined;
  try {
    return await run();
  } catch (error) {
    if (stoppedBy) throw new StoppedError(stoppedBy, 128 + (osConstants.signals[stoppedBy] ?? 0));
    throw error;
  } finally {
    typecheck?.close();
    orphaned.stop();
    for (const name of signals) process.off(name, onProcessSignal);
  }

  async function run() {
    const modules = {};
    const tools = {};
    const load = async (t) => {
      if (!modules[t]) {
        modules[t] = await import(pathToFileURL(TARGETS[t]).href);
        tools[t] = await modules[t].preflight?.({ strict, log });
      }
      return modules[t];
    };
    // Check every tool every target needs before anything is generated, so a missing Java fails fast;
    // the checks (java -version) run while the spec is validated, and report after its problems.
    // What a preflight finds (the docs' generator jar) is handed to that target's generate step.
    // The other targets' modules load when they start (the client's loads TypeScript), so that
    // the docs' JVM starts sooner.
    const preflights = Promise.all(targets.filter((t) => PREFLIGHT.has(t)).map(load));
    preflights.catch(() => {});
    banner(`validating ${displayPath(specFile)}${strict ? " (strict)" : ""}`);
    // The repository's own spec may only $ref files under spec/ (the build's inputs).
    if (resolve(specFile) === defaultSpec) assertRefsInside(defaultSpec);
    const loaded = await loadSpec(specFile, { strict });
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    const operations = collectOperations(loaded.spec);
    log(`  ${operations.length} operations, ${Object.keys(loaded.spec.components?.schemas ?? {}).length} schemas`);

    await preflights;

    const specLabel = commandPath(loaded.absolutePath);
    const command = commandFor({ ...options, targets });
    const staged = {};
    // The targets run at the same time: the docs' generator works in a JVM (a child process), the
    // client is written in this process meanwhile, and the compile gate's tsc (another child) starts
    // as soon as the client is there. A target that fails stops the others' child processes.
    /** @type {Promise<{ result: import("./compile-gate.mjs").TypecheckResult, seconds: number }> | undefined} */
    let gate;
    const runTarget = async (t) => {
      banner(`${t}: generating`);
      const t0 = Date.now();
      await (await load(t)).generate({
        spec: loaded.spec,
        specText: loaded.text,
        specLabel,
        operations,
        outDir: staged[t],
        strict,
        tools: tools[t],
        signal: abort.signal,
        header: `Generated from ${specLabel} by \`${command}\`${command === regenerateCommand ? "" : " (at the repository root)"}. Do not edit this file: change the spec (or the generator) and regenerate.`,
        log: (line) => log(`  ${line}`),
        warn: (line) => process.stderr.write(`warning: ${t}: ${line}\n`),
      });
      checkHeaders(t, staged[t]);
      log(`  ${t}: done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      if (t === "client" && !options.skipTypecheck) {
        const t1 = Date.now();
        gate = typecheck.check([{ label: "client", dir: staged[t] }]).then(([result]) => ({
          result,
          seconds: (Date.now() - t1) / 1000,
        }));
        await gate;
      }
    };
    /** Folders this run created for its output: removed again if the run writes nothing. */
    const created = [];
    try {
      for (const t of targets) {
        const parent = dirname(outputs[t]);
        const first = mkdirSync(parent, { recursive: true });
        if (first) created.push(first);
        staged[t] = mkdtempSync(join(parent, `.${basename(outputs[t])}-staging-`));
      }
      // Each call runs synchronously up to its target's first wait: the docs, started first, have
      // spawned the JVM by the time the client starts.
      const running = new Map();
      for (const t of [...targets].sort((a, b) => START_ORDER.indexOf(a) - START_ORDER.indexOf(b))) {
        running.set(
          t,
          runTarget(t).then(
            () => undefined,
            (error) => {
              abort.abort();
              return error;
            },
          ),
        );
      }
      const errors = [];
      for (const t of targets) errors.push(await running.get(t));
      // The first failure in target order; a child process stopped because of it is not the cause.
      const failure = errors.find((e) => e && !isAbort(e)) ?? errors.find(Boolean);
      if (failure) throw failure;
      if (gate) {
        const { result, seconds } = await gate;
        if (!result.ok) throw new PipelineError(describeFailure(result, { runtime: options.clientRuntime }));
        log(`  client: type-checked with the runtime in ${seconds.toFixed(1)}s`);
      }
      if (stoppedBy) throw new Error("stopped");
      banner(`writing ${targets.map((t) => displayPath(outputs[t])).join(", ")}`);
      swapAll(targets.map((t) => ({ staged: staged[t], final: outputs[t] })));
    } finally {
      for (const dir of Object.values(staged)) rmSync(dir, { recursive: true, force: true });
      // `mkdirSync` returns the first folder it made; a failed run leaves none of them behind.
      for (const dir of created) if (existsSync(dir) && listFiles(dir).length === 0) rmSync(dir, { recursive: true });
    }
    log(`✓ generated ${targets.join(" and ")} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return { outputs, warnings: loaded.warnings };
  }
}

/** True for the error a child process reports when it was stopped because another target failed. */
function isAbort(error) {
  return error?.name === "AbortError" || error?.code === "ABORT_ERR";
}

/**
 * Why `dir` must not be replaced, or undefined when it may be: it does not exist, is empty, or is
 * earlier output (it holds files of the kinds that carry the do-not-edit header, and each does).
 * @param {string} dir
 */
export function notGeneratedOutput(dir) {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return "is a file, not a folder";
  const files = listFiles(dir);
  if (files.length === 0) return undefined;
  const headed = files.filter((file) => HEADED.test(file));
  const foreign = headed.find((file) => !readHead(join(dir, file)).includes("Do not edit this file"));
  if (foreign) return `holds ${foreign}, which pnpm generate did not write (it lacks the do-not-edit header)`;
  if (headed.length === 0) return "holds files that pnpm generate did not write";
  return undefined;
}

/** The first 600 bytes of a file, where the do-not-edit header stands (a page may be megabytes). */
function readHead(file) {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(600);
    return buffer.toString("utf8", 0, readSync(fd, buffer, 0, 600, 0));
  } finally {
    closeSync(fd);
  }
}

/** Every headed file must open with the do-not-edit line; a generator that forgets is our bug. */
function checkHeaders(target, dir) {
  for (const file of listFiles(dir)) {
    if (!HEADED.test(file)) continue;
    const head = readHead(join(dir, file));
    if (!head.includes("Do not edit this file")) {
      throw new Error(`${target} generator wrote ${file} without the do-not-edit header`);
    }
  }
}

/**
 * Moves each staged folder into place. The old folders are moved aside first and restored if any
 * move fails, so the outputs change together or not at all.
 */
function swapAll(pairs) {
  const done = [];
  try {
    for (const { staged, final } of pairs) {
      const backup = existsSync(final) ? `${staged}-previous` : undefined;
      if (backup) renameSync(final, backup);
      try {
        renameSync(staged, final);
      } catch (error) {
        if (backup) renameSync(backup, final);
        throw error;
      }
      done.push({ final, backup, staged });
    }
  } catch (error) {
    for (const { final, backup, staged } of done.reverse()) {
      renameSync(final, staged);
      if (backup) renameSync(backup, final);
    }
    throw new PipelineError(
      `could not move the generated files into place: ${error.message}. The previous output is unchanged.`,
      {
        cause: error,
      },
    );
  }
  for (const { backup } of done) if (backup) rmSync(backup, { recursive: true, force: true });
}

/** Sorted relative paths of every file below dir. @param {string} dir */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.push(relative(dir, p).split("\\").join("/"));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * A path as the do-not-edit header names it: relative to the repository root, where its command
 * runs (`spec/openapi.yaml`, `../app/openapi.yaml` for a file beside the repository), with `/`
 * separators, and quoted for a POSIX shell when it needs quoting. Never absolute, so that output
 * does not depend on where the repository is checked out.
 * @param {string} absolutePath
 */
export function commandPath(absolutePath) {
  let rel = relative(repoRoot, absolutePath).split(sep).join("/") || ".";
  // `--spec -a.yaml` would read as an option.
  if (rel.startsWith("-")) rel = `./${rel}`;
  return shellQuote(rel);
}

/**
 * `text` as one POSIX shell word, unchanged when it is plain. The quoted forms never contain `*\/`
 * or `-->`, which would end the comment a header stands in.
 * @param {string} text
 */
export function shellQuote(text) {
  if (/^[A-Za-z0-9._/@%+=:,-]+$/.test(text)) return text;
  const control = (c) => c.charCodeAt(0) < 0x20 || c === "\x7f";
  if ([...text].some(control)) {
    // ANSI-C quoting (bash, zsh, POSIX.1-2024 sh) spells control characters as escapes.
    const escaped = [...text]
      .map((c) =>
        control(c) ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}` : c === "\\" || c === "'" ? `\\${c}` : c,
      )
      .join("")
      .replaceAll("*/", "*\\x2f")
      .replaceAll("-->", "--\\x3e");
    return `$'${escaped}'`;
  }
  // Inside single quotes nothing is special but the quote itself; `*/` and `-->` are split by
  // closing and reopening the quotes around an escaped character.
  const escaped = text.replaceAll("'", "'\\''").replaceAll("*/", "*'\\/'").replaceAll("-->", "--'\\>'");
  return `'${escaped}'`;
}

/**
 * The command the do-not-edit header names, one that regenerates the output it stands in: for
 * the repository's own spec `pnpm generate` (wherever the output was written: it is the packages'
 * output, e.g. staged in `.generated-cache/`); for another spec `pnpm generate --spec <file>`,
 * plus `--out <dir>` and `--target <list>` when they were given, paths relative to the repository
 * root (see {@link commandPath}).
 * @param {{ spec?: string, out?: string, targets: string[] }} options
 */
function commandFor(options) {
  if (!options.spec || resolve(options.spec) === defaultSpec) return regenerateCommand;
  const parts = [regenerateCommand, "--spec", commandPath(resolve(options.spec))];
  if (options.out) parts.push("--out", commandPath(resolve(options.out)));
  if (options.targets.length < Object.keys(TARGETS).length) parts.push("--target", options.targets.join(","));
  return parts.join(" ");
}

/** Parses argv; throws UsageError with the usage text on anything unknown. */
export function parseCli(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        spec: { type: "string" },
        out: { type: "string" },
        target: { type: "string", multiple: true },
        strict: { type: "boolean" },
        "skip-typecheck": { type: "boolean" },
        lenient: { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${error.message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  for (const key of ["spec", "out"]) {
    if (v[key] !== undefined && v[key].trim() === "") throw new UsageError(`--${key} needs a value.\n\n${USAGE}`);
  }
  return {
    spec: v.spec,
    out: v.out,
    targets: v.target
      ?.flatMap((t) => t.split(","))
      .map((t) => t.trim())
      .filter(Boolean),
    strict: v.strict,
    skipTypecheck: v["skip-typecheck"],
    lenient: v.lenient,
    quiet: v.quiet,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const options = parseCli(process.argv.slice(2));
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
    } else {
      await generate(options);
    }
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
