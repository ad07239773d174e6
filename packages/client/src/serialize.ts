/**
 * How values go on the wire, per parameter, as the spec declares them: OpenAPI's `style` and
 * `explode` for `in: path | query | header | cookie` (OpenAPI 3.1 §4.8.12.4, RFC 6570 for the
 * path styles), `Date`s in the caller's local time with its offset, and request bodies encoded
 * per content type. A value a style cannot express throws `InvalidRequestError`; nothing here
 * drops or reshapes a value silently.
 */
import { InvalidRequestError } from "./errors.js";
import type { BodyEncoder, Fail, ParamMetadata, ParamWriter, TextWriter as Text } from "./runtime-types.js";

/**
 * `2026-03-01T09:30:00.000+01:00`: the instant in the runtime's local time zone, with its UTC
 * offset. ISO 8601 offsets have whole minutes only, so where the zone's offset then was not a
 * whole number of minutes (local mean time before a zone's standardisation, e.g. Africa/Monrovia
 * until 1972 at -00:44:30), the instant is written in UTC instead: `1880-01-01T12:00:00.000Z`.
 * (`getTimezoneOffset` truncates such offsets to minutes, which would shift the instant.) So is
 * an instant whose local year is outside 1..9999, which ISO 8601 writes only with an expanded
 * year that servers refuse: `0001-01-01T00:00:00.000Z` is local year 0 west of UTC.
 */
