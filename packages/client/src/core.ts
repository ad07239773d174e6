/**
 * `TracesCore`: one client's settings and transport, and `request`, the path every generated
 * operation takes: check the input, build URL, headers and body from the operation's metadata,
 * send (retries, timeouts, middleware), decode. `client.raw` sends through the same transport.
 */
import type { Middleware, MiddlewareRequestParams } from "openapi-fetch";
import { type APIPromise, apiPromise, type Exchange, requestIdOf } from "./api-promise.js";
import { APIError, InvalidRequestError } from "./errors.js";
import { checkMiddleware, checkRequestOptions } from "./options.js";
import type {
  MiddlewareEntry,
  OperationMetadata,
  ParamMetadata,
  ParamWriter,
  RequestOptions,
} from "./runtime-types.js";
import { LONE_SURROGATE } from "./serialize.js";
import { type ReadAs, type Received, type SendInput, send, type TransportConfig } from "./transport.js";
import { checkInput, inputFailure } from "./validate.js";

/** The longest delay timers accept; larger values fire at once. */
const MAX_TIMEOUT = 2_147_483_647;

/** Settings a core is made from (already checked). */
export interface CoreSettings {
  baseUrl: string;
  config: TransportConfig;
  /** Default headers, lower-case names. */
  headers: Record<string, string>;
  timeout: number;
  maxRetries: number;
}

/**
 * What every call goes through: base URL, key, defaults, middleware and logging of one client.
 * Pass it (or the client, which is one) to the standalone operation functions.
 */
export class TracesCore {
  /** The base URL calls go to, without a trailing slash. */
  readonly baseUrl: string;
  /** @internal Transport settings; not part of the public API. */
  readonly _config: TransportConfig;
  /** @internal Default headers with lower-case names (not enumerable: they may hold credentials). */
  declare readonly _headers: Record<string, string>;
  /** @internal Default per-attempt timeout (ms). */
  readonly _timeout: number;
  /** @internal Default number of retries. */
  readonly _maxRetries: number;

  /** Created by `createTracesCore` / `createTracesClient`. */
  constructor(settings: CoreSettings) {
    this.baseUrl = settings.baseUrl;
    this._config = settings.config;
    // Hidden from console.log, util.inspect and JSON.stringify, as the key is.
    Object.defineProperty(this, "_headers", { value: settings.headers });
    this._timeout = settings.timeout;
    this._maxRetries = settings.maxRetries;
    // `const { use } = client` works, as openapi-fetch's does.
    bindMethods(this);
  }

  /**
   * Adds middleware (openapi-fetch's `Middleware`: `onRequest`, `onResponse`, `onError`) that runs
   * on every attempt of every call, resource methods and `client.raw` alike, in the order added.
   */
  use(...middleware: Middleware[]): void {
    checkMiddleware("use()", middleware);
    for (const m of middleware) if (m) this._config.middleware.push(m);
  }

  /** Removes middleware added with `use`. */
  eject(...middleware: Middleware[]): void {
    for (const m of middleware) {
      const i = this._config.middleware.indexOf(m);
      if (i !== -1) this._config.middleware.splice(i, 1);
    }
  }
}

/**
 * Gives a resource an own, bound copy of each method of its class, so that a method taken off it
 * (`const { getUserDetails } = client.users`, or passed as a callback) still calls its client.
 * Writable, configurable and non-enumerable like the class's methods: `vi.spyOn` replaces them
 * as it would the originals.
 */
export function bindMethods(resource: object): void {
  const proto = Object.getPrototypeOf(resource) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = proto[name];
    if (name !== "constructor" && typeof method === "function") {
      Object.defineProperty(resource, name, { value: method.bind(resource), writable: true, configurable: true });
    }
  }
}

/**
 * Checks a `timeout` value: milliseconds, finite, above 0 and at most MAX_TIMEOUT. Throws
 * InvalidRequestError naming `timeout`; `where` starts the message (`createTracesClient`, the
 * operation's name, or `GET /path` for `client.raw`).
 */
export function checkTimeout(where: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT) {
    throw new InvalidRequestError(
      `${where}: \`timeout\` must be a positive number of milliseconds up to ${MAX_TIMEOUT}, got ${shown(value)}.`,
      "timeout",
    );
  }
  return value;
}

/** Checks a `maxRetries` value (an integer, 0 or more); throws InvalidRequestError naming `maxRetries`, with `where` first. */
export function checkRetries(where: string, value: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidRequestError(
      `${where}: \`maxRetries\` must be a non-negative integer, got ${shown(value)}.`,
      "maxRetries",
    );
  }
  return value;
}

