/**
 * The client against the simulated engine (test/engine.ts), which answers as a real engine 2.1.686
 * does; every response the engine sends in these tests is checked against spec/openapi.yaml.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  createTracesClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  parseLocalDateTime,
} from "../src/index.js";
import { ENGINE_KEYS, TASK_A, TASK_B, useEngine } from "./engine.js";
import { startServer } from "./server.js";
import { SpecConformance } from "./spec-conformance.js";

const engine = useEngine();
const conformance = new SpecConformance();

/** A client of the engine at `url`; `apiKey: null` sends no key. */
const clientFor = (url: string, apiKey: string | null = ENGINE_KEYS.read) =>
  createTracesClient({ baseUrl: url, ...(apiKey === null ? {} : { apiKey }), maxRetries: 0 });
const failure = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    (value) => {
      throw new Error(`expected the call to fail, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e as Error,
  );
const ids = (users: Array<{ user_id: string; task_id: string }>) => users.map((u) => `${u.user_id}@${u.task_id}`);

describe("spec/openapi.yaml under a strict JSON Schema 2020-12 validator", () => {
  it("is strict: formats are checked, null fields and undeclared statuses are refused", () => {
    const date = conformance.validator("date-time", { type: "string", format: "date-time" });
    expect(date("2026-03-01T06:00:00Z")).toBe(true);
    expect(date("2026-03-01T06:00:00")).toBe(false);
    const row = {
      user_id: "u",
      task_id: "t",
      session_ids: [],
      session_count: 0,
      trace_ids: [],
      trace_count: 0,
      span_count: 0,
      earliest_start_time: "2026-03-01T06:00:00",
      latest_end_time: "2026-03-01T06:00:00",
    };
    const check = (status: number, body: unknown) =>
      conformance.check({
        method: "GET",
        path: "/api/v1/traces/users/u",
        status,
        contentType: "application/json",
        body,
      });
    expect(check(200, row)).toEqual([]);
    expect(check(200, { ...row, total_token_count: null }).join()).toContain("total_token_count");
    expect(check(200, { ...row, earliest_start_time: "2026-03-01T06:00:00Z" }).join()).toContain("pattern");
    expect(check(422, { detail: [] }).join()).toContain("not documented");
    expect(check(400, { detail: [{ loc: ["query"], msg: "x", type: "y" }] }).join()).toContain("must be string");
  });

  it("accepts every example the spec itself gives", () => {
    const examples = conformance.examples();
    expect(examples.length).toBeGreaterThanOrEqual(12);
    for (const { where, schema, value } of examples) {
      const validate = conformance.validator(`example ${where}`, schema);
      expect(validate(value) ? [] : validate.errors, where).toEqual([]);
    }
  });

  it("accepts the bodies a real engine 2.1.686 sent", () => {
    const fixture = JSON.parse(
      readFileSync(join(import.meta.dirname, "fixtures/engine-2.1.686-responses.json"), "utf8"),
    );
    const responses: Array<{ case: string; method: string; path: string; status: number; body: unknown }> =
      fixture.responses;
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200, 400, 401, 403, 404, 500]));
    for (const r of responses) {
      expect(conformance.check({ ...r, contentType: "application/json" }), r.case).toEqual([]);
    }
  });
});

describe("the simulated engine, driven through a matrix of requests", () => {
  it("sends only responses the spec documents, with bodies that validate", async () => {
    const server = await engine();
    const list = "/api/v1/traces/users";
    const queries = [
      "",
      `task_ids=${TASK_A}`,
      `task_ids=${TASK_A}&task_ids=${TASK_B}`,
      "task_ids=",
      "task_ids=unknown",
      `task_ids=${TASK_A}&sort=asc&page_size=2&page=1`,
      `task_ids=${TASK_A}&sort=bogus`,
      `task_ids=${TASK_A}&page_size=abc`,
      `task_ids=${TASK_A}&page_size=0`,
      `task_ids=${TASK_A}&page_size=5000`,
      `task_ids=${TASK_A}&page_size=5001`,
      `task_ids=${TASK_A}&page=-1`,
      `task_ids=${TASK_A}&start_time=yesterday`,
      `task_ids=${TASK_A}&start_time=2026-02-30T00:00:00`,
      `task_ids=${TASK_A}&start_time=2026-03-01T06:00:00&end_time=2026-03-01T09:00:00`,
      `task_ids=${TASK_A}&start_time=2026-03-01T07:00:00%2B01:00&end_time=2026-03-01`,
    ];
    const paths = [list, `${list}/alice`, `${list}/nobody`, `${list}/team%2Fcarol`, `${list}/dave`, `${list}/erin`];
    const keys = [undefined, ENGINE_KEYS.read, ENGINE_KEYS.noRead, "sk-wrong"];
    for (const path of paths) {
      for (const query of path === list
        ? queries
        : ["", `task_ids=${TASK_A}`, `task_ids=${TASK_A}&task_ids=${TASK_B}`]) {
        for (const key of keys) {
          await fetch(`${server.url}${path}${query ? `?${query}` : ""}`, {
            headers: key ? { authorization: `Bearer ${key}` } : {},
          });
        }
      }
    }
    const statuses = new Set(server.responses.map((r) => r.status));
    expect(statuses).toEqual(new Set([200, 400, 401, 403, 404, 500]));
    expect(server.responses.length).toBe(16 * 4 + 5 * 3 * 4);
    // Checked once more by useEngine() after the test; here with the response count, to be explicit.
    const problems = server.responses.flatMap((r) => conformance.check(r));
    expect(problems).toEqual([]);
  });
});

describe("the spec's details schema", () => {
  const details = {
    user_id: "alice",
    task_id: TASK_A,
    session_ids: ["s-a"],
    session_count: 1,
    trace_ids: ["tr-a1"],
    trace_count: 1,
    span_count: 3,
    earliest_start_time: "2026-03-01T06:00:00",
    latest_end_time: "2026-03-01T06:10:00",
  };
  const check = (path: string, body: unknown) =>
    conformance.check({ method: "GET", path, status: 200, contentType: "application/json", body });

  it("accepts the real details body and refuses one carrying the list's token or cost fields", () => {
    expect(check("/api/v1/traces/users/alice", details)).toEqual([]);
    for (const field of ["prompt_token_count", "total_token_count", "total_token_cost", "display_currency"]) {
      expect(check("/api/v1/traces/users/alice", { ...details, [field]: 1 }), field).not.toEqual([]);
    }
    // The same fields are fine on a list row.
    expect(check("/api/v1/traces/users", { count: 1, users: [{ ...details, total_token_cost: 0.5 }] })).toEqual([]);
  });
});

describe("the client against the simulated engine", () => {
  it("counts (user, task) pairs: a user in two tasks appears and counts twice", async () => {
    const server = await engine();
    const client = clientFor(server.url);
    const both = await client.users.listUsersMetadata({ task_ids: [TASK_A, TASK_B], page_size: 100 });
    expect(
      ids(both.users)
        .filter((id) => id.startsWith("alice@"))
        .sort(),
    ).toEqual([`alice@${TASK_A}`, `alice@${TASK_B}`]);
    expect(both.count).toBe(both.users.length);
    const all: string[] = [];
    for await (const user of client.users.listUsersMetadata({ task_ids: [TASK_A, TASK_B], page_size: 2 })) {
      all.push(`${user.user_id}@${user.task_id}`);
    }
    expect(all.sort()).toEqual(ids(both.users).sort());
  });

  it("sorts by earliest start only, newest first by default", async () => {
    const server = await engine();
    const client = clientFor(server.url);
    const desc = await client.users.listUsersMetadata({ task_ids: [TASK_A, TASK_B], page_size: 100 });
    const starts = desc.users.map((u) => u.earliest_start_time);
    expect(starts).toEqual([...starts].sort().reverse());
    const asc = await client.users.listUsersMetadata({ task_ids: [TASK_A, TASK_B], page_size: 100, sort: "asc" });
    expect(asc.users.map((u) => u.earliest_start_time)).toEqual([...starts].sort());
  });

  it("treats end_time as inclusive and compares it with each trace's end", async () => {
    const server = await engine();
    const client = clientFor(server.url);
    const users = async (query: { start_time?: string | Date; end_time?: string | Date }) =>
      (await client.users.listUsersMetadata({ task_ids: [TASK_A], page_size: 100, ...query })).users.map(
        (u) => u.user_id,
      );
    // bob's trace runs 08:00 to 09:00 (UTC); alice's traces 06:00-06:10 and 07:00-07:30:00.25.
    expect(await users({ end_time: "2026-03-01T09:00:00Z" })).toContain("bob");
    expect(await users({ end_time: "2026-03-01T08:59:59Z" })).not.toContain("bob");
    // Ends after end_time: excluded although it started before it.
    expect(await users({ end_time: "2026-03-01T08:30:00Z" })).not.toContain("bob");
    // start_time is inclusive and compared with the trace's start.
    expect(await users({ start_time: "2026-03-01T08:00:00Z", end_time: "2026-03-01T09:00:00Z" })).toEqual(["bob"]);
    expect(await users({ start_time: "2026-03-01T08:00:01Z", end_time: "2026-03-01T09:00:00Z" })).toEqual([]);
    // Only alice's traces that lie inside the window are aggregated.
    const alice = await client.users.listUsersMetadata({
      task_ids: [TASK_A],
      start_time: "2026-03-01T06:00:00Z",
      end_time: "2026-03-01T06:10:00Z",
    });
    expect(alice.users.map((u) => [u.user_id, u.trace_ids, u.latest_end_time])).toEqual([
      ["alice", ["tr-a1"], "2026-03-01T06:10:00"],
    ]);
  });

  it("selects the intended instants for a Date sent from a non-UTC caller, and for offset-less engine time", async () => {
    const server = await engine();
    const client = clientFor(server.url);
    const previous = process.env.TZ;
    process.env.TZ = "Asia/Kolkata";
    try {
      const end = new Date(Date.UTC(2026, 2, 1, 9, 0, 0));
      const page = await client.users.listUsersMetadata({
        task_ids: [TASK_A],
        start_time: new Date(Date.UTC(2026, 2, 1, 8, 0, 0)),
        end_time: end,
      });
      expect(server.requests.at(-1)?.query.get("end_time")).toBe("2026-03-01T14:30:00.000+05:30");
      expect(page.users.map((u) => u.user_id)).toEqual(["bob"]);
      // An offset-less value is the engine's local time (UTC by default), not the caller's.
      const naive = await client.users.listUsersMetadata({
        task_ids: [TASK_A],
        start_time: "2026-03-01T08:00:00",
        end_time: "2026-03-01T09:00:00",
      });
      expect(naive.users.map((u) => u.user_id)).toEqual(["bob"]);
      // Response times carry no offset; parseLocalDateTime reads them in the engine's zone.
      const bob = page.users[0];
      expect(bob?.latest_end_time).toBe("2026-03-01T09:00:00");
      expect(parseLocalDateTime(bob?.latest_end_time ?? "").getTime()).toBe(end.getTime());
      // The pitfall the helper avoids: Date.parse reads an offset-less date-time in the caller's zone.
      expect(new Date(bob?.latest_end_time ?? "").getTime()).not.toBe(end.getTime());
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it("returns details without token or cost fields, one task's row when given several", async () => {
    const server = await engine();
    const client = clientFor(server.url);
    const list = await client.users.listUsersMetadata({ task_ids: [TASK_A] });
    expect(list.users.find((u) => u.user_id === "alice")?.total_token_cost).toBeCloseTo(0.009);
    const details = await client.users.getUserDetails("alice", { task_ids: [TASK_A] });
    expect(details.trace_ids).toEqual(["tr-a1", "tr-a2"]);
    expect(Object.keys(details).filter((k) => /token|cost/.test(k))).toEqual([]);
    const either = await client.users.getUserDetails("alice", { task_ids: [TASK_A, TASK_B] });
    expect([TASK_A, TASK_B]).toContain(either.task_id);
    expect(either.trace_count).toBe(either.task_id === TASK_A ? 2 : 1);
  });

  it("answers 404 for unknown users and for every id with a slash, 500 for a user without sessions", async () => {
    const server = await engine();
    const client = clientFor(server.url);
    const unknown = await failure(client.users.getUserDetails("nobody", { task_ids: [TASK_A] }));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.message).toContain("User nobody not found or has no data");
    // The list returns the id; no request can fetch it.
    const listed = await client.users.listUsersMetadata({ task_ids: [TASK_A], page_size: 100 });
    expect(listed.users.map((u) => u.user_id)).toContain("team/carol");
    const slash = await failure(client.users.getUserDetails("team/carol", { task_ids: [TASK_A] }));
    expect(slash).toBeInstanceOf(NotFoundError);
    expect((slash as NotFoundError).body).toEqual({ detail: "Not Found" });
    expect(server.requests.at(-1)?.url).toBe(`/api/v1/traces/users/team%2Fcarol?task_ids=${TASK_A}`);
    expect(listed.users.find((u) => u.user_id === "dave")?.session_ids).toEqual([]);
    const dave = await failure(client.users.getUserDetails("dave", { task_ids: [TASK_A] }));
    expect(dave).toBeInstanceOf(InternalServerError);
    expect(dave.message).toContain("'NoneType' object is not iterable");
  });

  it("answers 401 with the engine's texts and 403 for a role without read permission", async () => {
    const server = await engine();
    const none = await failure(clientFor(server.url, null).users.getUserDetails("alice", { task_ids: [TASK_A] }));
    expect(none).toBeInstanceOf(AuthenticationError);
    expect(none.message).toContain("Requires authentication");
    const wrong = await failure(clientFor(server.url, "sk-wrong").users.listUsersMetadata({ task_ids: [TASK_A] }));
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong.message).toContain("Bad credentials");
    const forbidden = await failure(
      clientFor(server.url, ENGINE_KEYS.noRead).users.listUsersMetadata({ task_ids: [TASK_A] }),
    );
    expect(forbidden).toBeInstanceOf(PermissionDeniedError);
    expect((forbidden as PermissionDeniedError).body).toEqual({ detail: "Forbidden" });
  });

  it("turns a validation failure into BadRequestError with the validation message and the whole body", async () => {
    const sim = await engine();
    // The client refuses a request without task_ids; a proxy that drops it shows what the engine says.
    const proxy = await startServer(async (req, res) => {
      const url = new URL(req.url, sim.url);
      url.searchParams.delete("task_ids");
      url.searchParams.set("sort", "sideways");
      const answer = await fetch(url, { headers: { authorization: req.headers.authorization ?? "" } });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" });
      res.end(await answer.text());
    });
    try {
      const error = await failure(clientFor(proxy.url).users.listUsersMetadata({ task_ids: [TASK_A] }));
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.message).toBe(
        "GET /api/v1/traces/users failed with 400 Bad Request: 2 validation errors: query.sort: Input should be 'asc' or 'desc'; query.task_ids: Field required",
      );
      expect(error.message).not.toContain("File");
      const detail = ((error as BadRequestError).body as { detail: string }).detail;
      expect(detail).toMatch(/^2 validation errors:\n {2}\{'type': 'enum'/);
      expect(detail).toContain('File "/app/');
    } finally {
      await proxy.close();
    }
  });

  it("checks page_size before the key and answers page=-1 with a 500 (through the raw client)", async () => {
    const server = await engine();
    const anonymous = clientFor(server.url, null);
    const big = await anonymous.raw.GET("/api/v1/traces/users", {
      params: { query: { task_ids: [TASK_A], page_size: 5001 } },
    });
    expect(big.response.status).toBe(400);
    expect(big.error).toEqual({ detail: "Invalid page size, must be greater than 0 and less than 5000" });
    const max = await clientFor(server.url).raw.GET("/api/v1/traces/users", {
      params: { query: { task_ids: [TASK_A], page_size: 5000 } },
    });
    expect(max.response.status).toBe(200);
    const negative = await clientFor(server.url).raw.GET("/api/v1/traces/users", {
      params: { query: { task_ids: [TASK_A], page: -1 } },
    });
    expect(negative.response.status).toBe(500);
    expect(negative.error?.detail).toContain("OFFSET must not be negative");
  });

  it("answers an unknown task and an empty task_ids with no users", async () => {
    const server = await engine();
    const client = clientFor(server.url);
    expect(await client.users.listUsersMetadata({ task_ids: ["no-such-task"] })).toEqual({
      count: 0,
      users: [],
      display_currency: "USD",
    });
    expect((await client.users.listUsersMetadata({ task_ids: [""] })).count).toBe(0);
  });
});