export function formatLocalDateTime(date: Date): string {
  const wall = new Date(0);
  wall.setUTCFullYear(date.getFullYear(), date.getMonth(), date.getDate());
  wall.setUTCHours(date.getHours(), date.getMinutes(), date.getSeconds(), date.getMilliseconds());
  const offsetMs = wall.getTime() - date.getTime(); // exact, seconds included
  const year = date.getFullYear();
  if (offsetMs % 60_000 !== 0 || year < 1 || year > 9999) return date.toISOString();
  const offset = offsetMs / 60_000;
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return (
    `${formatLocalDate(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `.${pad(date.getMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** `2026-03-01`: the calendar date in the runtime's local time zone. */
export function formatLocalDate(date: Date): string {
  const year = date.getFullYear();
  const y = year < 0 ? `-${pad(-year, 6)}` : year > 9999 ? `+${pad(year, 6)}` : pad(year, 4);
  return `${y}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** One primitive value as text; `format` says how a `Date` is written (`date` or date-time). */
export function formatValue(value: unknown, format?: string): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return format === "date" ? formatLocalDate(value) : formatLocalDateTime(value);
  return String(value);
}

/** Why a string with a lone surrogate cannot go on the wire (`encodeURIComponent` throws a bare URIError). */
export const LONE_SURROGATE = "is not well-formed Unicode (it has a lone surrogate), so it cannot be percent-encoded";

const failPlain: Fail = (name, problem) => {
  throw new InvalidRequestError(`\`${name}\` ${problem}. Nothing was sent.`, name);
};

const enc = encodeURIComponent;

/** Whether `value` is written as one primitive (strings, numbers, booleans and `Date`s). */
function primitive(value: unknown): boolean {
  return typeof value !== "object" || value === null || value instanceof Date;
}

/** A primitive member of an array or object value; nested structures have no defined serialization. */
function member(p: ParamMetadata, value: unknown, fail: Fail, text: Text): string {
  if (value === null || value === undefined)
    fail(p.name, `has a ${String(value)} member, which style \`${style(p)}\` cannot send`);
  if (typeof value === "object" && !(value instanceof Date)) {
    fail(
      p.name,
      `has a nested ${Array.isArray(value) ? "array" : "object"}, which style \`${style(p)}\` cannot send (OpenAPI defines one level only); send it as JSON in a body instead`,
    );
  }
  return text(value, p.format);
}

/** An object value's set properties as `[key, member text]` pairs, in order. */
function members(p: ParamMetadata, value: object, fail: Fail, text: Text): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out.push([k, member(p, v, fail, text)]);
  return out;
}

/** The style a parameter uses: its own, or the default of its location (OpenAPI 3.1 §4.8.12.4.1). */
export function style(p: ParamMetadata): string {
  return p.style ?? (p.in === "query" || p.in === "cookie" ? "form" : "simple");
}

/** Whether a parameter explodes: its own flag, or true for `form` and false otherwise (OpenAPI's default). */
function explodes(p: ParamMetadata): boolean {
  return p.explode ?? style(p) === "form";
}

/** Percent-encodes all but RFC 3986's reserved characters (`allowReserved: true`). */
function encodeReserved(text: string): string {
  return encodeURI(text).replace(/[#]/g, "%23");
}

/** A parameter given as a media type (`content`) instead of a style: its JSON text, or the string as is. */
function contentText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

// The writers the generator assigns to parameters (`ParamMetadata.serialize`), one per location
// and style, so that a bundle carries only the styles its operations use. A writer is called with
// three arguments; `text` then defaults to `p.text`, set only where a `Date` can reach the value,
// else `String`. The generic serializers below pass `formatValue`.

/**
 * Query, style `form` (the default; `joiner` `,`), and `spaceDelimited` (`%20`) and
 * `pipeDelimited` (`|`): exploded arrays repeat the name, exploded objects use their own keys as
 * names (`R=100&G=200`), the rest join their members with `joiner`. Returns the `&`-joined pairs,
 * "" for none.
 */
export function queryForm(
  p: ParamMetadata,
  value: unknown,
  fail: Fail,
  text: Text = p.text ?? String,
  joiner = ",",
): string {
  const name = enc(p.name);
  const encodeValue = p.allowReserved ? encodeReserved : enc;
  if (primitive(value)) return `${name}=${encodeValue(text(value, p.format))}`;
  const explode = p.explode ?? joiner === ",";
  if (Array.isArray(value)) {
    // Concatenation, not map and join: this runs on every call, and arrays are the common case.
    let out = "";
    for (let i = 0; i < value.length; i++) {
      const item = encodeValue(member(p, value[i], fail, text));
      out = explode ? (i ? `${out}&${name}=${item}` : `${name}=${item}`) : i ? out + joiner + item : item;
    }
    return explode || !value.length ? out : `${name}=${out}`;
  }
  const pairs = members(p, value as object, fail, text);
  if (explode) return pairs.map(([k, v]) => `${enc(k)}=${encodeValue(v)}`).join("&");
  return `${name}=${pairs.map(([k, v]) => `${enc(k)}${joiner}${encodeValue(v)}`).join(joiner)}`;
}

/** Query, style `deepObject`: `name[key]=value` per property; arrays have no such form. */
export function queryDeepObject(p: ParamMetadata, value: unknown, fail: Fail, text: Text = p.text ?? String): string {
  const name = enc(p.name);
  const encodeValue = p.allowReserved ? encodeReserved : enc;
  if (primitive(value)) return `${name}=${encodeValue(text(value, p.format))}`;
  if (Array.isArray(value)) fail(p.name, "is an array, which style `deepObject` cannot send (it takes an object)");
  return members(p, value as object, fail, text)
    .map(([k, v]) => `${name}[${enc(k)}]=${encodeValue(v)}`)
    .join("&");
}

/**
 * Path styles: `simple` (`blue`, `blue,black`, `R,100` or `R=100`), `label` (prefix `.`:
 * `.blue`, `.blue,black` / `.blue.black`) or `matrix` (prefix `;`: `;color=blue`,
 * `;color=blue,black` / `;color=blue;color=black`), per RFC 6570 §3.2.2, §3.2.5 and §3.2.7.
 */
function pathStyle(p: ParamMetadata, value: unknown, fail: Fail, text: Text, prefix: "" | "." | ";"): string {
  const name = enc(p.name);
  const matrix = prefix === ";";
  if (primitive(value)) {
    const t = enc(text(value, p.format));
    return matrix ? `;${name}${t === "" ? "" : `=${t}`}` : `${prefix}${t}`;
  }
  const explode = p.explode ?? false;
  const sep = explode ? prefix || "," : ",";
  const items = Array.isArray(value)
    ? value.map((v) => enc(member(p, v, fail, text)))
    : members(p, value as object, fail, text).map(([k, v]) => `${enc(k)}${explode ? "=" : ","}${enc(v)}`);
  if (!matrix) return prefix + items.join(sep);
  if (!explode) return `;${name}=${items.join(",")}`;
  // Exploded: an array repeats the name (`;color=blue;color=black`), an object uses its keys (`;R=100`).
  const lead = Array.isArray(value) ? `;${name}=` : ";";
  return items.map((v) => lead + v).join("");
}

/** Path, style `simple` (the default and by far the most common): `blue`, `blue,black`, `R,100` or `R=100`. */
export function pathSimple(p: ParamMetadata, value: unknown, fail: Fail, text: Text = p.text ?? String): string {
  if (primitive(value)) return enc(text(value, p.format));
  if (Array.isArray(value)) return value.map((v) => enc(member(p, v, fail, text))).join(",");
  const kv = p.explode ? "=" : ",";
  return members(p, value as object, fail, text)
    .map(([k, v]) => `${enc(k)}${kv}${enc(v)}`)
    .join(",");
}

/** Header, style `simple` or `content`; not percent-encoded, so printable ASCII only (RFC 9110 §5.5). */
export function headerSimple(p: ParamMetadata, value: unknown, fail: Fail, text: Text = p.text ?? String): string {
  let t: string;
  if (p.contentType !== undefined) t = contentText(value);
  else if (primitive(value)) t = text(value, p.format);
  else if (Array.isArray(value)) t = value.map((v) => member(p, v, fail, text)).join(",");
  else {
    const kv = explodes(p) ? "=" : ",";
    t = members(p, value as object, fail, text)
      .map(([k, v]) => `${k}${kv}${v}`)
      .join(",");
  }
  if (!/^[\t\x20-\x7e]*$/.test(t)) {
    fail(
      p.name,
      "must be printable ASCII to be sent as a header (no line breaks or non-ASCII letters); encode it first",
    );
  }
  return t;
}

/** Cookie, style `form` or `content`: `name=value`, exploded arrays and objects as one pair each, joined with `; ` (RFC 6265 §4.2.1). */
export function cookieForm(p: ParamMetadata, value: unknown, fail: Fail, text: Text = p.text ?? String): string {
  const name = p.name;
  if (p.contentType !== undefined) return `${name}=${enc(contentText(value))}`;
  if (primitive(value)) return `${name}=${enc(text(value, p.format))}`;
  const explode = explodes(p);
  if (Array.isArray(value)) {
    const items = value.map((v) => enc(member(p, v, fail, text)));
    return explode ? items.map((v) => `${name}=${v}`).join("; ") : `${name}=${items.join(",")}`;
  }
  const pairs = members(p, value as object, fail, text);
  return explode
    ? pairs.map(([k, v]) => `${k}=${enc(v)}`).join("; ")
    : `${name}=${pairs.map(([k, v]) => `${enc(k)},${enc(v)}`).join(",")}`;
}

/** Path, style `label`. */
export const pathLabel: ParamWriter = (p, value, fail) => pathStyle(p, value, fail, p.text ?? String, ".");
/** Path, style `matrix`. */
export const pathMatrix: ParamWriter = (p, value, fail) => pathStyle(p, value, fail, p.text ?? String, ";");
/** Query, style `spaceDelimited`. */
export const querySpaceDelimited: ParamWriter = (p, value, fail) => queryForm(p, value, fail, p.text ?? String, "%20");
/** Query, style `pipeDelimited`. */
export const queryPipeDelimited: ParamWriter = (p, value, fail) => queryForm(p, value, fail, p.text ?? String, "|");
/** Query, with `content` (a media type): `name=<JSON text>`. */
export const queryContent: ParamWriter = (p, value) => `${enc(p.name)}=${enc(contentText(value))}`;

/**
 * Appends the `name=value` pairs of one query parameter (already percent-encoded) to `out`.
 * Styles: `form` (exploded: repeated keys; not: comma-separated), `spaceDelimited` (`%20`),
 * `pipeDelimited` (`|`), `deepObject` (`name[key]=value`). Parameters with `content` are sent as
 * that media type (JSON text).
 */
export function serializeQueryParam(p: ParamMetadata, value: unknown, out: string[], fail: Fail = failPlain): void {
  const s = style(p);
  const pairs =
    p.contentType !== undefined
      ? queryContent(p, value, fail)
      : s === "deepObject"
        ? queryDeepObject(p, value, fail, formatValue)
        : queryForm(p, value, fail, formatValue, s === "spaceDelimited" ? "%20" : s === "pipeDelimited" ? "|" : ",");
  if (pairs) out.push(pairs);
}

/**
 * One path parameter as it replaces `{name}`: `simple` (`blue`, `blue,black`, `R,100` or `R=100`),
 * `label` (`.blue`, `.blue,black` / `.blue.black`) or `matrix` (`;color=blue`,
 * `;color=blue,black` / `;color=blue;color=black`), per RFC 6570 §3.2.2, §3.2.5 and §3.2.7.
 */
export function serializePathParam(p: ParamMetadata, value: unknown, fail: Fail = failPlain): string {
  const s = style(p);
  return pathStyle(p, value, fail, formatValue, s === "label" ? "." : s === "matrix" ? ";" : "");
}

/**
 * One header parameter's value: `simple` style (`blue,black`; objects `R,100` or exploded `R=100`).
 * Header values are not percent-encoded, so they must be printable ASCII (RFC 9110 §5.5).
 */
export function serializeHeaderParam(p: ParamMetadata, value: unknown, fail: Fail = failPlain): string {
  return headerSimple(p, value, fail, formatValue);
}

/**
 * One cookie parameter as `Cookie` pairs: `form` style, the value percent-encoded. Arrays and
 * objects not exploded are comma-joined (`color=blue,black`); exploded ones become one pair each,
 * joined with `; ` as cookies are (RFC 6265 §4.2.1).
 */
export function serializeCookieParam(p: ParamMetadata, value: unknown, fail: Fail = failPlain): string {
  return cookieForm(p, value, fail, formatValue);
}

/** How one property of a form body is encoded (OpenAPI's Encoding Object). */
export interface PropertyEncoding {
  readonly contentType?: string;
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
}

/**
 * A request body as the content type wants it, plus the `content-type` to send (undefined when
 * fetch sets it itself, as it does for `FormData` with its boundary):
 * JSON (`application/json` and every `+json`): `JSON.stringify`;
 * `application/x-www-form-urlencoded`: each property by its encoding's style (default `form`,
 * exploded), objects under `contentType: application/json` as JSON text;
 * `multipart/form-data`: one part per property (arrays: one part per item), `Blob`s as files,
 * objects as JSON, the rest as text;
 * `text/*`: the text; anything else (`application/octet-stream`, images...): a `Blob`,
 * `ArrayBuffer`, typed array, `ReadableStream`, `URLSearchParams`, `FormData` or string as is.
 */
export function encodeBody(
  contentType: string,
  body: unknown,
  encoding: Readonly<Record<string, PropertyEncoding>> | undefined,
  name: string,
): { body: BodyInit; contentType: string | undefined } {
  const type = contentType.toLowerCase();
  if (type === "application/json" || /^application\/[^;]*\+json\b|^application\/json\b/.test(type)) {
    return { body: JSON.stringify(body), contentType };
  }
  if (body instanceof FormData) return { body, contentType: undefined };
  if (type.startsWith("multipart/")) {
    if (!isRecord(body)) failBody(name, contentType, "an object of parts or a FormData");
    const form = new FormData();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === undefined || item === null) continue;
        if (item instanceof Blob) form.append(key, item);
        else if (typeof item === "object" && !(item instanceof Date)) {
          const partType = encoding?.[key]?.contentType ?? "application/json";
          form.append(key, new Blob([JSON.stringify(item)], { type: partType }));
        } else form.append(key, formatValue(item));
      }
    }
    return { body: form, contentType: undefined };
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    if (body instanceof URLSearchParams) return { body: body.toString(), contentType };
    if (!isRecord(body)) failBody(name, contentType, "an object of fields or a URLSearchParams");
    const out: string[] = [];
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (value === undefined || value === null) continue;
      const e = encoding?.[key];
      if (e?.contentType !== undefined && /json/i.test(e.contentType)) {
        out.push(`${enc(key)}=${enc(JSON.stringify(value))}`);
        continue;
      }
      const p: ParamMetadata = {
        name: key,
        in: "query",
        required: false,
        style: e?.style,
        explode: e?.explode,
        allowReserved: e?.allowReserved,
        schema: {},
      };
      serializeQueryParam(p, value, out, (param, problem) =>
        failBody(name, contentType, `field \`${param}\` ${problem}`),
      );
    }
    return { body: out.join("&").replace(/%20/g, "+"), contentType };
  }
  if (typeof body === "string") return { body, contentType };
  if (type.startsWith("text/")) {
    if (typeof body === "number" || typeof body === "boolean") return { body: String(body), contentType };
    failBody(name, contentType, "a string");
  }
  if (
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    (typeof ReadableStream !== "undefined" && body instanceof ReadableStream)
  ) {
    return { body: body as BodyInit, contentType };
  }
  return failBody(name, contentType, "a Blob, ArrayBuffer, typed array, ReadableStream or string");
}

/** `encodeBody` of a JSON media type (`application/json`, `*+json`), alone: `JSON.stringify`. */
export const encodeJson: BodyEncoder = (contentType, body) => ({ body: JSON.stringify(body), contentType });

function isRecord(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function failBody(name: string, contentType: string, expected: string): never {
  throw new InvalidRequestError(
    `${name}: the request body is sent as \`${contentType}\` and must be ${expected}. Nothing was sent.`,
    "body",
  );
}