/** A value as a message shows it: strings quoted, so that `"5000"` does not read as the number. */
function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Per-operation facts computed once, on the operation's first call. */
interface Compiled {
  /** Literal path pieces and path parameters, in order. */
  path: (string | ParamMetadata)[];
  /** The query, header and cookie parameters, in that order. */
  params: ParamMetadata[];
  /** Keys the parameter object may hold. */
  known: Set<string>;
  readAs: ReadAs;
  /** Throws InvalidRequestError naming the operation and parameter. */
  fail: (name: string, problem: string) => never;
  /** `checkInput`'s failure for this operation. */
  failInput: (param: string, problem: string) => never;
}

const compiled = new WeakMap<OperationMetadata, Compiled>();

/** The operation's per-call facts, computed on first use. */
export function compile(op: OperationMetadata): Compiled {
  let c = compiled.get(op);
  if (c) return c;
  // Literal pieces at even indices, `{name}` at odd ones; a name that is no path parameter stays as written.
  const path = op.path
    .split(/\{([^}]+)\}/)
    .map((piece, i) => (i % 2 ? (op.params.find((p) => p.in === "path" && p.name === piece) ?? `{${piece}}`) : piece));
  const nonPath = op.params.filter((p) => p.in !== "path");
  const at = (location: ParamMetadata["in"]) => nonPath.filter((p) => p.in === location);
  c = {
    path,
    params: [...at("query"), ...at("header"), ...at("cookie")],
    known: new Set(nonPath.map((p) => p.key ?? p.name)),
    readAs: op.response === "raw" ? "blob" : "text",
    fail: (name, problem) => {
      throw new InvalidRequestError(`${op.name}: \`${name}\` ${problem}. Nothing was sent.`, name);
    },
    failInput: inputFailure(op),
  };
  compiled.set(op, c);
  return c;
}

/**
 * Headers undici's fetch refuses from callers: it manages the connection itself (`connection`
 * takes only `close` and `keep-alive`, checked apart).
 */
const HOP_BY_HOP = /^(?:keep-alive|upgrade|expect|transfer-encoding)$/;

/** An RFC 9110 §5.6.2 token: what a header name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

/**
 * Copies headers into `target` with lower-case names: from a record, a `Headers` or any iterable
 * of `[name, value]` pairs; `null` removes the header and `undefined` leaves it as it is (so that
 * `{ "x-team": team }` with `team` unset keeps a default), arrays are joined with
 * `, ` and numbers and booleans written as text (openapi-fetch's `HeadersOptions`). Throws
 * InvalidRequestError, starting with `where`, for a name that is not a token, a hop-by-hop name fetch
 * refuses, or a value with a control character or one above U+00FF (fetch's own errors for these
 * come late, as connection errors, or quote the value, which may be a secret).
 */
export function mergeHeaders(where: string, target: Record<string, string>, extra: unknown): void {
  if (extra === undefined || extra === null) return;
  const bad = (problem: string): never => {
    throw new InvalidRequestError(`${where}: \`headers\` ${problem}.`, "headers");
  };
  if (typeof extra !== "object") bad(`must be an object of names to values, a Headers or [name, value] pairs`);
  const entries: Iterable<unknown> =
    Symbol.iterator in (extra as object) ? (extra as Iterable<unknown>) : Object.entries(extra as object);
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2) bad("pairs must be [name, value] arrays");
    const [name, value] = entry as [unknown, unknown];
    if (typeof name !== "string" || !TOKEN.test(name)) bad(`has an invalid header name ${JSON.stringify(name)}`);
    if (value === undefined) continue; // as in openapi-fetch: only `null` removes a header
    const key = (name as string).toLowerCase();
    if (value === null) {
      delete target[key];
      continue;
    }
    if (
      (typeof value === "object" && !Array.isArray(value)) ||
      typeof value === "symbol" ||
      typeof value === "function"
    ) {
      bad(
        `\`${name}\` must be a string, number or boolean, got ${typeof value === "object" ? "an object" : `a ${typeof value}`}`,
      );
    }
    const text = Array.isArray(value) ? value.map(String).join(", ") : String(value);
    // RFC 9110 §5.5: visible ASCII, space, tab and obs-text bytes (fetch's ByteString ends at U+00FF).
    if (/[^\t\x20-\x7e\x80-\xff]/.test(text)) {
      bad(
        `\`${name}\` has a control character or one above U+00FF, which no header value may hold (encode the value, e.g. with encodeURIComponent)`,
      );
    }
    if (HOP_BY_HOP.test(key) || (key === "connection" && !/^(?:close|keep-alive)$/i.test(text.trim()))) {
      bad(`\`${name}\` is a hop-by-hop header that fetch sets itself and refuses from callers`);
    }
    target[key] = text;
  }
}

/**
 * Sends one operation: `path` holds the path parameters by wire name, `params` the query, header
 * and cookie parameters by their keys. Resolves to the decoded body; `.withResponse()` adds the
 * `Response` and request id. Throws InvalidRequestError before sending when the input breaks the
 * spec, APIError subclasses for error statuses, APIConnectionError and friends when no answer came.
 */
