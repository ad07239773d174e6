/**
 * A simulated Arthur GenAI Engine 2.1.686 for the Users API, answering as the real one does
 * (shared/reference FACTS.md, "Behaviour of a real engine 2.1.686 (observed)"):
 *
 * - every parameter validation failure is a 400 whose `detail` is one string: pydantic's message,
 *   then a (fake) server traceback; 422 is never sent;
 * - `page_size` outside 1..5000 is a 400 checked before auth; `page=-1` is a 500 with SQL text;
 * - 401 `Requires authentication` / `Bad credentials`, 403 `Forbidden`;
 * - 404 `User <id> not found or has no data`, and `Not Found` for an id with `/` (the path is
 *   percent-decoded before routing, as Starlette does);
 * - 500 `'NoneType' object is not iterable` for details of a user whose spans carry no session id;
 * - times are sent without an offset (the engine runs in UTC); a trace counts when
 *   `start_time` <= its start and its end <= `end_time` (inclusive, compared with the trace end);
 * - one row per (user, task) pair, `count` counts pairs; sorted by `earliest_start_time` only;
 * - details carry no token or cost fields and, with several tasks, one task's row.
 *
 * Not observed, modelled on FastAPI's dependency order: the pagination dependency runs before
 * auth (hence the early page_size check), and the endpoint's own parameter errors are raised after
 * auth, so a request without a key and without `task_ids` gets 401.
 *
 * Every response is recorded in `responses` so that tests can check it against the spec.
 */
import type { ServerResponse } from "node:http";
import { afterEach, expect } from "vitest";
import { type EngineDateTime, parseEngineDateTime } from "../src/engine-datetime.js";
import type { Handler, SeenRequest, TestServer } from "./server.js";
import { startServer } from "./server.js";
import { type ObservedResponse, SpecConformance } from "./spec-conformance.js";

/** One trace as the engine stores it; times are naive UTC (the engine's default zone). */
export interface EngineTrace {
  trace_id: string;
  task_id: string;
  user_id?: string | undefined;
  /** The session of its spans; absent when the spans carry none. */
  session_id?: string | undefined;
  /** `2026-03-01T06:00:00` or with a fraction; UTC wall clock. */
  start: string;
  end: string;
  spans: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_cost?: number;
  completion_cost?: number;
}

/** Keys the engine knows, with whether their role may read traces. */
export const ENGINE_KEYS = { read: "sk-engine-read", noRead: "sk-engine-no-read" } as const;

/** The task ids of the default data. */
export const TASK_A = "task-a";
export const TASK_B = "task-b";

/** Default data: users in two tasks, an id with `/`, a user without sessions, equal start times. */
export const DEFAULT_TRACES: EngineTrace[] = [
  // alice: two traces in task A (one session), one trace in task B.
  t("tr-a1", TASK_A, "alice", "s-a", "2026-03-01T06:00:00", "2026-03-01T06:10:00", 3, [100, 50, 0.001, 0.002]),
  t("tr-a2", TASK_A, "alice", "s-a", "2026-03-01T07:00:00", "2026-03-01T07:30:00.250000", 4, [200, 80, 0.002, 0.004]),
  t("tr-a3", TASK_B, "alice", "s-b", "2026-03-02T08:00:00", "2026-03-02T08:05:00", 2, [10, 5, 0.0001, 0.0002]),
  // bob: one trace in task A that ends exactly at 2026-03-01T09:00:00.
  t("tr-b1", TASK_A, "bob", "s-c", "2026-03-01T08:00:00", "2026-03-01T09:00:00", 5),
  // team/carol: an id with a slash.
  t("tr-c1", TASK_A, "team/carol", "s-d", "2026-03-03T10:00:00", "2026-03-03T10:01:00", 1),
  // dave: spans without any session id.
  t("tr-d1", TASK_A, "dave", undefined, "2026-03-04T11:00:00", "2026-03-04T11:02:00", 2),
  // erin and frank: equal earliest start times (no tie-breaker).
  t("tr-e1", TASK_B, "erin", "s-e", "2026-03-05T12:00:00", "2026-03-05T12:01:00", 1),
  t("tr-f1", TASK_B, "frank", "s-f", "2026-03-05T12:00:00", "2026-03-05T12:03:00", 1),
  // A trace without a user is not reported.
  t("tr-x1", TASK_A, undefined, "s-x", "2026-03-01T06:30:00", "2026-03-01T06:31:00", 1),
];

