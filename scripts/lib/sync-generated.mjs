#!/usr/bin/env node
/**
 * The second half of `generate`: moves a target's freshly generated files from its package's
 * gitignored staging folder (`<package>/.generated-cache/<target>`, the cached output of the turbo
 * task `generate:stage`) into the committed generated folder. Turbo hashes git-tracked files that
 * match a task's `outputs`, so the cached task must not output into the committed folder: this
 * cheap, uncached step does the copy instead.
 *
 * The committed folder is replaced only when some byte differs, and atomically: the staged tree is
 * copied next to it, then swapped in by rename; a failure leaves the previous output in place.
 * Run outside turbo (`pnpm --filter @traces-sdk/client generate`) it first runs the generator into
 * the staging folder itself.
 *
 *   node scripts/lib/sync-generated.mjs --target client|docs
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { PipelineError, reportError, UsageError } from "./errors.mjs";
import { assertExternalInputsCurrent } from "./external-inputs.mjs";
import { listFiles, TARGETS } from "./generate.mjs";
import { defaultOutputs, displayPath, repoRoot } from "./paths.mjs";

/** The staging folder of a target: `<package>/.generated-cache/<target>` (gitignored). */
export function stagingFolder(target) {
  return join(dirname(dirname(TARGETS[target])), ".generated-cache", target);
}

/** Relative path → sha256 of every file below dir. */
function fingerprint(dir) {
  return Object.fromEntries(
    listFiles(dir).map((f) => [
      f,
      createHash("sha256")
        .update(readFileSync(join(dir, f)))
        .digest("hex"),
    ]),
  );
}

/**
 * Replaces `final` with a copy of `staged` when their bytes differ.
 * @returns {{ changed: string[] }} files added, changed or removed
 */
export function syncFolder(staged, final) {
  const a = fingerprint(staged);
  const b = fingerprint(final);
  const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => a[f] !== b[f]).sort();
  if (changed.length === 0) return { changed };
  const next = `${final}.next-${process.pid}`;
  const previous = `${final}.previous-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  try {
    cpSync(staged, next, { recursive: true });
    if (existsSync(final)) renameSync(final, previous);
    try {
      renameSync(next, final);
    } catch (error) {
      if (existsSync(previous)) renameSync(previous, final);
      throw error;
    }
  } catch (error) {
    throw new PipelineError(
      `could not move the generated files into ${displayPath(final)}: ${error.message}. The previous output is unchanged.`,
      { cause: error },
    );
  } finally {
    rmSync(next, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
  }
  return { changed };
}

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { target: { type: "string" } } }));
  } catch (error) {
    throw new UsageError(`${error.message}\nUsage: node scripts/lib/sync-generated.mjs --target client|docs`);
  }
  const target = values.target;
  if (!target || !(target in TARGETS))
    throw new UsageError(`--target: choose one of ${Object.keys(TARGETS).join(", ")} (got ${target ?? "nothing"}).`);
  const staged = stagingFolder(target);
  if (process.env.TURBO_HASH) {
    // Under turbo, generate:stage ran (or came from the cache) just before.
    assertExternalInputsCurrent(
      relative(repoRoot, dirname(dirname(TARGETS[target])))
        .split("\\")
        .join("/"),
    );
  } else {
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, "scripts/lib/generate.mjs"), "--target", target, "--out", dirname(staged)],
      { stdio: "inherit" },
    );
    if (r.status !== 0) {
      process.exitCode = r.status ?? 1;
      return;
    }
  }
  if (!existsSync(staged))
    throw new PipelineError(
      `${displayPath(staged)} is missing: generation did not run. Run \`pnpm generate\` and check its output.`,
    );
  const final = defaultOutputs[target];
  const { changed } = syncFolder(staged, final);
  process.stdout.write(
    changed.length === 0
      ? `✓ ${target}: ${displayPath(final)} is current\n`
      : `✓ ${target}: ${displayPath(final)} updated (${changed.length} file${changed.length === 1 ? "" : "s"} changed)\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
