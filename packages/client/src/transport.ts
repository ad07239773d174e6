/**
 * Sends one logical request: per-attempt timeouts, retries with backoff, redirects followed by
 * the client itself so that the API key never leaves the `baseUrl` origin, and response bodies
 * read inside the attempt so that no timer or socket outlives it. Uses only `fetch`,
 * `AbortController`, `URL`, `Headers` and timers, so it runs wherever `fetch` does.
 */
import { diagnoseCors, notRetryable } from "./cors.js";
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "./errors.js";

/** Longest wait between attempts that a `Retry-After` header can ask for (ms). */
export const MAX_RETRY_AFTER = 60_000;
const INITIAL_BACKOFF = 500;
const MAX_BACKOFF = 8_000;
const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that carry credentials; dropped when a redirect leaves the `baseUrl` origin. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie"];

/** Settings of one client: where the key may go, and the fetch to use. */
export interface TransportConfig {
  /** Origin of `baseUrl`; the only origin that receives the key. */
  origin: string;
  /** The API key, or undefined to send no `Authorization` header. */
  apiKey: string | undefined;
  /** The fetch implementation. */
  fetch: typeof fetch;
}

/** One logical request. */
export interface SendInput {
  method: string;
  url: URL;
  headers: Headers;
  body?: BodyInit | undefined;
  /** Only idempotent requests are retried. */
  idempotent: boolean;
  timeout: number;
  maxRetries: number;
  signal?: AbortSignal | undefined;
}

/**
 * The fetch `redirect` mode. Outside browsers, `manual` hands us the 3xx with its `Location`, and
 * we follow it ourselves, dropping credentials on a cross-origin hop. Browsers answer a manual
 * redirect with an opaque response that hides `Location`, so there the browser follows it: the
 * Fetch standard removes `Authorization` on a cross-origin redirect
 * (https://fetch.spec.whatwg.org/#http-redirect-fetch, step "CORS non-wildcard request-header").
 */
function redirectMode(): RequestRedirect {
  return typeof (globalThis as { document?: unknown }).document === "undefined" ? "manual" : "follow";
}

/** Sends `input`, retrying as allowed, and resolves to a response whose body is already read. */
export async function send(config: TransportConfig, input: SendInput): Promise<Response> {
  const label = `${input.method} ${input.url.pathname}`;
  for (let retry = 0; ; retry++) {
    if (input.signal?.aborted) throw abortError(label, input.signal);
    let response: Response | undefined;
    let failure: APIConnectionError | undefined;
    try {
      response = await attempt(config, input, label, retry);
    } catch (error) {
      if (!(error instanceof APIConnectionError)) throw error;
      failure = error;
    }
    const retryable =
      (failure !== undefined && !notRetryable.has(failure)) ||
      (response !== undefined && isRetryableStatus(response.status));
    if (!retryable || !input.idempotent || retry >= input.maxRetries) {
      if (failure) throw failure;
      return response as Response;
    }
    // Frees the connection of a streamed response; a buffered one has nothing left to read.
    await response?.body?.cancel().catch(() => undefined);
    await sleep(retryDelay(retry, response?.headers), input.signal, label);
  }
}

/** 408, 429 and every 5xx are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before retry number `retry + 1`: the server's `Retry-After` (seconds or an
 * HTTP date, RFC 9110 §10.2.3) capped at MAX_RETRY_AFTER, otherwise exponential backoff from
 * 0.5 s to 8 s with up to 25% jitter so that many clients do not retry in step.
 */
export function retryDelay(retry: number, headers?: Headers): number {
  const header = headers?.get("retry-after")?.trim();
  if (header) {
    let ms: number | undefined;
    if (/^\d+(\.\d+)?$/.test(header)) ms = Number(header) * 1000;
    else {
      const at = Date.parse(header);
      if (!Number.isNaN(at)) ms = Math.max(0, at - Date.now());
    }
    if (ms !== undefined) return Math.min(ms, MAX_RETRY_AFTER);
  }
  const backoff = Math.min(INITIAL_BACKOFF * 2 ** retry, MAX_BACKOFF);
  return backoff * (1 - Math.random() * 0.25);
}

