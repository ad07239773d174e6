/**
 * CORS in headless Chromium: the page comes from one loopback origin and calls an API on another.
 * A server without CORS headers yields an APIConnectionError that explains what to send, after one
 * attempt; a server that sends exactly those headers works, request ids included; a same-origin
 * network failure is still retried.
 */
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../scripts/lib/test-helpers.js";
import { json, startServer, type TestServer, user } from "./server.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");

let pageServer: TestServer;
let bare: TestServer;
let withCors: TestServer;
let browser: Browser;
let tab: Page;
let sameOriginFailures = 0;

/** The API's answers, whichever server gives them. */
function api(path: string, res: ServerResponse, extra: Record<string, string> = {}): void {
  if (path === "/api/v1/traces/users") json(res, 200, { count: 1, users: [user("u1")] }, extra);
  else json(res, 404, { detail: "User missing not found or has no data" }, { "x-request-id": "req-404", ...extra });
}

beforeAll(async () => {
  pageServer = await startServer((req, res) => {
    const chunk = /^\/([\w-]+\.js)$/.exec(req.path)?.[1];
    if (req.path === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "openapi-fetch": "/openapi-fetch.js" } }</script>
<script type="module">import * as client from "/index.js"; window.sdk = client;</script></head><body></body></html>`);
    } else if (req.path === "/openapi-fetch.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(readFileSync(join(pkg, "node_modules/openapi-fetch/dist/index.mjs")));
    } else if (chunk) {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(readFileSync(join(pkg, "dist", chunk)));
    } else if (req.path.startsWith("/api/")) {
      // Same origin, but a malformed response (two Content-Lengths): a network error CORS cannot
      // explain. (A dropped connection would not do: Chromium retries some of those itself.)
      sameOriginFailures++;
      res.socket?.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  // An API server that knows nothing of CORS.
  bare = await startServer((req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(405);
      res.end();
    } else api(req.path, res);
  });
  // An API server that sends exactly the headers the error message asks for.
  withCors = await startServer((req, res) => {
    const cors = {
      "access-control-allow-origin": pageServer.origin,
      "access-control-allow-headers": "authorization, x-team",
      "access-control-expose-headers": "x-request-id, retry-after",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      res.end();
    } else api(req.path, res, cors);
  });
  browser = await launchChromium();
  tab = await browser.newPage();
  await tab.goto(`${pageServer.url}/`);
  await tab.waitForFunction("window.sdk !== undefined");
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([pageServer?.close(), bare?.close(), withCors?.close()]);
});

interface Outcome {
  ok?: unknown;
  name?: string;
  message?: string;
  requestId?: string;
  isConnectionError?: boolean;
}

/** Runs one call in the page with the built client. */
function call(baseUrl: string, options: { apiKey?: string; headers?: Record<string, string> }, id = "u1") {
  return tab.evaluate(
    async ([baseUrl, options, id]): Promise<Outcome> => {
      const sdk = (window as unknown as { sdk: typeof import("../src/index.js") }).sdk;
      const client = sdk.createTracesClient({ baseUrl, ...options });
      try {
        if (id === "list") return { ok: (await client.users.listUsersMetadata({ task_ids: ["t"] })).count };
        return { ok: await client.users.getUserDetails(id, { task_ids: ["t"] }) };
      } catch (e) {
        const error = e as InstanceType<typeof sdk.APIError>;
        return {
          name: error.name,
          message: error.message,
          requestId: error.requestId,
          isConnectionError: e instanceof sdk.APIConnectionError,
        };
      }
    },
    [baseUrl, options, id] as const,
  );
}

describe("CORS in Chromium", { timeout: 60_000 }, () => {
  it("explains a refused preflight (key and custom header) and does not retry it", async () => {
    const before = bare.requests.length;
    const outcome = await call(bare.url, { apiKey: "browser-key", headers: { "x-team": "obs" } });
    expect(outcome.isConnectionError).toBe(true);
    expect(outcome.name).toBe("APIConnectionError");
    expect(outcome.message).toContain(`GET /api/v1/traces/users/u1: could not get a response from ${bare.origin}`);
    expect(outcome.message).toContain("Failed to fetch");
    expect(outcome.message).toContain("this usually means CORS");
    expect(outcome.message).toContain("the preflight (OPTIONS) and the request");
    expect(outcome.message).toContain(`Access-Control-Allow-Origin: ${pageServer.origin}`);
    expect(outcome.message).toContain("Access-Control-Allow-Headers: authorization, x-team");
    expect(outcome.message).toContain("Access-Control-Expose-Headers: x-request-id, retry-after");
    expect(outcome.message).toContain("Not retried");
    expect(outcome.message).not.toContain("browser-key");
    // One preflight, no retries: the default maxRetries (2) would otherwise send three.
    expect(bare.requests.slice(before).map((r) => r.method)).toEqual(["OPTIONS"]);
  });

  it("explains a simple request the browser hid for lack of Access-Control-Allow-Origin", async () => {
    const before = bare.requests.length;
    const outcome = await call(bare.url, {});
    expect(outcome.name).toBe("APIConnectionError");
    expect(outcome.message).toContain(`with Access-Control-Allow-Origin: ${pageServer.origin};`);
    expect(outcome.message).not.toContain("preflight");
    expect(outcome.message).not.toContain("Access-Control-Allow-Headers");
    // The server did answer (200), but the browser hid the response from the page.
    expect(bare.requests.slice(before).map((r) => r.method)).toEqual(["GET"]);
  });

  it("works against a server that sends the headers the message names, request ids included", async () => {
    const options = { apiKey: "browser-key", headers: { "x-team": "obs" } };
    expect(await call(withCors.url, options, "list")).toEqual({ ok: 1 });
    const notFound = await call(withCors.url, options, "missing");
    expect(notFound.name).toBe("NotFoundError");
    expect(notFound.requestId).toBe("req-404");
    expect(notFound.message).toContain("(request id req-404)");
    const gets = withCors.requests.filter((r) => r.method === "GET");
    expect(gets.every((r) => r.headers.authorization === "Bearer browser-key" && r.headers["x-team"] === "obs")).toBe(
      true,
    );
  });

  it("still retries a same-origin network failure, with no CORS hint", async () => {
    sameOriginFailures = 0;
    const outcome = await call(pageServer.url, { apiKey: "browser-key" });
    expect(outcome.name).toBe("APIConnectionError");
    expect(outcome.message).not.toContain("CORS");
    expect(sameOriginFailures).toBe(3);
  });
});
