import { spawnSync } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./test-helpers.js";

interface DryTask {
  taskId: string;
  cache: { status: "HIT" | "MISS" };
  command: string;
}

/** `turbo run build --dry=json`: what a real build would run now, without running it. */
function dryRunBuild(): Map<string, string> {
  const result = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--dry=json"], {
    cwd: repoRoot,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  const tasks: DryTask[] = JSON.parse(result.stdout).tasks;
  // Tasks without a script in their package (the spec package has no build) never run.
  return new Map(tasks.filter((t) => t.command !== "<NONEXISTENT>").map((t) => [t.taskId, t.cache.status]));
}

/** Changes a file for the length of one dry run, then restores its exact bytes. */
function withTouched<T>(file: string, append: string, run: () => T): T {
  const path = join(repoRoot, file);
  const original = readFileSync(path);
  appendFileSync(path, append);
  try {
    return run();
  } finally {
    writeFileSync(path, original);
  }
}

const missed = (tasks: Map<string, string>) =>
  [...tasks]
    .filter(([, s]) => s === "MISS")
    .map(([id]) => id)
    .sort();

// These tests read turbo's cache after the build that `pnpm test` runs first (scripts/test).
describe("the build graph", () => {
  it("a second build with nothing changed is all cache hits", () => {
    const tasks = dryRunBuild();
    expect([...tasks.keys()]).toEqual(
      expect.arrayContaining([
        "@traces-sdk/client#generate",
        "@traces-sdk/client#build",
        "@traces-sdk/docs#generate",
        "@traces-sdk/docs#build",
      ]),
    );
    expect(missed(tasks)).toEqual([]);
  });

  it("touching the spec re-runs generation and the builds of both packages", () => {
    const tasks = withTouched("spec/openapi.yaml", "\n# touched\n", dryRunBuild);
    expect(missed(tasks)).toEqual([
      "@traces-sdk/client#build",
      "@traces-sdk/client#generate",
      "@traces-sdk/docs#build",
      "@traces-sdk/docs#generate",
    ]);
  });

  it("touching only a docs template re-runs only the docs tasks", () => {
    const template = readdirSync(join(repoRoot, "packages/docs/templates"), { recursive: true })
      .map(String)
      .find((f) => f.endsWith(".mustache"));
    expect(template, "packages/docs/templates has a .mustache template").toBeDefined();
    const tasks = withTouched(`packages/docs/templates/${template}`, "\n", dryRunBuild);
    expect(missed(tasks)).toEqual(["@traces-sdk/docs#build", "@traces-sdk/docs#generate"]);
  });
});
