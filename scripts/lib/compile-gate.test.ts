import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeFailure, runtimeDir, typecheckClients } from "./compile-gate.mjs";
import { generate } from "./generate.mjs";
import { defaultOutputs, repoRoot } from "./paths.mjs";
import { runGenerate } from "./test-helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

describe("the compile gate", () => {
  it("checks several clients in one run and reports each on its own", async () => {
    const good = temp("traces-gate-good-");
    const bad = temp("traces-gate-bad-");
    cpSync(defaultOutputs.client, good, { recursive: true });
    cpSync(defaultOutputs.client, bad, { recursive: true });
    appendFileSync(join(bad, "resources.ts"), "\nexport const broken: number = 'not a number';\n");
    const [first, second] = await typecheckClients([
      { label: "good", dir: good },
      { label: "bad", dir: bad },
    ]);
    expect(first).toEqual({ label: "good", ok: true, errors: [], generated: [], handWritten: [] });
    expect(second?.ok).toBe(false);
    expect(second?.errors.join("\n")).toMatch(/^generated\/resources\.ts\(\d+,\d+\): error TS2322/m);
    expect(second?.handWritten).toEqual([]);
    // Only generated files fail: a gap in the generator.
    const message = describeFailure(second as Parameters<typeof describeFailure>[0]);
    expect(message).toMatch(/^the generated client does not compile \(1 tsc error\):\n {2}generated\/resources\.ts\(/);
    expect(message).toContain("this is a gap in the client generator");
    expect(message).not.toContain("hand-written");
  });

  it("runs inside `pnpm generate`: a client is type-checked before it is written", () => {
    const out = temp("traces-gate-run-");
    const result = runGenerate(["--target", "client", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/client: type-checked with the runtime in \d+\.\ds/);
    const skipped = runGenerate(["--target", "client", "--out", out, "--skip-typecheck"]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).not.toContain("type-checked");
  });
});

describe("a hand-written runtime file that does not compile", () => {
  /** A copy of the runtime inside the repository (so that messages name it repo-relative), changed by `edit`. */
  const runtimeCopy = (edit: (dir: string) => void) => {
    mkdirSync(join(repoRoot, "packages/client/.tmp"), { recursive: true });
    const dir = mkdtempSync(join(repoRoot, "packages/client/.tmp/runtime-"));
    dirs.push(dir);
    for (const file of readdirSync(runtimeDir))
      if (file.endsWith(".ts")) cpSync(join(runtimeDir, file), join(dir, file));
    edit(dir);
    return { dir, shown: dir.slice(repoRoot.length + 1) };
  };
  /** Runs the pipeline (client only) with that runtime; returns the error it fails with. */
  const failure = async (runtime: string) => {
    const out = temp("traces-gate-runtime-");
    const error = await generate({ targets: ["client"], out, quiet: true, clientRuntime: runtime }).then(
      () => undefined,
      (e: Error) => e,
    );
    // Nothing was written.
    expect(existsSync(join(out, "client"))).toBe(false);
    return error?.message ?? "";
  };

  it("is blamed by name, with its diagnostic and the fix, not as a generator gap", async () => {
    const { dir, shown } = runtimeCopy((d) =>
      appendFileSync(join(d, "brand.ts"), "\nexport const broken: number = 'not a number';\n"),
    );
    const message = await failure(dir);
    expect(message).toMatch(
      new RegExp(
        `^the hand-written file ${shown}/brand\\.ts \\(part of the client runtime, not generated\\) fails to compile \\(1 tsc error\\):`,
      ),
    );
    expect(message).toMatch(
      new RegExp(
        `^ {2}${shown}/brand\\.ts\\(\\d+,\\d+\\): error TS2322: Type 'string' is not assignable to type 'number'`,
        "m",
      ),
    );
    expect(message).toContain("Fix it by hand (`pnpm --filter @traces-sdk/client typecheck` shows the same errors)");
    expect(message).not.toMatch(/gap in the client generator|generated client does not compile/);
  });

  it("that expects generated code the generator does not write is blamed too, with the hint", async () => {
    const { dir, shown } = runtimeCopy((d) =>
      writeFileSync(
        join(d, "uses-generated.ts"),
        'import type { NoSuchModel } from "./generated/types.js";\nexport type Uses = NoSuchModel;\n',
      ),
    );
    const message = await failure(dir);
    expect(message).toContain(
      `the hand-written file ${shown}/uses-generated.ts (part of the client runtime, not generated) fails`,
    );
    expect(message).toMatch(/uses-generated\.ts\(1,\d+\): error TS2305/);
    expect(message).toContain("where an error names something from ./generated/, the runtime expects generated code");
  });

  it("several broken files are all named", async () => {
    const { dir, shown } = runtimeCopy((d) => {
      appendFileSync(join(d, "brand.ts"), "\nexport const one: number = 'x';\n");
      appendFileSync(join(d, "env.ts"), "\nexport const two: string = 2;\n");
    });
    const message = await failure(dir);
    expect(message).toContain(
      `the hand-written files ${shown}/brand.ts, ${shown}/env.ts (part of the client runtime, not generated) fail to compile (2 tsc errors)`,
    );
    expect(message).toContain("Fix them by hand");
  });

  it("that no longer provides what generated code imports is blamed, not the generator", async () => {
    const { dir, shown } = runtimeCopy((d) => {
      const file = join(d, "pagination.ts");
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace(/export function paginate\b/, "export function paginateAll"),
      );
    });
    const message = await failure(dir);
    expect(message).toMatch(
      new RegExp(
        `^the generated client uses what the hand-written runtime \\(${shown}/pagination\\.ts\\) does not provide`,
      ),
    );
    expect(message).toMatch(/generated\/functions\.ts\(\d+,\d+\): error TS\d+: .*"\.\.\/pagination\.js"/);
    expect(message).toContain("The runtime and the client generator (packages/client/codegen) disagree");
    expect(message).not.toContain("gap in the client generator");
  });
});
