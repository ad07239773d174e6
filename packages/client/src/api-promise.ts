/**
 * `APIPromise`: what every resource method returns. Await it for the body, or call
 * `.withResponse()` for `{ data, response, requestId }`.
 */
import type { WithResponse } from "./runtime-types.js";

/** The request id a server sends in `x-request-id`, `request-id` or `x-amzn-requestid`. */
export function requestIdOf(headers: Headers): string | undefined {
  return headers.get("x-request-id") ?? headers.get("request-id") ?? headers.get("x-amzn-requestid") ?? undefined;
}

/** Where a request leaves its `Response` for `withResponse`. */
export interface Exchange {
  response?: Response;
}

/**
 * A native `Promise` of the decoded body that can also give the raw `Response` and the request id:
 * `const { data, response, requestId } = await client.users.getUserDetails(...).withResponse()`.
 * The request is sent once, whichever way the result is read. `then`, `catch` and `finally` return
 * plain promises.
 */
export interface APIPromise<T> extends Promise<T> {
  /** Resolves to `{ data, response, requestId }`: the body, the `Response` (body already read) and the server's request id. */
  withResponse(): Promise<WithResponse<T>>;
}

const EXCHANGE = Symbol("exchange");

/** Shared by every APIPromise: reads the `Response` its request left in the exchange. */
function withResponse<T>(this: APIPromise<T> & { [EXCHANGE]: Exchange }): Promise<WithResponse<T>> {
  const exchange = this[EXCHANGE];
  return this.then((data) => {
    const response = exchange.response as Response;
    return { data, response, requestId: requestIdOf(response.headers) };
  });
}

/**
 * Makes `data` (the one request's decoded body; `exchange.response` is set before it resolves) an
 * APIPromise. The promise stays a native one, so `await` takes V8's fast path for it.
 */
export function apiPromise<T>(data: Promise<T>, exchange: Exchange): APIPromise<T> {
  const promise = data as APIPromise<T> & { [EXCHANGE]: Exchange };
  promise[EXCHANGE] = exchange;
  promise.withResponse = withResponse;
  return promise;
}
