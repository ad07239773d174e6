/**
 * Engine times without an offset. The engine sends `earliest_start_time` and `latest_end_time` as
 * its local wall-clock time with no UTC offset (`2026-03-01T06:00:00`), UTC in its default
 * deployment. `new Date(value)` would read such a string in the *caller's* time zone (ECMAScript
 * date-time forms without an offset are local time), which is wrong wherever the caller is not in
 * the engine's zone; `parseLocalDateTime` reads it in the engine's zone instead.
 */

import { nearestName } from "./options.js";

/**
 * A date and time of day without a UTC offset, as the engine sends it: ISO 8601
 * `YYYY-MM-DDTHH:MM:SS` with an optional fraction of a second (`2026-03-01T06:00:00`,
 * `2026-03-01T06:42:17.250000`), in the engine's time zone (UTC by default).
 */
export type LocalDateTime = string;

/** How a wall-clock time that a time zone skips (DST gap) or repeats (DST overlap) is resolved. */
export type Disambiguation = "compatible" | "earlier" | "later" | "reject";

/** Options of `parseLocalDateTime`. */
export interface ParseLocalDateTimeOptions {
  /**
   * IANA time zone the engine runs in (`"UTC"`, `"Europe/Berlin"`), as `Intl` names it. Default
   * `"UTC"`, the engine's default; set it to the engine process's zone if its deployment changed it.
   */
  timeZone?: string | undefined;
  /**
   * For a time that does not exist (skipped by a DST change) or exists twice (repeated by one), as
   * in Temporal (TC39): `"compatible"` (default; later for a gap, i.e. shifted forward by the gap's
   * length, earlier for an overlap, as RFC 5545 and Python's `fold=0` do), `"earlier"`,
   * `"later"`, or `"reject"` (throw a `RangeError`).
   */
  disambiguation?: Disambiguation | undefined;
}

/** Every option of `parseLocalDateTime`; the type makes a new option fail to compile until it is listed. */
const OPTIONS: { readonly [K in keyof Required<ParseLocalDateTimeOptions>]: true } = {
  timeZone: true,
  disambiguation: true,
};

/**
 * Throws when `options` is not an object (a `TypeError`) or has a name `parseLocalDateTime` does
 * not know (a `RangeError` naming the nearest valid one): a misspelt `timezone` would otherwise
 * read the value in UTC without a word.
 */
