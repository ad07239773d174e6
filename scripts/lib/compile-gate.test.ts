import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { typecheckClients } from "./compile-gate.mjs";
import { defaultOutputs } from "./paths.mjs";
import { runGenerate } from "./test-helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

describe("the compile gate", () => {
  it("checks several clients in one run and reports each on its own", async () => {
    const good = temp("traces-gate-good-");
    const bad = temp("traces-gate-bad-");
    cpSync(defaultOutputs.client, good, { recursive: true });
    cpSync(defaultOutputs.client, bad, { recursive: true });
    appendFileSync(join(bad, "resources.ts"), "\nexport const broken: number = 'not a number';\n");
    const [first, second] = await typecheckClients([
      { label: "good", dir: good },
      { label: "bad", dir: bad },
    ]);
    expect(first).toEqual({ label: "good", ok: true, errors: [] });
    expect(second?.ok).toBe(false);
    expect(second?.errors.join("\n")).toMatch(/^generated\/resources\.ts\(\d+,\d+\): error TS2322/m);
  });

  it("runs inside `pnpm generate`: a client is type-checked before it is written", () => {
    const out = temp("traces-gate-run-");
    const result = runGenerate(["--target", "client", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/client: type-checked with the runtime in \d+\.\ds/);
    const skipped = runGenerate(["--target", "client", "--out", out, "--skip-typecheck"]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).not.toContain("type-checked");
  });
});
