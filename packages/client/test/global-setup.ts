import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Tests of the published artefact need dist/; `turbo run test` builds it first, a bare `vitest run` may not have. */
export default function setup(): void {
  if (existsSync(join(root, "dist/index.js"))) return;
  const tsup = join(
    dirname(createRequire(join(root, "package.json")).resolve("tsup/package.json")),
    "dist/cli-default.js",
  );
  execFileSync(process.execPath, [tsup], { cwd: root, stdio: "inherit" });
}
