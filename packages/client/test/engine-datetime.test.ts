/**
 * The time filters' grammar is exactly pydantic's: the client's checks, the simulated engine and
 * the spec's `pattern` are each held to a table of inputs recorded once from real pydantic
 * (fixtures/pydantic-datetime.json, with its version; recorded by record-pydantic-datetime.py).
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseEngineDateTime } from "../src/engine-datetime.js";
import { createTracesClient, InvalidRequestError } from "../src/index.js";
import { ENGINE_KEYS, TASK_A, useEngine } from "./engine.js";
import { SpecConformance } from "./spec-conformance.js";

interface Case {
  input: string;
  accepted: boolean;
  /** pydantic's `datetime.isoformat()` of the value read. */
  value?: string;
  error?: string;
}
const table = JSON.parse(readFileSync(new URL("./fixtures/pydantic-datetime.json", import.meta.url), "utf8")) as {
  pydantic: string;
  cases: Case[];
};
const accepted = table.cases.filter((c) => c.accepted);
const refused = table.cases.filter((c) => !c.accepted);

/** Python's `isoformat()` (`YYYY-MM-DDTHH:MM:SS[.ffffff][±HH:MM]`) as seconds, microsecond and offset. */
function fromIsoformat(text: string): { seconds: number; microsecond: number; offsetSeconds: number | undefined } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?(?:([+-])(\d{2}):(\d{2}))?$/.exec(text);
  if (!m) throw new Error(`not an isoformat: ${text}`);
  const wall = new Date(0);
  wall.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  wall.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]));
  const offsetSeconds = m[8] ? (m[8] === "+" ? 1 : -1) * (Number(m[9]) * 3600 + Number(m[10]) * 60) : undefined;
  return { seconds: wall.getTime() / 1000 - (offsetSeconds ?? 0), microsecond: Number(m[7] ?? 0), offsetSeconds };
}

