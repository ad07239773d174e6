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
 *   4. otherwise (main itself, a clone without `origin/main`) each package from its own release
 *      state (`packageBase`): its release tag when its version is released; the commit that set
 *      its version when that version awaits publishing (after the "Version Packages" pull request
 *      is merged: its changesets are consumed, so it passes until new changes arrive); with
 *      neither, it is unreleased and needs a pending changeset.
 * A change under spec/ needs a changeset only when the spec diff finds something that ships
 * (patch or more); a breaking change needs a minor bump while the package is 0.x, major from 1.0.
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
import { clientBuildState, compileCheck } from "./release-compat.mjs";
import { checkoutSpecAt, readSpec, SPEC_PACKAGES, SPEC_PATH } from "./spec-changeset.mjs";
import { bumpLabel, diffSpecs, isSmallerBump, maxBump, releaseBump } from "./spec-diff.mjs";

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
 * Picks the commit that "changed" is measured against for a pull request or branch (see the
 * file's docstring); `rev` is undefined on main and in clones without `origin/main`, where each
 * package is measured from its own release state (`packageBase`).
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
  return { rev: undefined, why: "each package's last release or version commit" };
}

/** Compares two x.y.z versions (pre-release tags sort before the release). */
function compareVersions(a, b) {
  const parse = (v) => {
    const [core, pre] = String(v).split("-", 2);
    return [...core.split(".").map((n) => Number.parseInt(n, 10) || 0), pre === undefined ? 1 : 0];
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function versionAt(rev, file, root) {
  const text = git(["show", `${rev}:${file}`], root);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text).version;
  } catch {
    return undefined;
  }
}

/**
 * Where a package stands in the release cycle, and the commit its changes are measured from:
 * - `released`: its package.json version has a release tag (`<name>@<version>`, as `changeset
 *   publish` writes them) reachable from HEAD; changes since that tag need a pending changeset.
 * - `versioned`: its version is ahead of its newest tag, or it was never tagged, but a commit set
 *   the version (`changeset version`, the "Version Packages" pull request): the changesets up to
 *   that commit are consumed into the version and CHANGELOG and wait to be published; only changes
 *   after that commit need a pending changeset. A version changed in the working tree and not yet
 *   committed counts from HEAD.
 * - `unreleased`: never tagged and never versioned: every file counts as changed.
 * @param {{ name: string, dir: string }} pkg
 * @returns {{ state: "released" | "versioned" | "unreleased", rev?: string, why: string, version: string }}
 */
export function packageBase(pkg, root = repoRoot) {
  const file = `${pkg.dir}/package.json`;
  const version = JSON.parse(readFileSync(join(root, file), "utf8")).version ?? "0.0.0";
  const tags = (git(["tag", "--merged", "HEAD", "--list", `${pkg.name}@*`], root) ?? "")
    .split("\n")
    .filter(Boolean)
    .map((t) => ({ tag: t, version: t.slice(pkg.name.length + 1) }))
    .sort((a, b) => compareVersions(b.version, a.version));
  const last = tags[0];
  if (last && compareVersions(last.version, version) === 0)
    return { state: "released", rev: last.tag, why: `its release tag ${last.tag}`, version };
  const lastRelease = last ? `last release ${last.tag}` : "never released";
  const headVersion = versionAt("HEAD", file, root);
  if (headVersion !== undefined && headVersion !== version)
    return {
      state: "versioned",
      rev: "HEAD",
      why: `version ${version} set in the working tree, awaiting publish (${lastRelease})`,
      version,
    };
  // The newest commit (along the first parents) that raised the package.json version.
  const commits = (git(["log", "--first-parent", "--format=%H", "-n", "200", "--", file], root) ?? "")
    .split("\n")
    .filter(Boolean);
  for (const c of commits) {
    const before = versionAt(`${c}^`, file, root);
    const after = versionAt(c, file, root);
    if (after !== version) break;
    // Only a raised version is a release's version commit (not a reset or a package's creation).
    if (before !== undefined && compareVersions(after, before) > 0)
      return {
        state: "versioned",
        rev: c,
        why: `version ${version} set in ${c.slice(0, 12)}, awaiting publish (${lastRelease})`,
        version,
      };
  }
  if (last) return { state: "released", rev: last.tag, why: `its last release tag ${last.tag}`, version };
  return { state: "unreleased", why: `never released or versioned (version ${version})`, version };
}

