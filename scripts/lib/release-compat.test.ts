import { describe, expect, it } from "vitest";
import { compileCheck, examplesAt, typecheckExamples } from "./release-compat.mjs";

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