describe(`the engine's date-time grammar (pydantic ${table.pydantic})`, () => {
  it("has a table with both outcomes and the named sibling cases", () => {
    expect(accepted.length).toBeGreaterThan(40);
    expect(refused.length).toBeGreaterThan(60);
    const outcome = (input: string) => table.cases.find((c) => c.input === input)?.accepted;
    expect(outcome("2026-03-01T10:00:00+05")).toBe(false);
    expect(outcome("2026-03-01_06:00:00")).toBe(true);
    expect(outcome("2026-03-01 06:00:00")).toBe(true);
    expect(outcome("2026-03-01t06:00:00")).toBe(true);
    expect(outcome("2026-03-01T06:00:00.1234567")).toBe(true);
  });

  it("parseEngineDateTime accepts and refuses exactly what pydantic does, reading the same value", () => {
    const disagreements = table.cases.filter((c) => parseEngineDateTime(c.input).ok !== c.accepted);
    expect(disagreements.map((c) => c.input)).toEqual([]);
    for (const c of accepted) {
      const read = parseEngineDateTime(c.input);
      expect(read.ok && read.value, c.input).toEqual(fromIsoformat(c.value as string));
    }
  });

  it("the spec's pattern accepts every value pydantic accepts and no value outside its grammar", () => {
    const spec = new SpecConformance().spec;
    const params = spec.paths["/api/v1/traces/users"].get.parameters as Array<{ name: string; schema: object }>;
    const ajv = new Ajv2020({ strict: true });
    ajv.addKeyword("x-sdk-date");
    for (const name of ["start_time", "end_time"]) {
      const schema = params.find((p) => p.name === name)?.schema as { pattern?: string; format?: string };
      expect(schema.format, `${name} must not claim a format its values break`).toBeUndefined();
      const validate = ajv.compile(schema);
      expect(
        accepted.filter((c) => !validate(c.input)).map((c) => c.input),
        name,
      ).toEqual([]);
      // The pattern cannot know month lengths, leap years, year 0 or a timestamp's range (a
      // number's value); everything else it refuses.
      const numeric = /^[+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?$/;
      const grammarOnly = refused.filter((c) => !numeric.test(c.input) && !/day value|year 0/.test(c.error ?? ""));
      expect(
        grammarOnly.filter((c) => validate(c.input)).map((c) => c.input),
        name,
      ).toEqual([]);
    }
  });
});

const engine = useEngine();

describe("time filters against the simulated engine", () => {
  it("the simulated engine answers 200 to every value pydantic accepts and 400 to every other", async () => {
    const server = await engine();
    const wrong: string[] = [];
    for (const c of table.cases) {
      const url = new URL("/api/v1/traces/users", server.url);
      url.searchParams.append("task_ids", TASK_A);
      url.searchParams.append("start_time", c.input);
      const res = await fetch(url, { headers: { authorization: `Bearer ${ENGINE_KEYS.read}` } });
      const body = (await res.json()) as { detail?: unknown };
      if (res.status !== (c.accepted ? 200 : 400)) wrong.push(`${c.input} -> ${res.status}`);
      if (!c.accepted && !String(body.detail).includes("Input should be a valid datetime")) wrong.push(c.input);
    }
    expect(wrong).toEqual([]);
  });

  it("the client sends every value pydantic accepts and refuses the others before sending", async () => {
    const server = await engine();
    const client = createTracesClient({ baseUrl: server.url, apiKey: ENGINE_KEYS.read, maxRetries: 0 });
    const wrong: string[] = [];
    for (const c of table.cases) {
      const sentBefore = server.requests.length;
      const outcome = await client.users.listUsersMetadata({ task_ids: [TASK_A], end_time: c.input }).then(
        () => "sent",
        (e: unknown) => e,
      );
      if (c.accepted && outcome !== "sent") wrong.push(`${c.input} refused: ${String(outcome)}`);
      if (!c.accepted) {
        if (!(outcome instanceof InvalidRequestError) || outcome.param !== "end_time") wrong.push(`${c.input} sent`);
        else expect(outcome.message).toMatch(/`end_time` is not a date-time the engine reads/);
        expect(server.requests.length, c.input).toBe(sentBefore);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("filters with microsecond precision, truncating longer fractions as pydantic does", async () => {
    const server = await engine([
      {
        trace_id: "tr-1",
        task_id: TASK_A,
        user_id: "u",
        session_id: "s",
        start: "2026-03-01T06:00:00.250000",
        end: "2026-03-01T06:10:00",
        spans: 1,
      },
    ]);
    const client = createTracesClient({ baseUrl: server.url, apiKey: ENGINE_KEYS.read, maxRetries: 0 });
    const count = async (start_time: string) =>
      (await client.users.listUsersMetadata({ task_ids: [TASK_A], start_time })).count;
    expect(await count("2026-03-01T06:00:00.250000")).toBe(1);
    expect(await count("2026-03-01T06:00:00.2500009")).toBe(1); // truncated to .250000
    expect(await count("2026-03-01T06:00:00.250001")).toBe(0);
    expect(await count("2026-03-01T06:00:00.2504")).toBe(0);
    expect(await count("2026-03-01_11:30:00.25+05:30")).toBe(1);
    expect(await count(String(Date.UTC(2026, 2, 1, 6) / 1000))).toBe(1); // a Unix timestamp, UTC
  });

  it("client.raw sends time filters unchecked, as the README says, with the same Date serialization", async () => {
    const server = await engine();
    const client = createTracesClient({ baseUrl: server.url, apiKey: ENGINE_KEYS.read, maxRetries: 0 });
    const { data, error, response } = await client.raw.GET("/api/v1/traces/users", {
      params: { query: { task_ids: [TASK_A], start_time: "2026-02-30T00:00:00" } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(String((error as { detail?: unknown }).detail)).toContain("day value is outside expected range");
    expect(server.requests.at(-1)?.query.get("start_time")).toBe("2026-02-30T00:00:00");
    // A Date goes on the wire exactly as the resource methods write it (raw's types follow
    // openapi-typescript's `paths`, where the parameter is a string, hence the cast).
    const date = new Date(Date.UTC(2026, 2, 1, 6, 0, 0, 250));
    const start_time = date as unknown as string;
    await client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: [TASK_A], start_time } } });
    const rawWire = server.requests.at(-1)?.query.get("start_time");
    await client.users.listUsersMetadata({ task_ids: [TASK_A], start_time: date });
    expect(server.requests.at(-1)?.query.get("start_time")).toBe(rawWire);
    expect(new Date(rawWire as string).getTime()).toBe(date.getTime());
  });
});
