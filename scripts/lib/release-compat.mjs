/**
 * The compiler's second opinion on a version bump: the released code that users copy (the docs'
 * TypeScript examples) and the client's type tests, as they were at a git
 * revision, are type-checked against the client built from the working tree. An example that
 * compiled then and fails now is a breaking change, whatever the spec diff said.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { SetupError, UsageError } from "./errors.mjs";
import { repoRoot } from "./paths.mjs";

/**
 * Where users' code comes from: the generated docs' ```ts blocks (each a complete program, as the
 * docs tests check) and the client's type tests. README snippets are fragments that share
 * variables, so they are left to the README tests.
 */
const EXAMPLE_SOURCES = ["packages/docs/generated/markdown/"];
const TYPE_TESTS = /^packages\/client\/test\/[^/]+\.test-d\.ts$/;

/** @typedef {{ source: string, code: string }} Example */

/**
 * The examples and type tests at a git revision.
 * @param {string} rev
 * @returns {Example[]} source is `path#n` for the n-th block of a markdown file, or the test's path
 */
export function examplesAt(rev, root = repoRoot) {
  const git = (args) => {
    const r = spawnSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new UsageError(`git ${args.join(" ")} failed: ${r.stderr.trim()}`);
    return r.stdout;
  };
  const files = git(["ls-tree", "-r", "--name-only", rev])
    .split("\n")
    .filter(
      (f) =>
        TYPE_TESTS.test(f) ||
        (f.endsWith(".md") && EXAMPLE_SOURCES.some((s) => f === s || (s.endsWith("/") && f.startsWith(s)))),
    );
  /** @type {Example[]} */
  const out = [];
  for (const file of files.sort()) {
    const text = git(["show", `${rev}:${file}`]);
    if (TYPE_TESTS.test(file)) {
      // The tests import the client's source; a user imports the package (src/testing.ts is its
      // `./testing` entry, every other module part of the main one).
      const code = text.replace(/from "\.\.\/src\/([^"]*)"/g, (_, module) =>
        module === "testing.js" ? 'from "@traces-sdk/client/testing"' : 'from "@traces-sdk/client"',
      );
      out.push({ source: file, code });
      continue;
    }
    let i = 0;
    for (const m of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm))
      out.push({ source: `${file}#${++i}`, code: m[1] });
  }
  return out;
}

/**
 * Type-checks examples against the built `@traces-sdk/client` (its published `dist/` types), as
 * one strict TypeScript project.
 * @param {Example[]} examples
 * @returns {{ example: string, error: string }[]} one entry per example that does not compile
 */
export function typecheckExamples(examples, root = repoRoot) {
  if (!existsSync(join(root, "packages/client/dist/index.d.ts"))) {
    throw new SetupError(
      "The client is not built (packages/client/dist is missing). Run `pnpm build`, then the command again.",
    );
  }
  // Inside packages/docs, so that @traces-sdk/client, vitest and @types/node resolve as they do there.
  const dir = join(root, "packages/docs/.tmp", `release-compat-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const names = new Map();
    examples.forEach((e, i) => {
      const file = `example-${String(i).padStart(3, "0")}.ts`;
      names.set(file, e.source);
      // Each block is its own module, as a user's file would be.
      writeFileSync(join(dir, file), /^\s*(import|export)\s/m.test(e.code) ? e.code : `${e.code}\nexport {};\n`);
    });
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        include: ["*.ts"],
      }),
    );
    const tsc = join(dirname(createRequire(join(root, "package.json")).resolve("typescript/package.json")), "bin/tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", dir, "--pretty", "false"], { encoding: "utf8" });
    const failures = new Map();
    for (const line of `${r.stdout}${r.stderr}`.split("\n")) {
      const m = /^(?:.*\/)?(example-\d{3}\.ts)\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
      if (!m) continue;
      const example = names.get(m[1]);
      if (!failures.has(example)) failures.set(example, `line ${m[2]}: ${m[3]}`);
    }
    if (r.status !== 0 && failures.size === 0) {
      throw new SetupError(`tsc failed without naming an example:\n${r.stdout}${r.stderr}`);
    }
    return [...failures].map(([example, error]) => ({ example, error }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The released examples and type tests at `rev` that no longer compile against the working tree's
 * built client.
 * @param {string} rev a git revision (the last release)
 * @returns {Promise<{ example: string, error: string }[]>}
 */
export async function compileCheck(rev, root = repoRoot) {
  return typecheckExamples(examplesAt(rev, root), root).map((f) => ({ ...f, example: `${f.example} (at ${rev})` }));
}
