#!/usr/bin/env node
/**
 * Turns a spec change into a changeset: compares two versions of the spec, classifies every
 * difference by what it means for a user of the generated client (see spec-diff.mjs), and writes
 * `.changeset/spec-<hash>.md` bumping both published packages by the largest bump found.
 *
 * Run `node scripts/lib/spec-changeset.mjs --help` for the options.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { bundle, createConfig } from "@redocly/openapi-core";
import { parse as parseYaml } from "yaml";
import { PipelineError, reportError, SpecError, UsageError } from "./errors.mjs";
import { repoRoot } from "./paths.mjs";
import { diffSpecs, maxBump } from "./spec-diff.mjs";

export { diffSpecs };

/** The packages generated from the spec; a spec change is released in both. */
export const SPEC_PACKAGES = ["@traces-sdk/client", "@traces-sdk/docs"];

/** The spec, relative to the repository root. */
export const SPEC_PATH = "spec/openapi.yaml";

/** The `--help` text. */
export const USAGE = `Usage: pnpm spec:changeset [options]

Compares two versions of the OpenAPI spec, prints one line per change with the version bump it
needs (major: breaks a user's code or changes what it does; minor: something new; patch:
documentation), and writes .changeset/spec-<hash>.md bumping @traces-sdk/client and
@traces-sdk/docs by the largest one.

Options:
  --base <rev|file>   the released spec: a git revision (its ${SPEC_PATH} and every file under
                      spec/ it references) or a YAML/JSON file. Default: HEAD
  --head <file>       the new spec. Default: ${SPEC_PATH} in the working tree
  --print             print the changeset instead of writing it (touches nothing; alias --dry-run)
  --json              print {"bump", "changes": [{"bump", "what"}]} instead of writing
  --check             fail unless .changeset/ holds a pending changeset that bumps both packages
                      by at least the needed bump
  --compile           also type-check the base revision's client type tests and docs examples
                      against the current client (needs a git --base and a built client);
                      an example that no longer compiles makes the change major
  -h, --help          show this help

Neither side is linted for style: any valid OpenAPI 3.0/3.1 document can be compared.

Examples:
  pnpm spec:changeset                          # working tree against HEAD, writes the changeset
  pnpm spec:changeset --base origin/main --print
  pnpm spec:changeset --base old.json --head new.json --print`;

/**
 * Reads and bundles an OpenAPI document without style rules: external `$ref`s (relative to the
 * file) are pulled in, internal ones kept.
 * @param {string} file YAML or JSON
 * @param {string} [shown] how to name the file in errors
 * @returns {Promise<Record<string, any>>}
 */
export async function readSpec(file, shown = file) {
  if (!existsSync(file) || statSync(file).isDirectory()) {
    throw new UsageError(`${shown} is not a file. Pass the path of an OpenAPI 3.x YAML or JSON file.`);
  }
  let root;
  try {
    root = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new SpecError(shown, [{ location: shown, message: `cannot be parsed as YAML or JSON: ${error.message}` }]);
  }
  if (!root || typeof root !== "object" || typeof root.openapi !== "string" || !/^3\.[01]\./.test(root.openapi)) {
    throw new SpecError(shown, [
      { location: shown, message: "is not an OpenAPI 3.0/3.1 document (no `openapi: 3.x` at the top)" },
    ]);
  }
  let result;
  try {
    result = await bundle({ ref: resolve(file), config: await createConfig({}), dereference: false });
  } catch (error) {
    throw new SpecError(shown, [{ location: shown, message: `cannot be read: ${error.message}` }]);
  }
  const problems = (result.problems ?? []).filter((p) => p.severity === "error");
  const spec = result.bundle?.parsed;
  if (!spec || typeof spec !== "object" || typeof spec.openapi !== "string" || !/^3\.[01]\./.test(spec.openapi)) {
    throw new SpecError(shown, [
      { location: shown, message: "is not an OpenAPI 3.0/3.1 document (no `openapi: 3.x` at the top)" },
    ]);
  }
  if (problems.length > 0) {
    throw new SpecError(
      shown,
      problems.map((p) => ({
        location: p.location?.[0]?.pointer ? `${shown}${p.location[0].pointer}` : shown,
        message: p.message,
      })),
    );
  }
  return spec;
}

/**
 * Copies `spec/` as it was at a git revision into a temporary folder (no size limit: git writes
 * straight into tar). The caller removes the folder.
 * @param {string} rev
 * @returns {string} the folder; the spec is at `<folder>/spec/openapi.yaml`
 */
export function checkoutSpecAt(rev, cwd = repoRoot) {
  const verify = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd, encoding: "utf8" });
  if (verify.status !== 0) {
    throw new UsageError(
      `--base: "${rev}" is neither a file nor a git revision of this repository. Pass a commit, branch or tag, or the path of a spec file.`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "traces-spec-base-"));
  const tarFile = join(dir, "spec.tar");
  const archive = spawnSync("git", ["archive", "--format=tar", "-o", tarFile, rev, "spec/"], { cwd, encoding: "utf8" });
  if (archive.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new UsageError(
      `--base: ${rev} has no spec/ folder (${archive.stderr.trim()}). Pass a revision that has ${SPEC_PATH}.`,
    );
  }
  const untar = spawnSync("tar", ["-xf", tarFile, "-C", dir], { encoding: "utf8" });
  rmSync(tarFile, { force: true });
  if (untar.status !== 0 || !existsSync(join(dir, SPEC_PATH))) {
    rmSync(dir, { recursive: true, force: true });
    throw new UsageError(`--base: ${rev} has no ${SPEC_PATH}. Pass a revision that has one.`);
  }
  return dir;
}

