/**
 * Helpers shared by the repository's tests: run the pipeline as a user would, fingerprint folders,
 * and start Debian's Chromium with nothing that reaches the network.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { listFiles } from "./generate.mjs";
import { defaultOutputs, repoRoot } from "./paths.mjs";

export { listFiles, repoRoot };

/** Result of one CLI run. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node scripts/lib/generate.mjs ...args` from the repository root. */
export function runGenerate(args: string[], env: NodeJS.ProcessEnv = process.env): RunResult {
  const result = spawnSync(process.execPath, [join(repoRoot, "scripts/lib/generate.mjs"), ...args], {
    cwd: repoRoot,
    env: { ...env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 600_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Path → sha256 of every file below dir: equal fingerprints mean byte-identical trees. */
export function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f: string) => [
      f,
      createHash("sha256")
        .update(readFileSync(join(dir, f)))
        .digest("hex"),
    ]),
  );
}

/** A temporary output folder that already holds a "previous" generation for every target. */
export function outWithPreviousOutput(): string {
  const out = mkdtempSync(join(tmpdir(), "traces-prev-"));
  for (const [target, committed] of Object.entries(defaultOutputs)) {
    const dir = join(out, target);
    if (existsSync(committed)) cpSync(committed, dir, { recursive: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "previous-marker.txt"), `previous ${target} output\n`);
  }
  return out;
}

/**
 * Debian's Chromium (or `CHROMIUM_PATH`), headless, with background networking, updates and sync
 * switched off so that the browser itself opens no connection.
 */
export function launchChromium(options: { env?: NodeJS.ProcessEnv } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    ...(options.env ? { env: options.env } : {}),
  });
}
