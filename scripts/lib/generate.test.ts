import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultOutputs } from "./paths.mjs";
import { fingerprint, outWithPreviousOutput, repoRoot, runGenerate } from "./test-helpers.js";

const require = createRequire(import.meta.url);
const broken = (name: string) => `scripts/fixtures/broken/${name}`;
const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

/** Runs the pipeline into a folder holding a previous output and checks that it failed cleanly. */
function expectCleanFailure(args: string[], env?: NodeJS.ProcessEnv) {
  const out = outWithPreviousOutput();
  cleanup.push(out);
  const before = fingerprint(out);
  const result = runGenerate([...args, "--out", out], env);
  expect(result.code, result.stderr).not.toBe(0);
  // A message for a person, not a crash: no stack frames.
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).not.toContain("internal error");
  expect(fingerprint(out)).toEqual(before);
  return result;
}

// Each broken spec: where the problem is (file:line) and what it is.
const corpus: Array<[file: string, location: RegExp, problem: RegExp]> = [
  ["yaml-syntax-error.yaml", /yaml-syntax-error\.yaml:21:\d+/, /cannot be parsed as YAML/],
  ["empty.yaml", /empty\.yaml:1:1/, /the file is empty/],
  ["only-comment.yaml", /only-comment\.yaml:1:1/, /must be a mapping/],
  ["not-a-mapping.yaml", /not-a-mapping\.yaml:1:1/, /must be a mapping/],
  ["invalid-json.json", /invalid-json\.json:8:18/, /not valid JSON: unexpected "]"/],
  ["unresolved-ref.yaml", /unresolved-ref\.yaml:35:\d+/, /Can't resolve \$ref "#\/components\/schemas\/Usr"/],
  ["unresolved-external-ref.yaml", /unresolved-external-ref\.yaml:35:\d+/, /does-not-exist\.yaml/],
  ["duplicate-operation-id.yaml", /duplicate-operation-id\.yaml:40:\d+/, /unique `operationId`/],
  [
    "undeclared-path-parameter.yaml",
    /undeclared-path-parameter\.yaml:17:\d+/,
    /does not define the path parameter `\{user_id\}`/,
  ],
  ["path-parameter-not-in-path.yaml", /path-parameter-not-in-path\.yaml:23:\d+/, /`user_id` is not used in the path/],
  [
    "wrong-openapi-version.yaml",
    /wrong-openapi-version\.yaml:1:1/,
    /must be a 3\.0\.x or 3\.1\.x version string, found "2\.5\.0"/,
  ],
  ["swagger-2.yaml", /swagger-2\.yaml:1:1/, /Swagger 2\.0 is not supported/],
  ["invalid-schema-type.yaml", /invalid-schema-type\.yaml:50:\d+/, /`type` can be one of the following only/],
  ["response-without-description.yaml", /response-without-description\.yaml:36:\d+/, /responses\/404/],
  ["circular-ref-alias.yaml", /circular-ref-alias\.yaml:52:\d+/, /circular \$ref: .*Alias -> .*OtherAlias -> .*Alias/],
  ["missing-info.yaml", /missing-info\.yaml:1:1/, /`info` must be present/],
  [
    "invalid-parameter-location.yaml",
    /invalid-parameter-location\.yaml:24:\d+/,
    /`in` can be one of the following only/,
  ],
  ["required-not-a-list.yaml", /required-not-a-list\.yaml:47:\d+/, /Expected type `array`/],
];

describe("a broken spec gives a clear error and loses nothing", () => {
  it.each(corpus)("%s", (file, location, problem) => {
    const result = expectCleanFailure(["--spec", broken(file)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(location);
    expect(result.stderr).toMatch(problem);
    expect(result.stderr).toContain("Nothing was written");
  });

  it("an unresolved $ref is named first, before every other problem", () => {
    const result = expectCleanFailure(["--spec", broken("unresolved-ref-among-others.yaml")]);
    const problems = result.stderr.split("\n").filter((l) => /^ {2}\S/.test(l));
    expect(problems.length).toBe(3);
    expect(problems[0]).toMatch(/:21:\d+ .*Can't resolve \$ref "#\/components\/schemas\/Usr".*\[no-unresolved-refs\]/);
    expect(result.stderr).toMatch(/`type` can be one of the following only/);
    expect(result.stderr).toMatch(/unique `operationId`/);
  });

  it("a missing spec file names the file and the flag", () => {
    const result = expectCleanFailure(["--spec", "spec/does-not-exist.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--spec: the file spec/does-not-exist.yaml does not exist");
  });

  it("a folder passed as the spec is refused", () => {
    const result = expectCleanFailure(["--spec", "spec"]);
    expect(result.stderr).toContain("--spec: spec is a folder");
  });

  it("the packages' own generated folders are untouched when no --out is given", () => {
    const before = Object.values(defaultOutputs).map(fingerprint);
    const result = runGenerate(["--spec", broken("unresolved-ref.yaml")]);
    expect(result.code).toBe(1);
    expect(Object.values(defaultOutputs).map(fingerprint)).toEqual(before);
  });
});

describe("known-invalid but workable parts are warnings; --strict makes them fail", () => {
  const workable = (name: string) => `scripts/fixtures/workable/${name}`;

  it.each([
    ["component-key-with-space.yaml", [/"API Key" does not match .*\[spec-components-invalid-map-name\]/]],
    [
      "known-invalid.yaml",
      [
        /Property `codeSamples` is not expected here/,
        /exclusiveMinimum\): Expected type `number` but got `boolean`/,
        /Property `nullable` is not expected here/,
        /\[no-invalid-parameter-examples\]/,
      ],
    ],
  ])("%s generates with warnings", (file, warnings) => {
    const out = mkdtempSync(join(tmpdir(), "traces-workable-"));
    cleanup.push(out);
    const result = runGenerate(["--spec", workable(file), "--target", "client", "--out", out, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    for (const w of warnings) expect(result.stderr).toMatch(new RegExp(`^warning: .*${w.source}`, "m"));
    expect(readFileSync(join(out, "client/schema.ts"), "utf8")).toContain("Do not edit this file");
  });

  it.each([
    ["component-key-with-space.yaml", /"API Key" does not match .*\(a warning; --strict makes it fail\)/],
    [
      "known-invalid.yaml",
      /responses\/404\): The field `description` must be present .*\(a warning; --strict makes it fail\)/,
    ],
  ])("%s fails with --strict, naming each part", (file, problem) => {
    const result = expectCleanFailure(["--spec", workable(file), "--strict"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(problem);
    expect(result.stderr).toContain("Nothing was written");
  });

  it("--lenient is still accepted, says it is no longer needed, and changes nothing", () => {
    const out = mkdtempSync(join(tmpdir(), "traces-lenient-"));
    cleanup.push(out);
    const result = runGenerate([
      "--spec",
      workable("component-key-with-space.yaml"),
      "--lenient",
      "--target",
      "client",
      "--out",
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("notice: --lenient is no longer needed");
    expect(readFileSync(join(out, "client/schema.ts"), "utf8")).not.toContain("--lenient");
  });

  it("style rules (a missing license, 4XX responses, security) never stop generation", () => {
    const out = mkdtempSync(join(tmpdir(), "traces-style-"));
    cleanup.push(out);
    const result = runGenerate([
      "--spec",
      "scripts/fixtures/corpus/edge/no-servers.yaml",
      "--target",
      "client",
      "--strict",
      "--out",
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
  });
});

describe("bad arguments", () => {
  it("an unknown flag prints the usage and exits 2", () => {
    const result = runGenerate(["--sepc", "spec/openapi.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--sepc'");
    expect(result.stderr).toContain("Usage: pnpm generate");
  });

  it("an unknown target is named", () => {
    const result = expectCleanFailure(["--target", "python"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--target: unknown target "python". Choose from: client, docs');
  });

  it("a URL given as --spec says to download it first", () => {
    const result = expectCleanFailure(["--spec", "https://example.com/openapi.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is a URL; the pipeline reads files only");
  });

  it("--help prints the usage", () => {
    const result = runGenerate(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--strict");
    expect(result.stdout).toContain("--skip-typecheck");
  });
});

describe("--out never replaces what pnpm generate did not write", () => {
  const petstore = "scripts/fixtures/corpus/public/oai-3.0-petstore.yaml";

  it("refuses a docs or client folder holding hand-written files, and keeps them", () => {
    const out = mkdtempSync(join(tmpdir(), "traces-out-"));
    cleanup.push(out);
    mkdirSync(join(out, "docs"));
    writeFileSync(join(out, "docs/handwritten.md"), "# our notes\n");
    const result = runGenerate(["--spec", petstore, "--target", "docs", "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("holds handwritten.md, which pnpm generate did not write");
    expect(result.stderr).toContain("Choose a new or empty folder for --out");
    expect(readFileSync(join(out, "docs/handwritten.md"), "utf8")).toBe("# our notes\n");
    // A package's own sources are such a folder too.
    const client = mkdtempSync(join(tmpdir(), "traces-out-"));
    cleanup.push(client);
    mkdirSync(join(client, "client"));
    writeFileSync(join(client, "client/index.ts"), "export const mine = 1;\n");
    expect(runGenerate(["--spec", petstore, "--target", "client", "--out", client, "--skip-typecheck"]).code).toBe(2);
    expect(readFileSync(join(client, "client/index.ts"), "utf8")).toBe("export const mine = 1;\n");
  });

  it("replaces its own earlier output, names a file given as --out, and takes a target named twice once", () => {
    const out = mkdtempSync(join(tmpdir(), "traces-out-"));
    cleanup.push(out);
    const args = ["--spec", petstore, "--target", "client,client", "--out", out, "--skip-typecheck"];
    expect(runGenerate(args).code).toBe(0);
    const first = fingerprint(out);
    const again = runGenerate(args);
    expect(again.code, again.stderr).toBe(0);
    expect(fingerprint(out)).toEqual(first);
    const file = join(out, "a-file");
    writeFileSync(file, "x");
    const result = runGenerate(["--spec", petstore, "--out", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is a file; name a folder");
  });
});

describe("pnpm generate from another folder", () => {
  it("resolves relative --spec and --out against the caller's folder, not the repository root", () => {
    const cwd = mkdtempSync(join(tmpdir(), "traces-caller-"));
    cleanup.push(cwd);
    writeFileSync(
      join(cwd, "api.yaml"),
      readFileSync(join(repoRoot, "scripts/fixtures/corpus/public/oai-3.0-petstore.yaml")),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" };
    delete env.INIT_CWD;
    const result = spawnSync(
      join(repoRoot, "scripts/generate"),
      ["--spec", "api.yaml", "--out", "out", "--target", "client", "--skip-typecheck"],
      { cwd, env, encoding: "utf8" },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(join(cwd, "out/client"))).toContain("schema.ts");
  });
});

describe("a run stopped by a signal", () => {
  it("stops its child processes, writes nothing, leaves no staging folder and exits 128 + the signal", async () => {
    const out = outWithPreviousOutput();
    cleanup.push(out);
    const before = fingerprint(out);
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, "scripts/lib/generate.mjs"),
        "--spec",
        "scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json",
        "--out",
        out,
      ],
      { cwd: repoRoot, env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      // Once the targets run: the JVM and the compile gate's tsc are child processes by then.
      if (stdout.includes(": generating") && !child.killed) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, stderr).toBe(143);
    expect(stderr).toContain("stopped by SIGTERM. Nothing was written; the previous output is unchanged.");
    expect(fingerprint(out)).toEqual(before);
    expect(readdirSync(out).filter((name) => name.includes("staging"))).toEqual([]);
  }, 120_000);

  it("removes the --out folders it made for a run that wrote nothing", async () => {
    const parent = mkdtempSync(join(tmpdir(), "traces-out-"));
    cleanup.push(parent);
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, "scripts/lib/generate.mjs"),
        "--spec",
        "scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json",
        "--out",
        join(parent, "new/deeper"),
      ],
      { cwd: repoRoot, env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" } },
    );
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.includes(": generating") && !child.killed) child.kill("SIGINT");
    });
    expect(await new Promise<number | null>((resolve) => child.on("close", resolve))).toBe(130);
    expect(readdirSync(parent)).toEqual([]);
  }, 120_000);
});

describe("missing tools stop the run before anything is written", () => {
  it("Java missing: one paragraph with the fix; the client output is intact too", () => {
    const bin = mkdtempSync(join(tmpdir(), "traces-nojava-"));
    cleanup.push(bin);
    symlinkSync(process.execPath, join(bin, "node"));
    const { JAVA_HOME: _unset, ...inherited } = process.env;
    const env = { ...inherited, PATH: bin };
    const result = expectCleanFailure([], env);
    expect(result.stderr).toContain("Java was not found");
    expect(result.stderr).toContain("apt-get install openjdk-17-jre-headless");
    expect(result.stderr).toContain("--target client");
  });

  it("the generator jar cannot be downloaded: the message says where to get it", () => {
    const dir = mkdtempSync(join(tmpdir(), "traces-nojar-"));
    cleanup.push(dir);
    const config = {
      "generator-cli": {
        version: "7.25.0",
        storageDir: "./cache",
        // A loopback port nothing listens on: the download fails at once. The ${...} are the
        // wrapper's own placeholders, not template literals.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: openapi-generator-cli placeholders.
        repository: { downloadUrl: "http://127.0.0.1:9/maven2/${groupId}/${artifactId}/${versionName}/x.jar" },
      },
    };
    writeFileSync(join(dir, "openapitools.json"), JSON.stringify(config));
    const result = expectCleanFailure([], { ...process.env, TRACES_OPENAPITOOLS: join(dir, "openapitools.json") });
    expect(result.stderr).toContain("could not be downloaded from http://127.0.0.1:9/");
    expect(result.stderr).toContain("mvn dependency:copy");
    expect(result.stderr).toContain("generator-cli.repository.downloadUrl");
  });
});

describe("output", () => {
  it("is byte-identical across two runs, carries headers, and holds no absolute paths", () => {
    const a = mkdtempSync(join(tmpdir(), "traces-det-a-"));
    const b = mkdtempSync(join(tmpdir(), "traces-det-b-"));
    cleanup.push(a, b);
    const first = runGenerate(["--out", a, "--quiet"]);
    expect(first.code, first.stderr).toBe(0);
    const second = runGenerate(["--out", b, "--quiet"]);
    expect(second.code, second.stderr).toBe(0);
    const fa = fingerprint(a);
    expect(Object.keys(fa).length).toBeGreaterThan(5);
    expect(fingerprint(b)).toEqual(fa);
    for (const file of Object.keys(fa)) {
      const text = readFileSync(join(a, file), "utf8");
      expect(text, file).not.toContain(repoRoot);
      expect(text, file).not.toContain(tmpdir());
      if (/\.(ts|md|html)$/.test(file)) expect(text.slice(0, 600), file).toContain("Do not edit this file");
    }
  });

  it("a self-referencing schema generates client types that compile", () => {
    const out = mkdtempSync(join(tmpdir(), "traces-recursive-"));
    cleanup.push(out);
    const result = runGenerate(["--spec", "scripts/fixtures/valid/recursive.yaml", "--target", "client", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const schema = readFileSync(join(out, "client/schema.ts"), "utf8");
    expect(schema).toMatch(/children: components\["schemas"\]\["Node"\]\[\]/);
    const tsc = spawnSync(
      process.execPath,
      [
        require.resolve("typescript/bin/tsc"),
        "--noEmit",
        "--strict",
        "--target",
        "es2022",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        join(out, "client/schema.ts"),
      ],
      { encoding: "utf8" },
    );
    expect(tsc.status, tsc.stdout).toBe(0);
  });
});

describe("the full upstream spec (214 operations)", () => {
  const upstream = "scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json";

  it("is refused with --strict, naming the invalid component key", () => {
    const result = expectCleanFailure(["--spec", upstream, "--target", "client", "--strict"]);
    expect(result.stderr).toContain('"API Key" does not match');
  });

  it("generates both targets with no flag, reporting its invalid parts as warnings", () => {
    const out = mkdtempSync(join(tmpdir(), "traces-upstream-"));
    cleanup.push(out);
    const result = runGenerate(["--spec", upstream, "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("214 operations");
    expect(result.stdout).toMatch(/client: type-checked with the runtime/);
    expect(result.stderr).toMatch(/warning: .*"API Key" does not match .*\[spec-components-invalid-map-name\]/);
    expect(result.stderr).toMatch(/warning: .*\[no-invalid-media-type-examples\]/);
    expect(Object.keys(fingerprint(join(out, "client"))).length).toBeGreaterThan(0);
    expect(Object.keys(fingerprint(join(out, "docs"))).length).toBeGreaterThan(0);
  });
});
