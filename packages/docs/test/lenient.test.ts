import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { brokenMarkdownLinks, listFiles, markdownTableProblems, runDocsPipeline } from "./helpers.js";

const fixture = "packages/docs/test/fixtures/schema-key-with-space.yaml";
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), "traces-docs-lenient-"));
  dirs.push(dir);
  return dir;
};

describe("a spec that openapi-generator's own validation rejects", () => {
  it("is refused with --strict", () => {
    const result = runDocsPipeline(["--spec", fixture, "--strict", "--out", temp()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"Odd Thing" does not match');
  });

  it("is documented without a flag: the generator runs again without its validation, and says so", () => {
    const out = temp();
    const result = runDocsPipeline(["--spec", fixture, "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: .*"Odd Thing" does not match/);
    expect(result.stderr).toContain(
      "warning: docs: openapi-generator rejected the spec; generating again with --skip-validate-spec (use --strict to fail instead)",
    );
    const markdown = join(out, "docs/markdown");
    expect(listFiles(markdown)).toEqual(["Apis/DefaultApi.md", "Models/Odd_Thing.md", "README.md"]);
    expect(brokenMarkdownLinks(markdown).broken).toEqual([]);
    expect(markdownTableProblems(markdown)).toEqual([]);
    const page = readFileSync(join(markdown, "Models/Odd_Thing.md"), "utf8");
    // anyOf [string, null] keeps its description and shows as nullable.
    expect(page).toContain(
      "| `note` | <code>string</code> | no | yes |  |  | A free-text note, null when there is none. |",
    );
    expect(readFileSync(join(markdown, "Apis/DefaultApi.md"), "utf8")).toContain(
      "<code>[Odd Thing](../Models/Odd_Thing.md)</code>",
    );
  });
});
