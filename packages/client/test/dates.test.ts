/** Engine times to `Date` (parseLocalDateTime), and the date checks made before a request is sent. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Temporal } from "@js-temporal/polyfill";
import { describe, expect, it } from "vitest";
import {
  createTracesClient,
  InvalidRequestError,
  type ParseLocalDateTimeOptions,
  parseLocalDateTime,
} from "../src/index.js";
import { json, useServers } from "./server.js";

const serve = useServers();
const iso = (value: string, options?: Parameters<typeof parseLocalDateTime>[1]) =>
  parseLocalDateTime(value, options).toISOString();

describe("parseLocalDateTime", () => {
  it("reads an engine time as UTC by default, with the engine's fractions", () => {
    expect(iso("2026-03-01T06:00:00")).toBe("2026-03-01T06:00:00.000Z");
    expect(iso("2026-03-01T06:42:17.250000")).toBe("2026-03-01T06:42:17.250Z");
    expect(iso("2026-03-01T06:42:17.123999")).toBe("2026-03-01T06:42:17.123Z");
    expect(iso("2024-02-29T23:59:59")).toBe("2024-02-29T23:59:59.000Z");
    expect(iso("0099-01-01T00:00:00")).toBe("0099-01-01T00:00:00.000Z");
  });

  it("reads it in the engine's IANA time zone when told", () => {
    expect(iso("2026-03-01T06:00:00", { timeZone: "Europe/Berlin" })).toBe("2026-03-01T05:00:00.000Z");
    expect(iso("2026-07-01T06:00:00", { timeZone: "Europe/Berlin" })).toBe("2026-07-01T04:00:00.000Z");
    expect(iso("2026-03-01T06:00:00", { timeZone: "Asia/Kolkata" })).toBe("2026-03-01T00:30:00.000Z");
    expect(iso("2026-03-01T06:00:00", { timeZone: "America/New_York" })).toBe("2026-03-01T11:00:00.000Z");
  });

  it("resolves a time skipped by a DST change (gap) like Temporal's disambiguation", () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist.
    const gap = "2026-03-08T02:30:00";
    const zone = "America/New_York";
    expect(iso(gap, { timeZone: zone })).toBe("2026-03-08T07:30:00.000Z"); // 03:30 EDT
    expect(iso(gap, { timeZone: zone, disambiguation: "later" })).toBe("2026-03-08T07:30:00.000Z");
    expect(iso(gap, { timeZone: zone, disambiguation: "earlier" })).toBe("2026-03-08T06:30:00.000Z"); // 01:30 EST
    expect(() => parseLocalDateTime(gap, { timeZone: zone, disambiguation: "reject" })).toThrow(/does not exist/);
  });

  it("resolves a time repeated by a DST change (overlap), the earlier by default", () => {
    // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice.
    const overlap = "2026-11-01T01:30:00";
    const zone = "America/New_York";
    expect(iso(overlap, { timeZone: zone })).toBe("2026-11-01T05:30:00.000Z"); // EDT
    expect(iso(overlap, { timeZone: zone, disambiguation: "later" })).toBe("2026-11-01T06:30:00.000Z"); // EST
    expect(() => parseLocalDateTime(overlap, { timeZone: zone, disambiguation: "reject" })).toThrow(/exists twice/);
    // Just outside the transitions nothing is ambiguous.
    expect(iso("2026-11-01T00:59:59", { timeZone: zone, disambiguation: "reject" })).toBe("2026-11-01T04:59:59.000Z");
    expect(iso("2026-11-01T02:00:00", { timeZone: zone, disambiguation: "reject" })).toBe("2026-11-01T07:00:00.000Z");
  });

  it("reads a value that carries an offset as that instant", () => {
    expect(iso("2026-03-01T06:00:00Z", { timeZone: "Asia/Kolkata" })).toBe("2026-03-01T06:00:00.000Z");
    expect(iso("2026-03-01T06:00:00+05:30")).toBe("2026-03-01T00:30:00.000Z");
    expect(iso("2026-03-01T06:00:00.5-0100")).toBe("2026-03-01T07:00:00.500Z");
  });

  it("refuses impossible dates, other formats, unknown zones and options with a clear error", () => {
    expect(() => parseLocalDateTime("2026-02-30T00:00:00")).toThrow(
      new RangeError('parseLocalDateTime: "2026-02-30T00:00:00" has no day 30: February 2026 has 28 days'),
    );
    expect(() => parseLocalDateTime("2025-02-29T00:00:00")).toThrow(/February 2025 has 28 days/);
    expect(() => parseLocalDateTime("2026-04-31T00:00:00")).toThrow(/April 2026 has 30 days/);
    expect(() => parseLocalDateTime("2026-13-01T00:00:00")).toThrow(/no month 13/);
    expect(() => parseLocalDateTime("2026-03-01T24:00:00")).toThrow(/hour 24/);
    expect(() => parseLocalDateTime("2026-03-01T23:60:00")).toThrow(/minute 60/);
    expect(() => parseLocalDateTime("2026-03-01T23:59:60")).toThrow(/second 60/);
    expect(() => parseLocalDateTime("0000-01-01T00:00:00")).toThrow(/years 1 to 9999/);
    expect(() => parseLocalDateTime("2026-03-01T06:00:00+24:00")).toThrow(/impossible UTC offset/);
    for (const bad of ["yesterday", "2026-03-01", "2026-3-1T06:00:00", "", "2026-03-01T06:00:00 UTC"]) {
      expect(() => parseLocalDateTime(bad), bad).toThrow(/is not an ISO 8601 date-time/);
    }
    expect(() => parseLocalDateTime(1_700_000_000 as unknown as string)).toThrow(TypeError);
    expect(() => parseLocalDateTime("2026-03-01T06:00:00", { timeZone: "Mars/Olympus" })).toThrow(
      /timeZone "Mars\/Olympus" is not an IANA time zone/,
    );
    expect(() =>
      parseLocalDateTime("2026-03-01T06:00:00", { disambiguation: "nearest" as unknown as "earlier" }),
    ).toThrow(/disambiguation must be/);
  });

  it("refuses option names it does not know, naming the nearest one, instead of ignoring them", () => {
    const at = "2026-03-01T06:00:00";
    // A misspelt zone must not silently give the UTC reading (06:00Z instead of Berlin's 05:00Z).
    for (const [given, nearest] of [
      ["timezone", "timeZone"],
      ["time_zone", "timeZone"],
      ["TimeZone", "timeZone"],
      ["tz_name", undefined],
      ["zone", "timeZone"],
      ["disambiguaton", "disambiguation"],
      ["disambiguate", "disambiguation"],
    ] as const) {
      const options = { timeZone: "Europe/Berlin", [given]: "reject" } as unknown as ParseLocalDateTimeOptions;
      const error = (() => {
        try {
          parseLocalDateTime(at, options);
        } catch (e) {
          return e;
        }
      })();
      expect(error, given).toBeInstanceOf(RangeError);
      expect((error as RangeError).message, given).toBe(
        `parseLocalDateTime: unknown option \`${given}\`${
          nearest ? `; did you mean \`${nearest}\`?` : "."
        } Valid options: \`timeZone\`, \`disambiguation\`.`,
      );
    }
    expect(() => parseLocalDateTime(at, { timezone: "Europe/Berlin" } as ParseLocalDateTimeOptions)).toThrow(
      "did you mean `timeZone`?",
    );
    // Valid names, also when given as undefined, still work.
    expect(parseLocalDateTime(at, { timeZone: "Europe/Berlin" }).toISOString()).toBe("2026-03-01T05:00:00.000Z");
    expect(parseLocalDateTime(at, { timeZone: undefined, disambiguation: undefined }).toISOString()).toBe(
      "2026-03-01T06:00:00.000Z",
    );
    expect(parseLocalDateTime(at, {}).toISOString()).toBe("2026-03-01T06:00:00.000Z");
    // Options that are no object at all: a zone passed where the options go, null, an array.
    for (const [options, got] of [
      ["Europe/Berlin", '"Europe/Berlin"'],
      [null, "null"],
      [[], "an array"],
      [60, "number"],
    ] as const) {
      expect(() => parseLocalDateTime(at, options as unknown as ParseLocalDateTimeOptions)).toThrow(
        new TypeError(
          `parseLocalDateTime: options must be an object such as { timeZone: "Europe/Berlin" }, got ${got}`,
        ),
      );
    }
  });

  it("agrees with Temporal (the TC39 reference polyfill) across zones, DST changes and disambiguations", () => {
    const zones = [
      "UTC",
      "America/New_York",
      "America/Sao_Paulo",
      "Europe/Berlin",
      "Europe/London",
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "Australia/Lord_Howe", // a 30-minute DST change
      "Pacific/Apia", // skipped a whole day (2011-12-30)
      "Pacific/Chatham",
    ];
    // Every 30 minutes across each zone's transitions of 2026 (and Apia's skipped day), plus odd years.
    const times: string[] = ["0001-01-01T00:00:00", "1900-01-01T12:00:00", "9999-12-31T23:59:59.999999"];
    for (const zone of zones) {
      let at = Temporal.Instant.from("2026-01-01T00:00:00Z").toZonedDateTimeISO(zone);
      for (let i = 0; i < 6; i++) {
        const next = at.getTimeZoneTransition("next");
        if (!next || next.year > 2026) break;
        // Wall-clock arithmetic from the old offset's side, so skipped (gap) times are included too.
        const wall = next.subtract({ minutes: 1 }).toPlainDateTime().add({ minutes: 1 });
        for (let m = -120; m <= 120; m += 15) times.push(wall.add({ minutes: m }).toString());
        at = next;
      }
    }
    times.push("2011-12-30T12:00:00", "2011-12-29T23:30:00", "2011-12-31T00:00:00");
    let compared = 0;
    let ambiguous = 0;
    for (const zone of zones) {
      for (const time of times) {
        for (const disambiguation of ["compatible", "earlier", "later"] as const) {
          const expected = Temporal.PlainDateTime.from(time)
            .toZonedDateTime(zone, { disambiguation })
            .toInstant().epochMilliseconds;
          expect(
            parseLocalDateTime(time, { timeZone: zone, disambiguation }).getTime(),
            `${time} ${zone} ${disambiguation}`,
          ).toBe(expected);
          compared++;
        }
        let rejected = false;
        try {
          Temporal.PlainDateTime.from(time).toZonedDateTime(zone, { disambiguation: "reject" });
        } catch {
          rejected = true;
        }
        if (rejected) {
          ambiguous++;
          expect(() => parseLocalDateTime(time, { timeZone: zone, disambiguation: "reject" })).toThrow(RangeError);
        } else {
          expect(parseLocalDateTime(time, { timeZone: zone, disambiguation: "reject" })).toBeInstanceOf(Date);
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(ambiguous).toBeGreaterThan(20); // gaps and overlaps were really among them
  });

  it("gives the same instants whatever time zone the caller's process runs in", () => {
    // A child process per zone, running the built package as a user would.
    const dist = pathToFileURL(join(import.meta.dirname, "../dist/index.js")).href;
    const script = `
      const { parseLocalDateTime } = await import(${JSON.stringify(dist)});
      const cases = [
        ["2026-03-01T06:00:00", {}],
        ["2026-07-01T06:00:00.250000", {}],
        ["2026-03-08T02:30:00", { timeZone: "America/New_York" }],
        ["2026-11-01T01:30:00", { timeZone: "America/New_York" }],
        ["2026-03-29T02:30:00", { timeZone: "Europe/Berlin" }],
        ["2026-10-25T02:30:00", { timeZone: "Europe/Berlin", disambiguation: "later" }],
      ];
      console.log(JSON.stringify({
        offset: new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset(),
        naive: new Date("2026-03-01T06:00:00").toISOString(),
        parsed: cases.map(([v, o]) => parseLocalDateTime(v, o).toISOString()),
      }));`;
    const run = (tz: string) =>
      JSON.parse(
        execFileSync(process.execPath, ["--input-type=module", "-e", script], {
          env: { ...process.env, TZ: tz },
          encoding: "utf8",
        }),
      ) as { offset: number; naive: string; parsed: string[] };
    const utc = run("UTC");
    expect(utc.parsed).toEqual([
      "2026-03-01T06:00:00.000Z",
      "2026-07-01T06:00:00.250Z",
      "2026-03-08T07:30:00.000Z",
      "2026-11-01T05:30:00.000Z",
      "2026-03-29T01:30:00.000Z",
      "2026-10-25T01:30:00.000Z",
    ]);
    for (const tz of ["America/New_York", "Asia/Kolkata"]) {
      const result = run(tz);
      // The child really runs in that zone: new Date(offset-less) would be off by its offset...
      expect(result.offset, tz).not.toBe(0);
      expect(result.naive, tz).not.toBe("2026-03-01T06:00:00.000Z");
      // ...while parseLocalDateTime is not.
      expect(result.parsed, tz).toEqual(utc.parsed);
    }
  });
});

describe("date checks before sending", () => {
  const client = async () => {
    const server = await serve((_req, res) => json(res, 200, { count: 0, users: [] }));
    return { server, client: createTracesClient({ baseUrl: server.url, apiKey: "k", maxRetries: 0 }) };
  };
  const rejected = async (value: string | Date, pattern: RegExp) => {
    const { server, client: c } = await client();
    const error = await c.users.listUsersMetadata({ task_ids: ["t"], start_time: value }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, String(value)).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).param).toBe("start_time");
    expect((error as Error).message).toMatch(pattern);
    expect(server.requests).toHaveLength(0);
  };

  it("rejects impossible calendar dates and times that Date.parse would roll over", async () => {
    expect(Number.isNaN(Date.parse("2026-02-30T00:00:00"))).toBe(false); // what used to let them through
    await rejected(
      "2026-02-30T00:00:00",
      /`start_time` is not a date-time the engine reads: "2026-02-30T00:00:00" has no day 30: February 2026 has 28 days/,
    );
    await rejected("2026-02-29", /February 2026 has 28 days/);
    await rejected("2100-02-29T00:00:00Z", /February 2100 has 28 days/);
    await rejected("2026-06-31T12:00:00+02:00", /June 2026 has 30 days/);
    await rejected("2026-00-10T00:00:00", /no month 0/);
    await rejected("2026-03-00T00:00:00", /no day 0/);
    await rejected("2026-03-01T24:00:00", /hour 24/);
    await rejected("2026-03-01T10:61:00", /minute 61/);
    await rejected("2026-03-01T10:00:60Z", /second 60/);
    await rejected("2026-03-01T10:00:00+25:00", /impossible UTC offset/);
    await rejected("0000-03-01T10:00:00", /years 1 to 9999/);
    await rejected("yesterday", /`start_time` is not a date-time the engine reads: "yesterday" is neither an ISO 8601/);
    await rejected(new Date(Date.UTC(10_000, 0, 2)), /years 1 to 9999/);
  });

  it("sends a Date of the years 1 and 9999 whatever the caller's time zone, and refuses the years around them", async () => {
    const previous = process.env.TZ;
    try {
      for (const tz of ["Etc/GMT+5", "Etc/GMT-14", "America/New_York", "UTC"]) {
        process.env.TZ = tz;
        const { server, client: c } = await client();
        await c.users.listUsersMetadata({
          task_ids: ["t"],
          start_time: new Date("0001-01-01T00:00:00Z"),
          end_time: new Date("9999-12-31T23:59:59.999Z"),
        });
        const sent = server.requests.map((r) => [r.query.get("start_time"), r.query.get("end_time")])[0] ?? [];
        expect(
          sent.map((t) => new Date(t ?? "").toISOString()),
          tz,
        ).toEqual(["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"]);
        for (const t of sent) expect(t, tz).toMatch(/^(?!0000)\d{4}-/);
        await rejected(new Date("0000-12-31T23:59:59.999Z"), /years 1 to 9999/);
        await rejected(new Date("+010000-01-01T00:00:00Z"), /years 1 to 9999/);
      }
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it("sends real dates, leap days included, as given", async () => {
    const { server, client: c } = await client();
    for (const value of [
      "2024-02-29T00:00:00",
      "2000-02-29",
      "2026-03-01T23:59:59.999999+05:30",
      "2026-12-31T00:00:00Z",
    ]) {
      await c.users.listUsersMetadata({ task_ids: ["t"], start_time: value });
    }
    expect(server.requests.map((r) => r.query.get("start_time"))).toEqual([
      "2024-02-29T00:00:00",
      "2000-02-29",
      "2026-03-01T23:59:59.999999+05:30",
      "2026-12-31T00:00:00Z",
    ]);
  });
});
