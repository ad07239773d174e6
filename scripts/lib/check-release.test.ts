import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { checkRelease, chooseBase } from "./check-release.mjs";
import { repoRoot } from "./paths.mjs";

// A small workspace with the real spec, the real changesets config and the three packages.
let root: string;
const git = (...args: string[]) => {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
};
const write = (file: string, text: string) => {
  mkdirSync(join(root, file, ".."), { recursive: true });
  writeFileSync(join(root, file), text);
};
const changeset = (name: string, releases: Record<string, string>) =>
  write(
    `.changeset/${name}.md`,
    `---\n${Object.entries(releases)
      .map(([p, b]) => `"${p}": ${b}`)
      .join("\n")}\n---\n\nSomething.\n`,
  );
const spec = () => parse(readFileSync(join(root, "spec/openapi.yaml"), "utf8"));
const env = {} as NodeJS.ProcessEnv;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "traces-check-release-"));
  cpSync(join(repoRoot, "spec/openapi.yaml"), join(root, "spec/openapi.yaml"));
  write("spec/package.json", JSON.stringify({ name: "@traces-sdk/spec", private: true }));
  write("packages/client/package.json", JSON.stringify({ name: "@traces-sdk/client", version: "1.0.0" }));
  write("packages/docs/package.json", JSON.stringify({ name: "@traces-sdk/docs", version: "1.0.0" }));
  write("packages/client/src/index.ts", "export const a = 1;\n");
  cpSync(join(repoRoot, ".changeset/config.json"), join(root, ".changeset/config.json"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.invalid");
  git("config", "user.name", "t");
  git("add", ".");
  git("commit", "-qm", "release");
  git("tag", "@traces-sdk/client@1.0.0");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("pnpm check:release", () => {
  it("passes with nothing changed since the last release tag", async () => {
    const r = await checkRelease({ root, env });
    expect(r.base.why).toBe("the last release tag @traces-sdk/client@1.0.0");
    expect(r.problems).toEqual([]);
  });

  it("fails when a changed publishable package has no pending changeset, and not for test-only changes", async () => {
    write("packages/client/test/a.test.ts", "// test only\n");
    expect((await checkRelease({ root, env })).problems).toEqual([]);
    write("packages/client/src/index.ts", "export const a = 2;\n");
    const { problems } = await checkRelease({ root, env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("@traces-sdk/client changed since the last release tag");
    expect(problems[0]).toContain("packages/client/src/index.ts");
    expect(problems[0]).toContain("pnpm changeset");
    changeset("fix-a", { "@traces-sdk/client": "patch" });
    expect((await checkRelease({ root, env })).problems).toEqual([]);
  });

  it("fails on a changeset naming the private spec package, alone or mixed, naming the file", async () => {
    changeset("only-spec", { "@traces-sdk/spec": "minor" });
    changeset("mixed", { "@traces-sdk/client": "minor", "@traces-sdk/spec": "minor" });
    const { problems } = await checkRelease({ root, env });
    expect(problems).toEqual([
      expect.stringMatching(/^\.changeset\/mixed\.md names @traces-sdk\/spec, which is private .*fails on the mix/),
      expect.stringMatching(/^\.changeset\/only-spec\.md names @traces-sdk\/spec, which is private/),
    ]);
  });

  it("fails on a changeset naming an ignored or unknown package, or a bad bump", async () => {
    const config = JSON.parse(readFileSync(join(root, ".changeset/config.json"), "utf8"));
    write(".changeset/config.json", JSON.stringify({ ...config, ignore: ["@traces-sdk/docs"] }));
    changeset("ignored", { "@traces-sdk/docs": "patch" });
    changeset("unknown", { "@traces-sdk/nope": "patch", "@traces-sdk/client": "huge" });
    const { problems } = await checkRelease({ root, env });
    expect(problems.join("\n")).toContain(
      ".changeset/ignored.md names @traces-sdk/docs, which .changeset/config.json ignores",
    );
    expect(problems.join("\n")).toContain(".changeset/unknown.md names @traces-sdk/nope, which is not a package");
    expect(problems.join("\n")).toContain('.changeset/unknown.md: "@traces-sdk/client": huge is not a bump');
  });

  it("needs a spec change's pending bump to be at least the one the diff needs, saying which change needs it", async () => {
    const s = spec();
    s.components.schemas.TraceUserMetadataResponse.required =
      s.components.schemas.TraceUserMetadataResponse.required.filter((r: string) => r !== "span_count");
    write("spec/openapi.yaml", stringify(s));
    let { problems } = await checkRelease({ root, env });
    expect(problems.some((p) => p.startsWith("@traces-sdk/client changed since") && p.includes("spec/"))).toBe(true);
    changeset("spec-change", { "@traces-sdk/client": "minor", "@traces-sdk/docs": "minor" });
    ({ problems } = await checkRelease({ root, env }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("needs a major bump of @traces-sdk/client, but the pending changesets give minor");
    expect(problems[0]).toContain(
      "- needs major: `TraceUserMetadataResponse.span_count` (in responses): no longer required (may be absent)",
    );
    changeset("spec-change", { "@traces-sdk/client": "major", "@traces-sdk/docs": "major" });
    expect((await checkRelease({ root, env })).problems).toEqual([]);
  });

  it("compares a branch with its merge base on origin/main, and says when nothing was released", () => {
    expect(chooseBase({ root, env }).why).toBe("the last release tag @traces-sdk/client@1.0.0");
    git("tag", "-d", "@traces-sdk/client@1.0.0");
    expect(chooseBase({ root, env })).toEqual({ rev: undefined, why: "no release tag: nothing has been released yet" });
    const mainHead = git("rev-parse", "HEAD");
    git("update-ref", "refs/remotes/origin/main", mainHead);
    git("checkout", "-qb", "feature");
    write("packages/client/src/index.ts", "export const a = 3;\n");
    git("commit", "-qam", "feature");
    expect(chooseBase({ root, env })).toEqual({ rev: mainHead, why: "the merge base with origin/main" });
    expect(chooseBase({ root, env: { GITHUB_BASE_REF: "main" } }).rev).toBe(mainHead);
    expect(chooseBase({ root, env: { RELEASE_BASE: "HEAD" } }).why).toBe("--base HEAD");
    expect(() => chooseBase({ root, env: { RELEASE_BASE: "nope" } })).toThrow(/"nope" is not a commit/);
  });

  it("counts every publishable package as changed before the first release", async () => {
    git("tag", "-d", "@traces-sdk/client@1.0.0");
    const { problems } = await checkRelease({ root, env });
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["@traces-sdk/client", "@traces-sdk/docs"]);
  });
});

describe("pnpm check:release on a release commit", () => {
  it("does not ask for a changeset when a package.json changed only its version (the Version Packages commit)", async () => {
    const file = join(root, "packages/client/package.json");
    write("packages/client/package.json", JSON.stringify({ name: "@traces-sdk/client", version: "1.1.0" }));
    write("packages/client/CHANGELOG.md", "# 1.1.0\n");
    expect((await checkRelease({ root, env })).problems).toEqual([]);
    writeFileSync(file, JSON.stringify({ name: "@traces-sdk/client", version: "1.1.0", type: "module" }));
    expect((await checkRelease({ root, env })).problems[0]).toContain("packages/client/package.json");
  });
});
