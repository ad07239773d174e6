/**
 * The one request path of the client, shared by the resource methods and `client.raw`: per-attempt
 * timeouts, retries with backoff, middleware (openapi-fetch's `onRequest` / `onResponse` /
 * `onError`) on every attempt, redirects followed by the client itself so that the API key never
 * leaves the `baseUrl` origin, response bodies read inside the attempt so that no timer or socket
 * outlives it, and debug logging. Uses only `fetch`, `AbortController`, `Request`, `Headers` and
 * timers, so it runs wherever `fetch` does.
 */
import type { MergedOptions, Middleware, MiddlewareCallbackParams, MiddlewareRequestParams } from "openapi-fetch";
import { untilAborted } from "./abort.js";
import { diagnoseCors, notRetryable } from "./cors.js";
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "./errors.js";
import type { Logger } from "./logging.js";
import type { MiddlewareEntry } from "./runtime-types.js";

/** Longest wait between attempts (ms): a `Retry-After` asking for more ends the retries. */
export const MAX_RETRY_AFTER = 60_000;
const INITIAL_BACKOFF = 500;
const MAX_BACKOFF = 8_000;
const MAX_REDIRECTS = 10;
/** Headers that carry credentials; dropped when a redirect leaves the `baseUrl` origin. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie"];

/** Settings of one client: where the key may go, the fetch to use, middleware and logging. */
export interface TransportConfig {
  /** Origin of `baseUrl`; the only origin that receives the key. */
  origin: string;
  /** `Bearer <key>`, or undefined to send no `Authorization` header (a function, so that inspecting a client never shows the key). */
  authorization: () => string | undefined;
  /** The fetch implementation. */
  fetch: typeof fetch;
  /** Middleware added with `client.use`, in order. */
  middleware: Middleware[];
  /** Where log lines go; undefined when logging is off. */
  logger: Logger | undefined;
  /** Whether debug lines (one per attempt) are written. */
  debug: boolean;
  /** The fetch `redirect` mode (see `redirectMode`). */
  redirect: RequestRedirect;
}

/** What to do with a response body inside the attempt. */
export type ReadAs = "text" | "blob" | "none";

/** One logical request, ready to send. */
export interface SendInput {
  method: string;
  /** Absolute URL. */
  url: string;
  /**
   * Lower-case names, final: the key (or the caller's own `authorization`, or none when the caller
   * removed it) as the caller's `url` gets it. The transport adds no credentials; it only drops
   * them on a hop to another origin than `baseUrl`'s.
   */
  headers: Record<string, string>;
  body: BodyInit | undefined;
  /** Only idempotent requests are retried. */
  idempotent: boolean;
  timeout: number;
  maxRetries: number;
  signal: AbortSignal | undefined;
  /** Per-request middleware, after the client's (`false`, `null` and `undefined` entries skipped). */
  middleware: readonly MiddlewareEntry[] | undefined;
  /** For middleware: the spec's path template and the parameters as given. */
  schemaPath: string;
  params: MiddlewareRequestParams;
  /** How a successful body is read: `text` for JSON and text, `blob` for files, `none` for streams. */
  readAs: ReadAs;
  /** For `client.raw`'s middleware options. */
  parseAs: MergedOptions["parseAs"];
  /** True when `url` was built from `baseUrl` and `headers` already hold the key: the first hop skips the origin check. */
  ownOrigin?: boolean;
  /** Turns the last response into what `send` resolves to (may throw, e.g. an APIError for its status). */
  finish(received: Received): unknown;
}

/** A response and its body, read inside the attempt (`text` undefined when not read as text). */
export interface Received {
  response: Response;
  text: string | undefined;
}

/**
 * The fetch `redirect` mode. Outside browsers, `manual` hands us the 3xx with its `Location`, and
 * we follow it ourselves, dropping credentials on a cross-origin hop. Browsers answer a manual
 * redirect with an opaque response that hides `Location`, so there the browser follows it: the
 * Fetch standard removes `Authorization` on a cross-origin redirect
 * (https://fetch.spec.whatwg.org/#http-redirect-fetch, step "CORS non-wildcard request-header").
 */
