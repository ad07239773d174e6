#!/usr/bin/env node
/**
 * Guards a release: fails when a changed publishable package has no pending changeset, when a
 * spec change's pending bump is smaller than the one the spec diff needs, or when a changeset
 * names a package that is private, ignored or unknown (changesets would crash on it at release).
 *
 * "Changed" is measured against a base commit, chosen in this order:
 *   1. `--base <rev>` or the RELEASE_BASE variable;
 *   2. on a pull request (GITHUB_BASE_REF): the merge base with `origin/<that branch>`;
 *   3. on a branch behind `origin/main`: the merge base with `origin/main`;
 *   4. otherwise (main itself, a clone without `origin/main`): the newest release tag
 *      (`@traces-sdk/<name>@<version>`, as `changeset publish` writes them) reachable from HEAD;
 *   5. with no tag either: nothing has been released, so every publishable package counts as
 *      changed and needs a pending changeset.
 *
 *   node scripts/lib/check-release.mjs [--base <rev>]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { PipelineError, reportError, UsageError } from "./errors.mjs";
import { repoRoot } from "./paths.mjs";
import { compileCheck } from "./release-compat.mjs";
import { checkoutSpecAt, readSpec, SPEC_PACKAGES, SPEC_PATH } from "./spec-changeset.mjs";
import { diffSpecs, isSmallerBump, maxBump } from "./spec-diff.mjs";

const BUMPS = new Set(["major", "minor", "patch", "none"]);

/** Files of a package that are not shipped and change no shipped file: tests and their config. */
const NOT_SHIPPED = [
  /(^|\/)test\//,
  /(^|\/)test-results\//,
  /\.test\.[cm]?[jt]sx?$/,
  /\.test-d\.ts$/,
  /(^|\/)vitest\.config\.[cm]?[jt]s$/,
  /(^|\/)CHANGELOG\.md$/,
];

/**
 * The workspace's packages.
 * @returns {{ name: string, dir: string, private: boolean }[]}
 */
export function workspacePackages(root = repoRoot) {
  const list = [];
  for (const dir of ["spec", ...readdirSync(join(root, "packages")).map((d) => `packages/${d}`)]) {
    const file = join(root, dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    list.push({ name: pkg.name, dir, private: Boolean(pkg.private) });
  }
  return list;
}

/**
 * Reads the pending changesets in `.changeset/`.
 * @returns {{ file: string, releases: { name: string, type: string }[] }[]}
 */
export function readChangesets(root = repoRoot) {
  const dir = join(root, ".changeset");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f !== "README.md")
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), "utf8");
      const match = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
      if (!match) {
        throw new PipelineError(
          `.changeset/${f} has no front matter. A changeset starts with ---, one "package": bump line per package, ---.`,
        );
      }
      const front = match[1].trim() === "" ? {} : parseYaml(match[1]);
      return { file: `.changeset/${f}`, releases: Object.entries(front ?? {}).map(([name, type]) => ({ name, type })) };
    });
}

/**
 * The largest pending bump per package, with the files that give it.
 * @returns {Map<string, { bump: string, files: string[] }>}
 */
export function pendingBumps(root = repoRoot) {
  const map = new Map();
  for (const cs of readChangesets(root)) {
    for (const r of cs.releases) {
      const prev = map.get(r.name) ?? { bump: "none", files: [] };
      map.set(r.name, {
        bump: BUMPS.has(r.type) ? maxBump(prev.bump, r.type) : prev.bump,
        files: [...prev.files, cs.file],
      });
    }
  }
  return map;
}

