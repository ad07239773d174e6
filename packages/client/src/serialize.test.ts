import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildPath, formatLocalDate, formatLocalDateTime, serializeQuery } from "./serialize.js";

let previousTz: string | undefined;
beforeEach(() => {
  previousTz = process.env.TZ;
});
afterEach(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe("formatLocalDateTime", () => {
  it("writes local wall-clock time with the offset, east and west of UTC and across DST", () => {
    process.env.TZ = "Europe/Berlin";
    expect(formatLocalDateTime(new Date(Date.UTC(2026, 2, 1, 8, 30)))).toBe("2026-03-01T09:30:00.000+01:00");
    expect(formatLocalDateTime(new Date(Date.UTC(2026, 5, 1, 8, 30)))).toBe("2026-06-01T10:30:00.000+02:00");
    process.env.TZ = "America/St_Johns";
    expect(formatLocalDateTime(new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 5)))).toBe("2025-12-31T20:30:00.005-03:30");
    process.env.TZ = "UTC";
    expect(formatLocalDateTime(new Date(Date.UTC(2026, 2, 1, 8, 30)))).toBe("2026-03-01T08:30:00.000+00:00");
  });

  it("names the same instant as the Date", () => {
    process.env.TZ = "Asia/Kolkata";
    const date = new Date(Date.UTC(2026, 2, 1, 23, 59, 59, 999));
    const text = formatLocalDateTime(date);
    expect(text).toBe("2026-03-02T05:29:59.999+05:30");
    expect(new Date(text).getTime()).toBe(date.getTime());
    expect(formatLocalDate(date)).toBe("2026-03-02");
  });
});

describe("serializeQuery", () => {
  it("repeats array keys, keeps every value and writes no stray separators", () => {
    expect(serializeQuery({ a: ["x", "y"], b: undefined, c: null, d: 0, e: false, f: "" })).toBe(
      "a=x&a=y&d=0&e=false&f=",
    );
  });

  it("writes Dates in local time, per format", () => {
    process.env.TZ = "Europe/Berlin";
    const date = new Date(Date.UTC(2026, 2, 1, 23, 30));
    expect(serializeQuery({ t: date, d: date }, { t: "date-time", d: "date" })).toBe(
      "t=2026-03-02T00%3A30%3A00.000%2B01%3A00&d=2026-03-02",
    );
  });
});

describe("buildPath", () => {
  it("percent-encodes every reserved character", () => {
    expect(buildPath("/users/{id}/x", { id: "a/b?c#d e%" })).toBe("/users/a%2Fb%3Fc%23d%20e%25/x");
  });
});
