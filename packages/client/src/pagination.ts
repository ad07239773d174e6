/** `paginate`: sends a paginated operation and returns its PagePromise. */
import type { Exchange } from "./api-promise.js";
import { call, snapshot, type TracesCore } from "./core.js";
import { type PagePromise, type PageSource, pagePromise } from "./page-promise.js";
import type { OperationMetadata, PaginationMetadata, RequestOptions } from "./runtime-types.js";

export type { PagePromise, PageSource } from "./page-promise.js";

/** Sends a paginated operation: the result is awaitable (one page) and async-iterable (every item). */
export function paginate<TPage, TItem>(
  core: TracesCore,
  op: OperationMetadata,
  path: Record<string, unknown>,
  params: object | undefined,
  body: unknown,
  options: RequestOptions | undefined,
): PagePromise<TPage, TItem> {
  // Copies, arrays and Dates within included: later pages and the iteration's page arithmetic see
  // the parameters as they were at the call, whatever the caller changes while it iterates.
  const query =
    params === undefined || params === null ? undefined : (snapshot(params) as Record<string, unknown> | undefined);
  return pagePromise<TPage, TItem>(
    new OperationPages<TPage>(
      core,
      op,
      snapshot(path) as Record<string, unknown>,
      query,
      snapshot(body),
      options && snapshotOptions(options),
    ),
  );
}

/**
 * Headers as they are now: a record or pairs copied, a `Headers` (or any other iterable of pairs)
 * read into pairs; anything else is kept for the headers check to refuse.
 */
function snapshotHeaders(headers: RequestOptions["headers"]): RequestOptions["headers"] {
  if (typeof headers !== "object" || headers === null) return headers;
  if (Array.isArray(headers) || !(Symbol.iterator in headers)) return snapshot(headers) as RequestOptions["headers"];
  return [...(headers as Iterable<unknown>)].map((entry) => (Array.isArray(entry) ? [...entry] : entry)) as [
    string,
    string,
  ][];
}

/** The per-request options as they are now: headers and middleware lists copied, the signal kept. */
function snapshotOptions(options: RequestOptions): RequestOptions {
  // Anything but a plain object is left for the options check to refuse, as it was given.
  if (typeof options !== "object" || options === null || Object.getPrototypeOf(options) !== Object.prototype) {
    return options;
  }
  const copy: RequestOptions = { ...options };
  if (options.headers !== undefined) copy.headers = snapshotHeaders(options.headers);
  // The list, not the middleware in it: each keeps its identity and state.
  if (Array.isArray(options.middleware)) copy.middleware = [...options.middleware];
  return copy;
}

/** The pages of one paginated operation call (one object, where a closure would need two). */
class OperationPages<TPage> implements PageSource<TPage> {
  readonly pagination: PaginationMetadata;
  readonly exchange: Exchange = {};

  constructor(
    readonly core: TracesCore,
    readonly op: OperationMetadata,
    readonly path: Record<string, unknown>,
    readonly query: Record<string, unknown> | undefined,
    readonly body: unknown,
    readonly options: RequestOptions | undefined,
  ) {
    this.pagination = op.pagination as PaginationMetadata;
  }

  get label(): string {
    return `${this.op.method} ${this.op.path}`;
  }

  fetchPage(page: number | undefined, exchange: Exchange): Promise<TPage> {
    const params = page === undefined ? this.query : { ...this.query, [this.pagination.pageParam]: page };
    return call<TPage>(this.core, this.op, this.path, params, this.body, this.options, exchange);
  }
}
