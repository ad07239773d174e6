/** `paginate`: sends a paginated operation and returns its PagePromise. */
import type { Exchange } from "./api-promise.js";
import { call, type TracesCore } from "./core.js";
import { type PagePromise, pagePromise } from "./page-promise.js";
import type { OperationMetadata, PaginationMetadata, RequestOptions } from "./runtime-types.js";

export type { PageFetcher, PagePromise } from "./page-promise.js";

/** Sends a paginated operation: the result is awaitable (one page) and async-iterable (every item). */
export function paginate<TPage, TItem>(
  core: TracesCore,
  op: OperationMetadata,
  path: Record<string, unknown>,
  params: object | undefined,
  body: unknown,
  options: RequestOptions | undefined,
): PagePromise<TPage, TItem> {
  const pagination = op.pagination as PaginationMetadata;
  return pagePromise<TPage, TItem>(
    (page, exchange) =>
      call<TPage>(
        core,
        op,
        path,
        page === undefined ? params : { ...params, [pagination.pageParam]: page },
        body,
        options,
        exchange,
      ),
    pagination,
    params,
  );
}
