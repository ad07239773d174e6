import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  createTracesClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TracesError,
  UnprocessableEntityError,
} from "../src/index.js";
import { json, user, useServers } from "./server.js";

const KEY = "sk-test-key";
const serve = useServers();

/** The error the call fails with; a call that succeeds fails the test. */
const details = (client: ReturnType<typeof createTracesClient>, id = "user-1", options = {}): Promise<Error> =>
  client.users.getUserDetails(id, { task_ids: ["t1"] }, options).then(
    (value) => {
      throw new Error(`expected the call to fail, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e as Error,
  );

describe("errors", () => {
  const table: Array<[number, new (...args: never[]) => APIError]> = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [409, APIError],
  ];
  for (const [status, Class] of table) {
    it(`maps ${status} to ${Class.name} with method, path, detail and request id`, async () => {
      const server = await serve((_req, res) =>
        json(res, status, { detail: `server says ${status}` }, { "x-request-id": `req-${status}` }),
      );
      const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 }));
      expect(error).toBeInstanceOf(Class);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toBeInstanceOf(TracesError);
      expect(error.name).toBe(Class.name);
      const apiError = error as APIError;
      expect(apiError.status).toBe(status);
      expect(apiError.body).toEqual({ detail: `server says ${status}` });
      expect(apiError.requestId).toBe(`req-${status}`);
      expect(apiError.headers.get("content-type")).toBe("application/json");
      expect(apiError.message).toContain("GET /api/v1/traces/users/user-1");
      expect(apiError.message).toContain(`server says ${status}`);
      expect(apiError.message).toContain(String(status));
    });
  }

  it("gives a 422 its typed validation detail", async () => {
    const detail = [{ loc: ["query", "task_ids"], msg: "Field required", type: "missing", input: null }];
    const server = await serve((_req, res) => json(res, 422, { detail }));
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY }));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as UnprocessableEntityError).detail).toEqual(detail);
    expect(error.message).toContain("query.task_ids: Field required");
  });

  it("gives a 400 with the engine's validation message that message without the server traceback", async () => {
    const traceback = '\n\n  File "/app/src/users.py", line 717, in list_users_metadata\n    GET /api/v1/traces/users';
    const cases: Array<[string, string]> = [
      [
        "1 validation error:\n  {'type': 'missing', 'loc': ('query', 'task_ids'), 'msg': 'Field required', 'input': None}",
        "1 validation error: query.task_ids: Field required",
      ],
      [
        "2 validation errors:\n  {'type': 'enum', 'loc': ('query', 'sort'), 'msg': \"Input should be 'asc' or 'desc'\", 'input': 'up'}\n  {'type': 'datetime_from_date_parsing', 'loc': ('query', 'start_time'), 'msg': 'Input should be a valid datetime or date, day value is outside expected range', 'input': '2026-02-30T00:00:00'}",
        "2 validation errors: query.sort: Input should be 'asc' or 'desc'; query.start_time: Input should be a valid datetime or date, day value is outside expected range",
      ],
      // As the facts quote it, elided with `...`.
      [
        "1 validation error:\n  {'type': 'missing', 'loc': ('query', 'task_ids'), 'msg': 'Field required', ...}",
        "1 validation error: query.task_ids: Field required",
      ],
      // A check line that is not a Python dict stays as it is.
      ["1 validation error:\n  task_ids: field required", "1 validation error: task_ids: field required"],
      // Not a validation message: kept, up to the traceback.
      [`Something else failed${traceback}`, "Something else failed"],
      // Checks followed directly by a traceback, without a blank line.
      [
        "1 validation error:\n  {'type': 'missing', 'loc': ('query', 'task_ids'), 'msg': 'Field required', 'input': None}\nTraceback (most recent call last):\n  File \"/app/x.py\", line 1, in <module>\n    main()",
        "1 validation error: query.task_ids: Field required",
      ],
      [
        "1 validation error:\n  {'type': 'missing', 'loc': ('query', 'task_ids'), 'msg': 'Field required', 'input': None}\n  File \"/app/x.py\", line 1",
        "1 validation error: query.task_ids: Field required",
      ],
      // A frame right after the first line, with or without the header, indented or not.
      ['Something else failed\n  File "/app/x.py", line 3, in handler\n    raise Boom()', "Something else failed"],
      ['Something else failed\nFile "/app/x.py", line 3', "Something else failed"],
      [
        'Something else failed\r\nTraceback (most recent call last):\r\n  File "C:\\app\\x.py", line 3, in f\r\nValueError: boom',
        "Something else failed",
      ],
      // Only a traceback: its exception line is the message.
      [
        'Traceback (most recent call last):\n  File "/app/x.py", line 3, in f\n    raise ValueError("boom")\nValueError: boom',
        "ValueError: boom",
      ],
      [
        "Invalid page size, must be greater than 0 and less than 5000",
        "Invalid page size, must be greater than 0 and less than 5000",
      ],
    ];
    for (const [detail, expected] of cases) {
      const body = {
        detail:
          detail.startsWith("Invalid") || /File "/.test(detail)
            ? detail
            : `${detail}${detail.includes(traceback) ? "" : traceback}`,
      };
      const server = await serve((_req, res) => json(res, 400, body));
      const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY }));
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.message).toBe(`GET /api/v1/traces/users/user-1 failed with 400 Bad Request: ${expected}`);
      expect((error as BadRequestError).body).toEqual(body);
    }
  });

  it("turns a malformed JSON body into a clear APIError, not a SyntaxError", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"user_id": "u", broken');
    });
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY }));
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(error.message).toContain("not valid JSON");
    expect(error.message).toContain("GET /api/v1/traces/users/user-1");
    expect((error as APIError).body).toBe('{"user_id": "u", broken');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("refuses an empty 200 where the spec promises JSON, for one call and for each page", async () => {
    const server = await serve((req, res) => {
      if (req.path.endsWith("/users") && req.query.get("page") === "1") {
        res.writeHead(200, { "content-type": "application/json", "x-request-id": "rid-empty" });
        res.end();
        return;
      }
      if (req.path.endsWith("/users")) return json(res, 200, { count: 3, users: [user("a"), user("b")] });
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "rid-empty" });
      res.end();
    });
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const error = await details(client);
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toBe(
      "GET /api/v1/traces/users/user-1 answered 200 with an empty body, where the API sends JSON",
    );
    expect((error as APIError).requestId).toBe("rid-empty");
    const seen: string[] = [];
    const iterated = await (async () => {
      for await (const row of client.users.listUsersMetadata({ task_ids: ["t"], page_size: 2 })) seen.push(row.user_id);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["a", "b"]);
    expect(iterated).toBeInstanceOf(APIError);
    expect((iterated as Error).message).toMatch(/^GET \/api\/v1\/traces\/users answered 200 with an empty body/);
    for (const status of [201, 203, 206]) {
      const other = await serve((_req, res) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end();
      });
      const error = await details(createTracesClient({ baseUrl: other.url, apiKey: KEY }));
      expect(error.message).toBe(
        `GET /api/v1/traces/users/user-1 answered ${status} with an empty body, where the API sends JSON`,
      );
    }
  });

  it("keeps a non-JSON error body as text in the message", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad gateway</html>");
    });
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).body).toBe("<html>Bad gateway</html>");
    expect(error.message).toContain("Bad gateway");
    expect(error.message).not.toMatch(/<\/?html>/);
  });

  it("gives a proxy's HTML 400 page as text, without tags, and keeps the page on body", async () => {
    const pages: Array<[string | undefined, string, string]> = [
      [
        "text/html; charset=utf-8",
        "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>",
        "HTML page: 400 Bad Request",
      ],
      // No title: the text, without scripts, styles, comments and tags; entities decoded.
      [
        "text/html",
        "<!DOCTYPE html><html><head><style>h1{color:red}</style><script>var a = '<b>';</script></head><body><!-- x --><h1>Request   blocked</h1><p>Tom &amp; Jerry&#39;s &lt;proxy&gt;</p></body></html>",
        "HTML page: Request blocked Tom & Jerry's <proxy>",
      ],
      // Labelled text/plain (or not at all) but an HTML document all the same.
      [undefined, "<!doctype html><title>Gateway says no</title>", "HTML page: Gateway says no"],
    ];
    for (const [contentType, page, expected] of pages) {
      const server = await serve((_req, res) => {
        res.writeHead(400, contentType ? { "content-type": contentType } : {});
        res.end(page);
      });
      const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 }));
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.message).toBe(`GET /api/v1/traces/users/user-1 failed with 400 Bad Request: ${expected}`);
      expect((error as APIError).body).toBe(page);
    }
  });
});

describe("retries", () => {
  it("retries 500s and then succeeds", async () => {
    const server = await serve((_req, res, i) =>
      i < 2 ? json(res, 500, { detail: "flaky" }, { "retry-after": "0" }) : json(res, 200, user("u")),
    );
    const result = await createTracesClient({ baseUrl: server.url, apiKey: KEY }).users.getUserDetails("u", {
      task_ids: ["t1"],
    });
    expect(result.user_id).toBe("u");
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after maxRetries and throws the last error", async () => {
    const server = await serve((_req, res) => json(res, 503, { detail: "down" }, { "retry-after": "0" }));
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 3 }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(4);
  });

  it("retries 408 and 429 but never other 4xx", async () => {
    for (const [status, expected] of [
      [408, 3],
      [429, 3],
      [400, 1],
      [404, 1],
      [422, 1],
    ] as const) {
      const server = await serve((_req, res) => json(res, status, { detail: "x" }, { "retry-after": "0" }));
      await details(createTracesClient({ baseUrl: server.url, apiKey: KEY }));
      expect(server.requests, `status ${status}`).toHaveLength(expected);
    }
  });

  it("does not retry with maxRetries 0, per client or per request", async () => {
    const server = await serve((_req, res) => json(res, 500, { detail: "x" }, { "retry-after": "0" }));
    await details(createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 }));
    expect(server.requests).toHaveLength(1);
    await details(createTracesClient({ baseUrl: server.url, apiKey: KEY }), "u", { maxRetries: 0 });
    expect(server.requests).toHaveLength(2);
  });

  it("waits as long as Retry-After says in seconds", async () => {
    const server = await serve((_req, res, i) =>
      i === 0 ? json(res, 429, { detail: "slow down" }, { "retry-after": "1" }) : json(res, 200, user("u")),
    );
    const started = performance.now();
    await createTracesClient({ baseUrl: server.url, apiKey: KEY }).users.getUserDetails("u", { task_ids: ["t1"] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry when Retry-After asks for more than 60 s, and says so at info level", async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    for (const header of ["3600", later]) {
      const server = await serve((_req, res) => json(res, 429, { detail: "quota" }, { "retry-after": header }));
      const lines: string[] = [];
      const log = (m: string) => void lines.push(m);
      const client = createTracesClient({
        baseUrl: server.url,
        apiKey: KEY,
        logLevel: "info",
        logger: { error: log, warn: log, info: log, debug: log },
      });
      const started = performance.now();
      const error = await client.users.getUserDetails("u", { task_ids: ["t1"] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).headers.get("retry-after")).toBe(header);
      expect(server.requests).toHaveLength(1);
      expect(performance.now() - started).toBeLessThan(30_000); // not the 60 s it used to wait
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^\[traces-sdk\] not retrying GET .*: its Retry-After asks for 3[56]\d\d s, more than the 60 s the client waits$/,
      );
    }
  });

  it("waits until the HTTP date of Retry-After", async () => {
    let at = 0;
    const server = await serve((_req, res, i) => {
      if (i === 0) {
        // HTTP dates have whole seconds: two seconds ahead means a wait of more than one second.
        at = Math.ceil(Date.now() / 1000) * 1000 + 2000;
        json(res, 503, { detail: "maintenance" }, { "retry-after": new Date(at).toUTCString() });
      } else json(res, 200, user("u"));
    });
    await createTracesClient({ baseUrl: server.url, apiKey: KEY }).users.getUserDetails("u", { task_ids: ["t1"] });
    expect(server.requests).toHaveLength(2);
    expect(Date.now()).toBeGreaterThanOrEqual(at - 50);
  });

  it("backs off exponentially without Retry-After", async () => {
    const times: number[] = [];
    const server = await serve((_req, res) => {
      times.push(performance.now());
      json(res, 500, { detail: "x" });
    });
    await details(createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 2 }));
    const [a = 0, b = 0, c = 0] = times;
    // 0.5 s then 1 s, each less up to 25% jitter: the second wait is longer than the first can be.
    expect(b - a).toBeGreaterThanOrEqual(370);
    expect(c - b).toBeGreaterThanOrEqual(740);
  });

  it("retries a reset connection and reports one that stays broken", async () => {
    const flaky = await serve((req, res, i) => {
      if (i === 0) res.socket?.destroy();
      else json(res, 200, user("u"));
      void req;
    });
    const ok = await createTracesClient({ baseUrl: flaky.url, apiKey: KEY }).users.getUserDetails("u", {
      task_ids: ["t"],
    });
    expect(ok.user_id).toBe("u");
    expect(flaky.requests).toHaveLength(2);

    const broken = await serve((_req, res) => {
      res.socket?.destroy();
    });
    const error = await details(createTracesClient({ baseUrl: broken.url, apiKey: KEY, maxRetries: 1 }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toContain("GET /api/v1/traces/users/user-1");
    expect(error.cause).toBeDefined();
    expect(broken.requests).toHaveLength(2);
  });

  it("reports a refused connection as APIConnectionError", async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const url = server.url;
    await server.close();
    const error = await details(createTracesClient({ baseUrl: url, apiKey: KEY, maxRetries: 0 }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe("timeouts and cancellation", () => {
  it("times out each attempt of a slow response and retries it", async () => {
    const server = await serve((_req, res) => {
      const timer = setTimeout(() => json(res, 200, user("u")), 2000);
      res.on("close", () => clearTimeout(timer));
    });
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY, timeout: 150, maxRetries: 1 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.message).toContain("150 ms");
    expect(server.requests).toHaveLength(2);
  });

  it("times out a body that never finishes", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"user_id": ');
    });
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY, timeout: 200, maxRetries: 0 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it("lets a per-request timeout override the client's", async () => {
    const server = await serve((_req, res) => {
      const timer = setTimeout(() => json(res, 200, user("u")), 300);
      res.on("close", () => clearTimeout(timer));
    });
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, timeout: 100, maxRetries: 0 });
    const ok = await client.users.getUserDetails("u", { task_ids: ["t"] }, { timeout: 5000 });
    expect(ok.user_id).toBe("u");
  });

  it("times out each of many concurrent calls at its own deadline, in whatever order they were set", async () => {
    // Attempts share one timer armed for the earliest deadline: a short timeout that arrives while
    // a long one is armed must re-arm it, and one expiry must not fire the others early.
    const server = await serve((_req, res) => {
      const timer = setTimeout(() => json(res, 200, user("u")), 8000);
      res.on("close", () => clearTimeout(timer));
    });
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 });
    const long = new AbortController();
    const pending = details(client, "long", { timeout: 7000, signal: long.signal });
    const started = performance.now();
    const errors = await Promise.all([400, 100, 250].map((timeout) => details(client, `t${timeout}`, { timeout })));
    const elapsed = performance.now() - started;
    for (const [i, timeout] of [400, 100, 250].entries()) {
      expect(errors[i]).toBeInstanceOf(APIConnectionTimeoutError);
      expect(errors[i]?.message).toContain(`within ${timeout} ms`);
    }
    // Not held until the 7 s deadline that was armed first, nor released before the longest one.
    expect(elapsed).toBeLessThan(5000);
    expect(elapsed).toBeGreaterThanOrEqual(399);
    long.abort();
    expect(await pending).toBeInstanceOf(APIUserAbortError);
  });

  it("keeps timeouts and aborts working through a custom fetch that spreads init (the proxy recipe)", async () => {
    const server = await serve((_req, res) => {
      const timer = setTimeout(() => json(res, 200, user("u")), 8000);
      res.on("close", () => clearTimeout(timer));
    });
    const client = createTracesClient({
      baseUrl: server.url,
      apiKey: KEY,
      maxRetries: 0,
      fetch: (input, init) => fetch(input, { ...init }),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const [timedOut, aborted] = await Promise.all([
      details(client, "a", { timeout: 100 }),
      details(client, "b", { signal: controller.signal, timeout: 7000 }),
    ]);
    expect(timedOut).toBeInstanceOf(APIConnectionTimeoutError);
    expect(aborted).toBeInstanceOf(APIUserAbortError);
  });

  it("shares one listener per caller's signal, however many calls use it (no MaxListenersExceededWarning)", async () => {
    const server = await serve((_req, res) => json(res, 503, { detail: "again" }, { "retry-after": "0.05" }));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 1 });
      const shared = new AbortController();
      // Twenty attempts in flight at once, then twenty waits between retries, all on one signal.
      const errors = await Promise.all(
        Array.from({ length: 20 }, (_, i) => details(client, `u${i}`, { signal: shared.signal })),
      );
      expect(errors.every((e) => e instanceof InternalServerError)).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("leaves no ref'd timer behind, so an idle client never keeps a process alive", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    for (let i = 0; i < 5; i++) await client.users.getUserDetails("u", { task_ids: ["t"] });
    expect(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length).toBeLessThanOrEqual(before);
  });

  it("aborts at once on the caller's signal, without a retry", async () => {
    const server = await serve((_req, res) => {
      const timer = setTimeout(() => json(res, 200, user("u")), 5000);
      res.on("close", () => clearTimeout(timer));
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY }), "u", {
      signal: controller.signal,
    });
    expect(error).toBeInstanceOf(APIUserAbortError);
    // Far below the server's own answer (5 s) or Retry-After (30 s), far above any scheduling noise.
    expect(performance.now() - started).toBeLessThan(4000);
    expect(server.requests).toHaveLength(1);
  });

  it("aborts during the wait between retries", async () => {
    const server = await serve((_req, res) => json(res, 503, { detail: "x" }, { "retry-after": "30" }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY }), "u", {
      signal: controller.signal,
    });
    expect(error).toBeInstanceOf(APIUserAbortError);
    // Far below the server's own answer (5 s) or Retry-After (30 s), far above any scheduling noise.
    expect(performance.now() - started).toBeLessThan(4000);
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const error = await details(createTracesClient({ baseUrl: server.url, apiKey: KEY }), "u", {
      signal: AbortSignal.abort(),
    });
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });
});
