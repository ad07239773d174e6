/** `paginate`: sends a paginated operation and returns its PagePromise. */
import type { Exchange } from "./api-promise.js";
import { call, type TracesCore } from "./core.js";
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
  const query = params as Record<string, unknown> | undefined;
  return pagePromise<TPage, TItem>(new OperationPages<TPage>(core, op, path, query, body, options));
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

  fetchPage(page: number | undefined, exchange: Exchange): Promise<TPage> {
    const params = page === undefined ? this.query : { ...this.query, [this.pagination.pageParam]: page };
    return call<TPage>(this.core, this.op, this.path, params, this.body, this.options, exchange);
  }
}
