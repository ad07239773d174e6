/**
 * How values go on the wire: query strings with repeated keys, `Date`s in the caller's local time
 * with its offset, percent-encoded path segments. Nothing here drops a value silently.
 */

/** `2026-03-01T09:30:00.000+01:00`: the instant in the runtime's local time zone, with its UTC offset. */
export function formatLocalDateTime(date: Date): string {
  const offset = -date.getTimezoneOffset();
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

/** One query value as text; `format` says how a `Date` is written (`date` or date-time). */
export function formatQueryValue(value: unknown, format?: string): string {
  if (value instanceof Date) return format === "date" ? formatLocalDate(value) : formatLocalDateTime(value);
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

/**
 * The query string (without `?`) for an object of wire names to values. Arrays become repeated
 * keys (`task_ids=a&task_ids=b`, OpenAPI `style: form, explode: true`); `undefined` and `null`
 * mean "not set" and are left out; everything else is written, `Date`s included.
 */
export function serializeQuery(query: object | undefined, formats: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  if (!query) return "";
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const format = formats[name];
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item !== undefined && item !== null) params.append(name, formatQueryValue(item, format));
      }
    } else {
      params.append(name, formatQueryValue(value, format));
    }
  }
  return params.toString();
}

/** Fills `{name}` placeholders with percent-encoded values. */
export function buildPath(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(formatQueryValue(values[name])));
}

/** Joins a base URL (which may have a path prefix) and an operation path. */
export function joinUrl(baseUrl: string, path: string, query: string): URL {
  const base = baseUrl.endsWith("/") ? baseUrl.slice(0, -1) : baseUrl;
  const url = new URL(`${base}${path}`);
  url.search = query;
  return url;
}
