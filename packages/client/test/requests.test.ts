import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  createTracesClient,
  createTracesCore,
  InvalidRequestError,
  NotFoundError,
  usersGetUserDetails,
  usersListUsersMetadata,
} from "../src/index.js";
import { json, user, useServers } from "./server.js";

const KEY = "sk-test-SECRET-1234567890";
const serve = useServers();

describe("requests", () => {
  it("sends the key as a bearer token and returns the parsed body", async () => {
    const server = await serve((_req, res) => json(res, 200, user("user-1")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const result = await client.users.getUserDetails("user-1", { task_ids: ["t1"] });
    expect(result.user_id).toBe("user-1");
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests[0]?.headers.accept).toBe("application/json");
    expect(server.requests[0]?.path).toBe("/api/v1/traces/users/user-1");
  });

  it("reads baseUrl and apiKey from TRACES_BASE_URL and TRACES_API_KEY", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    process.env.TRACES_BASE_URL = server.url;
    process.env.TRACES_API_KEY = KEY;
    try {
      await createTracesClient().users.getUserDetails("u", { task_ids: ["t1"] });
    } finally {
      delete process.env.TRACES_BASE_URL;
      delete process.env.TRACES_API_KEY;
    }
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("sends no Authorization header without a key, and says so on a 401", async () => {
    const server = await serve((_req, res) => json(res, 401, { detail: "Requires authentication" }));
    const client = createTracesClient({ baseUrl: server.url, maxRetries: 0 });
    const error = await client.users.getUserDetails("u", { task_ids: ["t1"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain("Requires authentication");
    expect((error as Error).message).toContain("TRACES_API_KEY");
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("calls its client from a method taken off the resource, as a callback or destructured", async () => {
    const server = await serve((req, res) =>
      req.path.endsWith("/users") ? json(res, 200, { count: 1, users: [user("u1")] }) : json(res, 200, user("u2")),
    );
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const { getUserDetails, listUsersMetadata } = client.users;
    expect(await getUserDetails("u2", { task_ids: ["t"] })).toMatchObject({ user_id: "u2" });
    expect((await listUsersMetadata({ task_ids: ["t"] })).users).toHaveLength(1);
    const ids: string[] = [];
    for await (const row of listUsersMetadata({ task_ids: ["t"] })) ids.push(row.user_id);
    expect(ids).toEqual(["u1"]);
    const many = await Promise.all(["a", "b"].map((id) => getUserDetails(id, { task_ids: ["t"] })));
    expect(many).toHaveLength(2);
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    // The bound copies are the resource's own and non-enumerable: inspecting the client stays short.
    expect(Object.keys(client.users)).toEqual([]);
  });

  it("sends a per-request Authorization as given, or none for null, with or without middleware, on every kind of call", async () => {
    const server = await serve((req, res) =>
      req.path.endsWith("/users") ? json(res, 200, { count: 0, users: [] }) : json(res, 200, user("u")),
    );
    const plain = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const observed = createTracesClient({ baseUrl: server.url, apiKey: KEY, middleware: [{ onResponse() {} }] });
    for (const client of [plain, observed]) {
      for (const [authorization, expected] of [
        ["Bearer tenant-B", "Bearer tenant-B"],
        [null, undefined],
        [undefined, `Bearer ${KEY}`],
      ] as const) {
        const headers = { authorization };
        server.requests.length = 0;
        await client.users.getUserDetails("u", { task_ids: ["t"] }, { headers });
        await client.users.listUsersMetadata({ task_ids: ["t"] }, { headers });
        await client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] } }, headers });
        expect(
          server.requests.map((r) => r.headers.authorization),
          `${client === plain ? "no middleware" : "middleware"}, ${String(authorization)}`,
        ).toEqual([expected, expected, expected]);
      }
    }
  });

  it("keeps a path prefix of baseUrl and sends default and per-request headers", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: `${server.url}/engine/`, apiKey: KEY, headers: { "x-team": "a" } });
    await client.users.getUserDetails("u", { task_ids: ["t1"] }, { headers: { "x-trace": "b" } });
    expect(server.requests[0]?.path).toBe("/engine/api/v1/traces/users/u");
    expect(server.requests[0]?.headers["x-team"]).toBe("a");
    expect(server.requests[0]?.headers["x-trace"]).toBe("b");
  });

  it("removes a header, the key's included, that a per-request header sets to null", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, headers: { "x-team": "a" } });
    await client.users.getUserDetails("u", { task_ids: ["t1"] }, { headers: { "x-team": null, Authorization: null } });
    expect(server.requests[0]?.headers["x-team"]).toBeUndefined();
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("sends arrays as repeated keys and leaves unset parameters out", async () => {
    const server = await serve((_req, res) => json(res, 200, { count: 0, users: [] }));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    await client.users.listUsersMetadata({ task_ids: ["a", "b c", "d&e"], page_size: 100, sort: "asc", page: 0 });
    const url = server.requests[0]?.url ?? "";
    // In the spec's parameter order, percent-encoded as RFC 3986 asks (a space is %20, never +).
    expect(url).toBe("/api/v1/traces/users?task_ids=a&task_ids=b%20c&task_ids=d%26e&sort=asc&page_size=100&page=0");
    expect(server.requests[0]?.query.getAll("task_ids")).toEqual(["a", "b c", "d&e"]);
    expect(url).not.toContain("&&");
  });

  it("percent-encodes path parameters", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    await client.users.getUserDetails("a b/c?d#é%", { task_ids: ["t1"] });
    expect(server.requests[0]?.url).toBe("/api/v1/traces/users/a%20b%2Fc%3Fd%23%C3%A9%25?task_ids=t1");
  });

  it("sends a Date in local time with its offset and a string unchanged", async () => {
    const previous = process.env.TZ;
    process.env.TZ = "Europe/Berlin";
    try {
      const server = await serve((_req, res) => json(res, 200, { count: 0, users: [] }));
      const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
      await client.users.listUsersMetadata({
        task_ids: ["t1"],
        start_time: new Date(Date.UTC(2026, 2, 1, 8, 30)),
        end_time: new Date(Date.UTC(2026, 6, 1, 8, 30, 5, 7)),
      });
      await client.users.listUsersMetadata({ task_ids: ["t1"], start_time: "2026-03-01T09:30:00" });
      expect(server.requests[0]?.query.get("start_time")).toBe("2026-03-01T09:30:00.000+01:00");
      expect(server.requests[0]?.query.get("end_time")).toBe("2026-07-01T10:30:05.007+02:00");
      // "+" must arrive as a plus, not as a space.
      expect(server.requests[0]?.url).toContain("start_time=2026-03-01T09%3A30%3A00.000%2B01%3A00");
      expect(server.requests[1]?.query.get("start_time")).toBe("2026-03-01T09:30:00");
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it("resolves the raw client with data, error and response, with auth and Date handling", async () => {
    const server = await serve((req, res) =>
      req.path.endsWith("/missing")
        ? json(res, 404, { detail: "User missing not found" })
        : json(res, 200, { count: 0, users: [] }),
    );
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const ok = await client.raw.GET("/api/v1/traces/users", {
      params: { query: { task_ids: ["a", "b"], start_time: new Date(0) as unknown as string } },
    });
    expect(ok.data).toEqual({ count: 0, users: [] });
    expect(ok.response.status).toBe(200);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests[0]?.query.getAll("task_ids")).toEqual(["a", "b"]);
    expect(server.requests[0]?.query.get("start_time")).toMatch(/^1970-01-0[12]T\d\d:\d\d:00\.000[+-]\d\d:\d\d$/);
    const missing = await client.raw.GET("/api/v1/traces/users/{user_id}", {
      params: { path: { user_id: "missing" }, query: { task_ids: ["t1"] } },
    });
    expect(missing.error).toEqual({ detail: "User missing not found" });
    expect(missing.data).toBeUndefined();
  });
});

