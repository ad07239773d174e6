import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

  it("says what to install when apt-get update fails, instead of stopping at it", () => {
    const dir = mkdtempSync(join(tmpdir(), "traces-chromium-"));
    try {
      // The script as shipped, with a default browser path that does not exist on this machine,
      // as root, with an apt-get whose update fails (no network).
      const script = join(dir, "ensure-chromium");
      writeFileSync(
        script,
        readFileSync(ensureChromium, "utf8").replaceAll("/usr/bin/chromium", join(dir, "chromium")),
      );
      writeFileSync(join(dir, "id"), "#!/bin/sh\necho 0\n");
      writeFileSync(join(dir, "apt-get"), '#!/bin/sh\necho "E: Could not resolve host" >&2\nexit 100\n');
      for (const f of ["ensure-chromium", "id", "apt-get"]) chmodSync(join(dir, f), 0o755);
      const r = spawnSync(script, [], { encoding: "utf8", env: { PATH: `${dir}:/bin:/usr/bin` } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("apt-get update failed; Chromium was not installed");
      expect(r.stderr).toContain(`Chromium was not found at ${join(dir, "chromium")}`);
      expect(r.stderr).toMatch(/apt-get install chromium|export CHROMIUM_PATH=/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("installs pnpm into a user prefix when npm's global folder is not writable (EACCES), and says how to keep it", () => {
    const dir = mkdtempSync(join(tmpdir(), "traces-pnpm-"));
    try {
      // A pnpm version that is not installed here, and an npm like a system Node's: global installs fail with EACCES, --prefix installs work.
      writeFileSync(
        join(dir, "npm"),
        `#!/bin/sh
case "$*" in
  *--prefix*) p=""; prev=""; for a in "$@"; do [ "$prev" = "--prefix" ] && p="$a"; prev="$a"; done
    mkdir -p "$p/bin"; printf '#!/bin/sh\\necho 10.34.8\\n' > "$p/bin/pnpm"; chmod +x "$p/bin/pnpm"; exit 0 ;;
  "prefix --global") echo /usr/lib ;;
  *) echo "npm error code EACCES" >&2; exit 243 ;;
esac
`,
      );
      chmodSync(join(dir, "npm"), 0o755);
      const prefix = join(dir, "home/.local");
      const r = spawnSync(
        "bash",
        ["-c", `set -euo pipefail; . ${join(repoRoot, "scripts/lib/ensure-pnpm")}; command -v pnpm; pnpm --version`],
        {
          encoding: "utf8",
          env: {
            PATH: `${dir}:/bin:/usr/bin`,
            HOME: join(dir, "home"),
            PNPM_BOOTSTRAP_PREFIX: prefix,
            PNPM_VERSION: "9.99.0",
          },
        },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${prefix}/bin/pnpm`);
      expect(r.stdout).toContain("9.99.0");
      expect(r.stderr).toContain("npm could not install into its global folder (/usr/lib); installing pnpm into");
      expect(r.stderr).toContain(`export PATH="${prefix}/bin:$PATH"`);
      // Both ways failing: the message says what to run, and the shell stops.
      writeFileSync(join(dir, "npm"), '#!/bin/sh\necho "npm error code EACCES" >&2\nexit 243\n');
      const f = spawnSync(
        "bash",
        ["-c", `set -euo pipefail; . ${join(repoRoot, "scripts/lib/ensure-pnpm")}; echo after`],
        {
          encoding: "utf8",
          env: { PATH: `${dir}:/bin:/usr/bin`, HOME: join(dir, "home2"), PNPM_VERSION: "9.99.0" },
        },
      );
      expect(f.status).not.toBe(0);
      expect(f.stdout).not.toContain("after");
      expect(f.stderr).toContain("npm install --global --prefix ~/.local pnpm@9.99.0");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
