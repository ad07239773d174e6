/**
 * Checks of the options objects callers pass: unknown names (with the nearest valid one) and a
 * key that would travel over plain HTTP. Typos such as `baseURL` must not be ignored silently.
 */
import type { TracesClientOptions } from "./client.js";
import { InvalidRequestError } from "./errors.js";
import type { RequestOptions } from "./runtime-types.js";

/** Every option of `createTracesClient`; the type makes a new option fail to compile until it is listed. */
const CLIENT_OPTIONS: { readonly [K in keyof Required<TracesClientOptions>]: true } = {
  baseUrl: true,
  apiKey: true,
  timeout: true,
  maxRetries: true,
  fetch: true,
  headers: true,
};

/** Every per-request option; as above, the type keeps the list complete. */
const REQUEST_OPTIONS: { readonly [K in keyof Required<RequestOptions>]: true } = {
  signal: true,
  timeout: true,
  maxRetries: true,
  headers: true,
};

/**
 * Spellings other HTTP clients and SDKs use for our options (openai-node's `baseURL`, ky's
 * `retry`, got's `prefixUrl`, ...), mapped to ours. Keys are normalised (see `normalise`).
 */
const ALIASES: Readonly<Record<string, string>> = {
  url: "baseUrl",
  baseuri: "baseUrl",
  host: "baseUrl",
  endpoint: "baseUrl",
  server: "baseUrl",
  serverurl: "baseUrl",
  prefixurl: "baseUrl",
  key: "apiKey",
  token: "apiKey",
  apitoken: "apiKey",
  authtoken: "apiKey",
  accesstoken: "apiKey",
  bearertoken: "apiKey",
  auth: "apiKey",
  authorization: "apiKey",
  timeoutms: "timeout",
  timeoutmillis: "timeout",
  requesttimeout: "timeout",
  retry: "maxRetries",
  retries: "maxRetries",
  maxretry: "maxRetries",
  maxattempts: "maxRetries",
  attempts: "maxRetries",
  fetchimpl: "fetch",
  fetchfn: "fetch",
  customfetch: "fetch",
  defaultheaders: "headers",
  extraheaders: "headers",
  abortsignal: "signal",
  loglevel: "logLevel",
  log: "logLevel",
  verbosity: "logLevel",
  debug: "logLevel",
  middlewares: "middleware",
  interceptors: "middleware",
  hooks: "middleware",
};

/** Lower case without `_`, `-` and spaces: `base_url`, `base-url` and `baseURL` all become `baseurl`. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, "");
}

/**
 * The valid name closest to `name`, or undefined when none is close: the same name in another
 * case or with separators, a known alias, then the smallest edit distance up to a third of the
 * name's length (the rule TypeScript uses for its own "did you mean" suggestions).
 */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  const wanted = normalise(name);
  const exact = valid.find((candidate) => normalise(candidate) === wanted);
  if (exact) return exact;
  const alias = ALIASES[wanted];
  if (alias && valid.includes(alias)) return alias;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of valid) {
    const distance = editDistance(wanted, normalise(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best) return best;
  // `maxRetriesCount`, `requestTimeout`: a valid name inside the given one.
  return valid.find((candidate) => {
    const c = normalise(candidate);
    return c.length >= 4 && (wanted.includes(c) || c.includes(wanted));
  });
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1] as number[];
      let value = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(value);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** Throws `InvalidRequestError` naming the first unknown key of `options`, and the nearest valid one. */
function checkKeys(where: string, options: object, known: object): void {
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(known, key)) continue;
    const valid = Object.keys(known);
    const nearest = nearestName(key, valid);
    throw new InvalidRequestError(
      `${where}: unknown option \`${key}\`${nearest ? `; did you mean \`${nearest}\`?` : "."} Valid options: ${valid
        .map((name) => `\`${name}\``)
        .join(", ")}.`,
      key,
    );
  }
}

/** Checks the options of `createTracesClient`: an object (or undefined) with known keys only. */
export function checkClientOptions(options: unknown): asserts options is TracesClientOptions | undefined {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidRequestError(
      `createTracesClient: expected an options object such as { baseUrl: "https://engine.example.com" }, got ${describe(options)}.`,
    );
  }
  checkKeys("createTracesClient", options, CLIENT_OPTIONS);
}

/** Checks per-request options (the last argument of every method): an object with known keys only. */
export function checkRequestOptions(where: string, options: unknown): void {
  if (options === undefined || options === null) return;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidRequestError(
      `${where}: expected per-request options such as { timeout: 5000 } as the last argument, got ${describe(options)}.`,
    );
  }
  checkKeys(where, options, REQUEST_OPTIONS);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `the string ${JSON.stringify(value)}` : `a ${typeof value}`;
}

/**
 * Whether `hostname` (as `URL.hostname` gives it) is this machine: `localhost` and its
 * subdomains (RFC 6761 §6.3), 127.0.0.0/8 and ::1.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === "[::1]" ||
    host === "[::ffff:7f00:1]" ||
    /^\[::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}\]$/.test(host)
  );
}

/** Where warnings go: `console.warn`-compatible. */
export type WarnSink = (message: string) => void;

const warned = new Set<string>();

/**
 * Writes `message` through `sink` (a client's logger) the first time `key` is seen in this process
 * (or page), so that a client created per request does not flood the log. Without a sink it goes
 * to `console.warn`, prefixed `[traces-sdk]` as the logger's lines are.
 */
export function warnOnce(key: string, message: string, sink?: WarnSink): void {
  if (warned.has(key)) return;
  warned.add(key);
  // biome-ignore lint/suspicious/noConsole: the default destination of the client's warnings.
  (sink ?? ((text: string) => console.warn(`[traces-sdk] ${text}`)))(message);
}

/** Warns once per origin when an API key would be sent unencrypted to another machine. */
export function warnPlainHttpKey(baseUrl: URL, hasKey: boolean, sink?: WarnSink): void {
  if (!hasKey || baseUrl.protocol !== "http:" || isLoopback(baseUrl.hostname)) return;
  warnOnce(
    `plain-http:${baseUrl.origin}`,
    `The API key is sent over plain HTTP to ${baseUrl.origin}, where anyone on the network path can read it. Use an https:// baseUrl.`,
    sink,
  );
}