describe("raw client transport", () => {
  it("honours openapi-fetch's per-request fetch and object-form querySerializer", async () => {
    const server = await serve((_req, res, i) =>
      i === 0 ? json(res, 503, { detail: "busy" }, { "retry-after": "0" }) : json(res, 200, { count: 0, users: [] }),
    );
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const seen: Request[] = [];
    const { data } = await client.raw.GET("/api/v1/traces/users", {
      params: { query: { task_ids: ["a", "b/c"] } },
      querySerializer: { array: { style: "form", explode: false }, allowReserved: true },
      fetch: (request: Request) => {
        seen.push(request);
        return fetch(request);
      },
    });
    expect(data).toEqual({ count: 0, users: [] });
    expect(seen).toHaveLength(2); // the retry goes through it too
    expect(seen[0]).toBeInstanceOf(Request);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/api/v1/traces/users?task_ids=a,b/c",
      "/api/v1/traces/users?task_ids=a,b/c",
    ]);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    await client.raw.GET("/api/v1/traces/users", {
      params: { query: { task_ids: ["a", "b"] } },
      querySerializer: { array: { style: "pipeDelimited", explode: false } },
    });
    expect(server.requests[2]?.url).toBe("/api/v1/traces/users?task_ids=a|b");
  });

  it("refuses an empty or dot path segment, which would change the path, naming the call", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    for (const id of ["", ".", ".."]) {
      const error = await client.raw
        .GET("/api/v1/traces/users/{user_id}", { params: { path: { user_id: id }, query: { task_ids: ["t"] } } })
        .catch((e: unknown) => e);
      expect(error, id).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).param).toBe("user_id");
      expect((error as Error).message).toBe(
        `GET /api/v1/traces/users/{user_id}: \`user_id\` must be a non-empty path segment other than "." and "..", got ${JSON.stringify(id)}. Nothing was sent.`,
      );
    }
    const header = await client.raw
      .GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] }, header: { "x-a": "\uD800" } } as never })
      .catch((e: unknown) => e);
    expect((header as Error).message).toMatch(/^GET \/api\/v1\/traces\/users: /);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a lone surrogate by parameter name, and a standalone function given no core", async () => {
    const server = await serve((_req, res) => json(res, 200, { count: 0, users: [] }));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const lone = await client.raw
      .GET("/api/v1/traces/users", { params: { query: { task_ids: ["\uD800"] } } })
      .catch((e: unknown) => e);
    expect(lone).toBeInstanceOf(InvalidRequestError);
    expect((lone as InvalidRequestError).param).toBe("task_ids");
    expect((lone as Error).message).toMatch(/^GET \/api\/v1\/traces\/users: `task_ids` is not well-formed Unicode/);
    for (const core of [{ baseUrl: server.url }, undefined]) {
      const error = await usersGetUserDetails(core as never, "u", { task_ids: ["t"] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(
        /^users\.getUserDetails: the first argument must be a client from createTracesClient\(\) or a core from createTracesCore\(\)/,
      );
      const page = await usersListUsersMetadata(core as never, { task_ids: ["t"] }).catch((e: unknown) => e);
      expect(page).toBeInstanceOf(InvalidRequestError);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("retries and times out like the resource methods", async () => {
    const server = await serve((_req, res, i) =>
      i === 0 ? json(res, 503, { detail: "busy" }, { "retry-after": "0" }) : json(res, 200, { count: 0, users: [] }),
    );
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const { data } = await client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] } } });
    expect(data).toEqual({ count: 0, users: [] });
    expect(server.requests).toHaveLength(2);

    const slow = await serve((_req, res) => {
      const timer = setTimeout(() => json(res, 200, {}), 2000);
      res.on("close", () => clearTimeout(timer));
    });
    const impatient = createTracesClient({ baseUrl: slow.url, apiKey: KEY, timeout: 100, maxRetries: 0 });
    await expect(
      impatient.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] } } }),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe("input checks", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["missing task_ids", {}, "task_ids"],
    ["empty task_ids", { task_ids: [] }, "task_ids"],
    ["task_ids not an array", { task_ids: "t1" }, "task_ids"],
    ["page_size 0", { task_ids: ["t"], page_size: 0 }, "page_size"],
    ["page_size 5001", { task_ids: ["t"], page_size: 5001 }, "page_size"],
    ["page_size 1.5", { task_ids: ["t"], page_size: 1.5 }, "page_size"],
    ["negative page", { task_ids: ["t"], page: -1 }, "page"],
    ["invalid sort", { task_ids: ["t"], sort: "up" }, "sort"],
    ["invalid date string", { task_ids: ["t"], start_time: "yesterday" }, "start_time"],
    ["invalid Date", { task_ids: ["t"], end_time: new Date("nope") }, "end_time"],
    ["unknown parameter", { task_ids: ["t"], pageSize: 10 }, "pageSize"],
    ["page beyond 2^53 (sent as 1e+21 otherwise)", { task_ids: ["t"], page: 1e21 }, "page"],
    ["a lone surrogate, which cannot be percent-encoded", { task_ids: ["t\uD800"] }, "task_ids"],
    ["a number among task_ids (the spec says strings)", { task_ids: ["t", 7] }, "task_ids"],
    ["NaN among task_ids", { task_ids: [Number.NaN] }, "task_ids"],
    ["an object among task_ids", { task_ids: [{ id: "t" }] }, "task_ids"],
  ];
  for (const [title, query, param] of cases) {
    it(`rejects ${title} without sending anything`, async () => {
      const server = await serve((_req, res) => json(res, 200, { count: 0, users: [] }));
      const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input, as plain JavaScript callers can send.
      const error = await Promise.resolve(client.users.listUsersMetadata(query as any)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).param).toBe(param);
      expect((error as Error).message).toContain(`\`${param}`);
      expect((error as Error).message).toContain("users.listUsersMetadata");
      expect(server.requests).toHaveLength(0);
    });
  }

  it("suggests the nearest parameter name for a misspelt one", async () => {
    const client = createTracesClient({ baseUrl: "http://127.0.0.1:9", apiKey: KEY });
    for (const [wrong, right] of [
      ["task_id", "task_ids"],
      ["page_szie", "page_size"],
      ["pageSize", "page_size"],
    ]) {
      // Deliberately wrong input, as plain JavaScript callers can send.
      const query = { task_ids: ["t"], [wrong as string]: 1 } as unknown as Parameters<
        typeof client.users.listUsersMetadata
      >[0];
      const error = await client.users.listUsersMetadata(query).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`did you mean \`${right}\`?`);
    }
    const lone = await client.users.getUserDetails("u\uDC00", { task_ids: ["t"] }).catch((e: unknown) => e);
    expect(lone).toBeInstanceOf(InvalidRequestError);
    expect((lone as InvalidRequestError).param).toBe("user_id");
  });

  it("accepts the boundaries page_size 1 and 5000 and page 0", async () => {
    const server = await serve((_req, res) => json(res, 200, { count: 0, users: [] }));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    await client.users.listUsersMetadata({ task_ids: ["t"], page_size: 1, page: 0 });
    await client.users.listUsersMetadata({ task_ids: ["t"], page_size: 5000 });
    expect(server.requests).toHaveLength(2);
  });

  it("rejects a user id that is not a string, and bad per-request timeout and maxRetries, naming the call", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const failure = (call: () => Promise<unknown>): Promise<InvalidRequestError> =>
      call().then(
        () => Promise.reject(new Error("expected the call to fail")),
        (e: unknown) => e as InvalidRequestError,
      );
    const id = await failure(() => client.users.getUserDetails(42 as unknown as string, { task_ids: ["t"] }));
    expect(id).toBeInstanceOf(InvalidRequestError);
    expect(id.message).toBe("users.getUserDetails: `user_id` must be a string, got 42. Nothing was sent.");
    for (const [options, param, message] of [
      [{ timeout: -1 }, "timeout", "`timeout` must be a positive number of milliseconds up to 2147483647, got -1."],
      [{ maxRetries: 1.5 }, "maxRetries", "`maxRetries` must be a non-negative integer, got 1.5."],
    ] as const) {
      const resource = await failure(() => client.users.getUserDetails("u", { task_ids: ["t"] }, options));
      expect(resource).toBeInstanceOf(InvalidRequestError);
      expect(resource.param).toBe(param);
      expect(resource.message).toBe(`users.getUserDetails: ${message}`);
      const page = await failure(() => client.users.listUsersMetadata({ task_ids: ["t"] }, options));
      expect(page.message).toBe(`users.listUsersMetadata: ${message}`);
      const raw = await failure(() =>
        client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] } }, ...options }),
      );
      expect(raw).toBeInstanceOf(InvalidRequestError);
      expect(raw.message).toBe(`GET /api/v1/traces/users: ${message}`);
    }
    expect(() => createTracesClient({ timeout: Number.NaN })).toThrow(
      "createTracesClient: `timeout` must be a positive number of milliseconds up to 2147483647, got NaN.",
    );
    expect(server.requests).toHaveLength(0);
  });

  it("rejects an empty or dot-only user id", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    for (const id of ["", ".."]) {
      const error = await client.users.getUserDetails(id, { task_ids: ["t"] }).catch((e: unknown) => e);
      expect((error as InvalidRequestError).param).toBe("user_id");
    }
    expect(server.requests).toHaveLength(0);
  });

  it("rejects a key that cannot be a header value without quoting it", () => {
    for (const apiKey of ["ключ-SECRET", "sk-SECRET\n", "sk SECRET"]) {
      let error: unknown;
      try {
        createTracesClient({ baseUrl: "http://127.0.0.1:1", apiKey });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).param).toBe("apiKey");
      expect(inspect(error)).not.toContain("SECRET");
    }
  });

  it("names the function called, the environment variable read and quotes strings in option errors", () => {
    expect(() => createTracesCore({ timeout: "5000" as never })).toThrow(
      'createTracesCore: `timeout` must be a positive number of milliseconds up to 2147483647, got "5000".',
    );
    expect(() => createTracesClient({ maxRetries: "2" as never })).toThrow(
      'createTracesClient: `maxRetries` must be a non-negative integer, got "2".',
    );
    expect(() => createTracesCore({ baseUrl: "ftp://x" })).toThrow(
      'createTracesCore: `baseUrl` must be an http or https URL such as "https://engine.example.com", got "ftp://x".',
    );
    process.env.TRACES_API_KEY = "sk SECRET";
    try {
      expect(() => createTracesClient({ baseUrl: "http://127.0.0.1:1" })).toThrow(
        /^createTracesClient: the environment variable TRACES_API_KEY must be a string of printable ASCII/,
      );
    } finally {
      delete process.env.TRACES_API_KEY;
    }
    // null, like undefined, means the default, on the client and per request.
    const lenient = createTracesClient({ baseUrl: "http://127.0.0.1:1", timeout: null as never });
    expect(lenient._timeout).toBe(60_000);
    process.env.TRACES_BASE_URL = "localhost:8000";
    try {
      expect(() => createTracesClient()).toThrow(
        'createTracesClient: the environment variable TRACES_BASE_URL must be an http or https URL such as "https://engine.example.com", got "localhost:8000".',
      );
    } finally {
      delete process.env.TRACES_BASE_URL;
    }
  });

  it("rejects bad client options with the option's name", () => {
    expect(() => createTracesClient({ baseUrl: "localhost:8000" })).toThrow(/baseUrl/);
    expect(() => createTracesClient({ baseUrl: "ftp://x" })).toThrow(/http or https/);
    expect(() => createTracesClient({ timeout: 0 })).toThrow(/timeout/);
    expect(() => createTracesClient({ maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => createTracesClient({ timeout: 2 ** 31 })).toThrow(/timeout/);
  });
});

