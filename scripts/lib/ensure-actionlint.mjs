#!/usr/bin/env node
/**
 * Finds actionlint (the GitHub Actions workflow linter) or builds it from source with Go:
 * ACTIONLINT, then PATH, then `<GOPATH>/bin`, then `node_modules/.cache/tools/actionlint`, else
 * `go install github.com/rhysd/actionlint/cmd/actionlint@<ACTIONLINT_VERSION>` into that cache.
 * Prints the path; exits 3 with the way to install it when Go is missing too.
 *
 *   node scripts/lib/ensure-actionlint.mjs
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./paths.mjs";

/** The actionlint release the workflows are checked with. */
export const ACTIONLINT_VERSION = "v1.7.12";

const cacheDir = join(repoRoot, "node_modules/.cache/tools");

/**
 * @param {{ build?: boolean, log?: (line: string) => void }} [options] build: compile it when not found
 * @returns {{ path?: string, why?: string }} the executable, or why there is none
 */
export function findActionlint({ build = true, log = () => {} } = {}) {
  const candidates = [process.env.ACTIONLINT];
  const which = spawnSync("sh", ["-c", "command -v actionlint"], { encoding: "utf8" });
  if (which.status === 0) candidates.push(which.stdout.trim());
  const go = spawnSync("go", ["env", "GOPATH"], { encoding: "utf8" });
  if (go.status === 0) candidates.push(join(go.stdout.trim(), "bin/actionlint"));
  candidates.push(join(cacheDir, "actionlint"));
  const found = candidates.find((c) => c && existsSync(c));
  if (found) return { path: found };
  if (go.status !== 0) {
    return {
      why: `actionlint is not installed and Go is missing, so it cannot be built. Install Go (apt-get install golang) or actionlint ${ACTIONLINT_VERSION}, or set ACTIONLINT to its path.`,
    };
  }
  if (!build) return { why: "actionlint is not built yet" };
  mkdirSync(cacheDir, { recursive: true });
  log(`building actionlint ${ACTIONLINT_VERSION} with Go (once; cached in node_modules/.cache/tools)`);
  const r = spawnSync("go", ["install", `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`], {
    encoding: "utf8",
    env: { ...process.env, GOBIN: cacheDir, GOFLAGS: "-mod=mod" },
  });
  if (r.status !== 0) return { why: `go install of actionlint failed:\n${r.stderr}` };
  return { path: join(cacheDir, "actionlint") };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { path, why } = findActionlint({ log: (l) => process.stderr.write(`==> ${l}\n`) });
  if (path) process.stdout.write(`${path}\n`);
  else {
    process.stderr.write(`${why}\n`);
    process.exitCode = 3;
  }
}