/**
 * Loads the released side: a file when `base` names one, otherwise the spec at git revision `base`.
 * @returns {Promise<{ spec: Record<string, any>, label: string, rev?: string }>}
 */
export async function loadBase(base, cwd = repoRoot) {
  const asFile = resolve(cwd, base);
  if (existsSync(asFile) && statSync(asFile).isFile()) return { spec: await readSpec(asFile, base), label: base };
  const dir = checkoutSpecAt(base, cwd);
  try {
    return { spec: await readSpec(join(dir, SPEC_PATH), `${base}:${SPEC_PATH}`), label: base, rev: base };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Renders the changeset file for a diff.
 * @param {{ bump: string, changes: { bump: string, what: string }[] }} diff
 */
export function renderChangeset(diff) {
  const lines = diff.changes.map((c) => `- ${c.bump}: ${c.what}`);
  return `---\n${SPEC_PACKAGES.map((p) => `"${p}": ${diff.bump}`).join("\n")}\n---\n\nAPI spec update:\n\n${lines.join("\n")}\n`;
}

/** Name of the changeset file for a spec's bytes. */
export function changesetName(specText) {
  return `spec-${createHash("sha256").update(specText).digest("hex").slice(0, 10)}.md`;
}

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        base: { type: "string", default: "HEAD" },
        head: { type: "string" },
        check: { type: "boolean" },
        print: { type: "boolean" },
        "dry-run": { type: "boolean" },
        json: { type: "boolean" },
        compile: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError(`${error.message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const headFile = values.head ? resolve(values.head) : join(repoRoot, SPEC_PATH);
  const headLabel = values.head ?? SPEC_PATH;
  const base = await loadBase(values.base, process.cwd());
  const after = await readSpec(headFile, headLabel);
  const diff = diffSpecs(base.spec, after);
  if (values.compile) {
    if (!base.rev)
      throw new UsageError("--compile needs --base to be a git revision (its tests and docs are checked).");
    const { compileCheck } = await import("./release-compat.mjs");
    for (const failure of await compileCheck(base.rev)) {
      diff.changes.unshift({ bump: "major", what: `${failure.example} no longer compiles: ${failure.error}` });
      diff.bump = maxBump(diff.bump, "major");
    }
  }
  const quiet = values.json;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
    return;
  }
  if (diff.bump === "none") {
    if (!quiet) process.stdout.write(`${headLabel} has no change against ${base.label}; no changeset needed.\n`);
    return;
  }
  const body = renderChangeset(diff);
  if (values.check) {
    const { pendingBumps } = await import("./check-release.mjs");
    const pending = pendingBumps(repoRoot);
    const short = SPEC_PACKAGES.filter(
      (p) => maxBump(pending.get(p)?.bump ?? "none", diff.bump) !== (pending.get(p)?.bump ?? "none"),
    );
    if (short.length > 0) {
      const need = diff.changes.filter((c) => c.bump === diff.bump).map((c) => `  ${c.bump}: ${c.what}`);
      throw new PipelineError(
        `${headLabel} changed against ${base.label} and needs a ${diff.bump} bump of ${short.join(" and ")}, but .changeset/ bumps them by ${short.map((p) => pending.get(p)?.bump ?? "nothing").join(", ")}. Because of:\n${need.join("\n")}\nRun \`pnpm spec:changeset --base ${base.label}\` and commit the file.`,
      );
    }
    process.stdout.write(`✓ spec change (${diff.bump}) has a pending changeset of at least that bump\n`);
    return;
  }
  if (values.print || values["dry-run"]) {
    process.stdout.write(body);
    return;
  }
  const name = changesetName(readFileSync(headFile));
  const dir = join(repoRoot, ".changeset");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  const existed = existsSync(file);
  writeFileSync(file, body);
  process.stdout.write(`${existed ? "updated" : "wrote"} ${relative(process.cwd(), file)} (${diff.bump}):\n${body}`);
  // This changeset describes the whole diff against the base, so it replaces spec changesets
  // written for earlier edits since that base (those the base does not have).
  for (const f of readdirSync(dir).filter((x) => x.startsWith("spec-") && x.endsWith(".md") && x !== name)) {
    const atBase =
      base.rev && spawnSync("git", ["cat-file", "-e", `${base.rev}:.changeset/${f}`], { cwd: repoRoot }).status === 0;
    if (base.rev && !atBase) {
      rmSync(join(dir, f));
      process.stdout.write(`removed .changeset/${f}: written for an earlier edit of the spec since ${base.label}\n`);
    } else process.stdout.write(`note: .changeset/${f} is an older pending spec changeset; it stays.\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
