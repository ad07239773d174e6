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

const inert = (resolve: (value: never) => void): void => resolve(undefined as never);

/**
 * A `Promise` of the decoded body that can also give the raw `Response` and the request id:
 * `const { data, response, requestId } = await client.users.getUserDetails(...).withResponse()`.
 * The request is sent once, whichever way the result is read.
 */
export class APIPromise<T> extends Promise<T> {
  readonly #data: Promise<T>;
  readonly #exchange: Exchange;

  /** Created by the client: `data` is the one request's decoded body; `exchange.response` is set before it resolves. */
  constructor(data: Promise<T>, exchange: Exchange) {
    // The base promise is never read: `then` below reads `data`. Resolving it at once keeps it inert.
    super(inert);
    this.#data = data;
    this.#exchange = exchange;
  }

  /** `then` and friends return plain promises. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** Resolves to `{ data, response, requestId }`: the body, the `Response` (body already read) and the server's request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#data.then((data) => {
      const response = this.#exchange.response as Response;
      return { data, response, requestId: requestIdOf(response.headers) };
    });
  }

  // biome-ignore lint/suspicious/noThenProperty: a promise subclass overrides then by design.
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#data.then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#data.catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#data.finally(onfinally);
  }
}
