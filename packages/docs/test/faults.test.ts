import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprint, generatedDir, packageDir, type RunResult, repoRoot, runDocsPipeline } from "./helpers.js";

const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
};

/** An environment without any Java: PATH holds nothing, JAVA_HOME is unset. */
function envWith(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.JAVA_HOME;
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs the docs pipeline into a folder that holds a previous output and checks it failed cleanly. */
function expectCleanFailure(env: NodeJS.ProcessEnv, args: string[] = []): RunResult {
  const out = temp("traces-docs-prev-");
  cpSync(generatedDir, join(out, "docs"), { recursive: true });
  writeFileSync(join(out, "docs", "previous-marker.txt"), "previous docs output\n");
  const before = fingerprint(out);
  const result = runDocsPipeline([...args, "--out", out], env);
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // a message, not a stack trace
  expect(result.stderr).not.toContain("internal error");
  expect(result.stderr).toContain("The previous generated output was left unchanged");
  expect(fingerprint(out)).toEqual(before);
  return result;
}

describe("a broken docs toolchain gives a clear error and loses nothing", () => {
  it("Java missing from PATH", () => {
    const result = expectCleanFailure(envWith({ PATH: temp("traces-empty-path-") }));
    expect(result.stderr).toContain("Java was not found (tried `java` on PATH)");
    expect(result.stderr).toMatch(/Install a JDK .*apt-get install openjdk-17/);
  });

  it("JAVA_HOME pointing at a folder without Java", () => {
    const fake = temp("traces-fake-jdk-");
    const result = expectCleanFailure(envWith({ JAVA_HOME: fake }));
    expect(result.stderr).toContain(`Java was not found (tried \`${join(fake, "bin", "java")}\` from JAVA_HOME)`);
    expect(result.stderr).toContain("set JAVA_HOME to one");
  });

  it("Java too old (1.8)", () => {
    const jdk = temp("traces-java8-");
    mkdirSync(join(jdk, "bin"));
    writeFileSync(join(jdk, "bin", "java"), "#!/bin/sh\necho 'java version \"1.8.0_402\"' >&2\nexit 0\n");
    chmodSync(join(jdk, "bin", "java"), 0o755);
    const result = expectCleanFailure(envWith({ JAVA_HOME: jdk }));
    expect(result.stderr).toMatch(/Java 8 was found at .*, but openapi-generator needs Java 11 or newer/);
    expect(result.stderr).toContain("Install a JDK 17 and put it first on PATH or set JAVA_HOME to it");
  });

  it("the generator jar cannot be downloaded", async () => {
    // A port that was just free: nothing listens there, so the download is refused at once.
    const port = await new Promise<number>((ok) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => ok(port));
      });
    });
    const dir = temp("traces-openapitools-");
    mkdirSync(join(dir, "empty-storage"));
    const config = JSON.parse(readFileSync(join(repoRoot, "openapitools.json"), "utf8"));
    config["generator-cli"].storageDir = "./empty-storage";
    config["generator-cli"].repository = {
      downloadUrl: `http://127.0.0.1:${port}/maven2/\${groupId}/\${artifactId}/\${versionName}/\${artifactId}-\${versionName}.jar`,
    };
    delete config.$schema;
    writeFileSync(join(dir, "openapitools.json"), JSON.stringify(config, null, 2));
    const result = expectCleanFailure(
      envWith({ TRACES_OPENAPITOOLS: join(dir, "openapitools.json"), JAVA_HOME: process.env.JAVA_HOME }),
    );
    expect(result.stderr).toContain(`could not be downloaded from http://127.0.0.1:${port}/`);
    expect(result.stderr).toContain("Check that this machine reaches Maven Central");
  });

  it("a template with a broken mustache tag", () => {
    const templates = temp("traces-templates-");
    cpSync(join(packageDir, "templates"), templates, { recursive: true });
    const api = join(templates, "api.mustache");
    writeFileSync(api, readFileSync(api, "utf8").replace("{{/params}}", "{{/parameters}}"));
    const result = expectCleanFailure(envWith({ TRACES_DOCS_TEMPLATES: templates, JAVA_HOME: process.env.JAVA_HOME }));
    expect(result.stderr).toContain("openapi-generator failed");
    expect(result.stderr).toMatch(/mismatched open tag 'parameters' != 'params' @ line \d+/);
    expect(result.stderr).toContain("Could not generate api file");
    expect(result.stderr).toContain("api files with api.mustache");
    expect(result.stderr).toContain(`fix it in ${templates} (set by TRACES_DOCS_TEMPLATES)`);
  });

  it("a missing template names the file and the fix", () => {
    const templates = temp("traces-templates-");
    cpSync(join(packageDir, "templates"), templates, { recursive: true });
    rmSync(join(templates, "model.mustache"));
    const result = runDocsPipeline(
      ["--out", temp("traces-docs-out-")],
      envWith({ TRACES_DOCS_TEMPLATES: templates, JAVA_HOME: process.env.JAVA_HOME }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The docs template ${join(templates, "model.mustache")} is missing`);
    expect(result.stderr).toContain("unset TRACES_DOCS_TEMPLATES");
  });
});
