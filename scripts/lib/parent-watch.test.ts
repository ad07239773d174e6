/**
 * pnpm does not pass a SIGTERM on to the script it runs: it stops the shell it runs the script in
 * and exits. The pipeline and the turbo launcher notice that their parent went away and stop.
 * Each case runs under a shell that is then stopped alone, as pnpm stops it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprint, outWithPreviousOutput, repoRoot } from "./test-helpers.js";

const cleanup: string[] = [];
const started: ChildProcess[] = [];
afterAll(() => {
  // Whatever a failed case left running: each case runs in a process group of its own.
  for (const child of started) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
};

/** Starts `command` under `sh -c` in a process group of its own; collects its output. */
function underShell(command: string, options: { cwd: string; env: NodeJS.ProcessEnv }) {
  const child = spawn("sh", ["-c", command], { ...options, detached: true });
  started.push(child);
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (d) => {
    output.stdout += d;
  });
  child.stderr?.on("data", (d) => {
    output.stderr += d;
  });
  // `close` comes once every process that holds the shell's stdout or stderr has exited.
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return { child, output, closed };
}

/** Resolves once `test` holds, polling every 50 ms; rejects after `ms`. */
async function until(test: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const env = { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1", TURBO_TELEMETRY_DISABLED: "1" };
const watchModule = pathToFileURL(join(repoRoot, "scripts/lib/parent-watch.mjs")).href;

describe("watchParent", () => {
  const script = `
    const { watchParent } = await import(${JSON.stringify(watchModule)});
    watchParent(() => { process.stdout.write("gone\\n"); process.exit(0); });
    process.stdout.write("watching\\n");
    setTimeout(() => { process.stdout.write("ran to the end\\n"); process.exit(3); }, 3000);
  `;
  const run = (lifecycle: boolean) => {
    const childEnv = { ...env, npm_lifecycle_event: lifecycle ? "generate" : "" };
    return underShell(`"${process.execPath}" --input-type=module -e '${script}'; echo never`, {
      cwd: repoRoot,
      env: childEnv,
    });
  };

  it("run by a package manager, notices the shell above it stopped", async () => {
    const { child, output, closed } = run(true);
    await until(() => output.stdout.includes("watching"), 10_000, "the watch");
    child.kill("SIGTERM");
    await closed;
    expect(output.stdout).toBe("watching\ngone\n");
  });

  it("run by hand, keeps going when its parent exits (nohup, disown)", async () => {
    const { child, output, closed } = run(false);
    await until(() => output.stdout.includes("watching"), 10_000, "the start");
    child.kill("SIGTERM");
    await closed;
    expect(output.stdout).toBe("watching\nran to the end\n");
  });
});

describe("pnpm generate stopped with SIGTERM to pnpm", () => {
  it("stops the pipeline: its child processes, nothing written, no staging folder", async () => {
    const out = outWithPreviousOutput();
    cleanup.push(out);
    const before = fingerprint(out);
    mkdirSync(join(repoRoot, "packages/client/.tmp"), { recursive: true });
    const typecheckFolders = () =>
      readdirSync(join(repoRoot, "packages/client/.tmp")).filter((f) => f.startsWith("typecheck-"));
    const { output, closed, child } = underShell(
      `exec pnpm generate --spec scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json --out '${out}'`,
      { cwd: repoRoot, env },
    );
    // Once the targets run: the JVM and the compile gate's tsc are child processes by then.
    await until(() => output.stdout.includes(": generating"), 120_000, "generation to start");
    const during = typecheckFolders();
    expect(during.length).toBeGreaterThan(0);
    // What `kill -TERM <pid of pnpm>` does (the shell exec'd pnpm).
    child.kill("SIGTERM");
    await closed;
    expect(output.stderr).toContain("stopping (the package manager running this command was stopped)");
    expect(output.stderr).toContain("stopped by SIGTERM. Nothing was written; the previous output is unchanged.");
    expect(fingerprint(out)).toEqual(before);
    expect(readdirSync(out).filter((name) => name.includes("staging"))).toEqual([]);
    // The compile gate's folder of this run is gone (others' runs may have their own meanwhile).
    const after = typecheckFolders();
    for (const folder of during) expect(after, folder).not.toContain(folder);
  }, 180_000);
});

describe("scripts/turbo's launcher stopped by its parent", () => {
  it("stops turbo, which stops its tasks", async () => {
    // A workspace of one package whose task runs for a while and notes how it ended.
    const root = temp("traces-turbo-stop-");
    const pkg = join(root, "packages/a");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(root, "package.json"),
      JSON.stringify({ name: "w", private: true, packageManager: "pnpm@10.34.8" }),
    );
    writeFileSync(join(root, "pnpm-workspace.yaml"), 'packages:\n  - "packages/*"\n');
    writeFileSync(join(root, "turbo.json"), JSON.stringify({ tasks: { slow: { cache: false } } }));
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: "a", private: true, scripts: { slow: "node slow.mjs" } }),
    );
    writeFileSync(
      join(pkg, "slow.mjs"),
      `import { writeFileSync } from "node:fs";
writeFileSync("started", "");
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => { writeFileSync("stopped", s); process.exit(1); });
setTimeout(() => writeFileSync("finished", ""), 60_000);
`,
    );
    // `; true` keeps the shell as the launcher's parent (as pnpm's script shell is).
    const { child, closed } = underShell(`node '${join(repoRoot, "scripts/lib/run-turbo.mjs")}' run slow; true`, {
      cwd: root,
      env: { ...env, npm_lifecycle_event: "build" },
    });
    await until(() => existsSync(join(pkg, "started")), 60_000, "the task to start");
    // What pnpm does when it is stopped: it stops the shell above the script, and only that.
    child.kill("SIGTERM");
    await closed;
    expect(readFileSync(join(pkg, "stopped"), "utf8")).toMatch(/^SIG(INT|TERM)$/);
    expect(existsSync(join(pkg, "finished"))).toBe(false);
  }, 120_000);
});
