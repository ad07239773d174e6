#!/usr/bin/env node
/**
 * Inputs of generation that live outside the repository, named by environment variables:
 * `TRACES_DOCS_TEMPLATES` (a folder of docs templates) and `TRACES_OPENAPITOOLS` (an
 * openapitools.json). Turbo hashes a variable's value, not the files it names, so this writes a
 * digest of their contents to `<package>/.generated-inputs.json` (gitignored) for each package
 * whose generation reads them, which its `generate:stage` task lists as an input. `scripts/turbo` runs this before every turbo run; the
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

/** The variables each package's generation reads (the docs run openapi-generator with our templates). */
export const PACKAGE_INPUTS = {
  "packages/client": [],
  "packages/docs": ["TRACES_DOCS_TEMPLATES", "TRACES_OPENAPITOOLS"],
};

/** Where a package's digest is written; listed in turbo.json as an input of `generate:stage`. */
export function digestFile(packageDir) {
  return join(repoRoot, packageDir, ".generated-inputs.json");
}

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

/** The digest of the variables `names`, as written to a package's file. */
function digestText(names, env) {
  const all = externalInputs(env);
  return `${JSON.stringify(Object.fromEntries(names.map((n) => [n, all[n]])), null, 2)}\n`;
}

/** Writes every package's digest (only where it changed). */
export function writeExternalInputs(env = process.env) {
  for (const [dir, names] of Object.entries(PACKAGE_INPUTS)) {
    const file = digestFile(dir);
    const text = digestText(names, env);
    if (existsSync(file) && readFileSync(file, "utf8") === text) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/**
 * Throws when a package's written digest does not match the files now (turbo hashed stale contents).
 * @param {string} packageDir e.g. "packages/docs"
 * @param {NodeJS.ProcessEnv} [env]
 */
export function assertExternalInputsCurrent(packageDir, env = process.env) {
  const names = PACKAGE_INPUTS[packageDir] ?? [];
  const now = externalInputs(env);
  const file = digestFile(packageDir);
  const written = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const stale = names.filter((n) => (written[n] ?? null) !== now[n]);
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
    if (process.argv.includes("--check"))
      for (const dir of Object.keys(PACKAGE_INPUTS)) assertExternalInputsCurrent(dir);
    else writeExternalInputs();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
