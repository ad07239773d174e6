import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./paths.mjs";

// What the spec-change workflow runs on a pull request, in a clone of the committed tree.
const tmp = mkdtempSync(join(tmpdir(), "traces-propose-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("scripts/ci/propose-spec-change", () => {
  it("regenerates, writes the spec changeset against the base and reports it to the workflow", () => {
    const clone = join(tmp, "clone");
    execFileSync("git", ["clone", "--quiet", repoRoot, clone]);
    for (const dir of ["", "packages/client", "packages/docs", "spec"])
      symlinkSync(join(repoRoot, dir, "node_modules"), join(clone, dir, "node_modules"));
    if (existsSync(join(repoRoot, ".openapi-generator-cache")))
      symlinkSync(join(repoRoot, ".openapi-generator-cache"), join(clone, ".openapi-generator-cache"));
    const spec = join(clone, "spec/openapi.yaml");
    writeFileSync(
      spec,
      readFileSync(spec, "utf8").replace(
        "        - name: page\n",
        "        - name: user_ids\n          in: query\n          required: false\n          description: Only these users.\n          schema:\n            type: array\n            items:\n              type: string\n        - name: page\n",
      ),
    );
    const specChangesets = () => readdirSync(join(clone, ".changeset")).filter((f) => f.startsWith("spec-"));
    const before = specChangesets();
    const output = join(tmp, "github-output");
    const summary = join(tmp, "step-summary");
    writeFileSync(output, "");
    writeFileSync(summary, "");
    const r = spawnSync(join(clone, "scripts/ci/propose-spec-change"), ["HEAD"], {
      cwd: clone,
      encoding: "utf8",
      env: { ...process.env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, TURBO_TELEMETRY_DISABLED: "1" },
      timeout: 600_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(output, "utf8")).toBe("changed=true\n");
    expect(readFileSync(summary, "utf8")).toContain(
      "- minor: GET /api/v1/traces/users (`users.listUsersMetadata`) parameter `user_ids` (query): new optional parameter",
    );
    const status = execFileSync("git", ["status", "--porcelain"], { cwd: clone, encoding: "utf8" });
    expect(status).toContain("packages/client/src/generated/");
    expect(status).toContain("packages/docs/generated/");
    // One new spec changeset; those already committed at the base stay.
    expect(specChangesets().filter((f) => !before.includes(f))).toHaveLength(1);
    for (const f of before) expect(specChangesets()).toContain(f);
  }, 900_000);
});
