import { describe, expect, it } from "vitest";
import { $users_listUsersMetadata } from "../src/generated/metadata.js";
import { APIError, createTracesClient, createTracesCore, type TraceUserMetadataResponse } from "../src/index.js";
import { paginate } from "../src/pagination.js";
import type { OperationMetadata } from "../src/runtime-types.js";
import { json, user, useServers } from "./server.js";

const serve = useServers();

/**
 * A server holding `total` users that pages like the engine (0-based `page`, default size 10).
 * `maxPageSize` caps the page size as some servers do; `withoutCount` leaves the total out, as an
 * API without one sends its pages; `nextLink` adds RFC 8288's `Link: rel="next"` while rows remain.
 */
function pagingServer(
  total: number,
  options: { reportedCount?: number; maxPageSize?: number; withoutCount?: boolean; nextLink?: boolean } = {},
) {
  return serve((req, res) => {
    const size = Math.min(Number(req.query.get("page_size") ?? 10), options.maxPageSize ?? Number.POSITIVE_INFINITY);
    const page = Number(req.query.get("page") ?? 0);
    const users = Array.from({ length: total }, (_, i) => user(`user-${i}`)).slice(page * size, page * size + size);
    const more = (page + 1) * size < total;
    json(
      res,
      200,
      options.withoutCount ? { users } : { count: options.reportedCount ?? total, users },
      options.nextLink && more ? { link: `<${req.path}?page=${page + 1}>; rel="next"` } : {},
    );
  });
}

/** The users list as an API without a total would describe it: the same pages, no `count`. */
const withoutTotal: OperationMetadata = {
  ...$users_listUsersMetadata,
  pagination: {
    ...($users_listUsersMetadata.pagination as NonNullable<OperationMetadata["pagination"]>),
    totalField: undefined,
  },
};

async function collect(iterable: AsyncIterable<TraceUserMetadataResponse>): Promise<string[]> {
  const ids: string[] = [];
  for await (const u of iterable) ids.push(u.user_id);
  return ids;
}

describe("a page without its items", () => {
  it("is an APIError naming the operation, not the end of the loop", async () => {
    for (const later of [{ count: 4 }, null, { count: 4, users: "none" }]) {
      const server = await serve((req, res) =>
        req.query.get("page") === "1"
          ? json(res, 200, later, { "x-request-id": "rid-7" })
          : json(res, 200, { count: 4, users: [user("a"), user("b")] }),
      );
      const client = createTracesClient({ baseUrl: server.url });
      const seen: string[] = [];
      const error = await (async () => {
        for await (const row of client.users.listUsersMetadata({ task_ids: ["t"], page_size: 2 }))
          seen.push(row.user_id);
      })().catch((e: unknown) => e);
      expect(seen).toEqual(["a", "b"]);
      expect(error).toBeInstanceOf(APIError);
      expect((error as Error).message).toMatch(
        /^GET \/api\/v1\/traces\/users answered 200 with (null|an object) without its `users` list, so the pages cannot be read$/,
      );
      expect((error as APIError).requestId).toBe("rid-7");
    }
  });
});