/** True when a package.json differs from its version at `rev` only in `version` (a release commit). */
function onlyVersionChanged(file, rev, root) {
  const before = git(["show", `${rev}:${file}`], root);
  if (before === undefined || !existsSync(join(root, file))) return false;
  try {
    const { version: _a, ...a } = JSON.parse(before);
    const { version: _b, ...b } = JSON.parse(readFileSync(join(root, file), "utf8"));
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function git(args, root) {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Picks the commit that "changed" is measured against (see the file's docstring).
 * @returns {{ rev: string | undefined, why: string }}
 */
export function chooseBase({ base, root = repoRoot, env = process.env } = {}) {
  const explicit = base ?? env.RELEASE_BASE;
  if (explicit) {
    if (!git(["rev-parse", "--verify", "--quiet", `${explicit}^{commit}`], root))
      throw new UsageError(`--base: "${explicit}" is not a commit of this repository. Pass a commit, branch or tag.`);
    return { rev: explicit, why: `--base ${explicit}` };
  }
  const head = git(["rev-parse", "HEAD"], root);
  for (const branch of [env.GITHUB_BASE_REF, "main"].filter(Boolean)) {
    const ref = `origin/${branch}`;
    if (!git(["rev-parse", "--verify", "--quiet", ref], root)) continue;
    const mb = git(["merge-base", "HEAD", ref], root);
    if (mb && mb !== head) return { rev: mb, why: `the merge base with ${ref}` };
  }
  const tag = git(["describe", "--tags", "--abbrev=0", "--match", "@traces-sdk/*@*"], root);
  if (tag) return { rev: tag, why: `the last release tag ${tag}` };
  return { rev: undefined, why: "no release tag: nothing has been released yet" };
}

/**
 * Runs every check.
 * @returns {Promise<{ base: { rev?: string, why: string }, problems: string[], notes: string[] }>}
 */
export async function checkRelease({ base, root = repoRoot, env = process.env } = {}) {
  const problems = [];
  const notes = [];
  const packages = workspacePackages(root);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const config = JSON.parse(readFileSync(join(root, ".changeset/config.json"), "utf8"));
  const ignored = new Set(config.ignore ?? []);

  // 1. Every changeset names only published, not ignored packages, with a known bump.
  for (const cs of readChangesets(root)) {
    for (const r of cs.releases) {
      const pkg = byName.get(r.name);
      if (!pkg)
        problems.push(
          `${cs.file} names ${r.name}, which is not a package of this workspace. Use one of: ${packages
            .filter((p) => !p.private)
            .map((p) => p.name)
            .join(", ")}.`,
        );
      else if (pkg.private)
        problems.push(
          `${cs.file} names ${r.name}, which is private and never published: changesets would not consume it${cs.releases.length > 1 ? " and `changeset version` fails on the mix" : ""}. Remove the line for ${r.name}.`,
        );
      else if (ignored.has(r.name))
        problems.push(
          `${cs.file} names ${r.name}, which .changeset/config.json ignores. Remove the line or the ignore entry.`,
        );
      if (!BUMPS.has(r.type))
        problems.push(`${cs.file}: "${r.name}": ${r.type} is not a bump; use major, minor or patch.`);
    }
  }

  // 2. Every changed publishable package has a pending changeset.
  const chosen = chooseBase({ base, root, env });
  const pending = pendingBumps(root);
  const publishable = packages.filter((p) => !p.private && !ignored.has(p.name));
  let changedFiles;
  if (chosen.rev) {
    const committed = git(["diff", "--name-only", chosen.rev, "--"], root) ?? "";
    const untracked = git(["ls-files", "--others", "--exclude-standard"], root) ?? "";
    changedFiles = [...new Set([...committed.split("\n"), ...untracked.split("\n")].filter(Boolean))];
  }
  const specChanged = !changedFiles || changedFiles.some((f) => f.startsWith("spec/"));
  for (const pkg of publishable) {
    const files = changedFiles
      ? changedFiles.filter(
          (f) =>
            f.startsWith(`${pkg.dir}/`) &&
            !NOT_SHIPPED.some((re) => re.test(f.slice(pkg.dir.length + 1))) &&
            !(f === `${pkg.dir}/package.json` && onlyVersionChanged(f, chosen.rev, root)),
        )
      : ["(not released yet)"];
    const fromSpec = specChanged && SPEC_PACKAGES.includes(pkg.name) && chosen.rev;
    if (files.length === 0 && !fromSpec) continue;
    if (!pending.has(pkg.name) || pending.get(pkg.name).bump === "none") {
      problems.push(
        `${pkg.name} changed since ${chosen.why} (${files.slice(0, 3).join(", ")}${files.length > 3 ? `, … ${files.length} files` : ""}${fromSpec && files.length === 0 ? "spec/" : ""}) but no pending changeset bumps it. Run \`pnpm changeset\` (or \`pnpm spec:changeset\` for a spec change) and commit the file.`,
      );
    } else
      notes.push(
        `${pkg.name}: changed, pending ${pending.get(pkg.name).bump} (${pending.get(pkg.name).files.join(", ")})`,
      );
  }

  // 3. A spec change's pending bump is at least the one the diff needs.
  if (chosen.rev && specChanged) {
    const dir = checkoutSpecAt(chosen.rev, root);
    try {
      const before = await readSpec(join(dir, SPEC_PATH), `${chosen.rev}:${SPEC_PATH}`);
      const after = await readSpec(join(root, SPEC_PATH), SPEC_PATH);
      const diff = diffSpecs(before, after);
      // The compiler's second opinion: released examples and type tests against the built client.
      if (existsSync(join(root, "packages/client/dist/index.d.ts"))) {
        for (const f of await compileCheck(chosen.rev, root)) {
          diff.changes.unshift({ bump: "major", what: `${f.example} no longer compiles: ${f.error}` });
          diff.bump = "major";
        }
      } else if (diff.bump !== "none") {
        notes.push(
          "compile check skipped: the client is not built (run `pnpm build` for the compiler's second opinion)",
        );
      }
      for (const name of SPEC_PACKAGES) {
        const have = pending.get(name)?.bump ?? "none";
        if (isSmallerBump(have, diff.bump)) {
          const why = diff.changes
            .filter((c) => isSmallerBump(have, c.bump))
            .map((c) => `  - needs ${c.bump}: ${c.what}`);
          problems.push(
            `the spec change since ${chosen.why} needs a ${diff.bump} bump of ${name}, but the pending changesets give ${have}:\n${why.join("\n")}\nRun \`pnpm spec:changeset --base ${chosen.rev}\` (or raise the bump in your changeset) and commit the file.`,
          );
        }
      }
      if (diff.bump !== "none")
        notes.push(`spec: ${diff.changes.length} change(s) since ${chosen.why}, needs ${diff.bump}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { base: chosen, problems, notes };
}

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { base: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    throw new UsageError(`${error.message}\nUsage: pnpm check:release [--base <rev>]`);
  }
  if (values.help) {
    process.stdout.write(
      "Usage: pnpm check:release [--base <rev>]\n\nChecks that every changed publishable package has a pending changeset, that a spec change's\npending bump is at least the one it needs, and that changesets name only published packages.\nDefault base: RELEASE_BASE, else the merge base with origin/$GITHUB_BASE_REF or origin/main,\nelse the last release tag; with none, every package counts as unreleased.\n",
    );
    return;
  }
  const { base, problems, notes } = await checkRelease({ base: values.base });
  process.stdout.write(
    `==> comparing against ${base.why}${base.rev && !base.why.includes(base.rev) ? ` (${base.rev.slice(0, 12)})` : ""}\n`,
  );
  for (const n of notes) process.stdout.write(`  ${n}\n`);
  if (problems.length > 0) {
    throw new PipelineError(
      `release check failed (${problems.length} problem${problems.length > 1 ? "s" : ""}):\n- ${problems.join("\n- ")}`,
    );
  }
  process.stdout.write("✓ release check passed\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
