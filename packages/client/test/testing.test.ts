/** The `./testing` entry: a typed fake client, fixed pages for spies, and errors as the client throws them. */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  createTracesClient,
  InvalidRequestError,
  NotFoundError,
  type TracesClient,
  type TraceUserListResponse,
  type TraceUserMetadataResponse,
  UnprocessableEntityError,
} from "../src/index.js";
import { createFakeClient, fakeAPIError, fakePage } from "../src/testing.js";
import { json, startServer, type TestServer } from "./server.js";

const alice = { user_id: "alice", task_id: "t1" } as TraceUserMetadataResponse;
const bob = { user_id: "bob", task_id: "t1" } as TraceUserMetadataResponse;
const carol = { user_id: "carol", task_id: "t1" } as TraceUserMetadataResponse;

/** Code under test: reads every user, page by page. */
async function userIds(client: TracesClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const user of client.users.listUsersMetadata({ task_ids: ["t1"], page_size: 2 })) ids.push(user.user_id);
  return ids;
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

describe("createFakeClient", () => {
  it("fakes a paginated method in one line for both await and for await", async () => {
    const client = createFakeClient({ users: { listUsersMetadata: () => ({ count: 2, users: [alice, bob] }) } });
    const page = await client.users.listUsersMetadata({ task_ids: ["t1"] });
    expect(page).toEqual({ count: 2, users: [alice, bob] });
    expect(await userIds(client)).toEqual(["alice", "bob"]);
  });

  it("asks the fake for each further page with the page number in the query", async () => {
    const pages: Record<number, TraceUserListResponse> = {
      0: { count: 3, users: [alice, bob] },
      1: { count: 3, users: [carol] },
    };
    const listUsersMetadata = vi.fn((query: { page?: number }) => pages[query.page ?? 0] as TraceUserListResponse);
    const client = createFakeClient({ users: { listUsersMetadata } });
    expect(await userIds(client)).toEqual(["alice", "bob", "carol"]);
    expect(listUsersMetadata.mock.calls.map(([query]) => query)).toEqual([
      { task_ids: ["t1"], page_size: 2 },
      { task_ids: ["t1"], page_size: 2, page: 1 },
    ]);
  });

  it("takes vi.fn() fakes with mockResolvedValue and passes the caller's arguments through", async () => {
    const getUserDetails = vi.fn().mockResolvedValue(alice);
    const listUsersMetadata = vi.fn().mockResolvedValue({ count: 1, users: [bob] });
    const client = createFakeClient({ users: { getUserDetails, listUsersMetadata } });
    const signal = new AbortController().signal;
    // Results travel as JSON, as from a server: equal, not the same object.
    expect(await client.users.getUserDetails("alice", { task_ids: ["t1"] }, { signal })).toEqual(alice);
    expect(getUserDetails).toHaveBeenCalledWith("alice", { task_ids: ["t1"] }, { signal });
    expect(await userIds(client)).toEqual(["bob"]);
  });

  it("iterates a whole fakePage(...) returned by a fake", async () => {
    const client = createFakeClient({
      users: { listUsersMetadata: () => fakePage({ count: 3, users: [alice, bob] }, { count: 3, users: [carol] }) },
    });
    expect(await userIds(client)).toEqual(["alice", "bob", "carol"]);
    expect((await client.users.listUsersMetadata({ task_ids: ["t1"] })).users).toEqual([alice, bob]);
  });

  it("checks arguments as the real client does, before calling the fake", async () => {
    const getUserDetails = vi.fn().mockResolvedValue(alice);
    const listUsersMetadata = vi.fn().mockResolvedValue({ count: 0, users: [] });
    const client = createFakeClient({ users: { getUserDetails, listUsersMetadata } });
    await expect(client.users.getUserDetails("alice", { task_ids: [] })).rejects.toThrow(InvalidRequestError);
    await expect(client.users.listUsersMetadata({ task_ids: ["t1"], page_size: 0 })).rejects.toThrow(/page_size/);
    await expect(client.users.getUserDetails("alice", { task_ids: ["t1"] }, { timeoutMs: 5 } as never)).rejects.toThrow(
      "did you mean `timeout`?",
    );
    expect(getUserDetails).not.toHaveBeenCalled();
    expect(listUsersMetadata).not.toHaveBeenCalled();
  });

  it("lets fakes throw the errors the client throws", async () => {
    const client = createFakeClient({
      users: {
        getUserDetails: (userId) => {
          throw fakeAPIError({ status: 404, body: { detail: `User ${userId} not found or has no data` } });
        },
        listUsersMetadata: async () => {
          throw fakeAPIError({
            status: 422,
            body: { detail: [{ loc: ["query", "page_size"], msg: "too big", type: "x" }] },
            headers: { "x-request-id": "req-1" },
            path: "/api/v1/traces/users",
          });
        },
      },
    });
    const notFound = await client.users.getUserDetails("zoe", { task_ids: ["t1"] }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    // The fake client's own method and path, as a real 404 would read.
    expect((notFound as NotFoundError).message).toBe(
      "GET /api/v1/traces/users/zoe failed with 404 Not Found: User zoe not found or has no data",
    );
    const invalid = await client.users.listUsersMetadata({ task_ids: ["t1"] }).then(
      () => undefined,
      (e: unknown) => e as UnprocessableEntityError,
    );
    expect(invalid).toBeInstanceOf(UnprocessableEntityError);
    expect(invalid?.detail[0]?.msg).toBe("too big");
    expect(invalid?.requestId).toBe("req-1");
    expect(invalid?.message).toBe(
      "GET /api/v1/traces/users failed with 422 Unprocessable Content: query.page_size: too big (request id req-1)",
    );
    expect(fakeAPIError({ status: 401 }).message).toBe("GET / failed with 401: fake 401 response");
    const down = new APIConnectionError("down");
    const other = new RangeError("a bug in the fake");
    const failing = createFakeClient({
      users: {
        getUserDetails: (userId) => {
          throw userId === "down" ? down : other;
        },
      },
    });
    expect(await failing.users.getUserDetails("down", { task_ids: ["t"] }).catch((e: unknown) => e)).toBe(down);
    const wrapped = await failing.users.getUserDetails("bug", { task_ids: ["t"] }).catch((e: unknown) => e);
    expect(wrapped).toBeInstanceOf(APIConnectionError);
    expect((wrapped as APIConnectionError).cause).toBe(other);
  });

  it("rejects calls to methods without a fake, saying how to fake them", async () => {
    const client = createFakeClient();
    await expect(client.users.getUserDetails("a", { task_ids: ["t"] })).rejects.toThrow(
      "users.getUserDetails is not faked: pass createFakeClient({ users: { getUserDetails: (...args) => result } }).",
    );
    await expect(async () => {
      for await (const _ of client.users.listUsersMetadata({ task_ids: ["t"] })) break;
    }).rejects.toThrow("users.listUsersMetadata is not faked");
    await expect(client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["t"] } } })).rejects.toThrow(
      "the fake client answers only its resource methods (client.users.*); to fake client.raw, create a client with a `fetch`",
    );
  });

  it("rejects fakes for resources or methods the client does not have", () => {
    expect(() => createFakeClient({ accounts: {} } as never)).toThrow(
      "createFakeClient: unknown resource `accounts`; the client has `users`.",
    );
    expect(() => createFakeClient({ users: { listUsers: () => undefined } } as never)).toThrow(
      "createFakeClient: `users` has no method `listUsers`; it has `getUserDetails`, `listUsersMetadata`.",
    );
    expect(() => createFakeClient({ users: { getUserDetails: alice } } as never)).toThrow(
      "createFakeClient: the fake of users.getUserDetails must be a function, got object.",
    );
  });
});