describe("pagination", () => {
  it("awaits one page", async () => {
    const server = await pagingServer(25);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const page = await client.users.listUsersMetadata({ task_ids: ["t"], page_size: 10, page: 1 });
    expect(page.count).toBe(25);
    expect(page.users.map((u) => u.user_id)).toEqual(Array.from({ length: 10 }, (_, i) => `user-${i + 10}`));
    expect(server.requests).toHaveLength(1);
  });

  it("sends the requested page once, at once, and lets iteration and withResponse reuse it", async () => {
    const server = await pagingServer(5);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const pending = client.users.listUsersMetadata({ task_ids: ["t"] });
    // A native promise, like every other method's result, so `await` takes the engine's fast path.
    expect(Object.getPrototypeOf(pending)).toBe(Promise.prototype);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
    expect((await pending).count).toBe(5);
    expect((await pending.withResponse()).data.count).toBe(5);
    expect(await collect(pending)).toHaveLength(5);
    expect(server.requests).toHaveLength(1);
  });

  it("iterates with the parameters as they were at the call, whatever the caller changes later", async () => {
    const server = await pagingServer(25);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const query: { task_ids: string[]; page_size: number; page?: number } = { task_ids: ["t"], page_size: 10 };
    const pages = client.users.listUsersMetadata(query);
    query.page_size = 5;
    query.page = 2;
    const ids = await collect(pages);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `user-${i}`));
    expect(server.requests.every((r) => r.query.get("page_size") === "10")).toBe(true);
  });

  it("iterates with arrays, Dates and headers as they were at the call, even when the caller changes them inside the loop", async () => {
    const server = await pagingServer(25);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const taskIds = ["t1", "t2"];
    const start = new Date("2026-03-01T00:00:00Z");
    const headers: Record<string, string> = { "x-job": "job-1" };
    let n = 0;
    for await (const _ of client.users.listUsersMetadata(
      { task_ids: taskIds, start_time: start, page_size: 10 },
      { headers },
    )) {
      if (++n === 1) {
        // The caller reuses its objects for the next job while the loop still runs.
        taskIds[0] = "other";
        taskIds.push("more");
        start.setUTCFullYear(2020);
        headers["x-job"] = "job-2";
      }
    }
    expect(n).toBe(25);
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) {
      expect(request.query.getAll("task_ids")).toEqual(["t1", "t2"]);
      expect(request.query.get("start_time")).toBe("2026-03-01T00:00:00.000+00:00");
      expect(request.headers["x-job"]).toBe("job-1");
    }
  });

  it("keeps headers given as a Headers or as pairs as they were at the call", async () => {
    const server = await pagingServer(15);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const forms = [
      () => {
        const headers = new Headers({ "x-job": "job-1" });
        return { headers, change: () => headers.set("x-job", "job-2") };
      },
      () => {
        const headers: [string, string][] = [["x-job", "job-1"]];
        return { headers, change: () => (headers[0] = ["x-job", "job-2"]) };
      },
    ];
    for (const form of forms) {
      const { headers, change } = form();
      let n = 0;
      for await (const _ of client.users.listUsersMetadata({ task_ids: ["t"], page_size: 10 }, { headers })) {
        if (++n === 1) change();
      }
      expect(n).toBe(15);
    }
    expect(server.requests.map((r) => r.headers["x-job"])).toEqual(["job-1", "job-1", "job-1", "job-1"]);
  });

  it("may be iterated after other awaits: a failed first page is no unhandled rejection, and reaches the loop", async () => {
    const server = await serve((_req, res) => json(res, 500, { detail: "boom" }));
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k", maxRetries: 0 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const pages = client.users.listUsersMetadata({ task_ids: ["t"] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const error = await collect(pages).catch((e: unknown) => e);
      expect((error as Error).name).toBe("InternalServerError");
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("iterates every item of every page and stops at count", async () => {
    const server = await pagingServer(25);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(client.users.listUsersMetadata({ task_ids: ["t"], page_size: 10 }));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `user-${i}`));
    expect(server.requests.map((r) => r.query.get("page"))).toEqual([null, "1", "2"]);
    expect(server.requests.every((r) => r.query.get("page_size") === "10")).toBe(true);
  });

  it("stops at count without asking for an empty page when pages are full", async () => {
    const server = await pagingServer(20);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(client.users.listUsersMetadata({ task_ids: ["t"], page_size: 10 }));
    expect(ids).toHaveLength(20);
    expect(server.requests).toHaveLength(2);
  });

  it("keeps going past a short page while count says rows remain (a server that caps the page size)", async () => {
    const server = await pagingServer(25, { maxPageSize: 4 });
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(client.users.listUsersMetadata({ task_ids: ["t"], page_size: 10 }));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `user-${i}`));
    expect(server.requests.map((r) => r.query.get("page"))).toEqual([null, "1", "2", "3", "4", "5", "6"]);
  });

  it("asks once more after a short page when count overstates, and stops at the empty page", async () => {
    const server = await pagingServer(13, { reportedCount: 1000 });
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(client.users.listUsersMetadata({ task_ids: ["t"] }));
    expect(ids).toHaveLength(13);
    expect(server.requests.map((r) => r.query.get("page"))).toEqual([null, "1", "2"]);
  });

  it("follows a next page the server names (Link rel=next, RFC 8288) even past a count that understates", async () => {
    // As servers that cap what they count do: count says 5, the listing holds 13.
    const server = await pagingServer(13, { reportedCount: 5, nextLink: true });
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(client.users.listUsersMetadata({ task_ids: ["t"], page_size: 4 }));
    expect(ids).toEqual(Array.from({ length: 13 }, (_, i) => `user-${i}`));
    expect(server.requests.map((r) => r.query.get("page"))).toEqual([null, "1", "2", "3"]);
  });

  it("without a total, ends at a page shorter than the page size (the spec's default when none is passed)", async () => {
    const server = await pagingServer(13, { withoutCount: true });
    const core = createTracesCore({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(paginate(core, withoutTotal, {}, { task_ids: ["t"] }, undefined, undefined));
    expect(ids).toHaveLength(13);
    expect(server.requests).toHaveLength(2);
    const sized = await collect(
      paginate(core, withoutTotal, {}, { task_ids: ["t"], page_size: 5 }, undefined, undefined),
    );
    expect(sized).toHaveLength(13);
    expect(server.requests).toHaveLength(5);
  });

  it("goes by the total when a Link rel=next names no next page number (a cursor, or a page behind)", async () => {
    for (const link of ['</api/v1/traces/users?cursor=abc>; rel="next"', '</api/v1/traces/users?page=0>; rel="next"']) {
      const server = await serve((req, res) => {
        const page = Number(req.query.get("page") ?? 0);
        const users = [user(`user-${2 * page}`), user(`user-${2 * page + 1}`)].slice(0, page < 2 ? 2 : 1);
        json(res, 200, { count: 5, users }, { link });
      });
      const client = createTracesClient({ baseUrl: server.url });
      expect(await collect(client.users.listUsersMetadata({ task_ids: ["t"], page_size: 2 })), link).toEqual([
        "user-0",
        "user-1",
        "user-2",
        "user-3",
        "user-4",
      ]);
      expect(server.requests).toHaveLength(3);
    }
  });

  it("without a total, follows a short page the server says has a next one (Link rel=next, RFC 8288)", async () => {
    const server = await pagingServer(13, { withoutCount: true, maxPageSize: 4, nextLink: true });
    const core = createTracesCore({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(
      paginate(core, withoutTotal, {}, { task_ids: ["t"], page_size: 10 }, undefined, undefined),
    );
    expect(ids).toEqual(Array.from({ length: 13 }, (_, i) => `user-${i}`));
    // Pages 0..2 name a next page; page 3 (one user) does not, and nothing more is asked.
    expect(server.requests.map((r) => r.query.get("page"))).toEqual([null, "1", "2", "3"]);
  });

  it("stops at an empty page when count overstates", async () => {
    const server = await pagingServer(20, { reportedCount: 1000 });
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(client.users.listUsersMetadata({ task_ids: ["t"], page_size: 10 }));
    expect(ids).toHaveLength(20);
    expect(server.requests).toHaveLength(3);
  });

  it("starts from the requested page and counts the pages before it", async () => {
    const server = await pagingServer(25);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids = await collect(client.users.listUsersMetadata({ task_ids: ["t"], page_size: 10, page: 1 }));
    expect(ids).toEqual(Array.from({ length: 15 }, (_, i) => `user-${i + 10}`));
    expect(server.requests).toHaveLength(2);
  });

  it("never loops forever on a server that ignores the page number or cycles, and says so", async () => {
    const a = [user("a"), user("b")];
    const b = [user("c"), user("d")];
    for (const [pages, read, repeated, of] of [
      [[a], ["a", "b"], "page 1 with the rows of page 0", 2],
      [[a, b], ["a", "b", "c", "d"], "page 2 with the rows of page 0", 3],
      [[a, b, b], ["a", "b", "c", "d"], "page 2 with the rows of page 1", 3],
    ] as const) {
      const server = await serve((req, res) =>
        json(res, 200, { count: 1_000_000, users: pages[Number(req.query.get("page") ?? 0) % pages.length] }),
      );
      const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
      const ids: string[] = [];
      const error = await (async () => {
        for await (const row of client.users.listUsersMetadata({ task_ids: ["t"], page_size: 2 }))
          ids.push(row.user_id);
      })().catch((e: unknown) => e);
      expect(ids).toEqual(read);
      expect(error).toBeInstanceOf(APIError);
      expect((error as Error).message).toBe(
        `GET /api/v1/traces/users answered ${repeated}, after ${read.length} of 1000000 rows: the server ignores \`page\` or pages inconsistently, so the rest cannot be read`,
      );
      expect(server.requests).toHaveLength(of);
    }
    // Without a total, a repeated page is where the rows end.
    const server = await serve((_req, res) => json(res, 200, { users: [user("a"), user("b")] }));
    const pagination = { ...$users_listUsersMetadata.pagination, totalField: undefined };
    const op = { ...$users_listUsersMetadata, pagination } as OperationMetadata;
    const core = createTracesCore({ baseUrl: server.url });
    expect(await collect(paginate(core, op, {}, { task_ids: ["t"], page_size: 2 }, undefined, undefined))).toEqual([
      "a",
      "b",
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it("reuses the awaited first page when iterating afterwards", async () => {
    const server = await pagingServer(3);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const pages = client.users.listUsersMetadata({ task_ids: ["t"], page_size: 2 });
    const first = await pages;
    expect(first.users).toHaveLength(2);
    expect(await collect(pages)).toEqual(["user-0", "user-1", "user-2"]);
    expect(server.requests).toHaveLength(2);
  });

  it("stops fetching when the loop breaks early", async () => {
    const server = await pagingServer(100);
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids: string[] = [];
    for await (const u of client.users.listUsersMetadata({ task_ids: ["t"], page_size: 10 })) {
      ids.push(u.user_id);
      if (ids.length === 15) break;
    }
    expect(ids).toHaveLength(15);
    expect(server.requests).toHaveLength(2);
  });

  it("throws the page's error from the loop", async () => {
    const server = await serve((req, res) =>
      req.query.get("page") === "1"
        ? json(res, 400, { detail: "Invalid page" })
        : json(res, 200, { count: 4, users: [user("a"), user("b")] }),
    );
    const client = createTracesClient({ baseUrl: server.url, apiKey: "k" });
    const ids: string[] = [];
    await expect(async () => {
      for await (const u of client.users.listUsersMetadata({ task_ids: ["t"], page_size: 2 })) ids.push(u.user_id);
    }).rejects.toThrow(/Invalid page/);
    expect(ids).toEqual(["a", "b"]);
  });
});