describe("redirects and secrets", () => {
  it("follows a same-origin redirect with the key", async () => {
    const server = await serve((req, res) => {
      if (req.path.startsWith("/old")) {
        res.writeHead(307, { location: "/api/v1/traces/users/u?task_ids=t1" });
        res.end();
      } else json(res, 200, user("u"));
    });
    const client = createTracesClient({ baseUrl: `${server.url}/old`, apiKey: KEY });
    await client.users.getUserDetails("u", { task_ids: ["t1"] });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
  });

  it("does not send the key on a cross-origin redirect", async () => {
    const other = await serve((_req, res) => json(res, 200, user("u")));
    const server = await serve((req, res) => {
      res.writeHead(302, { location: `${other.url}${req.url}` });
      res.end();
    });
    const client = createTracesClient({
      baseUrl: server.url,
      apiKey: KEY,
      headers: { Authorization: `Bearer ${KEY}` },
    });
    const result = await client.users.getUserDetails("u", { task_ids: ["t1"] });
    expect(result.user_id).toBe("u");
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(other.requests[0]?.headers)).not.toContain(KEY);
  });

  it("does not send the key on a cross-origin redirect through the raw client", async () => {
    const other = await serve((_req, res) => json(res, 200, { count: 0, users: [] }));
    const server = await serve((req, res) => {
      res.writeHead(301, { location: `${other.url}${req.url}` });
      res.end();
    });
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY });
    const { data } = await client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] } } });
    expect(data).toEqual({ count: 0, users: [] });
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("never shows the key in messages, inspect output, JSON or toString", async () => {
    const server = await serve((req, res) =>
      req.path.endsWith("/boom") ? json(res, 500, { detail: "boom" }) : json(res, 404, { detail: "nope" }),
    );
    const client = createTracesClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0 });
    const errors = [
      await client.users.getUserDetails("x", { task_ids: ["t"] }).catch((e: unknown) => e),
      await client.users.getUserDetails("boom", { task_ids: ["t"] }).catch((e: unknown) => e),
      await createTracesClient({ baseUrl: "http://127.0.0.1:1", apiKey: KEY, maxRetries: 0 })
        .users.getUserDetails("x", { task_ids: ["t"] })
        .catch((e: unknown) => e),
      await Promise.resolve(client.users.listUsersMetadata({ task_ids: [] })).catch((e: unknown) => e),
    ];
    expect(errors[0]).toBeInstanceOf(NotFoundError);
    expect(errors[1]).toBeInstanceOf(APIError);
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      const shown = [
        String(error),
        (error as Error).message,
        (error as Error).stack ?? "",
        inspect(error, { depth: 10, showHidden: true }),
        JSON.stringify(error),
      ].join("\n");
      expect(shown).not.toContain(KEY);
    }
    const clientShown = [String(client), inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client)].join(
      "\n",
    );
    expect(clientShown).not.toContain(KEY);
  });

  it("keeps credentials given as default headers out of console.log and JSON, and still sends them", async () => {
    const server = await serve((_req, res) => json(res, 200, user("u")));
    const client = createTracesClient({
      baseUrl: server.url,
      headers: { Authorization: "Bearer SECRET-in-header", "x-api-key": "SECRET-api-key" },
    });
    const shown = [inspect(client, { depth: 10 }), JSON.stringify(client), String(client)].join("\n");
    expect(shown).not.toContain("SECRET");
    await client.users.getUserDetails("u", { task_ids: ["t"] });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer SECRET-in-header");
    expect(server.requests[0]?.headers["x-api-key"]).toBe("SECRET-api-key");
  });
});
