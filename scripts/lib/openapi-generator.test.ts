/** The generator's class-data archive: made once per jar, never trusted when it does not fit. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { classArchivePath, ensureClassArchive, ensureJar, runJar } from "./openapi-generator.mjs";

const dir = mkdtempSync(join(tmpdir(), "traces-cds-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the class archive", { timeout: 180_000 }, () => {
  // A copy of the jar: the project's own cache is not touched.
  const jar = join(dir, "openapi-generator.jar");
  copyFileSync(ensureJar(), jar);

  it("is keyed on the jar's copy: a touched (copied, re-downloaded) jar gets a new one", () => {
    const before = classArchivePath(jar);
    utimesSync(jar, new Date(), new Date(Date.now() - 60_000));
    expect(classArchivePath(jar)).not.toBe(before);
  });

  it("a truncated one does not crash the run: it is dropped and the run goes on without it", async () => {
    const archive = ensureClassArchive(jar);
    expect(archive).toBeDefined();
    const good = readFileSync(archive as string);
    writeFileSync(archive as string, good.subarray(0, 100_000));
    const spec = join(dir, "api.json");
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: "3.0.3",
        info: { title: "t", version: "1" },
        paths: { "/a": { get: { operationId: "getA", responses: { "200": { description: "ok" } } } } },
      }),
    );
    const out = join(dir, "out");
    await runJar(jar, ["generate", "-g", "markdown", "-i", spec, "-o", out], { what: "a test page" });
    expect(existsSync(join(out, "README.md"))).toBe(true);
    expect(existsSync(archive as string)).toBe(false);
    // The next run makes a new one.
    expect(ensureClassArchive(jar)).toBe(archive);
  });
});
