import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadSpec } from "./load-spec.mjs";
import { defaultSpec, repoRoot } from "./paths.mjs";
import { diffSpecs, readSpec, renderChangeset } from "./spec-changeset.mjs";
import { SPEC_CHANGE_CASES } from "./spec-changeset-corpus.mjs";

// Specs are plain JSON trees; the tests reach into them by known paths.
// biome-ignore lint/suspicious/noExplicitAny: a spec document has no static type here.
type Spec = any;
const base: Spec = (await loadSpec(defaultSpec)).spec;
const RANK = { none: 0, patch: 1, minor: 2, major: 3 } as const;
const engineSpec = join(repoRoot, "scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json");

/** The case's base (the spec plus its setup) and revision (the base plus its one edit). */
function pair(c: (typeof SPEC_CHANGE_CASES)[number]): [Spec, Spec] {
  const before = structuredClone(base);
  c.setup?.(before);
  const after = structuredClone(before);
  c.edit(after);
  return [before, after];
}

const overStatements: string[] = [];
afterAll(() => {
  if (overStatements.length > 0) console.log(`known over-statements:\n${overStatements.join("\n")}`);
});

describe("the version bump a single spec change needs", () => {
  it("has a corpus of at least 100 cases covering every bump", () => {
    expect(SPEC_CHANGE_CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(SPEC_CHANGE_CASES.map((c) => c.id)).size).toBe(SPEC_CHANGE_CASES.length);
    for (const bump of ["none", "patch", "minor", "major"])
      expect(SPEC_CHANGE_CASES.filter((c) => c.bump === bump).length).toBeGreaterThan(0);
  });

  for (const c of SPEC_CHANGE_CASES) {
    it(`${c.id}: ${c.bump} (${c.why})`, () => {
      const [before, after] = pair(c);
      if (c.bump !== "none") expect(after, "the edit must change the spec").not.toEqual(before);
      const diff = diffSpecs(before, after);
      // Never smaller than needed; larger only where the case says so.
      expect(RANK[diff.bump as keyof typeof RANK], diff.changes.map((x) => x.what).join("\n")).toBeGreaterThanOrEqual(
        RANK[c.bump],
      );
      expect(diff.bump, diff.changes.map((x) => `${x.bump}: ${x.what}`).join("\n")).toBe(c.classified ?? c.bump);
      if (c.classified) overStatements.push(`${c.id}: ${c.classified} where ${c.bump} is enough`);
      // Every line names a place and says what happened, once.
      for (const change of diff.changes) expect(change.what).toMatch(/^.+: .+$/);
      expect(new Set(diff.changes.map((x) => x.what)).size).toBe(diff.changes.length);
    });
  }

  it("is direction-aware: undoing a widened input or a narrowed output is major", () => {
    // A spot check of direction-awareness: widening input is minor, its reverse major, and so on.
    for (const id of [
      "input enum gains a value",
      "request body property becomes optional",
      "output enum loses a value",
    ]) {
      const c = SPEC_CHANGE_CASES.find((x) => x.id === id);
      if (!c) throw new Error(id);
      const [before, after] = pair(c);
      expect(diffSpecs(after, before).bump, id).toBe("major");
    }
  });

  it("names path and field in plain words", () => {
    const c = SPEC_CHANGE_CASES.find((x) => x.id === "request body gains a required property");
    if (!c) throw new Error("case missing");
    expect(diffSpecs(...pair(c)).changes).toEqual([
      { bump: "major", what: "`NoteCreate.subject` (in requests): new required property" },
    ]);
    const p = SPEC_CHANGE_CASES.find((x) => x.id === "input maximum lowered");
    if (!p) throw new Error("case missing");
    expect(diffSpecs(...pair(p)).changes).toEqual([
      {
        bump: "major",
        what: "GET /api/v1/traces/users (`users.listUsersMetadata`) parameter `page_size` (query): `maximum` tightened from 5000 to 100",
      },
    ]);
  });

  it("renders a changeset that bumps both published packages, one line per change", () => {
    const text = renderChangeset({
      bump: "minor",
      changes: [{ bump: "minor", what: "schema `X`: new exported type" }],
    });
    expect(text).toBe(
      '---\n"@traces-sdk/client": minor\n"@traces-sdk/docs": minor\n---\n\nAPI spec update:\n\n- minor: schema `X`: new exported type\n',
    );
  });

  it("classifies the engine's full spec against itself as no change, and a removed operation as major", async () => {
    const engine = await readSpec(engineSpec);
    expect(diffSpecs(engine, structuredClone(engine))).toEqual({ bump: "none", changes: [] });
    const next = structuredClone(engine);
    const firstPath = Object.keys(next.paths)[0] as string;
    delete next.paths[firstPath];
    const diff = diffSpecs(engine, next);
    expect(diff.bump).toBe("major");
    expect(diff.changes.filter((c) => c.bump === "major").every((c) => c.what.includes(firstPath))).toBe(true);
  });
});

