import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidRequestError } from "./errors.js";
import type { ParamMetadata } from "./runtime-types.js";
import {
  encodeBody,
  formatLocalDate,
  formatLocalDateTime,
  serializeCookieParam,
  serializeHeaderParam,
  serializePathParam,
  serializeQueryParam,
} from "./serialize.js";

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

  it("writes the instant in UTC where the zone's offset had seconds, so it is not shifted", () => {
    // Africa/Monrovia kept local mean time, -00:43:08, until 1919; getTimezoneOffset says 43 minutes.
    process.env.TZ = "Africa/Monrovia";
    const lmt = new Date(Date.UTC(1880, 0, 1, 12));
    expect(lmt.getTimezoneOffset()).toBe(43);
    expect(formatLocalDateTime(lmt)).toBe("1880-01-01T12:00:00.000Z");
    expect(new Date(formatLocalDateTime(lmt)).getTime()).toBe(lmt.getTime());
    // -00:44:30 from 1919 to 1972; whole-minute offsets since keep the local form.
    const half = new Date(Date.UTC(1950, 5, 1, 12, 0, 0, 250));
    expect(formatLocalDateTime(half)).toBe("1950-06-01T12:00:00.250Z");
    expect(formatLocalDateTime(new Date(Date.UTC(2026, 2, 1, 8, 30)))).toBe("2026-03-01T08:30:00.000+00:00");
    // Dates spread over 1880-1975 there are all written as their exact instant.
    for (let t = Date.UTC(1880, 0, 1); t < Date.UTC(1975, 0, 1); t += 86_400_000 * 37 + 3_600_000) {
      expect(new Date(formatLocalDateTime(new Date(t))).getTime()).toBe(t);
    }
  });

  it("writes the instant in UTC where its local year is outside 1..9999, which servers cannot read", () => {
    // Year 1 UTC is year 0 west of UTC; 9999-12-31T23:00Z is year 10000 east of it.
    const first = new Date("0001-01-01T00:00:00.000Z");
    const last = new Date("9999-12-31T23:00:00.000Z");
    process.env.TZ = "Etc/GMT+5";
    expect(first.getFullYear()).toBe(0);
    expect(formatLocalDateTime(first)).toBe("0001-01-01T00:00:00.000Z");
    expect(formatLocalDateTime(last)).toBe("9999-12-31T18:00:00.000-05:00");
    process.env.TZ = "Etc/GMT-14";
    expect(last.getFullYear()).toBe(10_000);
    expect(formatLocalDateTime(last)).toBe("9999-12-31T23:00:00.000Z");
    expect(formatLocalDateTime(first)).toBe("0001-01-01T14:00:00.000+14:00");
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

const param = (inn: ParamMetadata["in"], style: string, explode: boolean): ParamMetadata => ({
  name: "color",
  in: inn,
  required: false,
  style,
  explode,
  schema: {},
});
const query = (p: ParamMetadata, value: unknown) => {
  const out: string[] = [];
  serializeQueryParam(p, value, out);
  return out.join("&");
};

// The style examples of OpenAPI 3.1.1 §4.8.12.4.2 (RFC 6570 for path styles), for
// color = "blue", ["blue", "black", "brown"] and { R: 100, G: 200, B: 150 }; "" where the table says n/a.
const STRING = "blue";
const ARRAY = ["blue", "black", "brown"];
const OBJECT = { R: 100, G: 200, B: 150 };
const TABLE: Array<[ParamMetadata["in"], string, boolean, string, string, string]> = [
  ["path", "simple", false, "blue", "blue,black,brown", "R,100,G,200,B,150"],
  ["path", "simple", true, "blue", "blue,black,brown", "R=100,G=200,B=150"],
  ["path", "label", false, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
  ["path", "label", true, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
  ["path", "matrix", false, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"],
  ["path", "matrix", true, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"],
  ["query", "form", false, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
  ["query", "form", true, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"],
  ["query", "spaceDelimited", false, "", "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"],
  ["query", "pipeDelimited", false, "", "color=blue|black|brown", "color=R|100|G|200|B|150"],
  ["query", "deepObject", true, "", "", "color[R]=100&color[G]=200&color[B]=150"],
  ["header", "simple", false, "blue", "blue,black,brown", "R,100,G,200,B,150"],
  ["header", "simple", true, "blue", "blue,black,brown", "R=100,G=200,B=150"],
  ["cookie", "form", false, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
];

describe("the OpenAPI style table", () => {
  for (const [inn, style, explode, string, array, object] of TABLE) {
    it(`${inn} ${style} explode=${explode}`, () => {
      const p = param(inn, style, explode);
      const run = (value: unknown) =>
        inn === "path"
          ? serializePathParam(p, value)
          : inn === "query"
            ? query(p, value)
            : inn === "header"
              ? serializeHeaderParam(p, value)
              : serializeCookieParam(p, value);
      if (string) expect(run(STRING)).toBe(string);
      if (array) expect(run(ARRAY)).toBe(array);
      if (object) expect(run(OBJECT)).toBe(object);
    });
  }

  it("sends exploded cookie arrays as one cookie each (a Cookie header cannot carry &)", () => {
    expect(serializeCookieParam(param("cookie", "form", true), ARRAY)).toBe("color=blue; color=black; color=brown");
  });

  it("percent-encodes values (delimiters inside values too) and leaves unset members out", () => {
    expect(query(param("query", "form", false), ["a,b", "c d", "é&"])).toBe("color=a%2Cb,c%20d,%C3%A9%26");
    expect(serializePathParam(param("path", "simple", false), "a/b?c#d e%")).toBe("a%2Fb%3Fc%23d%20e%25");
    expect(query(param("query", "deepObject", true), { a: 1, b: undefined })).toBe("color[a]=1");
  });

  it("refuses a header value that a header cannot carry", () => {
    expect(() => serializeHeaderParam(param("header", "simple", false), "é")).toThrow(/printable ASCII/);
    expect(() => serializeHeaderParam(param("header", "simple", false), "a\r\nx: y")).toThrow(InvalidRequestError);
  });

  it("refuses what a style has no serialization for, instead of sending something else", () => {
    expect(() => query(param("query", "deepObject", true), { a: { b: 1 } })).toThrow(InvalidRequestError);
    expect(() => query(param("query", "deepObject", true), ["a"])).toThrow(/deepObject/);
    expect(() => query(param("query", "form", false), [["a"]])).toThrow(/nested array/);
    expect(() => serializePathParam(param("path", "simple", false), [null])).toThrow(/null member/);
  });

  it("writes Dates in local time, per format", () => {
    process.env.TZ = "Europe/Berlin";
    const date = new Date(Date.UTC(2026, 2, 1, 23, 30));
    expect(query({ ...param("query", "form", true), format: "date-time" }, date)).toBe(
      "color=2026-03-02T00%3A30%3A00.000%2B01%3A00",
    );
    expect(query({ ...param("query", "form", false), format: "date" }, [date])).toBe("color=2026-03-02");
  });
});

describe("encodeBody", () => {
  it("encodes per content type", async () => {
    expect(encodeBody("application/json", { a: 1 }, undefined, "op").body).toBe('{"a":1}');
    expect(encodeBody("application/merge-patch+json", { a: 1 }, undefined, "op").contentType).toBe(
      "application/merge-patch+json",
    );
    const form = encodeBody(
      "application/x-www-form-urlencoded",
      { a: ["x", "y"], b: "c d", meta: { k: 1 }, skip: undefined },
      { meta: { contentType: "application/json" } },
      "op",
    );
    expect(form.body).toBe("a=x&a=y&b=c+d&meta=%7B%22k%22%3A1%7D");
    const multipart = encodeBody("multipart/form-data", { file: new Blob(["x"]), tags: ["a", "b"] }, undefined, "op");
    expect(multipart.contentType).toBeUndefined();
    expect((multipart.body as FormData).getAll("tags")).toEqual(["a", "b"]);
    expect(encodeBody("text/plain", "hi", undefined, "op").body).toBe("hi");
    const bytes = new Uint8Array([1, 2]);
    expect(encodeBody("application/octet-stream", bytes, undefined, "op").body).toBe(bytes);
    expect(() => encodeBody("application/octet-stream", { a: 1 }, undefined, "op")).toThrow(InvalidRequestError);
  });
});