function t(
  trace_id: string,
  task_id: string,
  user_id: string | undefined,
  session_id: string | undefined,
  start: string,
  end: string,
  spans: number,
  usage?: [number, number, number, number],
): EngineTrace {
  const [prompt_tokens, completion_tokens, prompt_cost, completion_cost] = usage ?? [];
  return {
    trace_id,
    task_id,
    user_id,
    session_id,
    start,
    end,
    spans,
    ...(usage ? { prompt_tokens, completion_tokens, prompt_cost, completion_cost } : {}),
  } as EngineTrace;
}

/** A recorded response of the simulated engine. */
export interface EngineResponse extends ObservedResponse {
  contentType: string;
}

/** A simulated engine: the request handler and every response it sent. */
export interface Engine {
  handler: Handler;
  responses: EngineResponse[];
}

/** Creates a simulated engine over `traces` (default `DEFAULT_TRACES`). */
export function createEngine(traces: EngineTrace[] = DEFAULT_TRACES): Engine {
  const responses: EngineResponse[] = [];
  const handler: Handler = (req, res) => {
    const [status, body] = answer(req, traces);
    const contentType = "application/json";
    responses.push({ method: req.method, path: req.url.split("?")[0] ?? "", status, contentType, body });
    send(res, status, body, contentType);
  };
  return { handler, responses };
}

function send(res: ServerResponse, status: number, body: unknown, contentType: string): void {
  res.writeHead(status, { "content-type": contentType });
  res.end(JSON.stringify(body));
}

type Answer = [number, unknown];

const LIST = "/api/v1/traces/users";
const DETAILS = /^\/api\/v1\/traces\/users\/([^/]+)$/;
const INVALID_PAGE_SIZE = "Invalid page size, must be greater than 0 and less than 5000";

/** What the engine answers to one request. */
export function answer(req: SeenRequest, traces: EngineTrace[]): Answer {
  const rawPath = req.url.split("?")[0] ?? "";
  let path: string;
  try {
    path = decodeURIComponent(rawPath); // Starlette routes on the decoded path: `%2F` becomes `/`.
  } catch {
    path = rawPath;
  }
  const details = DETAILS.exec(path);
  const operation = path === LIST ? "list" : details ? "details" : undefined;
  if (!operation) return [404, { detail: "Not Found" }];
  if (req.method !== "GET") return [405, { detail: "Method Not Allowed" }];

  const query = req.query;
  const errors: PydanticError[] = [];
  let pageSize = 10;
  let page = 0;
  let sort: "asc" | "desc" = "desc";
  if (operation === "list") {
    // The pagination dependency: its own parameters first, then the range check (before auth).
    const size = intParam(query, "page_size", errors);
    const number = intParam(query, "page", errors);
    const order = query.get("sort");
    if (order !== null) {
      if (order === "asc" || order === "desc") sort = order;
      else
        errors.push({
          type: "enum",
          loc: ["query", "sort"],
          msg: "Input should be 'asc' or 'desc'",
          input: order,
          ctx: { expected: "'asc' or 'desc'" },
        });
    }
    if (errors.length === 0) {
      if (size !== undefined) pageSize = size;
      if (number !== undefined) page = number;
      if (pageSize <= 0 || pageSize > 5000) return [400, { detail: INVALID_PAGE_SIZE }];
    }
  }

  const auth = req.headers.authorization;
  if (auth === undefined) return [401, { detail: "Requires authentication" }];
  const key = /^Bearer (.+)$/i.exec(auth)?.[1];
  if (key !== ENGINE_KEYS.read && key !== ENGINE_KEYS.noRead) return [401, { detail: "Bad credentials" }];
  if (key === ENGINE_KEYS.noRead) return [403, { detail: "Forbidden" }];

  const taskIds = query.getAll("task_ids");
  if (taskIds.length === 0)
    errors.push({ type: "missing", loc: ["query", "task_ids"], msg: "Field required", input: null });
  let start: bigint | undefined;
  let end: bigint | undefined;
  if (operation === "list") {
    start = timeParam(query, "start_time", errors);
    end = timeParam(query, "end_time", errors);
  }
  if (errors.length > 0) {
    return [
      400,
      {
        detail: validationDetail(
          errors,
          operation === "list" ? "list_users_metadata" : "get_user_details",
          operation === "list" ? LIST : `${LIST}/{user_id}`,
        ),
      },
    ];
  }

  const tasks = new Set(taskIds);
  if (operation === "list") {
    if (page < 0) {
      return [
        500,
        {
          detail: `(psycopg2.errors.InvalidRowCountInResultOffsetClause) OFFSET must not be negative\n\n[SQL: SELECT trace_metadata.user_id, trace_metadata.task_id FROM trace_metadata WHERE trace_metadata.task_id IN (__[POSTCOMPILE_task_id_1]) GROUP BY trace_metadata.user_id, trace_metadata.task_id ORDER BY min(trace_metadata.start_time) ${sort.toUpperCase()} LIMIT %(param_1)s OFFSET %(param_2)s]\n[parameters: {'param_1': ${pageSize}, 'param_2': ${page * pageSize}}]`,
        },
      ];
    }
    const selected = traces.filter(
      (tr) =>
        tasks.has(tr.task_id) &&
        (start === undefined || start <= naiveMicros(tr.start)) &&
        (end === undefined || naiveMicros(tr.end) <= end),
    );
    const rows = aggregate(selected);
    // Sorted by earliest start only; ties keep whatever order the database returns.
    rows.sort((a, b) => (sort === "asc" ? 1 : -1) * (a.first - b.first));
    const users = rows.slice(page * pageSize, page * pageSize + pageSize).map((r) => r.body(true));
    return [200, { count: rows.length, users, display_currency: "USD" }];
  }

  const userId = details?.[1] ?? "";
  const rows = aggregate(traces.filter((tr) => tr.user_id === userId && tasks.has(tr.task_id)));
  // With several tasks, one arbitrary task's row: here the last one the query produced.
  const row = rows.at(-1);
  if (!row) return [404, { detail: `User ${userId} not found or has no data` }];
  if (row.sessions.length === 0) return [500, { detail: "'NoneType' object is not iterable" }];
  return [200, row.body(false)];
}

