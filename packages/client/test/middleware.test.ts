/** Middleware (openapi-fetch's shape), `.withResponse()` and logging, against a server on 127.0.0.1. */
import type { Middleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  createTracesClient,
  InvalidRequestError,
  type Logger,
} from "../src/index.js";
import { json, user, useServers } from "./server.js";

const KEY = "sk-test-SECRET-middleware";
const serve = useServers();
const Q = { task_ids: ["t1"] };

describe("middleware", () => {
  it("runs client.use middleware on resource and raw calls, on every attempt, in openapi-fetch's order", async () => {
    const server = await serve((_req, res, i) =>
      i === 0 ? json(res, 503, { detail: "busy" }, { "retry-after": "0" }) : json(res, 200, user("u")),
    );
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const log: string[] = [];
    const ids = new Set<string>();
    const first: Middleware = {
      onRequest({ request, schemaPath, params, id }) {
        ids.add(id);
        log.push(`first:req ${request.method} ${schemaPath} ${JSON.stringify(params.path)}`);
        request.headers.set("x-from-middleware", "yes");
        return undefined;
      },
      onResponse({ response }) {
        log.push(`first:res ${response.status}`);
        return undefined;
      },
    };
    const second: Middleware = {
      onRequest: () => {
        log.push("second:req");
        return undefined;
      },
      onResponse: ({ response }) => {
        log.push(`second:res ${response.status}`);
        return undefined;
      },
    };
    client.use(first, second);
    await client.users.getUserDetails("u", Q);
    expect(log).toEqual([
      'first:req GET /api/v1/traces/users/{user_id} {"user_id":"u"}',
      "second:req",
      "second:res 503",
      "first:res 503",
      'first:req GET /api/v1/traces/users/{user_id} {"user_id":"u"}',
      "second:req",
      "second:res 200",
      "first:res 200",
    ]);
    expect(ids.size).toBe(1);
    expect(server.requests.map((r) => r.headers["x-from-middleware"])).toEqual(["yes", "yes"]);
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${KEY}`);

    log.length = 0;
    await client.raw.GET("/api/v1/traces/users/{user_id}", { params: { path: { user_id: "r" }, query: Q } });
    expect(log[0]).toBe('first:req GET /api/v1/traces/users/{user_id} {"user_id":"r"}');
    expect(server.requests.at(-1)?.headers["x-from-middleware"]).toBe("yes");

    client.eject(first, second);
    log.length = 0;
    await client.users.getUserDetails("u", Q);
    expect(log).toEqual([]);
  });

  it("takes per-request middleware after the client's, for resources and client.raw", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const order: string[] = [];
    const client = createTracesClient({
      baseUrl: server.url,
      middleware: [{ onRequest: () => void order.push("client") }],
    });
    const mine: Middleware = { onRequest: () => void order.push("request") };
    await client.users.getUserDetails("u", Q, { middleware: [mine] });
    await client.raw.GET("/api/v1/traces/users/{user_id}", {
      params: { path: { user_id: "u" }, query: Q },
      middleware: [mine],
    });
    expect(order).toEqual(["client", "request", "client", "request"]);
  });

  it("lets onRequest answer without a request, onResponse replace the response, onError recover", async () => {
    const server = await serve((_req, res) => json(res, 200, user("from-server")));
    const client = createTracesClient({ baseUrl: server.url, maxRetries: 0 });
    const cached = await client.users.getUserDetails("u", Q, {
      middleware: [{ onRequest: () => Response.json(user("cached")) }],
    });
    expect(cached.user_id).toBe("cached");
    expect(server.requests).toHaveLength(0);

    const replaced = await client.users.getUserDetails("u", Q, {
      middleware: [{ onResponse: () => Response.json(user("replaced")) }],
    });
    expect(replaced.user_id).toBe("replaced");

    const offline = createTracesClient({ baseUrl: "http://127.0.0.1:1", maxRetries: 0 });
    const seen: unknown[] = [];
    const recovered = await offline.users.getUserDetails("u", Q, {
      middleware: [
        {
          onError: ({ error }) => {
            seen.push(error);
            return Response.json(user("fallback"));
          },
        },
      ],
    });
    expect(recovered.user_id).toBe("fallback");
    expect(seen[0]).toBeInstanceOf(APIConnectionError);
    const replacedError = await offline.users
      .getUserDetails("u", Q, { middleware: [{ onError: () => new Error("mine") }] })
      .catch((e: unknown) => e);
    expect((replacedError as Error).message).toBe("mine");
  });

  it("says which hook read the body it was given, without retrying or blaming the connection", async () => {
    const server = await serve((req, res) =>
      req.path.endsWith("/missing") ? json(res, 404, { detail: "Not Found" }) : json(res, 200, user("u")),
    );
    const client = createTracesClient({ baseUrl: server.url });
    const reads: Middleware = {
      onResponse: async ({ response }) => {
        await response.json();
      },
    };
    for (const id of ["u", "missing"]) {
      const error = await client.users.getUserDetails(id, Q, { middleware: [reads] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(
        /^onResponse: a middleware read the response body.*`response\.clone\(\)`/,
      );
    }
    expect(server.requests).toHaveLength(2); // not retried, although both are idempotent
    const answered = await client.users
      .getUserDetails("u", Q, {
        middleware: [
          {
            onRequest: async () => {
              const cached = Response.json(user("cached"));
              await cached.text();
              return cached;
            },
          },
        ],
      })
      .catch((e: unknown) => e);
    expect((answered as Error).message).toMatch(/^onRequest: a middleware read the response body/);
    const readsRequest: Middleware = {
      onRequest: async ({ request }) => {
        await request.text();
      },
    };
    // A path outside the spec, so that a request has a body to read.
    const sent = await client.raw
      .POST("/echo" as never, { body: { a: 1 }, middleware: [readsRequest] } as never)
      .catch((e: unknown) => e);
    expect((sent as Error).message).toMatch(/^onRequest: a middleware read the request body.*`request\.clone\(\)`/);
    // Reading a clone is the way, and works.
    const logged: unknown[] = [];
    const cloned = await client.users.getUserDetails("u", Q, {
      middleware: [{ onResponse: async ({ response }) => void logged.push(await response.clone().json()) }],
    });
    expect(cloned.user_id).toBe("u");
    expect(logged).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });

  it("gives hooks copies of the parameters: editing them changes neither later pages nor later attempts", async () => {
    const server = await serve((req, res, i) =>
      i === 0
        ? json(res, 503, { detail: "busy" }, { "retry-after": "0" })
        : json(res, 200, { count: 4, users: [user(`u${req.query.get("page") ?? 0}`), user("x")] }),
    );
    const client = createTracesClient({ baseUrl: server.url });
    const meddling: Middleware = {
      onRequest({ params }) {
        (params.query as { task_ids: string[] }).task_ids[0] = "edited";
        (params.query as { task_ids: string[] }).task_ids.push("added");
      },
    };
    const rows: string[] = [];
    for await (const row of client.users.listUsersMetadata(
      { task_ids: ["t1"], page_size: 2 },
      { middleware: [meddling] },
    ))
      rows.push(row.user_id);
    expect(rows).toEqual(["u0", "x", "u1", "x"]);
    expect(server.requests.map((r) => r.query.getAll("task_ids"))).toEqual([["t1"], ["t1"], ["t1"]]);
  });

  it("keeps use and eject working when taken off the client", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url });
    const { use, eject } = client;
    const seen: string[] = [];
    const mark: Middleware = { onRequest: () => void seen.push("ran") };
    use(mark);
    await client.users.getUserDetails("u", Q);
    eject(mark);
    await client.users.getUserDetails("u", Q);
    expect(seen).toEqual(["ran"]);
    expect(Object.keys(client)).not.toContain("use");
  });

  it("refuses something that is not middleware", async () => {
    const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
    expect(() => client.use({} as Middleware)).toThrow(InvalidRequestError);
    const one: Middleware = { onRequest() {} };
    expect(() => createTracesClient({ baseUrl: "http://127.0.0.1:1", middleware: one as never })).toThrow(
      "createTracesClient: `middleware` must be an array of middleware objects.",
    );
    for (const [init, param, message] of [
      [{ middleware: one }, "middleware", "`middleware` must be an array of middleware objects."],
      [{ signal: new AbortController() }, "signal", "`signal` must be an AbortSignal"],
      [{ signal: "x" }, "signal", '`signal` must be an AbortSignal (an AbortController\'s `signal`), got "x".'],
      [{ timeoutMs: 5 }, "timeoutMs", "unknown option `timeoutMs`; did you mean `timeout`?"],
      [{ credentials: "include" }, "credentials", "`credentials` is a fetch option client.raw does not pass on"],
      [
        { querySerialiser: () => "" },
        "querySerialiser",
        "unknown option `querySerialiser`; did you mean `querySerializer`?",
      ],
    ] as const) {
      const error = await client.raw
        .GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] } }, ...(init as object) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).param).toBe(param);
      expect((error as Error).message).toContain(`GET /api/v1/traces/users: ${message}`);
    }
  });
});

describe("middleware under the attempt's timeout and the caller's signal", () => {
  it("stops at once when the signal aborts while an async onRequest runs, and sends nothing", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const slow: Middleware = {
      async onRequest({ request }) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return request;
      },
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await client.users
      .getUserDetails("u", Q, { signal: controller.signal, middleware: [slow] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.requests).toHaveLength(0);
  });

  it("times out a hook that never settles", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 });
    client.use({ onRequest: () => new Promise<undefined>(() => undefined) });
    const error = await client.users.getUserDetails("u", Q, { timeout: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    const hungResponse = createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 });
    hungResponse.use({ onResponse: () => new Promise<undefined>(() => undefined) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await hungResponse.users
      .getUserDetails("u", Q, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(APIUserAbortError);
  });
});

describe("withResponse", () => {
  it("gives data, the Response and the request id for successes, pages and raw-style errors alike", async () => {
    const server = await serve((req, res) =>
      req.path === "/api/v1/traces/users"
        ? json(res, 200, { count: 1, users: [user("a")] }, { "x-request-id": "req-page" })
        : json(res, 200, user("u"), { "x-request-id": "req-1" }),
    );
    const client = createTracesClient({ baseUrl: server.url });
    const promise = client.users.getUserDetails("u", Q);
    // A native promise (so `await` takes the engine's fast path), with `withResponse` added.
    expect(Object.getPrototypeOf(promise)).toBe(Promise.prototype);
    const { data, response, requestId } = await promise.withResponse();
    expect(data.user_id).toBe("u");
    expect(response.status).toBe(200);
    expect(requestId).toBe("req-1");
    // Awaiting too does not send a second request.
    expect((await promise).user_id).toBe("u");
    expect(server.requests).toHaveLength(1);

    const page = await client.users.listUsersMetadata(Q).withResponse();
    expect(page.data.users[0]?.user_id).toBe("a");
    expect(page.requestId).toBe("req-page");
  });
});

describe("logging", () => {
  it("catches an async logger's rejection, which would otherwise end a Node process", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      const rejecting = () => Promise.reject(new Error("log sink down"));
      const logger = { error: rejecting, warn: rejecting, info: rejecting, debug: rejecting } as unknown as Logger;
      const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, logLevel: "debug", logger });
      await expect(client.users.getUserDetails("u", Q)).resolves.toMatchObject({ user_id: "u" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", record);
    }
  });

  it("keeps a call going when the logger throws", async () => {
    const server = await serve((_req, res, i) =>
      i === 0 ? json(res, 503, { detail: "busy" }, { "retry-after": "0" }) : json(res, 200, user("u")),
    );
    const broken = () => {
      throw new Error("log sink down");
    };
    const logger: Logger = { error: broken, warn: broken, info: broken, debug: broken };
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, logLevel: "debug", logger });
    await expect(client.users.getUserDetails("u", Q)).resolves.toMatchObject({ user_id: "u" });
    expect(server.requests).toHaveLength(2);
  });

  const capture = () => {
    const lines: string[] = [];
    const logger: Logger = {
      error: (m) => lines.push(`error ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      info: (m) => lines.push(`info ${m}`),
      debug: (m) => lines.push(`debug ${m}`),
    };
    return { lines, logger };
  };

  it("writes one debug line per attempt with method, URL, status, attempt and duration, never the key", async () => {
    const server = await serve((_req, res, i) =>
      i === 0 ? json(res, 500, { detail: "x" }, { "retry-after": "0" }) : json(res, 200, user("u")),
    );
    const { lines, logger } = capture();
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, logLevel: "debug", logger });
    await client.users.getUserDetails("u", Q);
    const url = `${server.url}/api/v1/traces/users/u?task_ids=t1`;
    expect(lines[0]).toMatch(
      new RegExp(`^debug \\[traces-sdk\\] GET ${url.replace(/[?.]/g, "\\$&")} -> 500 \\(attempt 1 of 3, \\d+ ms\\)$`),
    );
    expect(lines[1]).toMatch(/^info \[traces-sdk\] retrying GET .* after 500 \(attempt 2 of 3\)$/);
    expect(lines[2]).toMatch(/-> 200 \(attempt 2 of 3, \d+ ms\)$/);
    expect(lines.join("\n")).not.toContain(KEY);
  });

  it("reads the level from TRACES_LOG, filters below it, and checks its value", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const { lines, logger } = capture();
    process.env.TRACES_LOG = "info";
    try {
      await createTracesClient({ baseUrl: server.url, logger }).users.getUserDetails("u", Q);
      expect(lines).toEqual([]);
      process.env.TRACES_LOG = "DEBUG";
      await createTracesClient({ baseUrl: server.url, logger }).users.getUserDetails("u", Q);
      expect(lines).toHaveLength(1);
      // A bad value in the environment warns once and logs at `warn`: it must not stop the app.
      lines.length = 0;
      process.env.TRACES_LOG = "verbose";
      const fallback = createTracesClient({ baseUrl: server.url, logger });
      createTracesClient({ baseUrl: server.url, logger });
      await fallback.users.getUserDetails("u", Q);
      expect(lines).toEqual([
        'warn [traces-sdk] The environment variable TRACES_LOG must be one of "off", "error", "warn", "info", "debug", got "verbose"; logging at "warn".',
      ]);
    } finally {
      delete process.env.TRACES_LOG;
    }
    expect(() => createTracesClient({ baseUrl: server.url, logLevel: "loud" as "debug" })).toThrow(
      'createTracesClient: `logLevel` must be one of "off", "error", "warn", "info", "debug", got "loud".',
    );
    lines.length = 0;
    await createTracesClient({ baseUrl: server.url, logLevel: "DEBUG" as "debug", logger }).users.getUserDetails(
      "u",
      Q,
    );
    expect(lines).toHaveLength(1);
    const offline = capture();
    await createTracesClient({ baseUrl: "http://127.0.0.1:1", maxRetries: 0, logger: offline.logger })
      .users.getUserDetails("u", Q)
      .catch(() => undefined);
    expect(offline.lines).toHaveLength(1);
    expect(offline.lines[0]).toMatch(/^error \[traces-sdk\] GET http:\/\/127\.0\.0\.1:1\/.* failed: /);
  });
});
