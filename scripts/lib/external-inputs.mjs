#!/usr/bin/env node
/**
 * Inputs of generation that live outside the repository, named by environment variables:
 * `TRACES_DOCS_TEMPLATES` (a folder of docs templates) and `TRACES_OPENAPITOOLS` (an
 * openapitools.json). Turbo hashes a variable's value, not the files it names, so this writes a
 * digest of their contents to `.generated-cache/external-inputs.json` (gitignored), which the
 * `generate:stage` tasks list as an input. `scripts/turbo` runs this before every turbo run; the
 * uncached `generate` task recomputes the digest and fails when it no longer matches (turbo was run
 * directly after the files changed), so stale output is never copied into place.
 *
 *   node scripts/lib/external-inputs.mjs           writes the digest
 *   node scripts/lib/external-inputs.mjs --check   exits 1 when the written digest is stale
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PipelineError, reportError } from "./errors.mjs";
import { repoRoot } from "./paths.mjs";

/** The environment variables whose files change generated output. */
export const EXTERNAL_INPUT_VARIABLES = ["TRACES_DOCS_TEMPLATES", "TRACES_OPENAPITOOLS"];

/** Where the digest is written; listed in turbo.json as an input of `generate:stage`. */
export const digestFile = join(repoRoot, ".generated-cache/external-inputs.json");

/**
 * A digest of the files each set variable names: sha256 over every file's relative path and bytes
 * (folders walked in sorted order); `null` for an unset variable, "missing" for a path that does
 * not exist (generation then fails with its own message).
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Record<string, string | null>}
 */
export function externalInputs(env = process.env) {
  const out = {};
  for (const name of EXTERNAL_INPUT_VARIABLES) {
    const value = env[name];
    if (!value) {
      out[name] = null;
      continue;
    }
    const path = resolve(value);
    if (!existsSync(path)) {
      out[name] = "missing";
      continue;
    }
    const hash = createHash("sha256");
    const add = (file) => {
      hash.update(`${relative(path, file).split("\\").join("/")}\0`);
      hash.update(readFileSync(file));
      hash.update("\0");
    };
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.isFile()) add(p);
      }
    };
    if (statSync(path).isDirectory()) walk(path);
    else add(path);
    out[name] = hash.digest("hex");
  }
  return out;
}

/** Writes the digest (only when it changed). @returns {boolean} true when the file was written */
export function writeExternalInputs(env = process.env, file = digestFile) {
  const text = `${JSON.stringify(externalInputs(env), null, 2)}\n`;
  if (existsSync(file) && readFileSync(file, "utf8") === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return true;
}

/**
 * Throws when the written digest does not match the files now (turbo hashed stale contents).
 * @param {NodeJS.ProcessEnv} [env]
 */
export function assertExternalInputsCurrent(env = process.env, file = digestFile) {
  const now = externalInputs(env);
  const written = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const stale = EXTERNAL_INPUT_VARIABLES.filter((n) => (written[n] ?? null) !== now[n]);
  if (stale.length > 0) {
    throw new PipelineError(
      `the files named by ${stale.join(" and ")} changed after turbo hashed them, so a cached result may not match them. ` +
        "Run `pnpm generate` or `pnpm build` (they hash those files first), or `node scripts/lib/external-inputs.mjs` before `turbo run`. " +
        "The generated folders were left unchanged.",
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    if (process.argv.includes("--check")) assertExternalInputsCurrent();
    else writeExternalInputs();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