async function attempt(config: TransportConfig, input: SendInput, label: string, retry: number): Promise<Response> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, input.timeout);
  const onAbort = () => controller.abort(input.signal?.reason);
  input.signal?.addEventListener("abort", onAbort);
  let streaming = false;
  try {
    const response = await follow(config, input, controller.signal, label);
    if (response.body && /^text\/event-stream/i.test(response.headers.get("content-type") ?? "")) {
      // A stream is handed over unread: the caller's signal still cancels it, the timeout covered the headers.
      streaming = true;
      return response;
    }
    // Reading the body here puts it under the timeout and frees the connection at once.
    const bytes = await response.arrayBuffer();
    const bodyless = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(bodyless ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } catch (error) {
    if (input.signal?.aborted) throw abortError(label, input.signal);
    if (timedOut) {
      throw new APIConnectionTimeoutError(
        `${label}: no complete response within ${input.timeout} ms (attempt ${retry + 1} of ${input.maxRetries + 1}). Raise \`timeout\` if the server needs longer.`,
      );
    }
    if (error instanceof APIConnectionError) throw error;
    const cors = diagnoseCors(error, input.url, input.method, sentHeaders(config, input));
    const failure = new APIConnectionError(
      `${label}: could not get a response from ${input.url.origin}: ${reasonOf(error)}${cors ? `. ${cors.hint}` : ""}`,
      { cause: error },
    );
    if (cors && !cors.retryable) notRetryable.add(failure);
    throw failure;
  } finally {
    clearTimeout(timer);
    if (!streaming) input.signal?.removeEventListener("abort", onAbort);
  }
}

/** The headers of the first hop, as `follow` sends them. */
function sentHeaders(config: TransportConfig, input: SendInput): Headers {
  const headers = new Headers(input.headers);
  if (config.apiKey && input.url.origin === config.origin) headers.set("authorization", "Bearer");
  return headers;
}

/** Sends the request and follows redirects, adding the key only for the `baseUrl` origin. */
async function follow(
  config: TransportConfig,
  input: SendInput,
  signal: AbortSignal,
  label: string,
): Promise<Response> {
  let url = input.url;
  let method = input.method;
  let body = input.body;
  const headers = new Headers(input.headers);
  const mode = redirectMode();
  for (let hop = 0; ; hop++) {
    const sent = new Headers(headers);
    if (url.origin === config.origin) {
      if (config.apiKey) sent.set("authorization", `Bearer ${config.apiKey}`);
    } else {
      for (const name of CREDENTIAL_HEADERS) sent.delete(name);
    }
    const response = await config.fetch(url.href, { method, headers: sent, body, signal, redirect: mode });
    if (response.type === "opaqueredirect") {
      throw new APIConnectionError(
        `${label}: the server answered with a redirect this runtime does not let the client inspect; set \`baseUrl\` to the final URL`,
      );
    }
    const location = response.headers.get("location");
    if (mode === "follow" || !REDIRECT_STATUSES.has(response.status) || !location) return response;
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new APIConnectionError(`${label}: more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new APIConnectionError(`${label}: refusing to follow a redirect to a ${next.protocol} URL`);
    }
    // RFC 9110 §15.4: 303 always, and 301/302 after POST, continue as a GET without a body.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      if (method !== "HEAD") method = "GET";
      body = undefined;
      headers.delete("content-type");
      headers.delete("content-length");
    }
    if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    url = next;
  }
}

/** Waits `ms`, or rejects at once with APIUserAbortError when the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(label, signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(label, signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortError(label: string, signal: AbortSignal): APIUserAbortError {
  return new APIUserAbortError(`${label}: aborted by the caller's signal`, { cause: signal.reason });
}

/** `fetch failed (ECONNRESET: socket hang up)`: the error and, when there is one, its cause. */
function reasonOf(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause;
  const detail = cause ? [cause.code, cause.message].filter(Boolean).join(": ") : "";
  return `${e?.message ?? String(error)}${detail ? ` (${detail})` : ""}`;
}
