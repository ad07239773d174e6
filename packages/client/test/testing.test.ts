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
import { createFakeClient, fakeAPIError, fakePage, fakeResult } from "../src/testing.js";
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

  it("says so when a fake returns nothing for an operation that answers JSON, and refuses success statuses in fakeAPIError", async () => {
    const client = createFakeClient({
      users: {
        getUserDetails: vi.fn(),
        listUsersMetadata: () => {
          throw fakeAPIError({ status: 401 });
        },
      },
    });
    await expect(client.users.getUserDetails("u", { task_ids: ["t"] })).rejects.toThrow(
      "The fake of users.getUserDetails returned undefined, but GET /api/v1/traces/users/{user_id} answers a JSON body: return the body, or fakeResult(undefined, { status: 204 }) for an empty answer.",
    );
    // A faked 401 reads as a production client's would (which has a key), not as a missing key.
    await expect(client.users.listUsersMetadata({ task_ids: ["t"] })).rejects.toThrow(
      /^GET \/api\/v1\/traces\/users failed with 401 Unauthorized: fake 401 response$/,
    );
    for (const status of [200, 204, 302, 99, 600, 404.5]) {
      expect(() => fakeAPIError({ status }), String(status)).toThrow(
        /^fakeAPIError: `status` must be an error status from 400 to 599/,
      );
    }
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

  it("sends the caller's headers in every form the client takes, to middleware as from a real client", async () => {
    const client = createFakeClient({
      users: { getUserDetails: () => alice, listUsersMetadata: () => ({ count: 1, users: [bob] }) },
    });
    const seen: (string | null)[] = [];
    client.use({ onRequest: ({ request }) => void seen.push(request.headers.get("x-job")) });
    for (const headers of [{ "x-job": "a" }, new Headers({ "x-job": "b" }), [["x-job", "c"]] as [string, string][]]) {
      expect(await client.users.getUserDetails("alice", { task_ids: ["t1"] }, { headers })).toEqual(alice);
      expect((await client.users.listUsersMetadata({ task_ids: ["t1"] }, { headers })).users).toEqual([bob]);
    }
    expect(seen).toEqual(["a", "a", "b", "b", "c", "c"]);
    // Options the client refuses are refused by name, as on a real client, before any fake runs.
    await expect(
      client.users.getUserDetails("alice", { task_ids: ["t1"] }, { headers: "x-job: d" } as never),
    ).rejects.toThrow(InvalidRequestError);
    await expect(client.users.getUserDetails("alice", { task_ids: ["t1"] }, "fast" as never)).rejects.toThrow(
      /expected an options object/,
    );
  });

  it("gives fakePage a withResponse too, its body read as on a real call", async () => {
    const { data, response, requestId } = await fakePage({ count: 1, users: [alice] }).withResponse();
    expect(data.users).toEqual([alice]);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.bodyUsed).toBe(true);
    expect(requestId).toBeUndefined();
  });
});

