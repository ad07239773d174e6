/**
 * Browsers hide why a cross-origin `fetch` failed: a CORS refusal, a refused connection and a
 * DNS failure all reject with the same `TypeError` ("Failed to fetch" in Chromium, "NetworkError
 * when attempting to fetch resource." in Firefox, "Load failed" in Safari). This says what the
 * server must send for CORS, and marks the failure as not worth retrying.
 */

/**
 * Request headers the Fetch standard lets through without a preflight
 * (https://fetch.spec.whatwg.org/#cors-safelisted-request-header); `content-type` only for the
 * three form types, so a JSON body needs it allowed.
 */
const SAFELISTED = new Set(["accept", "accept-language", "content-language", "range"]);
const SIMPLE_CONTENT_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
const SIMPLE_METHODS = new Set(["GET", "HEAD", "POST"]);
/** Response headers the client reads beyond the CORS-safelisted ones (content-type and a few more). */
export const EXPOSED_HEADERS = ["x-request-id", "retry-after"];

/** The page's origin when the code runs in a browser page or a web worker; undefined elsewhere. */
function pageOrigin(): string | undefined {
  const g = globalThis as { document?: unknown; importScripts?: unknown; location?: { origin?: unknown } };
  const inBrowser = g.document !== undefined || typeof g.importScripts === "function";
  return inBrowser && typeof g.location?.origin === "string" ? g.location.origin : undefined;
}

/** Connection errors that another attempt cannot fix; `send` does not retry them. */
export const notRetryable = new WeakSet<object>();

/** What a failed `fetch` means here. */
export interface CorsDiagnosis {
  /** The sentence to append to the connection error's message. */
  hint: string;
  /**
   * Whether another attempt could succeed. A CORS refusal repeats identically, and the browser
   * does not tell it apart from a network failure; only when it reports being offline is the
   * cause surely the network.
   */
  retryable: boolean;
}

/**
 * The CORS explanation for `error`, thrown by `fetch` for a request to `url` with `headers`, or
 * undefined when CORS cannot be the cause: outside browsers, for a same-origin request, or when
 * the error is not the `TypeError` fetch uses for network failures.
 */
export function diagnoseCors(
  error: unknown,
  href: string | URL,
  method: string,
  headers: Headers,
): CorsDiagnosis | undefined {
  if (!(error instanceof TypeError)) return undefined;
  const origin = pageOrigin();
  if (origin === undefined) return undefined;
  const url = new URL(href);
  if (origin === url.origin) return undefined;
  const allowHeaders: string[] = [];
  headers.forEach((value, name) => {
    if (SAFELISTED.has(name)) return;
    if (name === "content-type" && SIMPLE_CONTENT_TYPES.test(value)) return;
    allowHeaders.push(name);
  });
  const needs = [
    `Access-Control-Allow-Origin: ${origin}`,
    allowHeaders.length > 0 ? `Access-Control-Allow-Headers: ${allowHeaders.sort().join(", ")}` : undefined,
    SIMPLE_METHODS.has(method) ? undefined : `Access-Control-Allow-Methods: ${method}`,
  ].filter(Boolean);
  const preflight = allowHeaders.length > 0 || !SIMPLE_METHODS.has(method);
  const offline = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;
  return {
    hint: `${
      offline ? "The browser reports being offline. Otherwise, in" : "In"
    } a browser this usually means CORS: ${url.origin} is another origin than this page (${origin}), so it must answer ${
      preflight ? "the preflight (OPTIONS) and the request" : "the request"
    } with ${needs.join("; ")}; and Access-Control-Expose-Headers: ${EXPOSED_HEADERS.join(
      ", ",
    )} so that request ids and Retry-After are readable. The browser's console names the exact cause.${
      offline ? "" : " Not retried: a CORS refusal repeats identically."
    }`,
    retryable: offline,
  };
}
