/**
 * The value a paginated method returns: await it for one page, or iterate it with `for await`
 * for every item of every page, fetched lazily.
 */
import { type Exchange, requestIdOf } from "./api-promise.js";
import { call, type TracesCore } from "./core.js";
import type { OperationMetadata, PaginationMetadata, RequestOptions, WithResponse } from "./runtime-types.js";

/**
 * Fetches page number `page` (undefined: the page the caller asked for): resolves to its body,
 * after leaving its `Response` in `exchange`.
 */
export type PageFetcher<TPage> = (page: number | undefined, exchange: Exchange) => Promise<TPage>;

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
  return new PagePromise<TPage, TItem>(
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

/**
 * Awaitable (the requested page's body) and async-iterable (every item of every page). Nothing is
 * sent until it is awaited or iterated. Iteration stops at the total (`count`), at an empty or
 * short page, or when the server sends the same page again, whichever comes first.
 */
export class PagePromise<TPage, TItem> implements PromiseLike<TPage>, AsyncIterable<TItem> {
  readonly #fetchPage: PageFetcher<TPage>;
  readonly #pagination: PaginationMetadata;
  readonly #query: Record<string, unknown> | undefined;
  /** Where the requested page's request leaves its `Response`. */
  readonly #exchange: Exchange = {};
  #first: Promise<TPage> | undefined;

  /** Created by the resource methods; not meant to be constructed directly. */
  constructor(fetchPage: PageFetcher<TPage>, pagination: PaginationMetadata, query: object | undefined) {
    this.#fetchPage = fetchPage;
    this.#pagination = pagination;
    this.#query = query as Record<string, unknown>;
  }

  #firstPage(): Promise<TPage> {
    this.#first ??= this.#fetchPage(undefined, this.#exchange);
    return this.#first;
  }

  /** Resolves to the requested page as `{ data, response, requestId }`. */
  withResponse(): Promise<WithResponse<TPage>> {
    const exchange = this.#exchange;
    return this.#firstPage().then((data) => {
      const response = exchange.response as Response;
      return { data, response, requestId: requestIdOf(response.headers) };
    });
  }

  /** Resolves to the body of the page the query asks for. */
  // biome-ignore lint/suspicious/noThenProperty: being awaitable is the point of this class.
  then<R1 = TPage, R2 = never>(
    onfulfilled?: ((value: TPage) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  /** Like `Promise.prototype.catch` for the first page. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<TPage | R> {
    return this.#firstPage().catch(onrejected);
  }

  /** Like `Promise.prototype.finally` for the first page. */
  finally(onfinally?: (() => void) | null): Promise<TPage> {
    return this.#firstPage().finally(onfinally);
  }

  /** Every item of every page, from the requested page on. */
  async *[Symbol.asyncIterator](): AsyncIterator<TItem> {
    const { pageParam, pageSizeParam, itemsField, totalField, firstPage, defaultPageSize } = this.#pagination;
    const requested = this.#query?.[pageParam];
    const start = typeof requested === "number" ? requested : firstPage;
    const sizeGiven = this.#query?.[pageSizeParam];
    const pageSize = typeof sizeGiven === "number" ? sizeGiven : defaultPageSize;
    // Items before the first page we fetch count towards the total.
    let seen = pageSize !== undefined ? Math.max(0, start - firstPage) * pageSize : 0;
    let previous: string | undefined;
    for (let page = start; ; page++) {
      const body = page === start ? await this.#firstPage() : await this.#fetchPage(page, {});
      const items = (body as Record<string, unknown> | undefined)?.[itemsField];
      if (!Array.isArray(items) || items.length === 0) return;
      // A server that ignores the page number would otherwise be read forever.
      const fingerprint = JSON.stringify(items);
      if (fingerprint === previous) return;
      previous = fingerprint;
      for (const item of items) yield item as TItem;
      seen += items.length;
      const total = totalField ? (body as Record<string, unknown>)[totalField] : undefined;
      if (typeof total === "number" && seen >= total) return;
      if (pageSize !== undefined && items.length < pageSize) return;
    }
  }

  /** Shown by `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return "PagePromise";
  }
}
