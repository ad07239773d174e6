/** The generator's class-data archive: made once per jar, never trusted when it does not fit. */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { classArchivePath, ensureClassArchive, ensureJar, runJar } from "./openapi-generator.mjs";

const dir = mkdtempSync(join(tmpdir(), "traces-cds-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A one-operation spec for the generator's markdown target. */
function tinySpec(): string {
  const spec = join(dir, "api.json");
  writeFileSync(
    spec,
    JSON.stringify({
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: { "/a": { get: { operationId: "getA", responses: { "200": { description: "ok" } } } } },
    }),
  );
  return spec;
}

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
    const spec = tinySpec();
    const out = join(dir, "out");
    await runJar(jar, ["generate", "-g", "markdown", "-i", spec, "-o", out], { what: "a test page" });
    expect(existsSync(join(out, "README.md"))).toBe(true);
    expect(existsSync(archive as string)).toBe(false);
    // The next run makes a new one.
    expect(ensureClassArchive(jar)).toBe(archive);
  });
});

describe("a class archive that cannot be made", { timeout: 180_000 }, () => {
  it("is not attempted in a folder the user cannot write, and generation goes on without it", () => {
    // A read-only cache: the jar's folder is not writable for the user who runs the pipeline. Root
    // writes anywhere, so as root the check runs as `nobody`.
    const shared = mkdtempSync(join(tmpdir(), "traces-cds-readonly-"));
    chmodSync(shared, 0o755);
    const cache = join(shared, "cache");
    mkdirSync(cache);
    copyFileSync(ensureJar(), join(cache, "openapi-generator.jar"));
    chmodSync(join(cache, "openapi-generator.jar"), 0o444);
    chmodSync(cache, 0o555);
    const out = join(shared, "out");
    mkdirSync(out);
    chmodSync(out, 0o777);
    const spec = tinySpec();
    chmodSync(dir, 0o755);
    chmodSync(spec, 0o644);
    // The modules under test go beside it: the checkout may sit in a folder `nobody` cannot enter
    // (a clone into `mktemp -d`, mode 700).
    const lib = join(shared, "lib");
    mkdirSync(lib);
    for (const file of ["openapi-generator.mjs", "errors.mjs", "paths.mjs"]) {
      copyFileSync(join(import.meta.dirname, file), join(lib, file));
      chmodSync(join(lib, file), 0o644);
    }
    chmodSync(lib, 0o755);
    const module = pathToFileURL(join(lib, "openapi-generator.mjs")).href;
    const script = `
      const { ensureClassArchive, runJar } = await import(${JSON.stringify(module)});
      const jar = ${JSON.stringify(join(cache, "openapi-generator.jar"))};
      const log = [];
      const runs = [ensureClassArchive(jar, { log: (l) => log.push(l) }), ensureClassArchive(jar, { log: (l) => log.push(l) })];
      await runJar(jar, ["generate", "-g", "markdown", "-i", ${JSON.stringify(spec)}, "-o", ${JSON.stringify(out)}], { what: "a test page" });
      process.stdout.write(JSON.stringify({ runs, log }));
    `;
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    try {
      const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        ...asNobody,
        cwd: shared,
        env: { ...process.env, HOME: shared },
        encoding: "utf8",
        timeout: 170_000,
      });
      expect(child.status, child.stderr).toBe(0);
      const { runs, log } = JSON.parse(child.stdout);
      expect(runs).toEqual([null, null]);
      // No JVM was started to make one (that would log, and take seconds each run).
      expect(log).toEqual([]);
      expect(readdirSync(cache)).toEqual(["openapi-generator.jar"]);
      expect(existsSync(join(out, "README.md"))).toBe(true);
    } finally {
      chmodSync(cache, 0o755);
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it("is tried once per jar and Java when the JVM cannot write one: the failure is remembered beside the jar", async () => {
    // A Java that runs the generator but cannot dump an archive (as a JDK without a base archive).
    const real = spawnSync("sh", ["-c", "command -v java"], { encoding: "utf8" }).stdout.trim();
    const java = join(process.env.JAVA_HOME ?? "", "bin", "java");
    const home = join(dir, "jdk-without-cds");
    mkdirSync(join(home, "bin"), { recursive: true });
    const calls = join(dir, "java-calls.log");
    writeFileSync(
      join(home, "bin/java"),
      `#!/bin/sh
case "$*" in *ArchiveClassesAtExit*) echo dump >> "${calls}"; echo "Error: cannot dump a shared archive here" >&2; exit 1;; esac
exec "${process.env.JAVA_HOME ? java : real}" "$@"
`,
    );
    chmodSync(join(home, "bin/java"), 0o755);
    const jarDir = join(dir, "cds-fails");
    mkdirSync(jarDir);
    const jar = join(jarDir, "openapi-generator.jar");
    copyFileSync(ensureJar(), jar);
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = home;
    try {
      const dumps = () => (existsSync(calls) ? readFileSync(calls, "utf8").split("\n").filter(Boolean).length : 0);
      const log: string[] = [];
      expect(ensureClassArchive(jar, { log: (l) => log.push(l) })).toBeUndefined();
      expect(dumps()).toBe(1);
      const failed = `${classArchivePath(jar)}.failed`;
      expect(readFileSync(failed, "utf8")).toContain("exit code 1: Error: cannot dump a shared archive here");
      expect(log.at(-1)).toMatch(
        /^no class archive \(exit code 1: .*\); runs go on without it, a little slower\. Delete .*\.failed to try again\.$/,
      );

      // Later runs do not try again.
      const later: string[] = [];
      expect(ensureClassArchive(jar, { log: (l) => later.push(l) })).toBeUndefined();
      expect(ensureClassArchive(jar)).toBeUndefined();
      expect(dumps()).toBe(1);
      expect(later).toEqual([]);
      // Generation is not affected.
      const out = join(dir, "out-without-cds");
      await runJar(jar, ["generate", "-g", "markdown", "-i", tinySpec(), "-o", out], { what: "a test page" });
      expect(existsSync(join(out, "README.md"))).toBe(true);

      // Deleting the note tries again; so does another copy of the jar.
      rmSync(failed);
      ensureClassArchive(jar);
      expect(dumps()).toBe(2);
      utimesSync(jar, new Date(), new Date(Date.now() - 60_000));
      ensureClassArchive(jar);
      expect(dumps()).toBe(3);
      // One note per jar folder and Java: the older one is gone.
      expect(readdirSync(jarDir).filter((f) => f.endsWith(".failed"))).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });
});
