#!/usr/bin/env node
/**
 * Turns a spec change into a changeset: compares spec/openapi.yaml with the version at a git
 * revision, classifies every difference by what it means for a client user, and writes
 * `.changeset/spec-<hash>.md` bumping both published packages by the largest bump found.
 *
 *   node scripts/lib/spec-changeset.mjs [--base <git-rev>] [--check] [--dry-run]
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { PipelineError, reportError, UsageError } from "./errors.mjs";
import { loadSpec } from "./load-spec.mjs";
import { collectOperations } from "./operations.mjs";
import { defaultSpec, repoRoot } from "./paths.mjs";

/** The packages generated from the spec; a spec change is released in both. */
export const SPEC_PACKAGES = ["@traces-sdk/client", "@traces-sdk/docs"];

const RANK = { none: 0, patch: 1, minor: 2, major: 3 };

/**
 * @typedef {{ bump: "major" | "minor" | "patch", what: string }} Change
 */

/**
 * Compares two bundled specs.
 * @param {Record<string, any>} before
 * @param {Record<string, any>} after
 * @returns {{ bump: "none" | "patch" | "minor" | "major", changes: Change[] }}
 */
export function diffSpecs(before, after) {
  /** @type {Change[]} */
  const changes = [];
  const add = (bump, what) => changes.push({ bump, what });
  const opsBefore = new Map(collectOperations(before).map((o) => [`${o.method.toUpperCase()} ${o.path}`, o]));
  const opsAfter = new Map(collectOperations(after).map((o) => [`${o.method.toUpperCase()} ${o.path}`, o]));

  for (const [key, op] of opsBefore) {
    const next = opsAfter.get(key);
    if (!next) {
      add("major", `removed operation ${key} (\`${op.resource}.${op.methodName}\`)`);
      continue;
    }
    const name = `\`${next.resource}.${next.methodName}\``;
    if (op.resource !== next.resource || op.methodName !== next.methodName) {
      add("major", `renamed \`${op.resource}.${op.methodName}\` to ${name}`);
    }
    const paramsBefore = new Map(op.parameters.map((p) => [`${p.in}:${p.name}`, p]));
    const paramsAfter = new Map(next.parameters.map((p) => [`${p.in}:${p.name}`, p]));
    for (const [pk, p] of paramsBefore) {
      const q = paramsAfter.get(pk);
      if (!q) add("major", `${name}: removed parameter \`${p.name}\``);
      else {
        if (!p.required && q.required) add("major", `${name}: parameter \`${p.name}\` is now required`);
        if (p.required && !q.required) add("minor", `${name}: parameter \`${p.name}\` is now optional`);
        compareInputSchema(`${name}: parameter \`${p.name}\``, p.schema, q.schema, add, before, after);
      }
    }
    for (const [pk, q] of paramsAfter) {
      if (!paramsBefore.has(pk)) {
        add(
          q.required ? "major" : "minor",
          `${name}: ${q.required ? "new required" : "new optional"} parameter \`${q.name}\``,
        );
      }
    }
    if (op.pagination && !next.pagination) add("major", `${name}: no longer paginated`);
    if (!op.pagination && next.pagination) add("minor", `${name}: now paginated`);
    const statusesBefore = new Set(op.responses.map((r) => r.status));
    for (const r of next.responses)
      if (!statusesBefore.has(r.status)) add("minor", `${name}: documents response ${r.status}`);
    if (op.summary !== next.summary || op.description !== next.description)
      add("patch", `${name}: description updated`);
  }
  for (const [key, op] of opsAfter) {
    if (!opsBefore.has(key)) add("minor", `new operation ${key} (\`${op.resource}.${op.methodName}\`)`);
  }

  const schemasBefore = before.components?.schemas ?? {};
  const schemasAfter = after.components?.schemas ?? {};
  for (const [sname, s] of Object.entries(schemasBefore)) {
    const t = schemasAfter[sname];
    if (!t) {
      add("major", `removed schema \`${sname}\``);
      continue;
    }
    const reqBefore = new Set(s.required ?? []);
    const reqAfter = new Set(t.required ?? []);
    for (const prop of Object.keys(s.properties ?? {})) {
      if (!(prop in (t.properties ?? {}))) add("major", `\`${sname}\`: removed property \`${prop}\``);
      else if (reqBefore.has(prop) && !reqAfter.has(prop))
        add("major", `\`${sname}\`: property \`${prop}\` is no longer always present`);
      else if (!reqBefore.has(prop) && reqAfter.has(prop))
        add("minor", `\`${sname}\`: property \`${prop}\` is now always present`);
      else if (stableJson(typeOnly(s.properties[prop])) !== stableJson(typeOnly(t.properties[prop]))) {
        add("major", `\`${sname}\`: the type of property \`${prop}\` changed`);
      } else if (stableJson(s.properties[prop]) !== stableJson(t.properties[prop])) {
        add("patch", `\`${sname}\`: property \`${prop}\` documentation updated`);
      }
    }
    for (const prop of Object.keys(t.properties ?? {})) {
      if (!(prop in (s.properties ?? {}))) add("minor", `\`${sname}\`: new property \`${prop}\``);
    }
    for (const v of s.enum ?? [])
      if (!(t.enum ?? []).includes(v)) add("major", `\`${sname}\`: removed enum value ${JSON.stringify(v)}`);
    for (const v of t.enum ?? [])
      if (!(s.enum ?? []).includes(v)) add("minor", `\`${sname}\`: new enum value ${JSON.stringify(v)}`);
    if (s.description !== t.description) add("patch", `\`${sname}\`: description updated`);
  }
  for (const sname of Object.keys(schemasAfter)) if (!(sname in schemasBefore)) add("minor", `new schema \`${sname}\``);

  if (changes.length === 0 && stableJson(before) !== stableJson(after))
    add("patch", "documentation and examples updated");
  const bump = changes.reduce((max, c) => (RANK[c.bump] > RANK[max] ? c.bump : max), "none");
  return { bump, changes };
}

