import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Newest modification time of any file below `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * The browser and package tests run the built dist/. `turbo run test` builds it first; a bare
 * `vitest run` after editing src/ would otherwise test a stale (or missing) build.
 */
export default function setup(): void {
  const built = join(root, "dist/index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, "src"))) return;
  const tsup = join(
    dirname(createRequire(join(root, "package.json")).resolve("tsup/package.json")),
    "dist/cli-default.js",
  );
  execFileSync(process.execPath, [tsup], { cwd: root, stdio: "inherit" });
}