interface Row {
  first: number;
  sessions: string[];
  body(withUsage: boolean): Record<string, unknown>;
}

/** One row per (user, task) pair, in the order the traces first mention them. */
function aggregate(traces: EngineTrace[]): Row[] {
  const groups = new Map<string, EngineTrace[]>();
  for (const tr of traces) {
    if (tr.user_id === undefined) continue;
    const key = JSON.stringify([tr.user_id, tr.task_id]);
    groups.set(key, [...(groups.get(key) ?? []), tr]);
  }
  return [...groups.values()].map((group) => {
    const first = Math.min(...group.map((tr) => naive(tr.start)));
    const last = Math.max(...group.map((tr) => naive(tr.end)));
    const sessions = [...new Set(group.flatMap((tr) => (tr.session_id ? [tr.session_id] : []) as string[]))];
    const sum = (field: keyof EngineTrace) => {
      const values = group.map((tr) => tr[field]).filter((v): v is number => typeof v === "number");
      return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
    };
    const usage = {
      prompt_token_count: sum("prompt_tokens"),
      completion_token_count: sum("completion_tokens"),
      total_token_count: add(sum("prompt_tokens"), sum("completion_tokens")),
      prompt_token_cost: sum("prompt_cost"),
      completion_token_cost: sum("completion_cost"),
      total_token_cost: add(sum("prompt_cost"), sum("completion_cost")),
    };
    const base = group[0] as EngineTrace;
    return {
      first,
      sessions,
      body: (withUsage: boolean) => {
        const out: Record<string, unknown> = {
          user_id: base.user_id,
          task_id: base.task_id,
          session_ids: sessions,
          session_count: sessions.length,
          trace_ids: group.map((tr) => tr.trace_id),
          trace_count: group.length,
          span_count: group.reduce((n, tr) => n + tr.spans, 0),
          earliest_start_time: isoformat(first),
          latest_end_time: isoformat(last),
        };
        // Fields without a value are omitted, never null (response_model_exclude_none).
        if (withUsage) for (const [k, v] of Object.entries(usage)) if (v !== undefined) out[k] = v;
        return out;
      },
    };
  });
}

