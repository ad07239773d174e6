/**
 * The built client (dist/index.js) in headless Chromium, against a local server that serves both
 * the page and the API from one origin: the runtime path must need nothing but web APIs.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "../../../scripts/lib/test-helpers.js";
import { json, startServer, type TestServer, user } from "./server.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const files: Record<string, string> = {
  "/client.js": join(pkg, "dist/index.js"),
  "/openapi-fetch.js": join(pkg, "node_modules/openapi-fetch/dist/index.mjs"),
};
// Plain browser JavaScript: the page imports the built module the way an app would.
const script = `
import { createTracesClient, NotFoundError } from "/client.js";
window.result = (async () => {
  const client = createTracesClient({ baseUrl: location.origin, apiKey: "browser-key" });
  const first = await client.users.listUsersMetadata({
    task_ids: ["t1", "t2"],
    page_size: 2,
    start_time: new Date(Date.UTC(2026, 2, 1, 8, 30)),
  });
  const all = [];
  for await (const u of client.users.listUsersMetadata({ task_ids: ["t1"], page_size: 2 })) all.push(u.user_id);
  let notFound = "";
  try {
    await client.users.getUserDetails("missing", { task_ids: ["t1"] });
  } catch (e) {
    notFound = e.name + ":" + (e instanceof NotFoundError) + ":" + e.message;
  }
  const flaky = await client.users.getUserDetails("flaky", { task_ids: ["t1"] });
  const raw = await client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["r"] } } });
  return { firstCount: first.count, all, notFound, flaky: flaky.user_id, rawCount: raw.data?.count };
})();
`;
const page = `<!doctype html><html><head><meta charset="utf-8"><title>client</title>
<script type="importmap">{ "imports": { "openapi-fetch": "/openapi-fetch.js" } }</script>
<script type="module">${script}</script></head><body></body></html>`;

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  let flakyCalls = 0;
  server = await startServer((req, res) => {
    // The entry's shared chunks (./chunk-*.js) resolve next to /client.js.
    const chunk = /^\/(chunk-[\w-]+\.js)$/.exec(req.path)?.[1];
    const file = files[req.path] ?? (chunk ? join(pkg, "dist", chunk) : undefined);
    if (req.path === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(page);
    } else if (file) {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(readFileSync(file));
    } else if (req.path === "/api/v1/traces/users") {
      const pageNo = Number(req.query.get("page") ?? 0);
      const users = [user(`u${pageNo * 2}`), user(`u${pageNo * 2 + 1}`)].slice(0, pageNo === 2 ? 1 : 2);
      json(res, 200, { count: 5, users });
    } else if (req.path === "/api/v1/traces/users/flaky") {
      flakyCalls++;
      if (flakyCalls === 1) json(res, 503, { detail: "again" }, { "retry-after": "0" });
      else json(res, 200, user("flaky"));
    } else if (req.path.startsWith("/api/v1/traces/users/")) {
      json(res, 404, { detail: "User missing not found or has no data" });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  browser = await launchChromium({ env: { ...process.env, TZ: "Europe/Berlin" } });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it("runs the built client in Chromium: auth, dates, pagination, errors, retries, raw", {
  timeout: 60_000,
}, async () => {
  const tab = await browser.newPage();
  const problems: string[] = [];
  tab.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  tab.on("pageerror", (e) => problems.push(e.message));
  await tab.goto(`${server.url}/`);
  const result = await tab.evaluate("window.result");
  expect(result).toEqual({
    firstCount: 5,
    all: ["u0", "u1", "u2", "u3", "u4"],
    notFound:
      "NotFoundError:true:GET /api/v1/traces/users/missing failed with 404 Not Found: User missing not found or has no data",
    flaky: "flaky",
    rawCount: 5,
  });
  const api = server.requests.filter((r) => r.path.startsWith("/api/"));
  expect(api.every((r) => r.headers.authorization === "Bearer browser-key")).toBe(true);
  expect(api[0]?.query.getAll("task_ids")).toEqual(["t1", "t2"]);
  expect(api[0]?.query.get("start_time")).toBe("2026-03-01T09:30:00.000+01:00");
  expect(server.requests.filter((r) => r.path === "/api/v1/traces/users/flaky")).toHaveLength(2);
  // Chromium logs every 4xx/5xx response it fetched; anything else is a real error.
  expect(problems.filter((p) => !p.startsWith("Failed to load resource"))).toEqual([]);
  await tab.close();
});