export function redirectMode(): RequestRedirect {
  return typeof (globalThis as { document?: unknown }).document === "undefined" ? "manual" : "follow";
}

/** Something a caller's signal aborts: an attempt, or a wait between attempts. */
interface Abortable {
  abort(reason: unknown): void;
}

/** What each caller's signal aborts, by signal. */
const watched = new WeakMap<AbortSignal, Set<Abortable>>();

/**
 * Aborts `target` when `signal` aborts. A signal gets one listener however many calls share it
 * (Node.js warns about a leak past ten listeners on one signal).
 */
function watch(signal: AbortSignal, target: Abortable): void {
  let targets = watched.get(signal);
  if (!targets) {
    const set = new Set<Abortable>();
    targets = set;
    watched.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        for (const t of set) t.abort(signal.reason);
        set.clear();
      },
      { once: true },
    );
  }
  targets.add(target);
}

/** Rejection reason of `AttemptControl.guard` once the attempt is aborted; `connectionError` names the cause. */
const ABORTED = Symbol("aborted");
const aborted = () => ABORTED;

/**
 * One attempt's AbortController, aborted by its timeout (once `at`, in ms on the `performance.now()`
 * clock, has passed) or by the caller's signal.
 */
class AttemptControl implements Abortable {
  readonly controller = new AbortController();
  readonly at: number;
  /** Whether the deadline passed (the abort was a timeout, not the caller's). */
  timedOut = false;
  /** Neighbours in the list of pending deadlines; `pending` false once removed. */
  prev: AttemptControl | undefined = undefined;
  next: AttemptControl | undefined = undefined;
  pending = true;
  readonly #signal: AbortSignal | undefined;

  constructor(timeout: number, signal: AbortSignal | undefined) {
    this.at = performance.now() + timeout;
    // Appended to the list of pending deadlines (a list, not a Set: no hashing per call).
    this.prev = last;
    if (last) last.next = this;
    else first = this;
    last = this;
    if (this.at < timerAt) arm(this.at, timeout);
    if (signal) {
      this.#signal = signal;
      // Aborted while middleware ran: abort now, since the signal's event has fired already.
      if (signal.aborted) this.controller.abort(signal.reason);
      else watch(signal, this);
    }
  }

  /** Called with the caller's signal's reason when it aborts. */
  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** Called by the shared timer once the deadline has passed. */
  fire(): void {
    this.timedOut = true;
    this.controller.abort();
  }

  /**
   * Settles as `value` does, or rejects with ABORTED as soon as the attempt is aborted: a
   * middleware hook that never settles cannot outlive the timeout or the caller's signal.
   */
  guard<T>(value: T | PromiseLike<T>): Promise<Awaited<T>> {
    return untilAborted(value, this.controller.signal, aborted);
  }