function add(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/** A stored naive UTC time as milliseconds. */
function naive(text: string): number {
  return Date.parse(`${text}Z`);
}

/** A stored naive UTC time as microseconds since the epoch. */
function naiveMicros(text: string): bigint {
  const read = parseEngineDateTime(text);
  if (!read.ok) throw new Error(`stored trace time ${JSON.stringify(text)} ${read.problem}`);
  return micros(read.value);
}

/** Python's `datetime.isoformat()` of a naive UTC time: no offset, microseconds only when non-zero. */
export function isoformat(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-03-01T06:00:00.000Z
  const fraction = iso.slice(20, 23);
  return `${iso.slice(0, 19)}${fraction === "000" ? "" : `.${fraction}000`}`;
}

interface PydanticError {
  type: string;
  loc: [string, string];
  msg: string;
  input: unknown;
  ctx?: Record<string, string>;
}

function intParam(query: URLSearchParams, name: string, errors: PydanticError[]): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    errors.push({
      type: "int_parsing",
      loc: ["query", name],
      msg: "Input should be a valid integer, unable to parse string as an integer",
      input: raw,
    });
    return undefined;
  }
  return Number(raw);
}

/**
 * Parses a time filter as the engine running in UTC does, with the grammar pydantic 2 reads
 * (`parseEngineDateTime`, checked against real pydantic in fixtures/pydantic-datetime.json):
 * offsets are honoured, naive values are UTC, fractions beyond microseconds are truncated, and Unix
 * timestamps are accepted. Returns microseconds since the epoch.
 */
function timeParam(query: URLSearchParams, name: string, errors: PydanticError[]): bigint | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const read = parseEngineDateTime(raw);
  if (read.ok) return micros(read.value);
  const reason = pydanticReason(raw, read.problem);
  errors.push({
    type: "datetime_from_date_parsing",
    loc: ["query", name],
    msg: `Input should be a valid datetime or date, ${reason}`,
    input: raw,
    ctx: { error: reason },
  });
  return undefined;
}

/** pydantic's words for the common refusals (the simulated traceback keeps only the message's shape). */
function pydanticReason(raw: string, problem: string): string {
  if (/ day /.test(problem)) return "day value is outside expected range";
  if (/ month /.test(problem)) return "month value is outside expected range of 1-12";
  if (raw.length < 10) return "input is too short";
  if (!/^\d{4}/.test(raw)) return "invalid character in year";
  if (!/^\d{4}-/.test(raw)) return "invalid date separator, expected `-`";
  return "unexpected extra characters at the end of the input";
}

/** Microseconds since the epoch of a time the engine read. */
function micros(t: EngineDateTime): bigint {
  return BigInt(t.seconds) * 1_000_000n + BigInt(t.microsecond);
}

/** FastAPI's validation message, as the engine's route class puts it into `detail`, with a fake traceback. */
function validationDetail(errors: PydanticError[], endpoint: string, route: string): string {
  const lines = errors.map((e) => `  ${pyRepr(e)}`);
  // The real traceback points into the engine's sources; this one only keeps its shape.
  const line = endpoint === "list_users_metadata" ? 717 : 760;
  return `${errors.length} validation error${errors.length === 1 ? "" : "s"}:\n${lines.join("\n")}\n\n  File "/app/src/genai_engine/routers/v1/trace_api_routes/users.py", line ${line}, in ${endpoint}\n    GET ${route}`;
}

/** Python's `repr` of the JSON-like values a pydantic error holds (tuples for `loc`). */
function pyRepr(value: unknown, tuple = false): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") {
    return value.includes("'") && !value.includes('"')
      ? `"${value}"`
      : `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  if (typeof value === "number" || typeof value === "boolean")
    return typeof value === "boolean" ? (value ? "True" : "False") : String(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => pyRepr(v));
    return tuple ? `(${items.join(", ")}${items.length === 1 ? "," : ""})` : `[${items.join(", ")}]`;
  }
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `'${k}': ${pyRepr(v, k === "loc")}`)
    .join(", ")}}`;
}

const conformance = new SpecConformance();

/** Checks recorded responses against spec/openapi.yaml; returns every problem. */
export function specProblems(responses: ObservedResponse[]): string[] {
  return responses.flatMap((r) => conformance.check(r));
}

/**
 * Registers hooks that close every engine started in the test and then check that every response
 * it sent conforms to spec/openapi.yaml. Call it once at the top of a test file.
 */
export function useEngine(): (traces?: EngineTrace[]) => Promise<TestServer & Engine> {
  const started: Array<TestServer & Engine> = [];
  afterEach(async () => {
    const engines = started.splice(0);
    await Promise.all(engines.map((e) => e.close()));
    const problems = specProblems(engines.flatMap((e) => e.responses));
    expect(problems, "responses of the simulated engine that break spec/openapi.yaml").toEqual([]);
  });
  return async (traces) => {
    const engine = createEngine(traces);
    const server = await startServer(engine.handler);
    const running = Object.assign(server, engine);
    started.push(running);
    return running;
  };
}