describe("fakePage: the same pages through a spy and through createFakeClient", () => {
  type Query = { task_ids: string[]; page_size?: number; page?: number };
  const dave = { user_id: "dave", task_id: "t1" } as TraceUserMetadataResponse;

  /** The user ids `for await` yields with the pages `make()` gives, by both documented ways. */
  async function bothWays(make: () => ReturnType<typeof fakePage<TraceUserListResponse>>, query: Query) {
    server = await startServer((_req, res) => json(res, 500, { detail: "should not be called" }));
    const ids = async (client: TracesClient) => {
      const out: string[] = [];
      for await (const u of client.users.listUsersMetadata(query)) out.push(u.user_id);
      return out;
    };
    const real = createTracesClient({ baseUrl: server.url, maxRetries: 0 });
    vi.spyOn(real.users, "listUsersMetadata").mockReturnValue(make());
    const spied = await ids(real);
    const faked = await ids(createFakeClient({ users: { listUsersMetadata: () => make() } }));
    expect(server.requests).toEqual([]);
    return { spied, faked };
  }

  it("yields every page as given, up to count, whatever the page_size", async () => {
    const pages = () => fakePage({ count: 3, users: [alice, bob] }, { count: 3, users: [carol] });
    for (const page_size of [100, 2, 1, undefined]) {
      for (const page of [undefined, 0, 5]) {
        const query = {
          task_ids: ["t1"],
          ...(page_size === undefined ? {} : { page_size }),
          ...(page === undefined ? {} : { page }),
        };
        expect(await bothWays(pages, query), JSON.stringify(query)).toEqual({
          spied: ["alice", "bob", "carol"],
          faked: ["alice", "bob", "carol"],
        });
        await server?.close();
      }
    }
  });

  it("stops at count, at the last page given, and at an empty page, alike both ways", async () => {
    const query = { task_ids: ["t1"], page_size: 100 };
    const cases: [() => ReturnType<typeof fakePage<TraceUserListResponse>>, string[]][] = [
      // count reached within the pages
      [
        () => fakePage({ count: 2, users: [alice] }, { count: 2, users: [bob] }, { count: 2, users: [carol] }),
        ["alice", "bob"],
      ],
      // count overstated: the pages run out
      [() => fakePage({ count: 9, users: [alice] }, { count: 9, users: [bob, carol] }), ["alice", "bob", "carol"]],
      // an empty page in between ends the listing, as on a real server
      [() => fakePage({ count: 9, users: [alice] }, { count: 9, users: [] }, { count: 9, users: [dave] }), ["alice"]],
      // pages without a total (as an API without one sends them): short pages are not the end
      [
        () => fakePage({ users: [alice] } as TraceUserListResponse, { users: [bob, carol] } as TraceUserListResponse),
        ["alice", "bob", "carol"],
      ],
    ];
    for (const [pages, expected] of cases) {
      expect(await bothWays(pages, query)).toEqual({ spied: expected, faked: expected });
      await server?.close();
    }
  });

  it("answers page N of the call with the N-th page, from the page the caller asked for", async () => {
    // Pages 1 and 2 of a listing of 7 in pages of 2: what follows page 0.
    const listUsersMetadata = vi.fn(() => fakePage({ count: 7, users: [alice, bob] }, { count: 7, users: [carol] }));
    const client = createFakeClient({ users: { listUsersMetadata } });
    const query = { task_ids: ["t1"], page: 1, page_size: 2 };
    const { data, response } = await client.users.listUsersMetadata(query).withResponse();
    expect(data.users).toEqual([alice, bob]);
    expect(response.headers.get("link")).toBe(
      '<https://fake.invalid/api/v1/traces/users?task_ids=t1&page_size=2&page=2>; rel="next"',
    );
    const ids: string[] = [];
    for await (const u of client.users.listUsersMetadata(query)) ids.push(u.user_id);
    expect(ids).toEqual(["alice", "bob", "carol"]);
  });

  it("keeps every page when an async fake returns it, and only then", async () => {
    const first = { count: 3, users: [alice, bob] };
    fakePage(first, { count: 3, users: [carol] });
    // The first page of another fakePage, returned as a plain page for every page number while its
    // count says 3 rows: as with a server that ignores `page`, the repeat is reported, not read twice.
    await expect(userIds(createFakeClient({ users: { listUsersMetadata: async () => first } }))).rejects.toThrow(
      "GET /api/v1/traces/users answered page 1 with the rows of page 0, after 2 of 3 rows",
    );
    const client = createFakeClient({
      users: {
        listUsersMetadata: async () => fakePage({ count: 3, users: [alice, bob] }, { count: 3, users: [carol] }),
      },
    });
    expect(await userIds(client)).toEqual(["alice", "bob", "carol"]);
  });
});

describe("fakes see the arguments as they were at the call", () => {
  it("on every page, whatever the caller changes inside its loop", async () => {
    const listUsersMetadata = vi.fn((query: { task_ids: string[]; page?: number }) =>
      query.page === undefined ? { count: 3, users: [alice, bob] } : { count: 3, users: [carol] },
    );
    const client = createFakeClient({ users: { listUsersMetadata } });
    const taskIds = ["t1"];
    const start = new Date("2026-03-01T00:00:00Z");
    let n = 0;
    for await (const _ of client.users.listUsersMetadata({ task_ids: taskIds, start_time: start, page_size: 2 })) {
      if (++n === 1) {
        taskIds[0] = "t2";
        start.setUTCFullYear(2020);
      }
    }
    expect(n).toBe(3);
    expect(listUsersMetadata.mock.calls.map(([query]) => query)).toEqual([
      { task_ids: ["t1"], start_time: new Date("2026-03-01T00:00:00Z"), page_size: 2 },
      { task_ids: ["t1"], start_time: new Date("2026-03-01T00:00:00Z"), page_size: 2, page: 1 },
    ]);
  });
});