  /** Ends the attempt: drops the deadline and, unless a stream was handed over, the caller's signal. */
  end(streaming = false): void {
    unlink(this);
    if (this.#signal && !streaming) watched.get(this.#signal)?.delete(this);
  }
}

/**
 * Per-attempt timeouts share one timer: a call adds its deadline to a set and deletes it when the
 * attempt ends, instead of arming and clearing a timer of its own (`setTimeout` and
 * `clearTimeout` were the largest cost the client added to a call). The timer is armed for the
 * earliest deadline, re-armed when a nearer one arrives, and left to lapse when the set empties,
 * so a steady stream of calls arms it about once per timeout period. Like Node's own
 * `AbortSignal.timeout()` and undici's timers, it is unref'd where the runtime has `unref`: it never
 * keeps a process alive by itself (an attempt in flight is kept alive by its socket).
 */
let first: AttemptControl | undefined;
let last: AttemptControl | undefined;

/** Removes a deadline from the pending list (once; later calls do nothing). */
function unlink(deadline: AttemptControl): void {
  if (!deadline.pending) return;
  deadline.pending = false;
  const { prev, next } = deadline;
  if (prev) prev.next = next;
  else first = next;
  if (next) next.prev = prev;
  else last = prev;
  deadline.prev = undefined;
  deadline.next = undefined;
}

let timer: ReturnType<typeof setTimeout> | undefined;
/** When the armed timer fires (Infinity: not armed). */
let timerAt = Number.POSITIVE_INFINITY;

function arm(at: number, ms: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(expire, ms);
  (timer as { unref?: () => void }).unref?.();
}

/** Fires every deadline that has passed and re-arms for the next one. */
function expire(): void {
  timer = undefined;
  timerAt = Number.POSITIVE_INFINITY;
  // Timers may fire up to a millisecond early on some runtimes; what is that close counts as due.
  const now = performance.now() + 1;
  let next = Number.POSITIVE_INFINITY;
  const due: AttemptControl[] = [];
  for (let deadline = first; deadline; deadline = deadline.next) {
    if (deadline.at <= now) due.push(deadline);
    else if (deadline.at < next) next = deadline.at;
  }
  // Fired after the walk: an abort runs listeners, which must not change the list under it.
  for (const deadline of due) {
    unlink(deadline);
    deadline.fire();
  }
  if (next < timerAt) arm(next, Math.max(0, next - performance.now()));
}

/**
 * Sends `input`, retrying as allowed, and resolves to `input.finish(received)` for the last
 * response (its body read), which may throw. The common attempt (no middleware) runs inline: every
 * async function a call passes through costs it a suspended frame and a promise.
 */
export async function send(config: TransportConfig, input: SendInput): Promise<unknown> {
  const middleware =
    input.middleware?.length || config.middleware.length
      ? [...config.middleware, ...(input.middleware ?? []).filter((m): m is Middleware => !!m)]
      : undefined;
  const id = middleware ? Math.random().toString(36).slice(2, 11) : "";
  for (let retry = 0; ; retry++) {
    if (input.signal?.aborted) throw abortError(input, input.signal);
    let received: Received | undefined;
    let failure: unknown;
    const started = config.debug ? Date.now() : 0;
    if (middleware) {
      try {
        received = await attemptWithMiddleware(config, input, retry, middleware, id);
      } catch (error) {
        failure = error;
      }
    } else {
      const control = new AttemptControl(input.timeout, input.signal);
      let response: Response | undefined;
      try {
        // A URL the client built from `baseUrl` needs no origin check: its headers carry the key already.
        const first = await hop(
          config,
          input.method,
          input.url,
          input.headers,
          input.body,
          control.controller,
          input.ownOrigin,
        );
        // Set only once final: a failed redirect leaves it undefined.
        response = isRedirect(config, first)
          ? await redirects(
              config,
              input.method,
              input.url,
              input.headers,
              input.body,
              control.controller,
              input,
              first,
            )
          : first;
      } catch (error) {
        control.end();
        failure = connectionError(error, input, retry, control.timedOut, config);
      }
      if (response !== undefined && input.readAs !== "text" && response.ok) {
        try {
          received = await receive(response, input, retry, control);
        } catch (error) {
          failure = error;
        }
      } else if (response !== undefined) {
        // JSON, text and every error status: read as text, under the attempt's timeout.
        try {
          received = { response, text: await response.text() };
        } catch (error) {
          failure = connectionError(error, input, retry, control.timedOut);
        } finally {
          control.end();
        }
      }
    }
    const status = received?.response.status;
    const retryable =
      ((failure instanceof APIConnectionError && !notRetryable.has(failure)) ||
        (status !== undefined && isRetryableStatus(status))) &&
      input.idempotent &&
      retry < input.maxRetries;
    if (config.debug) logAttempt(config, input, retry, received, failure, started);
    const delay = retryable ? retryDelay(retry, received?.response.headers) : 0;
    if (!retryable || delay > MAX_RETRY_AFTER) {
      if (retryable) {
        config.logger?.info(
          `not retrying ${input.method} ${input.url}: its Retry-After asks for ${Math.round(delay / 1000)} s, more than the ${MAX_RETRY_AFTER / 1000} s the client waits`,
        );
      }
      if (received) return input.finish(received);
      if (failure instanceof APIConnectionError)
        config.logger?.error(`${input.method} ${input.url} failed: ${(failure as Error).message}`);
      throw failure;
    }
    // Frees the connection of a streamed response; a read one has nothing left.
    await received?.response.body?.cancel().catch(() => undefined);
    config.logger?.info(
      `retrying ${input.method} ${input.url} in ${Math.round(delay)} ms after ${status ?? (failure as Error).message} (attempt ${retry + 2} of ${input.maxRetries + 1})`,
    );
    await sleep(delay, input);
  }
}

/** The debug line of one attempt: method, URL, outcome, attempt number and duration (never the key). */
function logAttempt(
  config: TransportConfig,
  input: SendInput,
  retry: number,
  received: Received | undefined,
  failure: unknown,
  started: number,
): void {
  const outcome = received ? String(received.response.status) : ((failure as Error)?.name ?? "error");
  config.logger?.debug(
    `${input.method} ${input.url} -> ${outcome} (attempt ${retry + 1} of ${input.maxRetries + 1}, ${Date.now() - started} ms)`,
  );
}

/** 408, 429 and every 5xx are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * An HTTP-date (RFC 9110 §5.6.7): IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, or the obsolete
 * RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994` forms. Anything
 * else (`-1`, `5, 6`) is not a date, though `Date.parse` would read one into it.
 */
const HTTP_DATE =
  /^(?:[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -]\d{2}(?:\d{2})? \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/**
 * Milliseconds to wait before retry number `retry + 1`: the server's `Retry-After` (seconds or an
 * HTTP date, RFC 9110 §10.2.3), otherwise exponential backoff from 0.5 s to 8 s with up to 25%
 * jitter so that many clients do not retry in step. `send` does not retry when the server asks
 * for more than MAX_RETRY_AFTER: retrying sooner would only be refused again.
 */
export function retryDelay(retry: number, headers?: Headers): number {
  const header = headers?.get("retry-after")?.trim();
  if (header) {
    let ms: number | undefined;
    if (/^\d+(\.\d+)?$/.test(header)) ms = Number(header) * 1000;
    else if (HTTP_DATE.test(header)) {
      // asctime carries no zone; HTTP-dates are all in GMT.
      const at = Date.parse(header.endsWith(" GMT") ? header : `${header} GMT`);
      if (!Number.isNaN(at)) ms = Math.max(0, at - Date.now());
    }
    if (ms !== undefined) return ms;
  }
  const backoff = Math.min(INITIAL_BACKOFF * 2 ** retry, MAX_BACKOFF);
  return backoff * (1 - Math.random() * 0.25);
}

/** `GET /api/v1/traces/users/u1`: method and path, for messages (made only when there is one to write). */
function label(input: SendInput): string {
  let path = input.schemaPath;
  try {
    path = new URL(input.url).pathname;
  } catch {
    // keep the template
  }
  return `${input.method} ${path}`;
}

/** The TypeError of a hook that read the body it was given, which left nothing for the client to read. */
const BODY_READ = (hook: string, what: string) =>
  `${hook}: a middleware read the ${what} body, so nothing is left to send or decode; read a clone (\`${what}.clone()\`) instead, or return a new ${what === "request" ? "Request" : "Response"}. Not retried.`;

/**
 * One attempt through middleware: `onRequest` hooks, the request, then `onResponse` or `onError`
 * hooks. The attempt's timeout and the caller's signal cover the hooks too.
 */
async function attemptWithMiddleware(
  config: TransportConfig,
  input: SendInput,
  retry: number,
  middleware: Middleware[],
  id: string,
): Promise<Received> {
  const control = new AttemptControl(input.timeout, input.signal);
  let response: Response;
  try {
    const headers: Record<string, string> = { ...input.headers };
    const body = input.body;
    const request = new Request(input.url, {
      method: input.method,
      headers,
      body,
      redirect: config.redirect,
      ...(typeof ReadableStream !== "undefined" && body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    const ctx: MiddlewareCallbackParams = {
      request,
      schemaPath: input.schemaPath,
      params: input.params,
      id,
      options: middlewareOptions(config, input),
    };
    let shortCircuit: Response | undefined;
    for (const m of middleware) {
      if (typeof m.onRequest !== "function") continue;
      const result = await control.guard(m.onRequest(ctx));
      if (ctx.request.bodyUsed) throw new TypeError(BODY_READ("onRequest", "request"));
      if (result === undefined) continue;
      if (result instanceof Request) ctx.request = result;
      else if (result instanceof Response) {
        shortCircuit = result;
        break;
      } else throw new TypeError("onRequest: must return a Request, a Response or nothing");
    }
    if (shortCircuit) response = shortCircuit;
    else {
      try {
        response = await followRequest(
          config,
          ctx.request,
          ctx.request === request ? input.body : undefined,
          control.controller,
          input,
        );
      } catch (error) {
        const failure = connectionError(error, input, retry, control.timedOut, config);
        response = await control.guard(onError(middleware, ctx, failure));
      }
      for (let i = middleware.length - 1; i >= 0; i--) {
        const m = middleware[i] as Middleware;
        if (typeof m.onResponse !== "function") continue;
        const result = await control.guard(m.onResponse({ ...ctx, response }));
        if (result === undefined) {
          if (response.bodyUsed) throw new TypeError(BODY_READ("onResponse", "response"));
          continue;
        }
        if (!(result instanceof Response)) throw new TypeError("onResponse: must return a Response or nothing");
        response = result;
      }
    }
    if (response.bodyUsed) throw new TypeError(BODY_READ(shortCircuit ? "onRequest" : "onResponse", "response"));
  } catch (error) {
    control.end();
    if (error === ABORTED) throw connectionError(error, input, retry, control.timedOut, config);
    throw error;
  }
  return await receive(response, input, retry, control);
}

/**
 * Reads a response's body inside its attempt (under its timeout), or hands a stream over unread,
 * then ends the attempt.
 */
async function receive(
  response: Response,
  input: SendInput,
  retry: number,
  control: AttemptControl,
): Promise<Received> {
  const readAs = response.ok ? input.readAs : "text";
  if (
    readAs === "none" ||
    (readAs !== "text" && response.body && /^text\/event-stream/i.test(response.headers.get("content-type") ?? ""))
  ) {
    // A stream is handed over unread: the caller's signal still cancels it, the timeout covered the headers.
    control.end(true);
    return { response, text: undefined };
  }
  try {
    if (readAs === "text") return { response, text: await response.text() };
    // Read here, under the timeout; handed over as a Response whose body is in memory.
    const blob = await response.blob();
    const bodyless = response.status === 204 || response.status === 205 || response.status === 304;
    const copy = new Response(bodyless ? null : blob, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    return { response: copy, text: undefined };
  } catch (error) {
    throw connectionError(error, input, retry, control.timedOut);
  } finally {
    control.end();
  }
}

/** Runs `onError` hooks in reverse order: a Response recovers, an Error replaces the error. */
async function onError(middleware: Middleware[], ctx: MiddlewareCallbackParams, failure: Error): Promise<Response> {
  let error: unknown = failure;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const m = middleware[i] as Middleware;
    if (typeof m.onError !== "function") continue;
    const result = await m.onError({ ...ctx, error });
    if (result === undefined) continue;
    if (result instanceof Response) return result;
    if (result instanceof Error) error = result;
    else throw new TypeError("onError: must return a Response, an Error or nothing");
  }
  throw error;
}

function middlewareOptions(config: TransportConfig, input: SendInput): MergedOptions {
  return {
    baseUrl: config.origin,
    fetch: config.fetch,
    parseAs: input.parseAs,
    querySerializer: () => new URL(input.url).search.slice(1),
    bodySerializer: (body: unknown) => body,
    pathSerializer: () => new URL(input.url).pathname,
  } as MergedOptions;
}

function connectionError(
  error: unknown,
  input: SendInput,
  retry: number,
  timedOut: boolean,
  config?: TransportConfig,
): Error {
  if (error instanceof APIConnectionError || error instanceof APIUserAbortError) return error;
  if (input.signal?.aborted) return abortError(input, input.signal);
  if (timedOut) return timeoutError(input, retry);
  // In a browser, a cross-origin failure is most likely CORS: say which headers the server must send.
  const cors = config ? diagnoseCors(error, input.url, input.method, sentHeaders(config, input)) : undefined;
  const failure = new APIConnectionError(
    `${label(input)}: could not get a response from ${originOf(input.url)}: ${reasonOf(error)}${cors ? `. ${cors.hint}` : ""}`,
    { cause: error },
  );
  if (cors && !cors.retryable) notRetryable.add(failure);
  return failure;
}

/** The headers of the first hop, as `follow` sends them (the key's value left out). */
function sentHeaders(config: TransportConfig, input: SendInput): Headers {
  const headers = new Headers(input.headers);
  if (config.authorization() !== undefined && sameOrigin(input.url, config.origin))
    headers.set("authorization", "Bearer");
  return headers;
}

function timeoutError(input: SendInput, retry: number): APIConnectionTimeoutError {
  return new APIConnectionTimeoutError(
    `${label(input)}: no complete response within ${input.timeout} ms (attempt ${retry + 1} of ${input.maxRetries + 1}). Raise \`timeout\` if the server needs longer.`,
  );
}

function sameOrigin(url: string, origin: string): boolean {
  return (
    url.startsWith(origin) && (url.length === origin.length || url[origin.length] === "/" || url[origin.length] === "?")
  );
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Sends a middleware's Request: its method, URL and headers, and its body (read once when it made a new one). */
async function followRequest(
  config: TransportConfig,
  request: Request,
  ownBody: BodyInit | undefined,
  controller: AbortController,
  input: SendInput,
): Promise<Response> {
  const body = ownBody ?? (request.body ? await request.arrayBuffer() : undefined);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return follow(config, request.method, request.url, headers, body, controller, input);
}

/** The `signal` property of every AttemptInit: own and enumerable, made on first read. */
let signalProperty: PropertyDescriptor;

/**
 * The `RequestInit` of one hop. Its `signal` (the attempt's, which the timeout and the caller's
 * signal abort) is an own, enumerable property, so a custom fetch that spreads `init` into its own
 * (`{ ...init, dispatcher }`) passes it on; it is a getter that makes the AbortSignal when first
 * read, because every real fetch reads it, while a test double that ignores it would otherwise pay
 * for one per call (an AbortSignal costs Node.js 20 more than the rest of a call's bookkeeping).
 */
class AttemptInit {
  readonly #controller: AbortController;
  declare readonly signal: AbortSignal;

  constructor(
    readonly method: string,
    readonly headers: Record<string, string>,
    readonly body: BodyInit | undefined,
    readonly redirect: RequestRedirect,
    controller: AbortController,
  ) {
    this.#controller = controller;
    Object.defineProperty(this, "signal", signalProperty);
  }

  static {
    signalProperty = {
      get(this: AttemptInit): AbortSignal {
        return this.#controller.signal;
      },
      enumerable: true,
      configurable: true,
    };
  }
}

/** Sends the request and follows redirects, adding the key only for the `baseUrl` origin. */
async function follow(
  config: TransportConfig,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: BodyInit | undefined,
  controller: AbortController,
  input: SendInput,
): Promise<Response> {
  const response = await hop(config, method, url, headers, body, controller);
  return isRedirect(config, response)
    ? redirects(config, method, url, headers, body, controller, input, response)
    : response;
}

function isRedirect(config: TransportConfig, response: Response): boolean {
  const status = response.status;
  if (response.type === "opaqueredirect") return true;
  return (
    config.redirect !== "follow" &&
    (status === 301 || status === 302 || status === 303 || status === 307 || status === 308)
  );
}

/**
 * One fetch, with the request's credentials for the `baseUrl` origin and none elsewhere;
 * `ownOrigin` (see SendInput) skips the check.
 */
function hop(
  config: TransportConfig,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: BodyInit | undefined,
  controller: AbortController,
  ownOrigin = false,
): Promise<Response> {
  let sent = headers;
  // A URL the client built from `baseUrl` needs no check. Elsewhere the headers are the caller's
  // final ones (the key, their own, or none): kept on the `baseUrl` origin, dropped on any other.
  if (!ownOrigin && !sameOrigin(url, config.origin) && CREDENTIAL_HEADERS.some((name) => name in headers)) {
    sent = { ...headers };
    for (const name of CREDENTIAL_HEADERS) delete sent[name];
  }
  return config.fetch(url, new AttemptInit(method, sent, body, config.redirect, controller));
}

async function redirects(
  config: TransportConfig,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: BodyInit | undefined,
  controller: AbortController,
  input: SendInput,
  response: Response,
): Promise<Response> {
  for (let count = 0; ; count++) {
    if (response.type === "opaqueredirect") {
      throw new APIConnectionError(
        `${label(input)}: the server answered with a redirect this runtime does not let the client inspect; set \`baseUrl\` to the final URL`,
      );
    }
    if (!isRedirect(config, response)) return response;
    const location = response.headers.get("location");
    if (!location) return response;
    await response.body?.cancel();
    if (count >= MAX_REDIRECTS) throw new APIConnectionError(`${label(input)}: more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new APIConnectionError(`${label(input)}: refusing to follow a redirect to a ${next.protocol} URL`);
    }
    const status = response.status;
    // RFC 9110 §15.4: 303 always, and 301/302 after POST, continue as a GET without a body.
    if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
      if (method !== "HEAD") method = "GET";
      body = undefined;
      headers = { ...headers };
      delete headers["content-type"];
      delete headers["content-length"];
    }
    if (next.origin !== originOf(url)) {
      headers = { ...headers };
      for (const name of CREDENTIAL_HEADERS) delete headers[name];
    }
    url = next.href;
    response = await hop(config, method, url, headers, body, controller);
  }
}

/** Waits `ms`, or rejects at once with APIUserAbortError when the signal aborts. */
function sleep(ms: number, input: SendInput): Promise<void> {
  const signal = input.signal;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(input, signal));
    const timer = setTimeout(() => {
      if (signal) watched.get(signal)?.delete(waiter);
      resolve();
    }, ms);
    const waiter: Abortable = {
      abort: () => {
        clearTimeout(timer);
        reject(abortError(input, signal as AbortSignal));
      },
    };
    if (signal) watch(signal, waiter);
  });
}

function abortError(input: SendInput, signal: AbortSignal): APIUserAbortError {
  return new APIUserAbortError(`${label(input)}: aborted by the caller's signal`, { cause: signal.reason });
}

/** `fetch failed (ECONNRESET: socket hang up)`: the error and, when there is one, its cause. */
function reasonOf(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause;
  const detail = cause ? [cause.code, cause.message].filter(Boolean).join(": ") : "";
  return `${e?.message ?? String(error)}${detail ? ` (${detail})` : ""}`;
}
