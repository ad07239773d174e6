import { execFileSync, spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { repoRoot } from "./test-helpers.js";

// A clone of the committed tree, so that touching files never races the other tests, and a real
// build in it, so that "nothing changed" is measured against a build that just happened.
let clone = "";
const turboEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off" };

beforeAll(() => {
  clone = mkdtempSync(join(tmpdir(), "traces-turbo-"));
  execFileSync("git", ["clone", "--quiet", repoRoot, clone]);
  // Reuse this checkout's installed dependencies and generator jar (both are gitignored).
  for (const dir of ["", "packages/client", "packages/docs", "spec"]) {
    symlinkSync(join(repoRoot, dir, "node_modules"), join(clone, dir, "node_modules"));
  }
  if (existsSync(join(repoRoot, ".openapi-generator-cache"))) {
    symlinkSync(join(repoRoot, ".openapi-generator-cache"), join(clone, ".openapi-generator-cache"));
  }
  realBuild();
}, 600_000);
afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

interface DryTask {
  taskId: string;
  cache: { status: "HIT" | "MISS" };
  command: string;
}

/** `pnpm build` in the clone (turbo through scripts/turbo, which hashes external inputs first). */
function realBuild(extraEnv: NodeJS.ProcessEnv = {}): Map<string, string> {
  const build = spawnSync("scripts/turbo", ["run", "build", "--output-logs=errors-only", "--summarize"], {
    cwd: clone,
    env: { ...turboEnv, ...extraEnv },
    encoding: "utf8",
  });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  const runs = join(clone, ".turbo/runs");
  const newest = readdirSync(runs)
    .map((f) => join(runs, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] as string;
  const tasks: DryTask[] = JSON.parse(readFileSync(newest, "utf8")).tasks;
  return new Map(tasks.filter((t) => t.command !== "<NONEXISTENT>").map((t) => [t.taskId, t.cache.status]));
}

/** Task id → task hash of a dry run through scripts/turbo. */
function dryHashes(extraEnv: NodeJS.ProcessEnv = {}): Map<string, string> {
  const result = spawnSync("scripts/turbo", ["run", "build", "--dry=json"], {
    cwd: clone,
    env: { ...turboEnv, ...extraEnv },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  const tasks: { taskId: string; hash: string }[] = JSON.parse(result.stdout).tasks;
  return new Map(tasks.map((t) => [t.taskId, t.hash]));
}

/** Task id → inputs turbo hashes for it. */
function dryInputs(): Map<string, string[]> {
  const result = spawnSync("scripts/turbo", ["run", "build", "--dry=json"], {
    cwd: clone,
    env: turboEnv,
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  const tasks: (DryTask & { inputs: Record<string, string> })[] = JSON.parse(result.stdout).tasks;
  return new Map(tasks.map((t) => [t.taskId, Object.keys(t.inputs)]));
}

/**
 * `turbo run build --dry=json` through scripts/turbo: what a real build would run now, without
 * running it. Uncached tasks (the `generate` copy steps) always run and are left out.
 */
function dryRunBuild(extraEnv: NodeJS.ProcessEnv = {}): Map<string, string> {
  const result = spawnSync("scripts/turbo", ["run", "build", "--dry=json"], {
    cwd: clone,
    env: { ...turboEnv, ...extraEnv },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  const tasks: DryTask[] = JSON.parse(result.stdout).tasks;
  // Tasks without a script in their package (the spec package has no build) never run.
  return new Map(
    tasks
      .filter((t) => t.command !== "<NONEXISTENT>" && !t.taskId.endsWith("#generate"))
      .map((t) => [t.taskId, t.cache.status]),
  );
}

/** Changes a file for the length of one dry run, then restores its exact bytes. */
function withTouched<T>(file: string, append: string, run: () => T): T {
  const path = join(clone, file);
  const original = readFileSync(path);
  appendFileSync(path, append);
  try {
    return run();
  } finally {
    writeFileSync(path, original);
  }
}

const missed = (tasks: Map<string, string>) =>
  [...tasks]
    .filter(([, s]) => s === "MISS")
    .map(([id]) => id)
    .sort();

describe("the build graph", () => {
  it("a second build with nothing changed is all cache hits", () => {
    const tasks = dryRunBuild();
    expect([...tasks.keys()]).toEqual(
      expect.arrayContaining([
        "@traces-sdk/client#generate:stage",
        "@traces-sdk/client#build",
        "@traces-sdk/docs#generate:stage",
        "@traces-sdk/docs#build",
      ]),
    );
    expect(missed(tasks)).toEqual([]);
  });

  it("touching the spec re-runs generation and the builds of both packages", () => {
    const tasks = withTouched("spec/openapi.yaml", "\n# touched\n", dryRunBuild);
    expect(missed(tasks)).toEqual([
      "@traces-sdk/client#build",
      "@traces-sdk/client#generate:stage",
      "@traces-sdk/docs#build",
      "@traces-sdk/docs#generate:stage",
    ]);
  });

  it("touching only a docs template re-runs only the docs tasks", () => {
    const template = readdirSync(join(clone, "packages/docs/templates"), { recursive: true })
      .map(String)
      .find((f) => f.endsWith(".mustache"));
    expect(template, "packages/docs/templates has a .mustache template").toBeDefined();
    const tasks = withTouched(`packages/docs/templates/${template}`, "\n", dryRunBuild);
    expect(missed(tasks)).toEqual(["@traces-sdk/docs#build", "@traces-sdk/docs#generate:stage"]);
  });

  it("a new file under spec/ (anything the spec can $ref) re-runs generation", () => {
    const file = join(clone, "spec/shared-schemas.yaml");
    writeFileSync(file, "Thing:\n  type: string\n");
    try {
      expect(missed(dryRunBuild())).toEqual([
        "@traces-sdk/client#build",
        "@traces-sdk/client#generate:stage",
        "@traces-sdk/docs#build",
        "@traces-sdk/docs#generate:stage",
      ]);
    } finally {
      rmSync(file);
    }
  });

  it("variables that change the output change the hashes; proxy and CA variables pass through without", () => {
    const all = [
      "@traces-sdk/client#build",
      "@traces-sdk/client#generate:stage",
      "@traces-sdk/docs#build",
      "@traces-sdk/docs#generate:stage",
    ];
    expect(missed(dryRunBuild({ TRACES_DOCS_TEMPLATES: join(clone, "packages/docs/templates") }))).toEqual(all);
    expect(missed(dryRunBuild({ TRACES_OPENAPITOOLS: join(clone, "openapitools.json") }))).toEqual(all);
    // JAVA_HOME differs between machines; the pinned generator jar decides the output, so it is
    // passed through without changing hashes (remote cache hits across machines).
    expect(missed(dryRunBuild({ JAVA_HOME: "/opt/another-jdk" }))).toEqual([]);
    const proxy = {
      NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/proxy-ca.pem",
      SSL_CERT_FILE: "/etc/ssl/certs/proxy-ca.pem",
      HTTPS_PROXY: "http://127.0.0.1:3128",
      https_proxy: "http://127.0.0.1:3128",
      NO_PROXY: "localhost",
    };
    expect(missed(dryRunBuild(proxy))).toEqual([]);
    const config = JSON.parse(readFileSync(join(clone, "turbo.json"), "utf8"));
    for (const name of Object.keys(proxy)) expect(config.globalPassThroughEnv).toContain(name);
  });

  it("the contents of the folder TRACES_DOCS_TEMPLATES names, and of the TRACES_OPENAPITOOLS file, change the hashes", () => {
    const templates = mkdtempSync(join(tmpdir(), "traces-templates-"));
    const toolsDir = mkdtempSync(join(tmpdir(), "traces-tools-"));
    try {
      cpSync(join(clone, "packages/docs/templates"), templates, { recursive: true });
      const vars = { TRACES_DOCS_TEMPLATES: templates };
      realBuild(vars);
      expect(missed(dryRunBuild(vars))).toEqual([]);
      const template = readdirSync(templates, { recursive: true })
        .map(String)
        .find((f) => f.endsWith(".mustache")) as string;
      appendFileSync(join(templates, template), "\n");
      expect(missed(dryRunBuild(vars))).toEqual(["@traces-sdk/docs#build", "@traces-sdk/docs#generate:stage"]);
      // turbo run directly (not through scripts/turbo) after the files changed: the copy step
      // notices the stale digest and refuses, leaving the committed output alone.
      appendFileSync(join(templates, template), "\n");
      const raw = spawnSync("pnpm", ["exec", "turbo", "run", "generate", "--filter=@traces-sdk/docs"], {
        cwd: clone,
        env: { ...turboEnv, ...vars },
        encoding: "utf8",
      });
      expect(raw.status).not.toBe(0);
      expect(raw.stdout + raw.stderr).toContain("TRACES_DOCS_TEMPLATES changed after turbo hashed them");
      // Same path, other bytes: another hash for every generation task.
      const tools = join(toolsDir, "openapitools.json");
      cpSync(join(clone, "openapitools.json"), tools);
      const before = dryHashes({ TRACES_OPENAPITOOLS: tools });
      writeFileSync(tools, `${readFileSync(tools, "utf8")}\n`);
      const after = dryHashes({ TRACES_OPENAPITOOLS: tools });
      expect(after.get("@traces-sdk/docs#generate:stage")).not.toBe(before.get("@traces-sdk/docs#generate:stage"));
      // The client's generation does not read it.
      expect(after.get("@traces-sdk/client#generate:stage")).toBe(before.get("@traces-sdk/client#generate:stage"));
    } finally {
      rmSync(templates, { recursive: true, force: true });
      rmSync(toolsDir, { recursive: true, force: true });
      execFileSync("node", ["scripts/lib/external-inputs.mjs"], { cwd: clone, env: turboEnv });
    }
  }, 600_000);

  it("generation hashes none of its committed outputs: reverting a spec change is a cache hit", () => {
    const inputs = dryInputs();
    for (const [id, files] of inputs) {
      if (!/#generate(:stage)?$/.test(id)) continue;
      expect(
        files.filter((f) => /(^|\/)(src\/)?generated\//.test(f)),
        id,
      ).toEqual([]);
    }
    const spec = join(clone, "spec/openapi.yaml");
    const original = readFileSync(spec, "utf8");
    try {
      const changedSpec = parse(original);
      changedSpec.info.description = `${changedSpec.info.description} Changed.`;
      writeFileSync(spec, stringify(changedSpec));
      const changed = realBuild();
      expect(changed.get("@traces-sdk/client#generate:stage")).toBe("MISS");
      expect(
        execFileSync(
          "git",
          ["status", "--porcelain", "--", "packages/client/src", "packages/docs/generated", "spec/openapi.yaml"],
          { cwd: clone, encoding: "utf8" },
        ),
      ).toContain("generated");
    } finally {
      writeFileSync(spec, original);
    }
    const reverted = realBuild();
    for (const id of [
      "@traces-sdk/client#generate:stage",
      "@traces-sdk/docs#generate:stage",
      "@traces-sdk/client#build",
      "@traces-sdk/docs#build",
    ])
      expect(reverted.get(id), id).toBe("HIT");
    // The copy step put the committed bytes back.
    expect(
      execFileSync(
        "git",
        ["status", "--porcelain", "--", "packages/client/src", "packages/docs/generated", "spec/openapi.yaml"],
        { cwd: clone, encoding: "utf8" },
      ),
    ).toBe("");
  }, 600_000);

  it("a $ref from spec/openapi.yaml to a file outside spec/ is refused, naming the $ref and the rule", () => {
    const spec = join(clone, "spec/openapi.yaml");
    const original = readFileSync(spec, "utf8");
    mkdirSync(join(clone, "extra"), { recursive: true });
    writeFileSync(join(clone, "extra/ext.yaml"), "type: string\n");
    try {
      const s = parse(original);
      s.components.schemas.Extra = { $ref: "../extra/ext.yaml" };
      writeFileSync(spec, stringify(s));
      const before = execFileSync(
        "git",
        ["status", "--porcelain", "--", "packages/client/src", "packages/docs/generated", "spec/openapi.yaml"],
        {
          cwd: clone,
          encoding: "utf8",
        },
      );
      const r = spawnSync("pnpm", ["generate"], { cwd: clone, env: turboEnv, encoding: "utf8" });
      expect(r.status).not.toBe(0);
      const out = r.stdout + r.stderr;
      expect(out).toContain('$ref "../extra/ext.yaml" points outside spec/ (extra/ext.yaml)');
      expect(out).toContain("[spec-refs-stay-in-spec-folder]");
      expect(out).toContain("spec/openapi.yaml#/components/schemas/Extra");
      // Nothing generated changed.
      expect(
        execFileSync(
          "git",
          ["status", "--porcelain", "--", "packages/client/src", "packages/docs/generated", "spec/openapi.yaml"],
          { cwd: clone, encoding: "utf8" },
        ),
      ).toBe(before);
      // A file under spec/ is fine, and --spec on any other file is not held to the rule.
      // Naming our own spec with --spec is still checked; any other spec is not held to the rule.
      const other = join(clone, "extra/sub/openapi.yaml");
      mkdirSync(join(clone, "extra/sub"));
      writeFileSync(other, stringify(s).replace("../extra/ext.yaml", "../ext.yaml"));
      const free = spawnSync(
        process.execPath,
        [
          "scripts/lib/generate.mjs",
          "--spec",
          join(clone, "spec/openapi.yaml"),
          "--target",
          "client",
          "--out",
          join(clone, "extra/out"),
        ],
        { cwd: clone, env: turboEnv, encoding: "utf8" },
      );
      expect(free.status).not.toBe(0);
      const elsewhere = spawnSync(
        process.execPath,
        ["scripts/lib/generate.mjs", "--spec", other, "--target", "client", "--out", join(clone, "extra/out")],
        { cwd: clone, env: turboEnv, encoding: "utf8" },
      );
      expect(elsewhere.status, elsewhere.stderr).toBe(0);
    } finally {
      writeFileSync(spec, original);
      rmSync(join(clone, "extra"), { recursive: true, force: true });
    }
  }, 600_000);
});
