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
  logLevel: true,
  logger: true,
  middleware: true,
};

/** Every per-request option; as above, the type keeps the list complete. */
const REQUEST_OPTIONS: { readonly [K in keyof Required<RequestOptions>]: true } = {
  signal: true,
  timeout: true,
  maxRetries: true,
  headers: true,
  middleware: true,
};

/**
 * Words other HTTP clients and SDKs use for our options (openai-node's `baseURL`, got's
 * `prefixUrl`, ky's `retry`, `token`, `interceptors`...), tried on the normalised name when no
 * valid name is close in spelling. Patterns, not a table: they cost a few bytes in every bundle.
 */
const ALIASES: readonly (readonly [RegExp, string])[] = [
  [/ur[li]|host|endpoint|server/, "baseUrl"],
  [/token|^auth|^key$/, "apiKey"],
  [/retr|attempt/, "maxRetries"],
  [/^log|verbos|debug/, "logLevel"],
  [/middleware|intercept|hook/, "middleware"],
];

/** Lower case without `_`, `-` and spaces: `base_url`, `base-url` and `baseURL` all become `baseurl`. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, "");
}

/**
 * The valid name closest to `name`, or undefined when none is close: the same name in another
 * case or with separators, a valid name it starts (4 characters or more), then the smallest edit
 * distance up to a third of the name's length (the rule TypeScript uses for its own "did you
 * mean" suggestions), then a valid name inside it or a known alias.
 */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  const wanted = normalise(name);
  const exact = valid.find((candidate) => normalise(candidate) === wanted);
  if (exact) return exact;
  // The start of a valid name (`start` for `start_time`) beats one a few edits away (`sort`).
  const prefix = wanted.length >= 4 ? valid.find((candidate) => normalise(candidate).startsWith(wanted)) : undefined;
  if (prefix) return prefix;
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
  // `timeoutMs`, `defaultHeaders`, `retries`: a valid name inside the given one, or the reverse.
  const inside = valid.find((candidate) => {
    const c = normalise(candidate);
    return wanted.length >= 4 && (wanted.includes(c) || c.includes(wanted));
  });
  return inside ?? ALIASES.find(([pattern, name]) => pattern.test(wanted) && valid.includes(name))?.[1];
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions from `a` to `b`. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] as number;
}

/**
 * Throws `InvalidRequestError` when `options` is not an object (undefined passes) or has a key
 * `known` lacks, naming it, the nearest valid one and every valid one.
 */
function checkKeys(where: string, options: unknown, known: object, example: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidRequestError(
      `${where}: expected an options object such as ${example}, got ${
        Array.isArray(options) ? "an array" : typeof options === "string" ? JSON.stringify(options) : String(options)
      }.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(known, key)) continue;
    const valid = Object.keys(known);
    const nearest = nearestName(key, valid);
    throw new InvalidRequestError(
      `${where}: unknown option \`${key}\`${nearest ? `; did you mean \`${nearest}\`?` : "."} Valid options: \`${valid.join("`, `")}\`.`,
      key,
    );
  }
}

/** What `client.raw` calls take: openapi-fetch's request options, and ours (`timeout`, `maxRetries`). */
const RAW_OPTIONS = Object.fromEntries(
  "params body headers parseAs baseUrl signal middleware querySerializer bodySerializer pathSerializer fetch timeout maxRetries"
    .split(" ")
    .map((name) => [name, true]),
);

/** `RequestInit` fields openapi-fetch hands to `fetch`, which `client.raw` does not. */
const FETCH_INIT =
  /^(?:cache|credentials|integrity|keepalive|mode|priority|redirect|referrer|referrerPolicy|window|duplex|dispatcher|method)$/;

/**
 * Checks the options of a `client.raw` call: an object (or undefined) with known keys only. A
 * `RequestInit` field is refused with how to set it: through a `fetch` of one's own.
 */
export function checkRawOptions(where: string, options: unknown): void {
  if (options && typeof options === "object") {
    const init = Object.keys(options).find((key) => FETCH_INIT.test(key));
    if (init) {
      throw new InvalidRequestError(
        `${where}: \`${init}\` is a fetch option client.raw does not pass on; set it in a \`fetch\` of your own (the client's \`fetch\` option, or this call's).`,
        init,
      );
    }
  }
  checkKeys(where, options, RAW_OPTIONS, "{ params: { query: { ... } } }");
}

/** Checks the options of `createTracesClient`: an object (or undefined) with known keys only. */
export function checkClientOptions(where: string, options: unknown): void {
  checkKeys(where, options, CLIENT_OPTIONS, '{ baseUrl: "https://engine.example.com" }');
}

/**
 * Checks per-request options (the last argument of every method): an object with known keys
 * only, whose `signal` is an AbortSignal and whose `middleware` is a list of middleware.
 */
export function checkRequestOptions(where: string, options: unknown): void {
  checkKeys(where, options, REQUEST_OPTIONS, "{ timeout: 5000 }");
  const { signal, middleware } = options as RequestOptions;
  checkSignal(where, signal);
  if (middleware !== undefined) checkMiddleware(where, middleware);
}

/**
 * Throws InvalidRequestError naming `signal` unless it is an AbortSignal, `null` or undefined.
 * Duck-typed: a signal from another realm (an iframe, a test environment) is still a signal.
 */
export function checkSignal(where: string, signal: unknown): void {
  if (signal === undefined || signal === null) return;
  const s = signal as Partial<AbortSignal>;
  if (typeof signal !== "object" || typeof s.aborted !== "boolean" || typeof s.addEventListener !== "function") {
    throw new InvalidRequestError(
      `${where}: \`signal\` must be an AbortSignal (an AbortController's \`signal\`), got ${typeof signal === "object" ? "an object" : JSON.stringify(signal)}.`,
      "signal",
    );
  }
}

/**
 * Checks a list of openapi-fetch `Middleware`: each an object with `onRequest`, `onResponse` or
 * `onError`. Like openapi-fetch's `use`, `null`, `undefined` and `false` entries are skipped
 * (`[debug && logging]`). Throws InvalidRequestError naming `middleware`, starting with `where`.
 */
export function checkMiddleware(where: string, middleware: unknown): void {
  if (!Array.isArray(middleware)) {
    throw new InvalidRequestError(`${where}: \`middleware\` must be an array of middleware objects.`, "middleware");
  }
  for (const m of middleware) {
    if (!m) continue;
    if (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
      throw new InvalidRequestError(
        `${where}: middleware must be an object with \`onRequest\`, \`onResponse\` or \`onError\`.`,
        "middleware",
      );
    }
  }
}

/**
 * Whether `hostname` (as `URL.hostname` gives it) is this machine: `localhost` and its
 * subdomains (RFC 6761 §6.3), 127.0.0.0/8 and ::1.
 */
export function isLoopback(hostname: string): boolean {
  return /^(localhost|.+\.localhost|127\.\d+\.\d+\.\d+|\[::1\])\.?$/i.test(hostname);
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
