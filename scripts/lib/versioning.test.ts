/**
 * The release flow end to end, in a throwaway clone: a spec change becomes a changeset with the
 * right bump, and `changeset version` bumps each package on its own and writes changelogs offline.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "./test-helpers.js";

const clones: string[] = [];
afterEach(() => {
  for (const dir of clones.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A clone of the committed repository that uses this checkout's installed tools. */
function cloneRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "traces-release-"));
  clones.push(dir);
  execFileSync("git", ["clone", "--quiet", repoRoot, dir]);
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  return dir;
}

const version = (dir: string, pkg: string) =>
  JSON.parse(readFileSync(join(dir, "packages", pkg, "package.json"), "utf8")).version;
const changesetVersion = (dir: string) =>
  execFileSync(process.execPath, [join(repoRoot, "node_modules/@changesets/cli/bin.js"), "version"], {
    cwd: dir,
    encoding: "utf8",
    // No network: the changelog generator must work offline.
    env: { ...process.env, npm_config_offline: "true" },
  });
const pending = (dir: string) =>
  readdirSync(join(dir, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");

describe("versioning", () => {
  it("a spec change becomes a changeset whose bump reaches both packages' versions and changelogs", () => {
    const dir = cloneRepo();
    // Start from no pending changeset, whatever the repository has pending today.
    for (const file of pending(dir)) unlinkSync(join(dir, ".changeset", file));
    const spec = join(dir, "spec/openapi.yaml");
    writeFileSync(
      spec,
      readFileSync(spec, "utf8").replace(
        "        - name: page\n",
        "        - name: user_ids\n          in: query\n          required: false\n          description: Only these users.\n          style: form\n          explode: true\n          schema:\n            type: array\n            items:\n              type: string\n          example: [user-1]\n        - name: page\n",
      ),
    );
    const out = execFileSync(process.execPath, [join(dir, "scripts/lib/spec-changeset.mjs")], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(out).toContain("(minor)");
    const [changeset] = pending(dir);
    expect(readFileSync(join(dir, ".changeset", changeset as string), "utf8")).toContain(
      "- minor: GET /api/v1/traces/users (`users.listUsersMetadata`) parameter `user_ids` (query): new optional parameter",
    );

    changesetVersion(dir);
    expect([version(dir, "client"), version(dir, "docs")]).toEqual(["0.1.0", "0.1.0"]);
    const changelog = readFileSync(join(dir, "packages/client/CHANGELOG.md"), "utf8");
    expect(changelog).toContain("## 0.1.0");
    expect(changelog).toContain("parameter `user_ids` (query): new optional parameter");
    expect(pending(dir)).toEqual([]);
  });

  it("a change to one package bumps only that package", () => {
    const dir = cloneRepo();
    // Start from no pending changeset, whatever the repository has pending today.
    for (const file of pending(dir)) unlinkSync(join(dir, ".changeset", file));
    writeFileSync(
      join(dir, ".changeset/fix-retry.md"),
      '---\n"@traces-sdk/client": patch\n---\n\nRetry 502 responses too.\n',
    );
    changesetVersion(dir);
    expect([version(dir, "client"), version(dir, "docs")]).toEqual(["0.0.1", "0.0.0"]);
    expect(readFileSync(join(dir, "packages/client/CHANGELOG.md"), "utf8")).toContain("Retry 502 responses too.");
  });

  it("the pending first release takes both packages to 0.1.0", () => {
    const dir = cloneRepo();
    changesetVersion(dir);
    expect([version(dir, "client"), version(dir, "docs")]).toEqual(["0.1.0", "0.1.0"]);
  });
});
