import { describe, expect, it } from "vitest";
import { isRetryableStatus, MAX_RETRY_AFTER, retryDelay } from "./transport.js";

describe("retryDelay", () => {
  it("honours Retry-After in seconds, including fractions and zero", () => {
    expect(retryDelay(0, new Headers({ "retry-after": "3" }))).toBe(3000);
    expect(retryDelay(5, new Headers({ "retry-after": "0.25" }))).toBe(250);
    expect(retryDelay(0, new Headers({ "retry-after": "0" }))).toBe(0);
  });

  it("honours Retry-After as an HTTP date", () => {
    const at = new Date(Date.now() + 10_000).toUTCString();
    const delay = retryDelay(0, new Headers({ "retry-after": at }));
    expect(delay).toBeGreaterThan(8_000);
    expect(delay).toBeLessThanOrEqual(10_000);
    expect(retryDelay(0, new Headers({ "retry-after": new Date(0).toUTCString() }))).toBe(0);
  });

  it("reads only HTTP-dates as dates: `-1` or `5, 6` back off as if the header were missing", () => {
    for (const header of ["-1", "5, 6", "2026-12-01", "tomorrow 10:00"]) {
      const delay = retryDelay(0, new Headers({ "retry-after": header }));
      expect(delay, header).toBeGreaterThan(375 - 1e-9);
      expect(delay, header).toBeLessThanOrEqual(500);
    }
    // The obsolete forms RFC 9110 §5.6.7 still asks recipients to accept, asctime's in GMT.
    const at = new Date(Date.now() + 20_000);
    const rfc850 = at
      .toUTCString()
      .replace(
        /^(\w{3}), (\d\d) (\w{3}) \d\d(\d\d)/,
        (_, d, day, mon, yy) =>
          `${{ Sun: "Sunday", Mon: "Monday", Tue: "Tuesday", Wed: "Wednesday", Thu: "Thursday", Fri: "Friday", Sat: "Saturday" }[d as "Sun"]}, ${day}-${mon}-${yy}`,
      );
    const [wd, day, mon, year, time] = at.toUTCString().replace(",", "").split(" ") as string[];
    const asctime = `${wd} ${mon} ${String(Number(day)).padStart(2, " ")} ${time} ${year}`;
    for (const header of [rfc850, asctime]) {
      const delay = retryDelay(0, new Headers({ "retry-after": header }));
      expect(delay, header).toBeGreaterThan(17_000);
      expect(delay, header).toBeLessThanOrEqual(20_000);
    }
  });

  it("gives a long Retry-After as asked, for send to decide against retrying", () => {
    expect(retryDelay(0, new Headers({ "retry-after": "86400" }))).toBe(86_400_000);
    expect(MAX_RETRY_AFTER).toBe(60_000);
  });

  it("backs off exponentially with jitter when Retry-After is missing or unreadable", () => {
    for (let i = 0; i < 50; i++) {
      const first = retryDelay(0, new Headers({ "retry-after": "soon" }));
      expect(first).toBeGreaterThan(375 - 1e-9);
      expect(first).toBeLessThanOrEqual(500);
      const third = retryDelay(2);
      expect(third).toBeGreaterThan(1500 - 1e-9);
      expect(third).toBeLessThanOrEqual(2000);
      expect(retryDelay(20)).toBeLessThanOrEqual(8000);
    }
  });
});

describe("isRetryableStatus", () => {
  it("retries 408, 429 and 5xx only", () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });
});
