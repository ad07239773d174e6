/**
 * Generates a client from any spec into a temporary folder next to a copy of the runtime, so that
 * tests can compile it and call it like the package. Removed with `dispose`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(pkg, "../..");
const tsc = join(dirname(createRequire(join(pkg, "package.json")).resolve("typescript/package.json")), "bin/tsc");

/** A client generated from one spec. */
export interface GeneratedClient {
  /** The folder holding `src/` (runtime + `generated/`). */
  dir: string;
  /** What the generator wrote to stderr (its warnings). */
  warnings: string;
  /** Imports `src/client.ts` of the generated client. */
  load(): Promise<Record<string, unknown>>;
  /** Type-checks the generated client with the runtime; returns tsc's output ("" when clean). */
  typecheck(extraFiles?: Record<string, string>): string;
  dispose(): void;
}

/** Runs `pnpm generate --target client --spec <spec> --lenient` into a temporary folder. */
export function generateClient(spec: string): GeneratedClient {
  mkdirSync(join(pkg, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(pkg, ".tmp/gen-"));
  const result = spawnSync(
    process.execPath,
    [
      "scripts/lib/generate.mjs",
      "--target",
      "client",
      "--quiet",
      "--lenient",
      "--out",
      join(dir, "out"),
      "--spec",
      relative(repo, spec),
    ],
    { cwd: repo, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`generation of ${spec} failed:\n${result.stderr}${result.stdout}`);
  const src = join(dir, "src");
  mkdirSync(src, { recursive: true });
  for (const file of readdirSync(join(pkg, "src"))) {
    if (file.endsWith(".ts") && !file.endsWith(".test.ts")) cpSync(join(pkg, "src", file), join(src, file));
  }
  cpSync(join(dir, "out/client"), join(src, "generated"), { recursive: true });
  return {
    dir,
    warnings: result.stderr,
    load: () => import(pathToFileURL(join(src, "client.ts")).href),
    typecheck(extraFiles = {}) {
      for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(src, name), text);
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          extends: relative(dir, join(repo, "tsconfig.base.json")),
          compilerOptions: { noEmit: true, types: [] },
          include: ["src"],
        }),
      );
      try {
        execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { stdio: "pipe", encoding: "utf8" });
        return "";
      } catch (error) {
        return (error as { stdout?: string }).stdout ?? String(error);
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
