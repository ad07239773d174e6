import { afterAll, beforeAll, expect, it } from "vitest";
import { APIConnectionTimeoutError, createTracesClient, NotFoundError } from "../src/index.js";
import { json, startServer, type TestServer, user } from "./server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.path.endsWith("/slow")) {
      const timer = setTimeout(() => json(res, 200, user("slow")), 1000);
      res.on("close", () => clearTimeout(timer));
    } else if (req.path.endsWith("/missing")) json(res, 404, { detail: "missing" });
    else if (req.path.endsWith("/flaky")) json(res, 503, { detail: "again" }, { "retry-after": "0" });
    else json(res, 200, user("u"));
  });
});
afterAll(() => server?.close());

const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;

it("leaves no timer or socket behind after thousands of requests", { timeout: 120_000 }, async () => {
  const timersBefore = count("Timeout");
  const socketsBefore = count("TCPSocketWrap");
  // A generous default, so that a loaded machine does not turn ordinary calls into timeouts.
  const client = createTracesClient({ baseUrl: server.url, apiKey: "k", timeout: 10_000, maxRetries: 1 });
  const kinds = { ok: 0, notFound: 0, timeout: 0, retried: 0, aborted: 0 };
  for (let batch = 0; batch < 40; batch++) {
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const n = batch * 50 + i;
        if (n % 100 === 0) {
          const e = await client.users
            .getUserDetails("slow", { task_ids: ["t"] }, { timeout: 50, maxRetries: 0 })
            .catch((x: unknown) => x);
          expect(e).toBeInstanceOf(APIConnectionTimeoutError);
          kinds.timeout++;
        } else if (n % 10 === 1) {
          const e = await client.users.getUserDetails("missing", { task_ids: ["t"] }).catch((x: unknown) => x);
          expect(e).toBeInstanceOf(NotFoundError);
          kinds.notFound++;
        } else if (n % 10 === 2) {
          await client.users.getUserDetails("flaky", { task_ids: ["t"] }).catch(() => undefined);
          kinds.retried++;
        } else if (n % 10 === 3) {
          const c = new AbortController();
          const p = client.users.getUserDetails("slow", { task_ids: ["t"] }, { signal: c.signal, timeout: 5000 });
          c.abort();
          await p.catch(() => undefined);
          kinds.aborted++;
        } else {
          await client.users.getUserDetails("u", { task_ids: ["t"] });
          kinds.ok++;
        }
      }),
    );
  }
  expect(kinds.ok + kinds.notFound + kinds.timeout + kinds.retried + kinds.aborted).toBe(2000);
  // The client's own timers (per-attempt timeouts, backoff waits) must all be cleared by now.
  expect(count("Timeout")).toBeLessThanOrEqual(timersBefore);
  // Once the server closes its side, no client socket may stay open.
  await server.close();
  for (let i = 0; i < 50 && count("TCPSocketWrap") > socketsBefore; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(count("TCPSocketWrap")).toBeLessThanOrEqual(socketsBefore);
});
