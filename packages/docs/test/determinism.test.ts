import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprint, listFiles, repoRoot, runDocsPipeline } from "./helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("docs generation", () => {
  it("is deterministic: two runs give byte-identical trees, without bookkeeping files or absolute paths", () => {
    const runs = [0, 1].map(() => {
      const out = mkdtempSync(join(tmpdir(), "traces-docs-det-"));
      dirs.push(out);
      const result = runDocsPipeline(["--out", out, "--quiet"]);
      expect(result.code, result.stderr).toBe(0);
      return join(out, "docs");
    });
    const [a, b] = runs.map((dir) => fingerprint(dir as string));
    expect(Object.keys(a ?? {}).length).toBeGreaterThan(8);
    expect(a).toEqual(b);
    const files = listFiles(runs[0] as string);
    expect(files.filter((f) => /openapi-generator|VERSION|FILES/.test(f))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining(["markdown/README.md", "html/index.html", "openapi.json", "operations.json"]),
    );
    for (const dir of runs) {
      for (const file of listFiles(dir as string)) {
        const text = readFileSync(join(dir as string, file), "utf8");
        expect(text.includes(tmpdir()), `${file} holds a temporary path`).toBe(false);
        expect(text.includes(repoRoot), `${file} holds an absolute path`).toBe(false);
      }
    }
  });
});
