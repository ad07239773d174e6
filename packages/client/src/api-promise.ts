/**
 * `APIPromise`: what every resource method returns. Await it for the body, or call
 * `.withResponse()` for `{ data, response, requestId }`.
 */
import type { WithResponse } from "./runtime-types.js";

/** The request id a server sends in `x-request-id`, `request-id` or `x-amzn-requestid`. */
export function requestIdOf(headers: Headers): string | undefined {
  return headers.get("x-request-id") ?? headers.get("request-id") ?? headers.get("x-amzn-requestid") ?? undefined;
}

/**
 * A `Promise` of the decoded body that can also give the raw `Response` and the request id:
 * `const { data, response, requestId } = await client.users.getUserDetails(...).withResponse()`.
 * The request is sent once, whichever way the result is read.
 */
export class APIPromise<T> extends Promise<T> {
  readonly #result: Promise<{ data: T; response: Response }>;
  #data: Promise<T> | undefined;

  /** Created by the client; `result` is the one request's outcome. */
  constructor(result: Promise<{ data: T; response: Response }>) {
    // The base promise is never read: `then` below reads `result`. Resolving it at once keeps it inert.
    super((resolve) => resolve(undefined as T));
    this.#result = result;
  }

  /** `then` and friends return plain promises. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #body(): Promise<T> {
    this.#data ??= this.#result.then((r) => r.data);
    return this.#data;
  }

  /** Resolves to `{ data, response, requestId }`: the body, the `Response` (body already read) and the server's request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#result.then(({ data, response }) => ({ data, response, requestId: requestIdOf(response.headers) }));
  }

  // biome-ignore lint/suspicious/noThenProperty: a promise subclass overrides then by design.
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#body().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#body().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#body().finally(onfinally);
  }
}