describe("the rest of the real client on a fake", () => {
  it("offers withResponse, runs middleware, and stays quiet", async () => {
    const client = createFakeClient({
      users: {
        getUserDetails: () => alice,
        listUsersMetadata: () => ({ count: 1, users: [bob] }),
      },
    });
    const seen: string[] = [];
    client.use({ onRequest: ({ request }) => void seen.push(`${request.method} ${new URL(request.url).pathname}`) });
    const { data, response, requestId } = await client.users
      .getUserDetails("alice", { task_ids: ["t1"] })
      .withResponse();
    expect(data).toEqual(alice);
    expect(response.status).toBe(200);
    expect(requestId).toBeUndefined();
    const page = await client.users.listUsersMetadata({ task_ids: ["t1"] }).withResponse();
    expect(page.data.users).toEqual([bob]);
    expect(seen).toEqual(["GET /api/v1/traces/users/alice", "GET /api/v1/traces/users"]);
    const error = vi.spyOn(console, "error");
    await createFakeClient()
      .users.getUserDetails("a", { task_ids: ["t"] })
      .catch(() => undefined);
    expect(error).not.toHaveBeenCalled();
  });

  it("gives fakePage a withResponse too", async () => {
    const { data, response } = await fakePage({ count: 1, users: [alice] }).withResponse();
    expect(data.users).toEqual([alice]);
    expect(await response.json()).toEqual({ count: 1, users: [alice] });
  });
});

