/**
 * The date-time grammar the engine accepts in `start_time` and `end_time`. The engine is a FastAPI
 * app; FastAPI reads a `datetime` query parameter with pydantic 2, whose parser is the `speedate`
 * crate (pydantic-core; `DateTime::parse_bytes_with_config`, `float_parse_bytes`). The client checks
 * input with this grammar, so it sends exactly what the engine accepts and refuses nothing it accepts.
 * Checked against real pydantic 2.14.4 (pydantic-core 2.50.5; the same through FastAPI 0.165 query
 * parameters): the table in `test/fixtures/pydantic-datetime.json`.
 */
import { calendarProblem } from "./local-date-time.js";

/**
 * `YYYY-MM-DD`, optionally followed by a time: separator `T`, `t`, space or `_`; `HH:MM`, optional
 * `:SS`, optional fraction (`.` or `,`, any number of digits, truncated to microseconds); optional
 * offset `Z`, `z` or `±HH:MM` / `±HHMM` (sign `+`, `-` or U+2212 `−`; hours 00-23, minutes 00-59;
 * an hour-only offset such as `+05` is refused). Groups: year, month, day, hour, minute, second,
 * fraction, `Z`, sign, offset hours, offset minutes.
 */
export const ENGINE_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt _](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+\-\u2212])(\d{2}):?(\d{2}))?)?$/;

/** A Unix timestamp without a fraction: optional sign, ASCII digits (a 64-bit integer). */
const TIMESTAMP_INT = /^[+-]?\d+$/;
/** A Unix timestamp with a `.` (required), as `lexical` reads a float: `1.5`, `.5`, `1.`, `1.5e3`. */
const TIMESTAMP_FLOAT = /^[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Above this absolute value a Unix timestamp is read as milliseconds (speedate's `MS_WATERSHED`). */
const MS_WATERSHED = 20_000_000_000n;
/** `0001-01-01T00:00:00Z` and `10000-01-01T00:00:00Z` in Unix microseconds: Python's `datetime` range. */
const MIN_MICROS = -62_135_596_800_000_000n;
const END_MICROS = 253_402_300_800_000_000n;

/** A time the engine reads from a query value. */
export interface EngineDateTime {
  /** Unix seconds of the instant; a value without an offset is read as UTC (the engine's default zone). */
  seconds: number;
  /** Microseconds within the second, 0 to 999999 (finer digits are truncated, as pydantic does). */
  microsecond: number;
  /** The UTC offset in seconds, `undefined` when the value has none (engine-local time). */
  offsetSeconds: number | undefined;
}

/** The result of `parseEngineDateTime`: the time read, or why the engine refuses the text. */
export type EngineDateTimeResult = { ok: true; value: EngineDateTime } | { ok: false; problem: string };

/**
 * Reads `text` as pydantic 2 reads a `datetime` from a string (see the module comment): an ISO
 * 8601 date or date-time in `ENGINE_DATE_TIME`'s grammar, or a Unix timestamp (integer or with a
 * `.` fraction/exponent; seconds, or milliseconds when its absolute value exceeds 2e10) naming an
 * instant in the years 1 to 9999 UTC. Anything else, an impossible calendar date (`2026-02-30`),
 * hour 24, second 60 or year 0 is refused with the reason.
 */
export function parseEngineDateTime(text: string): EngineDateTimeResult {
  const m = ENGINE_DATE_TIME.exec(text);
  if (m) {
    const n = (i: number) => (m[i] === undefined ? undefined : Number(m[i]));
    const [year, month, day] = [n(1) as number, n(2) as number, n(3) as number];
    const problem = calendarProblem({ year, month, day, hour: n(4), minute: n(5), second: n(6) });
    if (problem) return { ok: false, problem };
    let offsetSeconds: number | undefined;
    if (m[8]) offsetSeconds = 0;
    else if (m[9]) {
      const [hours, minutes] = [n(10) as number, n(11) as number];
      if (hours > 23 || minutes > 59)
        return { ok: false, problem: "has an impossible UTC offset (hours 00-23, minutes 00-59)" };
      offsetSeconds = (m[9] === "+" ? 1 : -1) * (hours * 3600 + minutes * 60) || 0; // -00:00 is 0, not -0
    }
    const wall = new Date(0); // setUTCFullYear, unlike Date.UTC, keeps years 1-99 as they are
    wall.setUTCFullYear(year, month - 1, day);
    wall.setUTCHours(n(4) ?? 0, n(5) ?? 0, n(6) ?? 0, 0);
    const microsecond = Number((m[7] ?? "").slice(0, 6).padEnd(6, "0"));
    return {
      ok: true,
      value: { seconds: wall.getTime() / 1000 - (offsetSeconds ?? 0), microsecond, offsetSeconds },
    };
  }
  let micros: bigint; // since the epoch, exact (a double cannot hold microseconds of the year 9999)
  if (TIMESTAMP_INT.test(text)) {
    const n = BigInt(text);
    // Beyond 64 bits it is not an integer to pydantic, and far outside the years 1-9999 anyway.
    if (n > 9_223_372_036_854_775_807n || n < -9_223_372_036_854_775_808n) return outOfRange;
    micros = n > MS_WATERSHED || n < -MS_WATERSHED ? n * 1_000n : n * 1_000_000n;
  } else if (TIMESTAMP_FLOAT.test(text)) {
    const f = Number(text);
    if (!Number.isFinite(f)) return { ok: false, problem: "is a Unix timestamp too large for a number" };
    // As pydantic-core does it, in doubles: above 2e10 the number counts milliseconds; its whole
    // part is exact, its fraction is rounded to the nearest microsecond (half away from zero).
    const ms = Math.abs(f) > Number(MS_WATERSHED);
    const whole = Math.floor(f);
    const fraction = Math.round((f - whole) * (ms ? 1_000 : 1_000_000));
    micros = BigInt(whole) * (ms ? 1_000n : 1_000_000n) + BigInt(fraction);
  } else {
    return {
      ok: false,
      problem:
        "is neither an ISO 8601 date-time the engine reads (YYYY-MM-DD, optionally THH:MM[:SS[.ffffff]] and Z or ±HH:MM) nor a Unix timestamp",
    };
  }
  if (micros < MIN_MICROS || micros >= END_MICROS) return outOfRange;
  const seconds = floorDiv(micros, 1_000_000n);
  const microsecond = Number(micros - seconds * 1_000_000n);
  return { ok: true, value: { seconds: Number(seconds), microsecond, offsetSeconds: 0 } };
}

const outOfRange: EngineDateTimeResult = { ok: false, problem: "is a Unix timestamp outside the years 1 to 9999" };

/** Integer division rounding towards negative infinity. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
