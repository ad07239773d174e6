import { spawnSync } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { findActionlint } from "./ensure-actionlint.mjs";
import { repoRoot } from "./paths.mjs";

const dir = join(repoRoot, ".github/workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
// biome-ignore lint/suspicious/noExplicitAny: workflow files are plain YAML trees.
const workflows: Record<string, any> = Object.fromEntries(
  files.map((f) => [f, parse(readFileSync(join(dir, f), "utf8"))]),
);
const text = (f: string) => readFileSync(join(dir, f), "utf8");
// biome-ignore lint/suspicious/noExplicitAny: see above.
const steps = (f: string): any[] => Object.values(workflows[f].jobs).flatMap((j: any) => j.steps ?? []);

const actionlint = findActionlint({ log: (l: string) => console.log(l) });

describe("GitHub Actions workflows", () => {
  it("has the CI and spec-change workflows", () => {
    expect(files.sort()).toEqual(["ci.yml", "spec-change.yml"]);
  });

  it.skipIf(!actionlint.path)(
    `pass actionlint${actionlint.path ? "" : ` (skipped: ${actionlint.why})`}`,
    () => {
      const r = spawnSync(actionlint.path as string, ["-no-color", ...files.map((f) => join(dir, f))], {
        cwd: repoRoot,
        encoding: "utf8",
      });
      expect(r.stdout + r.stderr).toBe("");
      expect(r.status).toBe(0);
    },
    300_000,
  );

  it("pin every action by full commit SHA, with its version in a comment", () => {
    for (const f of files) {
      const uses = [...text(f).matchAll(/uses:\s*(\S+)(.*)$/gm)];
      expect(uses.length, f).toBeGreaterThan(0);
      for (const [, ref, rest] of uses) {
        expect(ref, `${f}: ${ref}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(rest, `${f}: ${ref} needs a "# vX.Y.Z" comment`).toMatch(/# v\d+\.\d+\.\d+/);
      }
    }
    // One version of each action across the workflows.
    const pins = new Map<string, Set<string>>();
    for (const f of files)
      for (const m of text(f).matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40})/g)) {
        const action = m[1] as string;
        pins.set(action, (pins.get(action) ?? new Set()).add(m[2] as string));
      }
    for (const [action, shas] of pins) expect(shas.size, action).toBe(1);
  });

  it("grant least permissions: read-only by default, writes only on the job that needs them", () => {
    for (const f of files) {
      expect(workflows[f].permissions, f).toEqual({ contents: "read" });
      expect(workflows[f].concurrency?.group, `${f} needs a concurrency group`).toContain(
        "$" + "{{ github.workflow }}",
      );
    }
    const ci = workflows["ci.yml"].jobs;
    expect(ci.test.permissions).toBeUndefined();
    expect(ci.release.permissions).toEqual({ contents: "write", "pull-requests": "write", "id-token": "write" });
    expect(workflows["spec-change.yml"].jobs.propose.permissions).toEqual({ contents: "write" });
  });

  it("cache the pnpm store and set up Node 20 and Java 17", () => {
    for (const f of files) {
      const node = steps(f).find((s) => s.uses?.startsWith("actions/setup-node@"));
      expect(node?.with, f).toMatchObject({ "node-version": 20, cache: "pnpm" });
      const java = steps(f).find((s) => s.uses?.startsWith("actions/setup-java@"));
      expect(java?.with, f).toMatchObject({ "java-version": "17" });
      expect(
        steps(f).some((s) => s.uses?.startsWith("pnpm/action-setup@")),
        f,
      ).toBe(true);
    }
  });

  it("run on pull requests and main what .ci/run runs: the README's two commands and every check", () => {
    const ci = workflows["ci.yml"];
    expect(ci.on).toEqual({ pull_request: null, push: { branches: ["main"] } });
    const runs = ci.jobs.test.steps.filter((s: { run?: string }) => s.run).map((s: { run: string }) => s.run.trim());
    const ciRun = readFileSync(join(repoRoot, ".ci/run"), "utf8");
    const commands = [...ciRun.matchAll(/^(\.\/scripts\/bootstrap|pnpm [\w:]+)$/gm)].map((m) => m[1]);
    expect(commands).toEqual([
      "./scripts/bootstrap",
      "pnpm test",
      "pnpm check:generated",
      "pnpm lint",
      "pnpm check:release",
    ]);
    expect(runs).toEqual(commands);
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain("./scripts/bootstrap");
    expect(readme).toContain("pnpm test");
  });

  it("version with changesets and publish to npm with provenance, only from main after the tests", () => {
    const release = workflows["ci.yml"].jobs.release;
    expect(release.needs).toBe("test");
    expect(release.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    const step = release.steps.find((s: { uses?: string }) => s.uses?.startsWith("changesets/action@"));
    expect(step.with).toMatchObject({
      version: "pnpm version-packages",
      publish: "pnpm release",
      title: "Version Packages",
    });
    expect(step.env.NPM_CONFIG_PROVENANCE).toBe("true");
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    expect(pkg.scripts["version-packages"]).toBe("changeset version");
    expect(pkg.scripts.release).toContain("changeset publish");
  });

  it("regenerate and propose the spec changeset on pull requests that change spec/, through a tested script", () => {
    const wf = workflows["spec-change.yml"];
    expect(wf.on).toEqual({ pull_request: { paths: ["spec/**"] } });
    const run = wf.jobs.propose.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
    expect(run).toContain('scripts/ci/propose-spec-change "origin/$BASE_REF"');
    accessSync(join(repoRoot, "scripts/ci/propose-spec-change"), constants.X_OK);
  });
});
