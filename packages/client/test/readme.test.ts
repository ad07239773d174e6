/**
 * The README's examples do what it says: its Testing example passes when run with vitest against
 * the built package, and its proxy example sends requests through a real proxy on loopback.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { type AddressInfo, connect, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EnvHttpProxyAgent, ProxyAgent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTracesClient } from "../src/index.js";
import { json, startServer, type TestServer, user } from "./server.js";

const run = promisify(execFile);
const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(join(pkg, "README.md"), "utf8");

/** The ```ts blocks of the README section `heading`. */
function examples(heading: string): string[] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README section "${heading}"`).toBeGreaterThan(-1);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

describe("README: Testing", () => {
  let dir: string;
  beforeAll(() => {
    mkdirSync(join(pkg, ".tmp"), { recursive: true });
    dir = mkdtempSync(join(pkg, ".tmp/readme-testing-"));
    // An app's node_modules: the package by name, resolved through its exports map to dist/.
    mkdirSync(join(dir, "node_modules/@traces-sdk"), { recursive: true });
    symlinkSync(pkg, join(dir, "node_modules/@traces-sdk/client"), "dir");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the vitest example, and every test in it passes", { timeout: 120_000 }, async () => {
    const [example] = examples("Testing");
    expect(example).toContain('from "@traces-sdk/client/testing"');
    writeFileSync(join(dir, "users.test.ts"), example ?? "");
    writeFileSync(join(dir, "vitest.config.mjs"), "export default { test: { include: ['users.test.ts'] } };\n");
    const vitest = join(dirname(createRequire(join(pkg, "package.json")).resolve("vitest/package.json")), "vitest.mjs");
    // A failing run exits non-zero; its JSON report still says which test failed and why.
    const { stdout } = await run(process.execPath, [vitest, "run", "--root", dir, "--reporter", "json"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1" },
    }).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout || `{"error": ${JSON.stringify(error.stderr)}}`,
    }));
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: {
        message?: string;
        assertionResults: { title: string; status: string; failureMessages: string[] }[];
      }[];
    };
    const results = (report.testResults ?? []).flatMap((file) => file.assertionResults);
    const why = JSON.stringify(report).slice(0, 3000);
    expect(
      results.map((r) => `${r.title}: ${r.status}${r.failureMessages.length ? ` ${r.failureMessages.join(" ")}` : ""}`),
      why,
    ).toEqual([
      "reads every page: passed",
      "works with a spy on a real client too: passed",
      "fakes withResponse() for code that reads the request id: passed",
      "lets errors through: passed",
    ]);
  });
});

describe("README: Custom fetch and proxies", () => {
  let api: TestServer;
  let proxy: Server;
  let proxyUrl: string;
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    api = await startServer((_req, res) => json(res, 200, user("via-proxy")));
    // A forward proxy: undici's agents open a CONNECT tunnel through it, for http and https alike.
    proxy = createServer((_req, res) => {
      res.writeHead(405);
      res.end();
    });
    proxy.on("connect", (req, client: Socket) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => undefined);
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => proxy?.close(resolve));
    await api?.close();
  });

  it("shows a dispatcher passed to Node.js's fetch", () => {
    const [example] = examples("Custom fetch and proxies");
    expect(example).toContain("new EnvHttpProxyAgent()");
    expect(example).toContain("fetch: (input, init) => fetch(input, { ...init, dispatcher } as RequestInit)");
  });

  for (const [name, make] of [
    ["EnvHttpProxyAgent", () => new EnvHttpProxyAgent({ httpProxy: proxyUrl, httpsProxy: proxyUrl, noProxy: "" })],
    ["ProxyAgent", () => new ProxyAgent(proxyUrl)],
  ] as const) {
    it(`sends every request through the proxy with ${name}, as the example does`, async () => {
      const dispatcher = make();
      try {
        const client = createTracesClient({
          baseUrl: api.url,
          apiKey: "proxied-key",
          fetch: (input, init) => fetch(input, { ...init, dispatcher } as RequestInit),
        });
        const before = tunnels.length;
        expect((await client.users.getUserDetails("u", { task_ids: ["t"] })).user_id).toBe("via-proxy");
        expect(tunnels.slice(before)).toEqual([new URL(api.url).host]);
        expect(api.requests.at(-1)?.headers.authorization).toBe("Bearer proxied-key");
      } finally {
        await dispatcher.close();
      }
    });
  }
});
