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
  git("tag", "@traces-sdk/docs@1.0.0");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("pnpm check:release", () => {
  it("passes with nothing changed since the last release tag", async () => {
    const r = await checkRelease({ root, env });
    expect(r.base.why).toBe("each package's last release or version commit");
    expect(r.problems).toEqual([]);
  });

  it("fails when a changed publishable package has no pending changeset, and not for test-only changes", async () => {
    write("packages/client/test/a.test.ts", "// test only\n");
    expect((await checkRelease({ root, env })).problems).toEqual([]);
    write("packages/client/src/index.ts", "export const a = 2;\n");
    const { problems } = await checkRelease({ root, env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      "@traces-sdk/client changed since @traces-sdk/client's release tag @traces-sdk/client@1.0.0",
    );
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
    expect(problems.some((p) => p.startsWith("@traces-sdk/client changed since") && p.includes("the spec"))).toBe(true);
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

  it("compares a branch with its merge base on origin/main, and main per package", () => {
    expect(chooseBase({ root, env })).toEqual({ rev: undefined, why: "each package's last release or version commit" });
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
    git("tag", "-d", "@traces-sdk/docs@1.0.0");
    const { problems } = await checkRelease({ root, env });
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["@traces-sdk/client", "@traces-sdk/docs"]);
    expect(problems[0]).toBe(
      "@traces-sdk/client is never released or versioned (version 1.0.0) and no pending changeset bumps it. Run `pnpm changeset` and commit the file for its first release.",
    );
  });

  it("asks for no changeset when only the lint config or other non-spec files under spec/ changed", async () => {
    write("spec/redocly.yaml", "# lint rules\nextends: [recommended]\n");
    git("add", ".");
    git("commit", "-qm", "lint config");
    write("spec/redocly.yaml", "# lint rules, reworded\nextends: [recommended]\n");
    expect((await checkRelease({ root, env })).problems).toEqual([]);
    // A spec edit the classifier rates "none" (keys reordered) needs none either.
    const s = spec();
    write("spec/openapi.yaml", stringify({ ...s, info: s.info, openapi: s.openapi }, { sortMapEntries: true }));
    expect((await checkRelease({ root, env })).problems).toEqual([]);
  });
});

describe("pnpm check:release on 0.x", () => {
  it("a breaking spec change needs a minor bump while 0.x, and says so", async () => {
    write("packages/client/package.json", JSON.stringify({ name: "@traces-sdk/client", version: "0.1.0" }));
    write("packages/docs/package.json", JSON.stringify({ name: "@traces-sdk/docs", version: "0.1.0" }));
    git("commit", "-qam", "0.1.0");
    git("tag", "@traces-sdk/client@0.1.0");
    git("tag", "@traces-sdk/docs@0.1.0");
    const s = spec();
    s.components.schemas.TraceUserMetadataResponse.required =
      s.components.schemas.TraceUserMetadataResponse.required.filter((r: string) => r !== "span_count");
    write("spec/openapi.yaml", stringify(s));
    changeset("spec-change", { "@traces-sdk/client": "patch", "@traces-sdk/docs": "patch" });
    const { problems } = await checkRelease({ root, env });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(
      "needs a minor bump of @traces-sdk/client (breaking; minor while @traces-sdk/client is 0.x), but the pending changesets give patch",
    );
    expect(problems[0]).toContain("- needs breaking; minor while 0.x: `TraceUserMetadataResponse.span_count`");
    changeset("spec-change", { "@traces-sdk/client": "minor", "@traces-sdk/docs": "minor" });
    expect((await checkRelease({ root, env })).problems).toEqual([]);
  });
});

describe("pnpm check:release on main after the Version Packages commit", () => {
  const setVersion = (pkg: string, v: string) =>
    write(`packages/${pkg}/package.json`, JSON.stringify({ name: `@traces-sdk/${pkg}`, version: v }));

  it("passes while the versioned packages await publishing, then counts changes after the version commit", async () => {
    changeset("fix", { "@traces-sdk/client": "patch" });
    write("packages/client/src/index.ts", "export const a = 2;\n");
    git("add", ".");
    git("commit", "-qm", "fix");
    expect((await checkRelease({ root, env })).problems).toEqual([]);
    // What `changeset version` does: consume the changeset, bump, write the changelog.
    rmSync(join(root, ".changeset/fix.md"));
    setVersion("client", "1.0.1");
    write("packages/client/CHANGELOG.md", "# 1.0.1\n");
    // Uncommitted: counted from HEAD.
    expect((await checkRelease({ root, env })).problems).toEqual([]);
    git("add", "-A");
    git("commit", "-qm", "Version Packages");
    const r = await checkRelease({ root, env });
    expect(r.problems).toEqual([]);
    expect(r.notes.join("\n")).toMatch(
      /@traces-sdk\/client: version 1\.0\.1 set in [0-9a-f]{12}, awaiting publish \(last release @traces-sdk\/client@1\.0\.0\)/,
    );
    // A change after the version commit needs a new changeset.
    write("packages/client/src/index.ts", "export const a = 3;\n");
    git("commit", "-qam", "another");
    const { problems } = await checkRelease({ root, env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^@traces-sdk\/client changed since @traces-sdk\/client's version 1\.0\.1 set in /);
    // Once published (tagged), the tag is the base again.
    git("tag", "@traces-sdk/client@1.0.1", "HEAD~1");
    expect((await checkRelease({ root, env })).problems[0]).toContain("release tag @traces-sdk/client@1.0.1");
  });

  it("a version lowered by a commit is not a version awaiting publish", async () => {
    git("tag", "-d", "@traces-sdk/client@1.0.0");
    git("tag", "-d", "@traces-sdk/docs@1.0.0");
    setVersion("client", "0.0.0");
    setVersion("docs", "0.0.0");
    git("commit", "-qam", "start over at 0.0.0");
    const { problems } = await checkRelease({ root, env });
    expect(problems.map((p) => p.split(" ").slice(0, 3).join(" "))).toEqual([
      "@traces-sdk/client is never",
      "@traces-sdk/docs is never",
    ]);
  });

  it("passes after the first Version Packages commit of packages never released", async () => {
    git("tag", "-d", "@traces-sdk/client@1.0.0");
    git("tag", "-d", "@traces-sdk/docs@1.0.0");
    setVersion("client", "0.0.0");
    setVersion("docs", "0.0.0");
    changeset("first", { "@traces-sdk/client": "minor", "@traces-sdk/docs": "minor" });
    git("add", "-A");
    git("commit", "-qm", "unreleased");
    expect((await checkRelease({ root, env })).problems).toEqual([]);
    rmSync(join(root, ".changeset/first.md"));
    setVersion("client", "0.1.0");
    setVersion("docs", "0.1.0");
    git("add", "-A");
    git("commit", "-qm", "Version Packages");
    expect((await checkRelease({ root, env })).problems).toEqual([]);
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