export function request<T>(
  core: TracesCore,
  op: OperationMetadata,
  path: Record<string, unknown>,
  params: object | undefined,
  body: unknown,
  options: RequestOptions | undefined,
): APIPromise<T> {
  const exchange: Exchange = {};
  return apiPromise(call<T>(core, op, path, params, body, options, exchange), exchange);
}

/**
 * The one request of `request`: resolves to the body, after leaving the `Response` in `exchange`.
 * Not an async function (each one a call passes through costs a suspended frame): input errors
 * still reject the returned promise rather than throw.
 */
export function call<T>(
  core: TracesCore,
  op: OperationMetadata,
  path: Record<string, unknown>,
  params: object | undefined,
  body: unknown,
  options: RequestOptions | undefined,
  exchange: Exchange,
): Promise<T> {
  try {
    const prepared = prepare(core, op, path, params, body, options, exchange); // checks `core` first
    return send(core._config, prepared) as Promise<T>;
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Checks the input and builds the request: URL, headers and body from the operation's metadata. */
function prepare(
  core: TracesCore,
  op: OperationMetadata,
  path: Record<string, unknown>,
  params: object | undefined,
  body: unknown,
  options: RequestOptions | undefined,
  exchange: Exchange,
): OperationCall {
  if (!core?._config) {
    throw new InvalidRequestError(
      `${op.name}: the first argument must be a client from createTracesClient() or a core from createTracesCore(), got ${
        core === null || typeof core !== "object" ? String(core) : "another object"
      }.`,
      "core",
    );
  }
  const c = compile(op);
  checkInput(op, path, params, body, c.known, c.failInput);
  if (options !== undefined) checkRequestOptions(op.name, options);
  const given = (params ?? {}) as Record<string, unknown>;

  // Each parameter carries the writer of its location and style (see ParamMetadata.serialize).
  let url = core.baseUrl;
  const headers: Record<string, string> = { ...core._headers };
  const authorization = core._config.authorization();
  if (authorization) headers.authorization = authorization;
  if (op.accept) headers.accept = op.accept;
  let search = "";
  let cookies: string[] | undefined;
  let current: ParamMetadata | undefined;
  try {
    for (const piece of c.path) {
      if (typeof piece === "string") url += piece;
      else {
        current = piece;
        url += (piece.serialize as ParamWriter)(piece, path[piece.name], c.fail);
      }
    }
    for (const p of c.params) {
      const value = given[p.key ?? p.name];
      if (value === undefined || value === null) continue;
      current = p;
      const text = (p.serialize as ParamWriter)(p, value, c.fail);
      if (p.in === "query") {
        if (text) search = search ? `${search}&${text}` : text;
      } else if (p.in === "header") headers[p.name.toLowerCase()] = text;
      else if (cookies) cookies.push(text);
      else cookies = [text];
    }
  } catch (error) {
    // encodeURIComponent's error for a lone surrogate names no parameter.
    if (error instanceof URIError && current) c.fail(current.key ?? current.name, LONE_SURROGATE);
    throw error;
  }
  if (search) url += `?${search}`;
  if (cookies) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookies.join("; ")}` : cookies.join("; ");
  let encoded: BodyInit | undefined;
  if (body !== undefined && op.body) {
    const e = op.body.encode(op.body.contentType, body, op.body.encoding, op.name);
    encoded = e.body;
    if (e.contentType) headers["content-type"] = e.contentType;
  }
  if (options?.headers) mergeHeaders(op.name, headers, options.headers);

  return new OperationCall(core, op, exchange, url, headers, encoded, options, given, path);
}

/** One operation call as the transport sends it; `finish` decodes the last response. */
class OperationCall implements SendInput {
  readonly method: string;
  readonly idempotent: boolean;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly signal: AbortSignal | undefined;
  readonly middleware: readonly MiddlewareEntry[] | undefined;
  readonly schemaPath: string;
  readonly params: MiddlewareRequestParams;
  readonly readAs: ReadAs;
  readonly parseAs: SendInput["parseAs"];
  /** Built from `baseUrl`, with the key in `headers` (see `prepare`). */
  readonly ownOrigin = true;

  constructor(
    readonly core: TracesCore,
    readonly op: OperationMetadata,
    readonly exchange: Exchange,
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly body: BodyInit | undefined,
    options: RequestOptions | undefined,
    given: Record<string, unknown>,
    path: Record<string, unknown>,
  ) {
    this.method = op.method;
    this.idempotent = op.idempotent && !(typeof ReadableStream !== "undefined" && body instanceof ReadableStream);
    this.timeout = options?.timeout == null ? core._timeout : checkTimeout(op.name, options.timeout);
    this.maxRetries = options?.maxRetries == null ? core._maxRetries : checkRetries(op.name, options.maxRetries);
    this.signal = options?.signal;
    this.middleware = options?.middleware;
    this.schemaPath = op.path;
    this.params =
      core._config.middleware.length || options?.middleware?.length ? paramsFor(op, path, given) : NO_PARAMS;
    this.readAs = op.response === "raw" ? "blob" : "text";
    this.parseAs = op.response === "json" ? "json" : op.response === "raw" ? "blob" : "text";
  }

  finish(received: Received): unknown {
    this.exchange.response = received.response;
    return decode(this.core, this.op, this.url, received);
  }
}

const NO_PARAMS = Object.freeze({});

/** The parameters by location, as openapi-fetch middleware sees them. */
function paramsFor(op: OperationMetadata, path: Record<string, unknown>, given: Record<string, unknown>) {
  const out: {
    path: Record<string, unknown>;
    query?: Record<string, unknown>;
    header?: Record<string, unknown>;
    cookie?: Record<string, unknown>;
  } = { path: snapshot(path) as Record<string, unknown> };
  for (const p of op.params) {
    if (p.in === "path") continue;
    const value = given[p.key ?? p.name];
    if (value === undefined) continue;
    const bucket = p.in;
    const target = out[bucket] ?? {};
    // Copies: a hook that edits them must not change the call's later pages or attempts.
    target[p.name] = snapshot(value);
    out[bucket] = target;
  }
  return out;
}

/**
 * A copy of `value` as it is now: arrays and plain objects copied at every depth, Dates cloned.
 * Anything else (a Blob, FormData, an AbortSignal...) is kept as it is; a structure that holds
 * itself keeps the same cycle. Parameter objects of primitives and arrays of primitives, the
 * common case, are copied without the bookkeeping cycles need (it is made per call).
 */
export function snapshot(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (!flat(value)) return deepCopy(value, new Map());
  if (Array.isArray(value)) return value.slice();
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    copy[key] = Array.isArray(item) ? item.slice() : item instanceof Date ? new Date(item.getTime()) : item;
  }
  return copy;
}

/** Whether `value` holds only primitives, Dates and arrays of primitives (so cannot hold itself). */
function flat(value: object): boolean {
  const list = Array.isArray(value);
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item !== "object" || item === null || item instanceof Date) continue;
    if (list || !Array.isArray(item)) return false;
    for (let i = 0; i < item.length; i++) {
      const inner: unknown = item[i];
      if (typeof inner === "object" && inner !== null) return false;
    }
  }
  return true;
}

function deepCopy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime());
  const copied = seen.get(value);
  if (copied !== undefined) return copied;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(deepCopy(item, seen));
    return copy;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = proto === null ? Object.create(null) : {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = deepCopy((value as Record<string, unknown>)[key], seen);
  return copy;
}

/** The success body, or the APIError that matches the status. */
function decode(core: TracesCore, op: OperationMetadata, url: string, received: Received): unknown {
  const { response, text } = received;
  const ok = response.ok;
  if (ok && (op.response === "raw" || text === undefined)) return op.response === "none" ? undefined : response;
  let body: unknown = text === "" ? undefined : text;
  let parseError: unknown;
  if (text && (op.response === "json" || /json/i.test(response.headers.get("content-type") ?? ""))) {
    try {
      body = JSON.parse(text);
    } catch (error) {
      parseError = error;
    }
  }
  if (!ok) {
    const hint =
      response.status === 401 && !core._config.authorization()
        ? "No API key was configured: pass `apiKey` or set TRACES_API_KEY"
        : undefined;
    throw APIError.from({
      method: op.method,
      path: new URL(url).pathname,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body,
      requestId: requestIdOf(response.headers),
      ...(hint ? { hint } : {}),
    });
  }
  if (op.response === "none") return undefined;
  // The spec promises a JSON body: an empty one would resolve to `undefined` under the model's
  // type. 204 and 205 have no body by definition (RFC 9110 §15.3.5-6); 202 often has none.
  const status = response.status;
  if (body === undefined && op.response === "json" && status !== 202 && status !== 204 && status !== 205) {
    throw new APIError(
      `${op.method} ${new URL(url).pathname} answered ${status} with an empty body, where the API sends JSON`,
      { status, headers: response.headers, body: undefined, requestId: requestIdOf(response.headers) },
    );
  }
  if (parseError !== undefined) {
    const snippet = (text as string).length > 120 ? `${(text as string).slice(0, 120)}…` : text;
    throw new APIError(
      `${op.method} ${new URL(url).pathname} answered ${response.status} with a body that is not valid JSON (${
        (parseError as Error).message
      }): ${JSON.stringify(snippet)}`,
      { status: response.status, headers: response.headers, body: text, requestId: requestIdOf(response.headers) },
      { cause: parseError },
    );
  }
  return body;
}