describe("pnpm spec:changeset", () => {
  const cli = join(repoRoot, "scripts/lib/spec-changeset.mjs");
  const tmp = mkdtempSync(join(tmpdir(), "traces-changeset-cli-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (args: string[], cwd = repoRoot) =>
    spawnSync(process.execPath, [cli, ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" },
    });
  const write = (name: string, spec: Spec) => {
    const file = join(tmp, name);
    writeFileSync(file, name.endsWith(".json") ? JSON.stringify(spec) : stringify(spec));
    return file;
  };

  it("--help explains the options", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    for (const option of ["--base <rev|file>", "--head <file>", "--print", "--check", "--compile", "--json"])
      expect(r.stdout).toContain(option);
  });

  it("compares two files without touching the working tree, and lints neither", () => {
    const before = structuredClone(base);
    // Style the project's rules refuse (no operationId, no description) must not stop a comparison.
    delete before.paths["/api/v1/traces/users"].get.description;
    const after = structuredClone(before);
    after.components.schemas.TraceUserMetadataResponse.properties.country = { type: "string" };
    const pending = readdirSync(join(repoRoot, ".changeset")).sort();
    const r = run(["--base", write("a.yaml", before), "--head", write("b.json", after), "--print"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('"@traces-sdk/client": minor');
    expect(r.stdout).toContain("- minor: `TraceUserMetadataResponse.country` (in responses): new optional property");
    expect(readdirSync(join(repoRoot, ".changeset")).sort()).toEqual(pending);
    const json = run(["--base", join(tmp, "a.yaml"), "--head", join(tmp, "b.json"), "--json"]);
    expect(JSON.parse(json.stdout).bump).toBe("minor");
  });

  it("takes a git revision, follows $refs into other files under spec/, and handles a 1.5 MB spec", () => {
    const repo = join(tmp, "repo");
    mkdirSync(join(repo, "spec"), { recursive: true });
    const git = (...args: string[]) => {
      const r = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout;
    };
    git("init", "-q");
    git("config", "user.email", "t@example.invalid");
    git("config", "user.name", "t");
    // The engine's spec as spec/openapi.yaml (JSON is YAML): far over a child process's default buffer.
    cpSync(engineSpec, join(repo, "spec/openapi.yaml"));
    git("add", ".");
    git("commit", "-qm", "engine spec");
    const engine = JSON.parse(readFileSync(engineSpec, "utf8"));
    const firstPath = Object.keys(engine.paths)[0] as string;
    delete engine.paths[firstPath];
    writeFileSync(join(repo, "spec/openapi.yaml"), JSON.stringify(engine));
    const r = run(["--base", "HEAD", "--head", join(repo, "spec/openapi.yaml"), "--print"], repo);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`major: GET ${firstPath}`);

    // A $ref to another file under spec/ is compared through.
    const small = structuredClone(base);
    small.components.schemas.ErrorDetail = { $ref: "./error-detail.yaml" };
    writeFileSync(join(repo, "spec/openapi.yaml"), stringify(small));
    writeFileSync(join(repo, "spec/error-detail.yaml"), stringify(base.components.schemas.ErrorDetail));
    git("add", ".");
    git("commit", "-qm", "split spec");
    writeFileSync(
      join(repo, "spec/error-detail.yaml"),
      stringify({ ...base.components.schemas.ErrorDetail, required: [] }),
    );
    const split = run(["--base", "HEAD", "--head", join(repo, "spec/openapi.yaml"), "--print"], repo);
    expect(split.stderr).toBe("");
    // Redocly's bundler names the pulled-in schema after its file.
    expect(split.stdout).toContain("- major: `error-detail.detail` (in responses): no longer required");
  });

  it("explains bad input and writes nothing", () => {
    const bad = run(["--base", "no-such-rev-or-file"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('"no-such-rev-or-file" is neither a file nor a git revision');
    const notSpec = write("not-a-spec.yaml", { hello: "world" });
    const r = run(["--base", notSpec, "--head", notSpec, "--print"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("is not an OpenAPI 3.0/3.1 document");
    const unknown = run(["--frobnicate"]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("Usage: pnpm spec:changeset");
    expect(existsSync(join(repoRoot, ".changeset/spec-undefined.md"))).toBe(false);
  });
});
