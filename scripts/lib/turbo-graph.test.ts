import { execFileSync, spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  const build = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"], {
    cwd: clone,
    env: turboEnv,
    encoding: "utf8",
  });
  expect(build.status, build.stdout + build.stderr).toBe(0);
}, 600_000);
afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

interface DryTask {
  taskId: string;
  cache: { status: "HIT" | "MISS" };
  command: string;
}

/** `turbo run build --dry=json`: what a real build would run now, without running it. */
function dryRunBuild(extraEnv: NodeJS.ProcessEnv = {}): Map<string, string> {
  const result = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--dry=json"], {
    cwd: clone,
    env: { ...turboEnv, ...extraEnv },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  const tasks: DryTask[] = JSON.parse(result.stdout).tasks;
  // Tasks without a script in their package (the spec package has no build) never run.
  return new Map(tasks.filter((t) => t.command !== "<NONEXISTENT>").map((t) => [t.taskId, t.cache.status]));
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
        "@traces-sdk/client#generate",
        "@traces-sdk/client#build",
        "@traces-sdk/docs#generate",
        "@traces-sdk/docs#build",
      ]),
    );
    expect(missed(tasks)).toEqual([]);
  });

  it("touching the spec re-runs generation and the builds of both packages", () => {
    const tasks = withTouched("spec/openapi.yaml", "\n# touched\n", dryRunBuild);
    expect(missed(tasks)).toEqual([
      "@traces-sdk/client#build",
      "@traces-sdk/client#generate",
      "@traces-sdk/docs#build",
      "@traces-sdk/docs#generate",
    ]);
  });

  it("touching only a docs template re-runs only the docs tasks", () => {
    const template = readdirSync(join(clone, "packages/docs/templates"), { recursive: true })
      .map(String)
      .find((f) => f.endsWith(".mustache"));
    expect(template, "packages/docs/templates has a .mustache template").toBeDefined();
    const tasks = withTouched(`packages/docs/templates/${template}`, "\n", dryRunBuild);
    expect(missed(tasks)).toEqual(["@traces-sdk/docs#build", "@traces-sdk/docs#generate"]);
  });

  it("a new file under spec/ (anything the spec can $ref) re-runs generation", () => {
    const file = join(clone, "spec/shared-schemas.yaml");
    writeFileSync(file, "Thing:\n  type: string\n");
    try {
      expect(missed(dryRunBuild())).toEqual([
        "@traces-sdk/client#build",
        "@traces-sdk/client#generate",
        "@traces-sdk/docs#build",
        "@traces-sdk/docs#generate",
      ]);
    } finally {
      rmSync(file);
    }
  });

  it("variables that change the output change the hashes; proxy and CA variables pass through without", () => {
    const all = [
      "@traces-sdk/client#build",
      "@traces-sdk/client#generate",
      "@traces-sdk/docs#build",
      "@traces-sdk/docs#generate",
    ];
    expect(missed(dryRunBuild({ TRACES_DOCS_TEMPLATES: join(clone, "packages/docs/templates") }))).toEqual(all);
    expect(missed(dryRunBuild({ JAVA_HOME: "/opt/another-jdk" }))).toEqual(all);
    expect(missed(dryRunBuild({ TRACES_OPENAPITOOLS: join(clone, "openapitools.json") }))).toEqual(all);
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
});