function checkOptions(options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(
      `parseLocalDateTime: options must be an object such as { timeZone: "Europe/Berlin" }, got ${
        options === null
          ? "null"
          : Array.isArray(options)
            ? "an array"
            : typeof options === "string"
              ? JSON.stringify(options)
              : typeof options
      }`,
    );
  }
  const valid = Object.keys(OPTIONS);
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(OPTIONS, key)) continue;
    const nearest = nearestName(key, valid);
    throw new RangeError(
      `parseLocalDateTime: unknown option \`${key}\`${nearest ? `; did you mean \`${nearest}\`?` : "."} Valid options: \`${valid.join("`, `")}\`.`,
    );
  }
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Turns an engine time (a `LocalDateTime` such as `2026-03-01T06:00:00`) into the `Date` it names,
 * reading it as wall-clock time in `options.timeZone` (default `"UTC"`, the engine's default), not
 * in the caller's zone. A string that carries an offset or `Z` is read as that instant. Fractions
 * beyond milliseconds are truncated (a `Date` holds milliseconds).
 *
 * @throws {TypeError} `value` is not a string, or `options` is not an object.
 * @throws {RangeError} `value` is not an ISO 8601 date-time, names an impossible date or time
 *   (`2026-02-30T00:00:00`, `25:00`), `timeZone` is not a time zone `Intl` knows, or the time falls
 *   in a DST gap or overlap and `disambiguation` is `"reject"`, or `options` has a name other
 *   than `timeZone` and `disambiguation` (the message names the nearest one: "did you mean
 *   `timeZone`?").
 * @example
 *   parseLocalDateTime("2026-03-01T06:00:00").toISOString(); // "2026-03-01T06:00:00.000Z"
 *   parseLocalDateTime("2026-03-01T06:00:00", { timeZone: "Europe/Berlin" }).toISOString(); // "2026-03-01T05:00:00.000Z"
 */
export function parseLocalDateTime(value: LocalDateTime, options: ParseLocalDateTimeOptions = {}): Date {
  if (typeof value !== "string") {
    throw new TypeError(
      `parseLocalDateTime: value must be a string such as "2026-03-01T06:00:00", got ${typeof value}`,
    );
  }
  checkOptions(options);
  const timeZone = options.timeZone ?? "UTC";
  const disambiguation = options.disambiguation ?? "compatible";
  if (!["compatible", "earlier", "later", "reject"].includes(disambiguation)) {
    throw new RangeError(
      `parseLocalDateTime: disambiguation must be "compatible", "earlier", "later" or "reject", got ${JSON.stringify(disambiguation)}`,
    );
  }
  const offsetForm = WITH_OFFSET.test(value);
  const match = LOCAL_DATE_TIME.exec(offsetForm ? value.replace(/(?:[Zz]|[+-]\d{2}:?\d{2})$/, "") : value);
  if (!match) {
    throw new RangeError(
      `parseLocalDateTime: ${JSON.stringify(value)} is not an ISO 8601 date-time such as "2026-03-01T06:00:00"`,
    );
  }
  const [, y, mo, d, h, mi, s = "0", fraction = ""] = match;
  const fields = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    millisecond: Number(fraction.padEnd(3, "0").slice(0, 3)),
  };
  const problem = calendarProblem(fields);
  if (problem) throw new RangeError(`parseLocalDateTime: ${JSON.stringify(value)} ${problem}`);
  // The wall-clock fields read as if they were UTC; the instant is that minus the zone's offset.
  const wall = Date.UTC(
    2000,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
    fields.millisecond,
  );
  const wallMs = withFullYear(wall, fields.year);
  if (offsetForm) {
    const [, sign = "+", hh = "00", mm = "00"] = /([+-])(\d{2}):?(\d{2})$/.exec(value) ?? [];
    if (Number(hh) > 23 || Number(mm) > 59) {
      throw new RangeError(`parseLocalDateTime: ${JSON.stringify(value)} has an impossible UTC offset`);
    }
    return new Date(wallMs - (sign === "-" ? -1 : 1) * (Number(hh) * 3_600_000 + Number(mm) * 60_000));
  }
  const offsetAt = offsetReader(timeZone);
  // Offsets a day before and after bracket any transition near this time (none is longer than a day).
  const before = offsetAt(wallMs - 86_400_000);
  const after = offsetAt(wallMs + 86_400_000);
  const candidates = [...new Set([before, after])]
    .map((offset) => wallMs - offset)
    .filter((instant) => wallMs - offsetAt(instant) === instant)
    .sort((a, b) => a - b);
  if (candidates.length === 1) return new Date(candidates[0] as number);
  if (disambiguation === "reject") {
    throw new RangeError(
      `parseLocalDateTime: ${JSON.stringify(value)} ${candidates.length === 0 ? "does not exist" : "exists twice"} in ${timeZone} (a daylight saving time change); pass disambiguation "earlier", "later" or "compatible"`,
    );
  }
  if (candidates.length > 1) {
    return new Date((disambiguation === "later" ? candidates.at(-1) : candidates[0]) as number);
  }
  // A gap: "earlier" reads the time with the offset after the change, "later" with the one before.
  const early = wallMs - after;
  const late = wallMs - before;
  return new Date(disambiguation === "earlier" ? Math.min(early, late) : Math.max(early, late));
}

/** Sets the UTC year of an instant (`Date.UTC` maps years 0..99 to 1900..1999, so years are set afterwards). */
function withFullYear(ms: number, year: number): number {
  const date = new Date(ms);
  date.setUTCFullYear(year);
  return date.getTime();
}

/** A function giving the UTC offset in milliseconds of `timeZone` at an instant. */
function offsetReader(timeZone: string): (instant: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch (cause) {
    throw new RangeError(
      `parseLocalDateTime: timeZone ${JSON.stringify(timeZone)} is not an IANA time zone this runtime knows (for example "UTC" or "Europe/Berlin")`,
      { cause },
    );
  }
  return (instant) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(instant))) parts[part.type] = part.value;
    const year = parts.era === "BC" || parts.era === "B" ? 1 - Number(parts.year) : Number(parts.year);
    const wall = withFullYear(
      Date.UTC(
        2000,
        Number(parts.month) - 1,
        Number(parts.day),
        Number(parts.hour),
        Number(parts.minute),
        Number(parts.second),
      ),
      year,
    );
    const whole = instant - (((instant % 1000) + 1000) % 1000);
    return wall - whole;
  };
}

/** The fields of an ISO 8601 calendar date and time of day. */
export interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}

/**
 * Why the fields name no real date and time (`"has no day 30: February 2026 has 28 days"`), or
 * `undefined` when they do. Years 1..9999, as Python's `datetime` (the engine) accepts; no leap
 * seconds and no `24:00`, as it rejects them.
 */
export function calendarProblem(f: DateTimeFields): string | undefined {
  if (f.year < 1 || f.year > 9999) return `has year ${f.year}: the engine accepts years 1 to 9999`;
  if (f.month < 1 || f.month > 12) return `has no month ${f.month}: months are 01 to 12`;
  const days = daysInMonth(f.year, f.month);
  if (f.day < 1 || f.day > days) {
    return `has no day ${f.day}: ${MONTHS[f.month - 1]} ${f.year} has ${days} days`;
  }
  if (f.hour !== undefined && f.hour > 23) return `has hour ${f.hour}: hours are 00 to 23`;
  if (f.minute !== undefined && f.minute > 59) return `has minute ${f.minute}: minutes are 00 to 59`;
  if (f.second !== undefined && f.second > 59) return `has second ${f.second}: seconds are 00 to 59`;
  return undefined;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Days in a month of the proleptic Gregorian calendar (ISO 8601). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
