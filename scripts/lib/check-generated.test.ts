import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareOutputs } from "./check-generated.mjs";
import { repoRoot } from "./test-helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("check:generated", () => {
  it("passes on the committed output", () => {
    const result = spawnSync(process.execPath, [join(repoRoot, "scripts/lib/check-generated.mjs")], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off" },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("generated code is up to date");
  });

  it("lists outdated, missing and extra files", () => {
    const committed = mkdtempSync(join(tmpdir(), "traces-committed-"));
    const fresh = mkdtempSync(join(tmpdir(), "traces-fresh-"));
    dirs.push(committed, fresh);
    writeFileSync(join(fresh, "same.ts"), "a\n");
    writeFileSync(join(fresh, "changed.ts"), "new\n");
    writeFileSync(join(fresh, "added.ts"), "x\n");
    cpSync(join(fresh, "same.ts"), join(committed, "same.ts"));
    writeFileSync(join(committed, "changed.ts"), "old\n");
    writeFileSync(join(committed, "removed.ts"), "y\n");
    const stale = compareOutputs({ client: committed }, { client: fresh });
    expect(stale).toHaveLength(3);
    expect(stale.find((s) => s.startsWith("outdated"))).toMatch(/changed\.ts$/);
    expect(stale.find((s) => s.startsWith("missing"))).toMatch(/added\.ts$/);
    expect(stale.find((s) => s.startsWith("extra"))).toMatch(/removed\.ts$/);
  });
});
