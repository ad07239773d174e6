import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clientBuildState, compileCheck, examplesAt, typecheckExamples } from "./release-compat.mjs";

// `pnpm test` builds the client first; these compile against its dist/ types.
describe("the compiler's second opinion on a release", () => {
  const examples = examplesAt("HEAD");

  it("collects the released docs examples and the client's type tests", () => {
    expect(
      examples.some((e) => e.source.startsWith("packages/docs/generated/markdown/") && e.source.includes(".md#")),
    ).toBe(true);
    expect(examples.some((e) => e.source === "packages/client/test/types.test-d.ts")).toBe(true);
    const typeTest = examples.find((e) => e.source.endsWith(".test-d.ts"));
    expect(typeTest?.code).toContain('from "@traces-sdk/client"');
    expect(typeTest?.code).not.toContain('from "../src/');
  });

  it("finds nothing when the client did not change, and names each example that breaks", async () => {
    expect(await compileCheck("HEAD")).toEqual([]);
    // As if the new client had renamed getUserDetails: every released use of it stops compiling.
    const renamed = examples.map((e) => ({ ...e, code: e.code.replaceAll("getUserDetails(", "getUserDetail(") }));
    const failures = typecheckExamples(renamed);
    const users = examples.filter((e) => e.code.includes("getUserDetails(")).map((e) => e.source);
    expect(failures.map((f) => f.example).sort()).toEqual(users.sort());
    for (const f of failures) expect(f.error).toMatch(/TS2551: Property 'getUserDetail' does not exist/);
  }, 120_000);
});

describe("a stale build is not used silently", () => {
  it("reports a missing or stale client build, and the compile check refuses it", () => {
    const root = mkdtempSync(join(tmpdir(), "traces-stale-"));
    try {
      mkdirSync(join(root, "packages/client/src"), { recursive: true });
      writeFileSync(join(root, "packages/client/package.json"), "{}");
      writeFileSync(join(root, "packages/client/src/index.ts"), "export const a = 1;\n");
      expect(clientBuildState(root).state).toBe("missing");
      mkdirSync(join(root, "packages/client/dist"));
      writeFileSync(join(root, "packages/client/dist/index.d.ts"), "export declare const a = 1;\n");
      const old = new Date(Date.now() - 60_000);
      utimesSync(join(root, "packages/client/dist/index.d.ts"), old, old);
      const stale = clientBuildState(root);
      expect(stale.state).toBe("stale");
      expect(stale.message).toContain("changed after packages/client/dist was built");
      expect(() => typecheckExamples([], root)).toThrow(/older than its sources.*Run `pnpm build`/);
      const older = new Date(Date.now() - 120_000);
      for (const f of ["src/index.ts", "package.json"]) utimesSync(join(root, "packages/client", f), older, older);
      expect(clientBuildState(root).state).toBe("fresh");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
