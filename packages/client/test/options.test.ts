/** Option checking: unknown names fail with the nearest valid one; a key over plain HTTP warns once. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTracesClient, InvalidRequestError, type TracesClientOptions } from "../src/index.js";
import { nearestName } from "../src/options.js";
import { json, startServer, type TestServer, user } from "./server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

/** The InvalidRequestError that `fn` throws (or rejects with). */
async function invalid(fn: () => unknown): Promise<InvalidRequestError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidRequestError);
  return thrown as InvalidRequestError;
}

describe("createTracesClient options", () => {
  it.each([
    ["baseURL", "baseUrl"],
    ["base_url", "baseUrl"],
    ["baseUri", "baseUrl"],
    ["url", "baseUrl"],
    ["prefixUrl", "baseUrl"],
    ["apikey", "apiKey"],
    ["api_key", "apiKey"],
    ["APIKey", "apiKey"],
    ["token", "apiKey"],
    ["bearerToken", "apiKey"],
    ["timeoutMs", "timeout"],
    ["timeout_ms", "timeout"],
    ["timout", "timeout"],
    ["retries", "maxRetries"],
    ["maxRetry", "maxRetries"],
    ["max_retries", "maxRetries"],
    ["maxAttempts", "maxRetries"],
    ["defaultHeaders", "headers"],
    ["header", "headers"],
    ["customFetch", "fetch"],
  ])("rejects `%s` and suggests `%s`", async (given, suggested) => {
    const error = await invalid(() =>
      createTracesClient({ [given]: "x", apiKey: "k" } as unknown as TracesClientOptions),
    );
    expect(error.param).toBe(given);
    expect(error.message).toContain(`createTracesClient: unknown option \`${given}\`; did you mean \`${suggested}\`?`);
    expect(error.message).toContain("Valid options: `baseUrl`, `apiKey`");
    expect(error.message).not.toContain('"k"');
  });

  it("names an unknown option with nothing close, and lists the valid ones", async () => {
    const error = await invalid(() => createTracesClient({ colour: "blue" } as unknown as TracesClientOptions));
    expect(error.message).toMatch(
      /^createTracesClient: unknown option `colour`\. Valid options: `baseUrl`, `apiKey`, `timeout`, `maxRetries`, `fetch`, `headers`(, `\w+`)*\.$/,
    );
  });

  it("rejects an unknown option even when its value is undefined (a typo all the same)", async () => {
    const error = await invalid(() => createTracesClient({ baseURL: undefined } as unknown as TracesClientOptions));
    expect(error.message).toContain("did you mean `baseUrl`?");
  });

  it("rejects options that are not an object", async () => {
    for (const options of ["https://engine.example.com", null, [], 5]) {
      const error = await invalid(() => createTracesClient(options as unknown as TracesClientOptions));
      expect(error.message).toMatch(/^createTracesClient: expected an options object such as \{ baseUrl: /);
    }
  });

  it("never sends the key elsewhere because of a misspelt baseUrl", async () => {
    server = await startServer((_req, res) => json(res, 200, user("u")));
    const calls: string[] = [];
    await invalid(() =>
      createTracesClient({
        baseURL: server?.url,
        apiKey: "k",
        fetch: async (input: RequestInfo | URL) => {
          calls.push(String(input));
          return new Response("{}");
        },
      } as unknown as TracesClientOptions),
    );
    expect(calls).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it("accepts every documented option", async () => {
    server = await startServer((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({
      baseUrl: server.url,
      apiKey: "k",
      timeout: 5_000,
      maxRetries: 0,
      fetch: (input, init) => fetch(input, init),
      headers: { "x-team": "t" },
    });
    await expect(client.users.getUserDetails("u", { task_ids: ["t"] })).resolves.toMatchObject({ user_id: "u" });
  });
});

describe("per-request options", () => {
  it.each([
    ["timeoutMs", "timeout"],
    ["retries", "maxRetries"],
    ["abortSignal", "signal"],
    ["extraHeaders", "headers"],
    ["headres", "headers"],
  ])("rejects `%s` (suggesting `%s`) before anything is sent", async (given, suggested) => {
    server = await startServer((_req, res) => json(res, 200, { count: 1, users: [user("u")] }));
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const options = { [given]: 1 } as never;
    const one = await invalid(() => client.users.getUserDetails("u", { task_ids: ["t"] }, options));
    expect(one.message).toMatch(
      new RegExp(`^users\\.getUserDetails: unknown option \`${given}\`; did you mean \`${suggested}\`\\?`),
    );
    expect(one.param).toBe(given);
    const page = await invalid(() => client.users.listUsersMetadata({ task_ids: ["t"] }, options));
    expect(page.message).toContain(`users.listUsersMetadata: unknown option \`${given}\``);
    const iterated = await invalid(async () => {
      for await (const _ of client.users.listUsersMetadata({ task_ids: ["t"] }, options)) break;
    });
    expect(iterated.message).toContain(`did you mean \`${suggested}\`?`);
    expect(server.requests).toEqual([]);
  });

  it("takes headers as a record, a Headers, [name, value] pairs or a Map, on every kind of call", async () => {
    server = await startServer((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({
      baseUrl: server.url,
      apiKey: "k",
      headers: new Headers({ "x-default": "d", "x-gone": "g" }),
    });
    const forms = [
      { "X-A": "1", "x-count": 2, "x-flag": true, "x-gone": null },
      new Headers({ "X-A": "1", "x-count": "2", "x-flag": "true" }),
      [
        ["X-A", "1"],
        ["x-count", "2"],
        ["x-flag", "true"],
      ],
      new Map([
        ["X-A", "1"],
        ["x-count", "2"],
        ["x-flag", "true"],
      ]),
    ];
    for (const headers of forms) {
      await client.users.getUserDetails("u", { task_ids: ["t"] }, { headers: headers as never });
      await client.raw.GET("/api/v1/traces/users/{user_id}", {
        params: { path: { user_id: "u" }, query: { task_ids: ["t"] } },
        headers: headers as never,
      });
    }
    expect(server.requests).toHaveLength(8);
    for (const r of server.requests) {
      expect([r.headers["x-a"], r.headers["x-count"], r.headers["x-flag"], r.headers["x-default"]]).toEqual([
        "1",
        "2",
        "true",
        "d",
      ]);
      expect(r.headers["0"]).toBeUndefined();
    }
    expect(server.requests[0]?.headers["x-gone"]).toBeUndefined();
    expect(server.requests[2]?.headers["x-gone"]).toBe("g");
  });

  it("refuses a header name or value fetch cannot send, naming the call and not echoing the value", async () => {
    server = await startServer((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const cases: [unknown, RegExp][] = [
      [{ "bad name": "v" }, /^users\.getUserDetails: `headers` has an invalid header name "bad name"\.$/],
      [{ "x-token": "SECRET\nInjected: 1" }, /^users\.getUserDetails: `headers` `x-token` has a control character/],
      [{ "x-token": "SECRET\u0001" }, /`x-token` has a control character/],
      [{ "x-token": "SECRET\u007f" }, /`x-token` has a control character/],
      [{ "x-token": "SECRET €" }, /`x-token` has a control character or one above U\+00FF/],
      [{ "x-token": "SECRET \uD800" }, /`x-token` has a control character or one above U\+00FF/],
      [{ "Keep-Alive": "1" }, /`Keep-Alive` is a hop-by-hop header/],
      [{ expect: "100-continue" }, /`expect` is a hop-by-hop header/],
      [{ "transfer-encoding": "chunked" }, /`transfer-encoding` is a hop-by-hop header/],
      [{ upgrade: "websocket" }, /`upgrade` is a hop-by-hop header/],
      [{ connection: "upgrade" }, /`connection` is a hop-by-hop header/],
      [{ "x-sym": Symbol("s") }, /`x-sym` must be a string, number or boolean, got a symbol/],
      [{ "x-obj": { a: 1 } }, /`x-obj` must be a string, number or boolean, got an object/],
      [[["only-name"]], /pairs must be \[name, value\] arrays/],
      ["x-a: 1", /`headers` must be an object of names to values/],
    ];
    for (const [headers, message] of cases) {
      const error = await invalid(() =>
        client.users.getUserDetails("u", { task_ids: ["t"] }, { headers: headers as never }),
      );
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain("SECRET");
      expect(error.param).toBe("headers");
    }
    const raw = await invalid(() =>
      client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] } }, headers: { "a b": "1" } }),
    );
    expect(raw.message).toMatch(/^GET \/api\/v1\/traces\/users: `headers` has an invalid header name "a b"/);
    expect(() => createTracesClient({ baseUrl: server?.url, headers: { "x-a": "\u0001" } })).toThrow(
      /control character/,
    );
    // Tabs and Latin-1 bytes are valid header values, and are sent.
    await client.users.getUserDetails(
      "u",
      { task_ids: ["t"] },
      { headers: { "x-latin": "café\tau lait", connection: "keep-alive" } },
    );
    expect(server.requests).toHaveLength(1);
    server.requests.length = 0;
    expect(() => createTracesClient({ baseUrl: server?.url, headers: { "x y": "1" } })).toThrow(
      /^createTracesClient: `headers` has an invalid header name "x y"\.$/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a signal that is not an AbortSignal and middleware that is not a list of middleware", async () => {
    server = await startServer((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const call = (options: object) => () => client.users.getUserDetails("u", { task_ids: ["t"] }, options as never);
    for (const [options, param, message] of [
      [
        { signal: {} },
        "signal",
        "users.getUserDetails: `signal` must be an AbortSignal (an AbortController's `signal`), got an object.",
      ],
      [
        { signal: "x" },
        "signal",
        'users.getUserDetails: `signal` must be an AbortSignal (an AbortController\'s `signal`), got "x".',
      ],
      [
        { middleware: { onRequest() {} } },
        "middleware",
        "users.getUserDetails: `middleware` must be an array of middleware objects.",
      ],
      [
        { middleware: [5] },
        "middleware",
        "users.getUserDetails: middleware must be an object with `onRequest`, `onResponse` or `onError`.",
      ],
    ] as const) {
      const error = await invalid(call(options));
      expect(error.param).toBe(param);
      expect(error.message).toBe(message);
    }
    // As with openapi-fetch's use(), empty entries are skipped: `[debug && logging]`.
    const seen: string[] = [];
    client.use(null as never);
    await client.users.getUserDetails(
      "u",
      { task_ids: ["t"] },
      {
        middleware: [false as never, null as never, { onRequest: () => void seen.push("ran") }],
      },
    );
    expect(seen).toEqual(["ran"]);
    expect(() => client.use(5 as never)).toThrow(/^use\(\): middleware must be an object/);
    expect(server.requests).toHaveLength(1);
  });

  it("rejects per-request options that are not an object", async () => {
    const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
    const error = await invalid(() => client.users.getUserDetails("u", { task_ids: ["t"] }, 5000 as never));
    expect(error.message).toBe("users.getUserDetails: expected an options object such as { timeout: 5000 }, got 5000.");
  });
});

describe("nearestName", () => {
  const valid = ["baseUrl", "apiKey", "timeout", "maxRetries", "fetch", "headers"];
  it("prefers the same name in another case or with separators, then aliases, then edit distance", () => {
    expect(nearestName("BASE_URL", valid)).toBe("baseUrl");
    expect(nearestName("base-url", valid)).toBe("baseUrl");
    expect(nearestName("retries", valid)).toBe("maxRetries");
    expect(nearestName("fecth", valid)).toBe("fetch");
    expect(nearestName("maxRetriesCount", valid)).toBe("maxRetries");
    expect(nearestName("zzz", valid)).toBeUndefined();
    const query = ["task_ids", "start_time", "end_time", "sort", "page", "page_size"];
    expect(nearestName("start", query)).toBe("start_time");
    expect(nearestName("page_szie", query)).toBe("page_size");
    expect(nearestName("end", query)).toBeUndefined();
    expect(nearestName("logger", valid)).toBeUndefined();
  });
});

describe("API key over plain HTTP", () => {
  it("warns once per origin, without the key, when the key would leave this machine unencrypted", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    createTracesClient({ baseUrl: "http://engine-a.example.com", apiKey: "secret-key" });
    createTracesClient({ baseUrl: "http://engine-a.example.com/prefix", apiKey: "secret-key" });
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toContain("plain HTTP to http://engine-a.example.com");
    expect(message).toContain("https://");
    expect(message).not.toContain("secret-key");
    createTracesClient({ baseUrl: "http://10.0.0.7:3030", apiKey: "secret-key" });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("stays quiet for https, loopback hosts, and without a key", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    for (const baseUrl of [
      "https://engine-b.example.com",
      "http://localhost:3030",
      "http://api.localhost",
      "http://127.0.0.1:8000",
      "http://127.8.9.10",
      "http://[::1]:8000",
    ]) {
      createTracesClient({ baseUrl, apiKey: "secret-key" });
    }
    createTracesClient({ baseUrl: "http://engine-c.example.com" });
    expect(warn).not.toHaveBeenCalled();
  });

  it("also warns when the key and URL come from the environment", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.stubEnv("TRACES_BASE_URL", "http://engine-d.example.com");
    vi.stubEnv("TRACES_API_KEY", "env-key");
    try {
      createTracesClient();
    } finally {
      vi.unstubAllEnvs();
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).not.toContain("env-key");
  });
});

describe("connection failures outside browsers", () => {
  it("carry no CORS hint and are retried as usual", async () => {
    let calls = 0;
    const client = createTracesClient({
      baseUrl: "http://127.0.0.1:9",
      maxRetries: 1,
      fetch: async () => {
        calls++;
        throw new TypeError("fetch failed");
      },
    });
    const error = await client.users.getUserDetails("u", { task_ids: ["t"] }).then(
      () => new Error("resolved"),
      (e: unknown) => e as Error,
    );
    expect(error.name).toBe("APIConnectionError");
    expect(error.message).not.toContain("CORS");
    expect(calls).toBe(2);
  });
});