describe("fakeResult", () => {
  it("makes a spied method's withResponse() work, with the request id, status and headers given", async () => {
    server = await startServer((_req, res) => json(res, 500, { detail: "should not be called" }));
    const client = createTracesClient({ baseUrl: server.url, maxRetries: 0 });
    const spy = vi
      .spyOn(client.users, "getUserDetails")
      .mockReturnValue(fakeResult(alice, { requestId: "req-1", headers: { "x-trace": "on" } }));
    const { data, response, requestId } = await client.users
      .getUserDetails("alice", { task_ids: ["t1"] })
      .withResponse();
    expect(data).toEqual(alice);
    expect(requestId).toBe("req-1");
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(response.headers.get("x-trace")).toBe("on");
    expect(response.headers.get("content-type")).toBe("application/json");
    // As on a real call, the body has been read already.
    expect(response.bodyUsed).toBe(true);
    expect(await client.users.getUserDetails("alice", { task_ids: ["t1"] })).toBe(alice);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(server.requests).toEqual([]);
  });

  it("is a native promise with withResponse(), by default a 200 without a request id, or a 204 for undefined", async () => {
    const result = fakeResult(alice);
    expect(Object.getPrototypeOf(result)).toBe(Promise.prototype);
    const plain = await result.withResponse();
    expect([plain.response.status, plain.requestId]).toEqual([200, undefined]);
    const created = await fakeResult(alice, { status: 201, headers: { "x-request-id": "from-header" } }).withResponse();
    expect([created.response.status, created.requestId]).toEqual([201, "from-header"]);
    const empty = await fakeResult(undefined).withResponse();
    expect([empty.data, empty.response.status, empty.response.headers.has("content-type")]).toEqual([
      undefined,
      204,
      false,
    ]);
    const later = await fakeResult(Promise.resolve(bob), { requestId: "r" }).withResponse();
    expect([later.data, later.requestId]).toEqual([bob, "r"]);
  });

  it("rejects with the given error, from await and withResponse alike, and never as an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const notFound = fakeAPIError({ status: 404, requestId: "req-9" });
      const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
      vi.spyOn(client.users, "getUserDetails").mockReturnValue(fakeResult(Promise.reject(notFound)));
      // Made, then left alone for a while, as a spy's return value may be.
      fakeResult(Promise.reject(new Error("never read")));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(client.users.getUserDetails("zoe", { task_ids: ["t1"] }).withResponse()).rejects.toBe(notFound);
      await expect(client.users.getUserDetails("zoe", { task_ids: ["t1"] })).rejects.toBeInstanceOf(NotFoundError);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("refuses unknown option names, non-success statuses and a body with 204", async () => {
    expect(() => fakeResult(alice, { requestID: "x" } as never)).toThrow(
      new TypeError(
        "fakeResult: unknown option `requestID`; did you mean `requestId`? Valid options: `status`, `headers`, `requestId`.",
      ),
    );
    expect(() => fakeResult(alice, { header: {} } as never)).toThrow("did you mean `headers`?");
    expect(() => fakeResult(alice, "req-1" as never)).toThrow(
      'fakeResult: expected an object such as { requestId: "req-1" }, got req-1.',
    );
    for (const status of [404, 500, 199, 300, 200.5, Number.NaN]) {
      expect(() => fakeResult(alice, { status }), String(status)).toThrow(
        `fakeResult: status must be a success status from 200 to 299, got ${status}; for an error, throw fakeAPIError({ status })`,
      );
    }
    await expect(fakeResult(alice, { status: 204 })).rejects.toThrow(
      new RangeError("fakeResult: status 204 carries no body, so the value must be undefined."),
    );
    expect(() => fakeAPIError({ status: 404, requestID: "x" } as never)).toThrow(
      "fakeAPIError: unknown option `requestID`; did you mean `requestId`?",
    );
    expect(() => fakeAPIError({ status: 404, header: {} } as never)).toThrow("did you mean `headers`?");
  });

  it("lets a createFakeClient fake answer with a request id, headers and status", async () => {
    const client = createFakeClient({
      users: {
        getUserDetails: (userId) =>
          fakeResult({ ...alice, user_id: userId }, { requestId: `req-${userId}`, status: 203 }),
        listUsersMetadata: async () =>
          fakeResult({ count: 1, users: [bob] }, { headers: { "x-request-id": "page-1", "x-extra": "1" } }),
      },
    });
    const details = await client.users.getUserDetails("ann", { task_ids: ["t1"] }).withResponse();
    expect(details.data).toEqual({ ...alice, user_id: "ann" });
    expect([details.requestId, details.response.status]).toEqual(["req-ann", 203]);
    const page = await client.users.listUsersMetadata({ task_ids: ["t1"] }).withResponse();
    expect([page.data.users, page.requestId, page.response.headers.get("x-extra")]).toEqual([[bob], "page-1", "1"]);
    expect(await userIds(client)).toEqual(["bob"]);
    // Concurrent calls whose async fake returns the same fixture keep their own answers.
    const shared = { ...alice };
    const concurrent = createFakeClient({
      users: {
        getUserDetails: async (userId) => {
          const result = fakeResult(shared, { requestId: `req-${userId}`, status: userId === "a" ? 200 : 203 });
          await new Promise((resolve) => setTimeout(resolve, userId === "a" ? 20 : 1));
          return result;
        },
      },
    });
    const both = await Promise.all(
      ["a", "b"].map((id) => concurrent.users.getUserDetails(id, { task_ids: ["t1"] }).withResponse()),
    );
    expect(both.map((r) => [r.requestId, r.response.status])).toEqual([
      ["req-a", 200],
      ["req-b", 203],
    ]);
    // Only the fakeResult the fake made answers its call: a value used by another one before does not.
    await fakeResult(bob, { requestId: "elsewhere", status: 202 }).withResponse();
    const plain = createFakeClient({
      users: { listUsersMetadata: async () => ({ count: 1, users: [bob] }), getUserDetails: async () => bob },
    });
    const other = await plain.users.getUserDetails("bob", { task_ids: ["t1"] }).withResponse();
    expect([other.requestId, other.response.status]).toEqual([undefined, 200]);
    // A rejected one is the fake throwing that error.
    const failing = createFakeClient({
      users: { getUserDetails: () => fakeResult(Promise.reject(fakeAPIError({ status: 404, requestId: "req-404" }))) },
    });
    const error = await failing.users.getUserDetails("zoe", { task_ids: ["t1"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).requestId).toBe("req-404");
  });
});

describe("methods taken off a resource", () => {
  it("still answer from the fakes, pages and fakePage included", async () => {
    const client = createFakeClient({
      users: {
        getUserDetails: () => fakeResult(alice, { requestId: "req-1" }),
        listUsersMetadata: () => fakePage({ count: 3, users: [alice, bob] }, { count: 3, users: [carol] }),
      },
    });
    const { getUserDetails, listUsersMetadata } = client.users;
    expect((await getUserDetails("alice", { task_ids: ["t1"] }).withResponse()).requestId).toBe("req-1");
    const ids: string[] = [];
    for await (const u of listUsersMetadata({ task_ids: ["t1"], page_size: 100 })) ids.push(u.user_id);
    expect(ids).toEqual(["alice", "bob", "carol"]);
  });

  it("are the spy when taken off after vi.spyOn", async () => {
    const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
    vi.spyOn(client.users, "listUsersMetadata").mockReturnValue(fakePage({ count: 1, users: [alice] }));
    vi.spyOn(client.users, "getUserDetails").mockReturnValue(fakeResult(bob));
    const { getUserDetails, listUsersMetadata } = client.users;
    const ids: string[] = [];
    for await (const u of listUsersMetadata({ task_ids: ["t1"] })) ids.push(u.user_id);
    expect(ids).toEqual(["alice"]);
    expect(await getUserDetails("bob", { task_ids: ["t1"] })).toBe(bob);
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
