import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./paths.mjs";

const ensureChromium = join(repoRoot, "scripts/lib/ensure-chromium");
const run = (env: NodeJS.ProcessEnv) => spawnSync(ensureChromium, [], { encoding: "utf8", env });

describe("./scripts/bootstrap and the browser the tests need", () => {
  it("says what to install, and exits non-zero, when the browser is missing", () => {
    const r = run({ PATH: "/usr/bin:/bin", CHROMIUM_PATH: "/nonexistent/chromium" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Chromium was not found at /nonexistent/chromium (CHROMIUM_PATH).");
    expect(r.stderr).toMatch(/apt-get install chromium|export CHROMIUM_PATH=/);
  });

  it("points at another installed browser when there is one", () => {
    const r = run({ PATH: "/usr/bin:/bin", CHROMIUM_PATH: "/nonexistent/chromium" });
    const other = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"]
      .map((b) => join("/usr/bin", b))
      .find((p) => existsSync(p));
    if (other) expect(r.stderr).toContain(`export CHROMIUM_PATH=${other}`);
    else expect(r.stderr).toContain("sudo apt-get install chromium");
  });

  it.skipIf(!existsSync("/usr/bin/chromium"))("finds Debian's Chromium without any setting", () => {
    const r = run({ PATH: "/usr/bin:/bin" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("/usr/bin/chromium");
  });

  it("bootstrap checks the browser before the long steps and fails at the end with the fix", () => {
    const text = readFileSync(join(repoRoot, "scripts/bootstrap"), "utf8");
    expect(text.indexOf("scripts/lib/ensure-chromium")).toBeLessThan(text.indexOf("pnpm install"));
    expect(text).toContain("error: the build is done, but \\`pnpm test\\` needs a browser");
    const ci = readFileSync(join(repoRoot, ".ci/run"), "utf8");
    // CI installs only Java itself: the README's first command must bring the rest.
    expect(ci).not.toMatch(/apt-get install[^\n]*chromium/);
  });
});
