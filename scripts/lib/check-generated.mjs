#!/usr/bin/env node
/**
 * Regenerates every target into a temporary folder and compares it, file by file, with the
 * committed output. Lists what is stale and how to fix it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { reportError } from "./errors.mjs";
import { generate, listFiles, TARGETS } from "./generate.mjs";
import { defaultOutputs, displayPath } from "./paths.mjs";

/**
 * @param {Record<string, string>} committed target → committed folder
 * @param {Record<string, string>} fresh target → freshly generated folder
 * @returns {string[]} one line per differing file
 */
export function compareOutputs(committed, fresh) {
  const stale = [];
  for (const target of Object.keys(fresh)) {
    const a = listFiles(committed[target]);
    const b = listFiles(fresh[target]);
    const shown = displayPath(committed[target]);
    for (const f of b) {
      if (!a.includes(f)) stale.push(`missing   ${shown}/${f}`);
      else if (!readFileSync(join(committed[target], f)).equals(readFileSync(join(fresh[target], f)))) {
        stale.push(`outdated  ${shown}/${f}`);
      }
    }
    for (const f of a) if (!b.includes(f)) stale.push(`extra     ${shown}/${f}`);
  }
  return stale;
}

async function main() {
  const out = mkdtempSync(join(tmpdir(), "traces-check-generated-"));
  try {
    const { outputs } = await generate({ out, quiet: true });
    const committed = Object.fromEntries(Object.keys(TARGETS).map((t) => [t, defaultOutputs[t]]));
    const stale = compareOutputs(committed, outputs);
    if (stale.length > 0) {
      process.stderr.write(
        `error: the committed generated code is stale (${stale.length} file${stale.length === 1 ? "" : "s"}):\n` +
          `${stale.map((s) => `  ${s}`).join("\n")}\n` +
          "Run `pnpm generate` and commit the result. Generated files are never edited by hand.\n",
      );
      process.exitCode = 1;
      return;
    }
    process.stdout.write("✓ generated code is up to date\n");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await main();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