/** Files changed since `rev` (committed, staged, unstaged and untracked). */
function changedSince(rev, root) {
  const committed = git(["diff", "--name-only", rev, "--"], root) ?? "";
  const untracked = git(["ls-files", "--others", "--exclude-standard"], root) ?? "";
  return [...new Set([...committed.split("\n"), ...untracked.split("\n")].filter(Boolean))];
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

  // 2. Every changed publishable package has a pending changeset; a spec change's pending bump is
  //    at least the one its diff needs (by the 0.x rule of releaseBump).
  const chosen = chooseBase({ base, root, env });
  const pending = pendingBumps(root);
  const publishable = packages.filter((p) => !p.private && !ignored.has(p.name));
  const specDiffs = new Map();
  const specDiffSince = async (rev) => {
    if (!specDiffs.has(rev)) specDiffs.set(rev, await diffSpecSince(rev, root, notes));
    return specDiffs.get(rev);
  };
  for (const pkg of publishable) {
    const pb = chosen.rev
      ? { state: "branch", rev: chosen.rev, why: chosen.why, version: packageBase(pkg, root).version }
      : packageBase(pkg, root);
    const since = pb.state === "branch" ? chosen.why : `${pkg.name}'s ${pb.why.replace(/^its /, "")}`;
    const have = pending.get(pkg.name)?.bump ?? "none";
    if (!pb.rev) {
      if (have === "none")
        problems.push(
          `${pkg.name} is ${pb.why} and no pending changeset bumps it. Run \`pnpm changeset\` and commit the file for its first release.`,
        );
      else notes.push(`${pkg.name}: first release, pending ${have} (${pending.get(pkg.name).files.join(", ")})`);
      continue;
    }
    const changed = changedSince(pb.rev, root);
    const files = changed.filter(
      (f) =>
        f.startsWith(`${pkg.dir}/`) &&
        !NOT_SHIPPED.some((re) => re.test(f.slice(pkg.dir.length + 1))) &&
        !(f === `${pkg.dir}/package.json` && onlyVersionChanged(f, pb.rev, root)),
    );
    // A spec/ change ships only when the classifier finds one in the bundled spec (the lint
    // config and other files under spec/ change nothing generated).
    let spec;
    if (SPEC_PACKAGES.includes(pkg.name) && changed.some((f) => f.startsWith("spec/"))) {
      spec = await specDiffSince(pb.rev);
      if (spec.bump === "none") spec = undefined;
    }
    if (files.length === 0 && !spec) {
      if (pb.state === "versioned") notes.push(`${pkg.name}: ${pb.why}; nothing changed since`);
      continue;
    }
    if (have === "none") {
      const shown = [...files.slice(0, 3), ...(spec ? ["the spec"] : [])].join(", ");
      problems.push(
        `${pkg.name} changed since ${since} (${shown}${files.length > 3 ? `, … ${files.length} files` : ""}) but no pending changeset bumps it. Run \`pnpm changeset\`${spec ? ` (or \`pnpm spec:changeset --base ${pb.rev}\` for the spec change)` : ""} and commit the file.`,
      );
      continue;
    }
    notes.push(`${pkg.name}: changed since ${since}, pending ${have} (${pending.get(pkg.name).files.join(", ")})`);
    if (!spec) continue;
    const need = releaseBump(spec.bump, pb.version);
    if (isSmallerBump(have, need)) {
      const why = spec.changes
        .filter((c) => isSmallerBump(have, releaseBump(c.bump, pb.version)))
        .map((c) => `  - needs ${bumpLabel(c.bump, pb.version)}: ${c.what}`);
      problems.push(
        `the spec change since ${since} needs a ${need} bump of ${pkg.name}${need !== spec.bump ? ` (breaking; minor while ${pkg.name} is 0.x)` : ""}, but the pending changesets give ${have}:\n${why.join("\n")}\nRun \`pnpm spec:changeset --base ${pb.rev}\` (or raise the bump in your changeset) and commit the file.`,
      );
    }
  }
  return { base: chosen, problems, notes };
}

/** The spec diff since `rev`, with the compiler's second opinion when the built client is current. */
async function diffSpecSince(rev, root, notes) {
  const dir = checkoutSpecAt(rev, root);
  try {
    const before = await readSpec(join(dir, SPEC_PATH), `${rev}:${SPEC_PATH}`);
    const after = await readSpec(join(root, SPEC_PATH), SPEC_PATH);
    const diff = diffSpecs(before, after);
    if (diff.bump === "none") return diff;
    const dist = clientBuildState(root);
    if (dist.state === "fresh") {
      for (const f of await compileCheck(rev, root)) {
        diff.changes.unshift({ bump: "major", what: `${f.example} no longer compiles: ${f.error}` });
        diff.bump = "major";
      }
    } else {
      notes.push(`compile check skipped: ${dist.message} Run \`pnpm build\` first for the compiler's second opinion.`);
    }
    notes.push(`spec: ${diff.changes.length} change(s) since ${rev}, needs ${diff.bump}`);
    return diff;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
      "Usage: pnpm check:release [--base <rev>]\n\nChecks that every changed publishable package has a pending changeset, that a spec change's\npending bump is at least the one it needs, and that changesets name only published packages.\nDefault base: RELEASE_BASE, else the merge base with origin/$GITHUB_BASE_REF or origin/main,\nelse (on main) each package's release tag, or the commit that set a version awaiting publish;\na package never released nor versioned needs a pending changeset.\n",
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
