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