describe("a fake that never answers", () => {
  it("is abandoned on the call's signal or timeout, as a real server's answer would be", async () => {
    const client = createFakeClient({ users: { getUserDetails: () => new Promise<never>(() => undefined) } });
    const aborted = await client.users
      .getUserDetails("u", { task_ids: ["t"] }, { signal: AbortSignal.timeout(50) })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(APIUserAbortError);
    const timedOut = await client.users
      .getUserDetails("u", { task_ids: ["t"] }, { timeout: 50 })
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe("fakePage with a spy on a real client", () => {
  it("works with await and for await, and nothing reaches the server", async () => {
    server = await startServer((_req, res) => json(res, 500, { detail: "should not be called" }));
    const client = createTracesClient({ baseUrl: server.url, maxRetries: 0 });
    const spy = vi
      .spyOn(client.users, "listUsersMetadata")
      .mockReturnValue(fakePage({ count: 3, users: [alice, bob] }, { count: 3, users: [carol] }));
    expect(await userIds(client)).toEqual(["alice", "bob", "carol"]);
    expect((await client.users.listUsersMetadata({ task_ids: ["t1"] })).count).toBe(3);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(server.requests).toEqual([]);
  });

  it("stops at the pages' total (count), as the real client does", async () => {
    const seen: unknown[] = [];
    for await (const item of fakePage(
      { count: 2, users: [alice] },
      { count: 2, users: [bob] },
      { count: 2, users: [carol] },
    ))
      seen.push(item);
    expect(seen).toEqual([alice, bob]);
  });

  it("picks the items field, and says so when it cannot", () => {
    expect(() => fakePage({ count: 0 } as never)).toThrow("fakePage: cannot tell which field holds the items");
    expect(() => fakePage({ a: [], b: [] } as never)).toThrow("array fields: a, b");
    // Two arrays, one of them a known items field.
    return expect(
      (async () => {
        const seen: unknown[] = [];
        for await (const item of fakePage({ users: [alice], tags: ["x"] })) seen.push(item);
        return seen;
      })(),
    ).resolves.toEqual([alice]);
  });

  it("documents why mockResolvedValue alone does not do for a paginated method", async () => {
    const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
    vi.spyOn(client.users, "listUsersMetadata").mockResolvedValue({ count: 1, users: [alice] });
    expect((await client.users.listUsersMetadata({ task_ids: ["t1"] })).count).toBe(1);
    // A plain promise is not async-iterable; the README points to fakePage / createFakeClient.
    await expect(userIds(client)).rejects.toThrow(TypeError);
  });
});