/** An input (parameter) schema got stricter (major) or looser (minor). */
function compareInputSchema(label, a, b, add) {
  if (stableJson(typeOnly(a)) !== stableJson(typeOnly(b))) {
    add("major", `${label}: type changed`);
    return;
  }
  const tighter = (k, cmp) => a?.[k] !== b?.[k] && b?.[k] !== undefined && (a?.[k] === undefined || cmp(b[k], a[k]));
  for (const [k, cmp] of [
    ["minimum", (x, y) => x > y],
    ["minItems", (x, y) => x > y],
    ["minLength", (x, y) => x > y],
    ["maximum", (x, y) => x < y],
    ["maxItems", (x, y) => x < y],
    ["maxLength", (x, y) => x < y],
  ]) {
    if (tighter(k, cmp)) add("major", `${label}: \`${k}\` tightened to ${b[k]}`);
    else if (a?.[k] !== b?.[k]) add("minor", `${label}: \`${k}\` relaxed`);
  }
  for (const v of a?.enum ?? [])
    if (!(b?.enum ?? []).includes(v)) add("major", `${label}: no longer accepts ${JSON.stringify(v)}`);
  for (const v of b?.enum ?? [])
    if (!(a?.enum ?? []).includes(v)) add("minor", `${label}: accepts ${JSON.stringify(v)}`);
  if (a?.default !== b?.default) add("minor", `${label}: default changed to ${JSON.stringify(b?.default)}`);
}

/** The parts of a schema that decide its TypeScript type. */
function typeOnly(schema) {
  if (!schema || typeof schema !== "object") return schema;
  const {
    description,
    title,
    example,
    examples,
    default: _d,
    minimum,
    maximum,
    minItems,
    maxItems,
    minLength,
    maxLength,
    ...rest
  } = schema;
  return Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.map(typeOnly) : typeof v === "object" ? typeOnly(v) : v,
    ]),
  );
}

function stableJson(value) {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Renders the changeset file for a diff.
 * @param {{ bump: string, changes: Change[] }} diff
 */
export function renderChangeset(diff) {
  const order = ["major", "minor", "patch"];
  const lines = [...diff.changes]
    .sort((a, b) => order.indexOf(a.bump) - order.indexOf(b.bump))
    .map((c) => `- ${c.what}`);
  return `---\n${SPEC_PACKAGES.map((p) => `"${p}": ${diff.bump}`).join("\n")}\n---\n\nAPI spec update:\n\n${lines.join("\n")}\n`;
}

async function loadAt(rev) {
  let text;
  try {
    text = execFileSync("git", ["show", `${rev}:spec/openapi.yaml`], {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    throw new UsageError(
      `--base: git has no spec/openapi.yaml at "${rev}". Pass a commit, branch or tag that has one (default: HEAD).`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "traces-spec-base-"));
  try {
    writeFileSync(join(dir, "openapi.yaml"), text);
    return (await loadSpec(join(dir, "openapi.yaml"))).spec;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        base: { type: "string", default: "HEAD" },
        check: { type: "boolean" },
        "dry-run": { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new UsageError(`${error.message}\nUsage: pnpm spec:changeset [--base <git-rev>] [--check] [--dry-run]`);
  }
  const before = await loadAt(values.base);
  const after = (await loadSpec(defaultSpec)).spec;
  const diff = diffSpecs(before, after);
  if (diff.bump === "none") {
    process.stdout.write(`spec/openapi.yaml has no change against ${values.base}; no changeset needed.\n`);
    return;
  }
  const hash = createHash("sha256").update(readFileSync(defaultSpec)).digest("hex").slice(0, 10);
  const file = join(repoRoot, ".changeset", `spec-${hash}.md`);
  const body = renderChangeset(diff);
  if (values.check) {
    const dir = join(repoRoot, ".changeset");
    const has = readdirSync(dir).some((f) => f.startsWith("spec-") && f.endsWith(".md"));
    if (!has) {
      throw new PipelineError(
        `spec/openapi.yaml changed against ${values.base} (${diff.bump} bump) but .changeset/ has no spec changeset. Run \`pnpm spec:changeset --base ${values.base}\` and commit the file.`,
      );
    }
    process.stdout.write(`✓ spec change (${diff.bump}) has a changeset\n`);
    return;
  }
  if (values["dry-run"]) {
    process.stdout.write(body);
    return;
  }
  const existed = existsSync(file);
  writeFileSync(file, body);
  process.stdout.write(`${existed ? "updated" : "wrote"} .changeset/spec-${hash}.md (${diff.bump}):\n${body}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
