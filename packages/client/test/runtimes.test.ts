/**
 * The built client in Deno, Bun and workerd (the runtime of Cloudflare Workers), each installed
 * from its npm package, against a loopback server: the same calls as in Chromium (runtimes/smoke.js).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, startServer, type TestServer, user } from "./server.js";

const run = promisify(execFile);
const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => join(pkg, "node_modules/.bin", name);
const fixtures = join(pkg, "test/runtimes");

let server: TestServer;
let tmp: string;
let flakyCalls = 0;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.path === "/api/v1/traces/users") {
      const pageNo = Number(req.query.get("page") ?? 0);
      const users = [user(`u${pageNo * 2}`), user(`u${pageNo * 2 + 1}`)].slice(0, pageNo === 2 ? 1 : 2);
      json(res, 200, { count: 5, users });
    } else if (req.path === "/api/v1/traces/users/flaky") {
      flakyCalls++;
      if (flakyCalls % 2 === 1) json(res, 503, { detail: "again" }, { "retry-after": "0" });
      else json(res, 200, user("flaky"));
    } else {
      json(res, 404, { detail: "User missing not found or has no data" });
    }
  });
  mkdirSync(join(pkg, ".tmp"), { recursive: true });
  tmp = mkdtempSync(join(pkg, ".tmp/runtimes-"));
});
afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const expected = {
  firstCount: 5,
  all: ["u0", "u1", "u2", "u3", "u4"],
  notFound: "NotFoundError:true:true",
  flaky: "flaky",
  rawCount: 5,
  invalid: expect.stringContaining("unknown option `baseURL`; did you mean `baseUrl`?"),
};

/** Checks what the server saw from one runtime's run, which started at request `from`. */
function checkRequests(from: number): void {
  const seen = server.requests.slice(from);
  // One page, three while iterating, the 404, the 503 and its retry, the raw call.
  expect(seen.length).toBe(8);
  expect(
    seen.every((r) => r.headers.authorization === "Bearer runtime-key" && r.headers["x-runtime"] === "smoke"),
  ).toBe(true);
  expect(seen[0]?.query.get("start_time")).toMatch(/^2026-03-01T\d\d:30:00\.000(Z|[+-]\d\d:\d\d)$/);
  expect(seen.filter((r) => r.path === "/api/v1/traces/users/flaky")).toHaveLength(2);
}

describe("other runtimes", { timeout: 120_000 }, () => {
  it("runs in Deno", async () => {
    const from = server.requests.length;
    const { stdout } = await run(
      bin("deno"),
      ["run", "--no-lock", `--allow-net=127.0.0.1`, `--allow-read=${pkg}`, join(fixtures, "deno-bun.js"), server.url],
      { env: { ...process.env, DENO_DIR: join(tmp, "deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } },
    );
    expect(JSON.parse(stdout)).toEqual(expected);
    checkRequests(from);
  });

  it("runs in Bun", async () => {
    const from = server.requests.length;
    const { stdout } = await run(bin("bun"), [join(fixtures, "deno-bun.js"), server.url], {
      env: { ...process.env, BUN_INSTALL_CACHE_DIR: join(tmp, "bun"), NO_COLOR: "1" },
    });
    expect(JSON.parse(stdout)).toEqual(expected);
    checkRequests(from);
  });

  it("runs in workerd", async () => {
    const from = server.requests.length;
    // workerd loads named modules listed in a config; the client's chunks resolve next to client.js.
    const dir = join(tmp, "workerd");
    mkdirSync(dir);
    const chunks = readdirSync(join(pkg, "dist")).filter((f) => /^chunk-[\w-]+\.js$/.test(f));
    for (const chunk of chunks) copyFileSync(join(pkg, "dist", chunk), join(dir, chunk));
    copyFileSync(join(pkg, "dist/index.js"), join(dir, "client.js"));
    copyFileSync(join(pkg, "node_modules/openapi-fetch/dist/index.mjs"), join(dir, "openapi-fetch.js"));
    copyFileSync(join(fixtures, "smoke.js"), join(dir, "smoke.js"));
    copyFileSync(join(fixtures, "workerd.js"), join(dir, "main.js"));
    const modules = [
      ["main.js", "main.js"],
      ["smoke.js", "smoke.js"],
      ["client.js", "client.js"],
      ["openapi-fetch", "openapi-fetch.js"],
      ...chunks.map((c) => [c, c]),
    ];
    writeFileSync(
      join(dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # Workers reach only public addresses by default; the test server is on loopback.
    (name = "loopback", network = (allow = ["local"])),
  ],
);
const worker :Workerd.Worker = (
  modules = [
${modules.map(([name, file]) => `    (name = ${JSON.stringify(name)}, esModule = embed ${JSON.stringify(file)}),`).join("\n")}
  ],
  compatibilityDate = "2026-11-01",
  globalOutbound = "loopback",
  bindings = [ (name = "BASE_URL", text = ${JSON.stringify(server.url)}) ],
);
`,
    );
    const { stdout, stderr } = await run(bin("workerd"), ["test", join(dir, "config.capnp")], {
      env: { ...process.env, NO_COLOR: "1" },
    });
    const output = `${stdout}\n${stderr}`;
    expect(output).toContain("[ PASS ] main");
    const line = /RESULT (.*)/.exec(output)?.[1];
    expect(JSON.parse(line ?? "null")).toEqual(expected);
    checkRequests(from);
  });
});
