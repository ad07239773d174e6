/**
 * Browsers hide why a cross-origin `fetch` failed: a CORS refusal, a refused connection and a
 * DNS failure all reject with the same `TypeError` ("Failed to fetch" in Chromium, "NetworkError
 * when attempting to fetch resource." in Firefox, "Load failed" in Safari). This says what the
 * server must send for CORS, and marks the failure as not worth retrying.
 */

/** Connection errors that another attempt cannot fix; the transport does not retry them. */
export const notRetryable = new WeakSet<object>();

/** What a failed `fetch` means here. */
export interface CorsDiagnosis {
  /** The sentences to append to the connection error's message. */
  hint: string;
  /**
   * Whether another attempt could succeed. A CORS refusal repeats identically, and the browser
   * does not tell it apart from a network failure; only when it reports being offline is the
   * cause surely the network.
   */
  retryable: boolean;
}

/**
 * The CORS explanation for `error`, thrown by `fetch` for a request to `href` with `headers`, or
 * undefined when CORS cannot be the cause: outside browser pages and workers, for a same-origin
 * request, or when the error is not the `TypeError` fetch uses for network failures.
 */
export function diagnoseCors(
  error: unknown,
  href: string | URL,
  method: string,
  headers: Headers,
): CorsDiagnosis | undefined {
  const g = globalThis as { document?: unknown; importScripts?: unknown; location?: { origin?: string } };
  const origin = g.location?.origin;
  if (!(error instanceof TypeError) || (g.document === undefined && g.importScripts === undefined) || !origin) {
    return undefined;
  }
  const url = new URL(href);
  if (url.origin === origin) return undefined;
  // Request headers outside the CORS-safelist need the server's permission
  // (https://fetch.spec.whatwg.org/#cors-safelisted-request-header): content-type only when not a form type.
  const allow: string[] = [];
  headers.forEach((value, name) => {
    if (/^(accept|accept-language|content-language|range)$/.test(name)) return;
    if (
      name === "content-type" &&
      /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i.test(value)
    )
      return;
    allow.push(name);
  });
  const simpleMethod = /^(GET|HEAD|POST)$/.test(method);
  const needs = [`Access-Control-Allow-Origin: ${origin}`];
  if (allow.length) needs.push(`Access-Control-Allow-Headers: ${allow.sort().join(", ")}`);
  if (!simpleMethod) needs.push(`Access-Control-Allow-Methods: ${method}`);
  const offline = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;
  return {
    hint: `${offline ? "The browser reports being offline. Otherwise, in" : "In"} a browser this usually means CORS: ${
      url.origin
    } is another origin than this page, so it must answer ${
      allow.length || !simpleMethod ? "the preflight (OPTIONS) and the request" : "the request"
    } with ${needs.join("; ")}; and Access-Control-Expose-Headers: x-request-id, retry-after so that request ids and Retry-After are readable. The browser's console names the exact cause.${
      offline ? "" : " Not retried: a CORS refusal repeats identically."
    }`,
    retryable: offline,
  };
}
