/**
 * `PagePromise`: what a paginated method returns, a native promise of one page that is also
 * async-iterable over every item of every page.
 */
import { type Exchange, requestIdOf } from "./api-promise.js";
import { APIError } from "./errors.js";
import type { PaginationMetadata, WithResponse } from "./runtime-types.js";

/**
 * Where a PagePromise's pages come from: the operation's pagination facts, the caller's parameter
 * object (read for the page number and page size), and `fetchPage`, which fetches page number
 * `page` (undefined: the page the caller asked for) and resolves to its body after leaving its
 * `Response` in `exchange`. `exchange` is the requested page's.
 */
export interface PageSource<TPage> {
  readonly pagination: PaginationMetadata;
  readonly query: Record<string, unknown> | undefined;
  readonly exchange: Exchange;
  fetchPage(page: number | undefined, exchange: Exchange): Promise<TPage>;
  /** `GET /path`, for messages. */
  readonly label?: string;
}

const PAGES = Symbol("pages");

/**
 * What a paginated method returns: a native `Promise` of the requested page's body that is also
 * async-iterable over every item of every page, from the requested page on. The requested page is
 * sent at once, like every other method's request; `for await` reuses it and fetches the next pages
 * one at a time as the loop consumes them, with the parameters as they were at the call. Iteration
 * stops at an empty page and when the server sends the same page again; after a page whose
 * response names a next one (`Link: <...>; rel="next"`, RFC 8288) it goes on, else it stops at
 * the total (`count`), and, only when the body has no total, at a page shorter than the page
 * size. A page without its list of items is an `APIError`, not an end. It may be iterated later
 * than it is made: a failure of the requested page is not reported as an unhandled rejection in
 * between, but when it is awaited or iterated.
 * `withResponse()` resolves to the requested page's `{ data, response, requestId }`.
 */
export interface PagePromise<TPage, TItem> extends Promise<TPage>, AsyncIterable<TItem> {
  /** Resolves to the requested page as `{ data, response, requestId }`. */
  withResponse(): Promise<WithResponse<TPage>>;
}

type Tagged<TPage, TItem> = PagePromise<TPage, TItem> & { [PAGES]: PageSource<TPage> };

/** Makes a PagePromise: sends the requested page now and keeps `source` for iteration and `withResponse`. */
export function pagePromise<TPage, TItem>(source: PageSource<TPage>): PagePromise<TPage, TItem> {
  const promise = source.fetchPage(undefined, source.exchange) as Tagged<TPage, TItem>;
  // Handled from the start: a page iterated after another await must not crash the process as an
  // unhandled rejection in between. The failure still reaches whoever awaits or iterates it.
  promise.catch(ignore);
  promise[PAGES] = source;
  promise.withResponse = withResponse;
  promise[Symbol.asyncIterator] = iterate;
  return promise;
}

function ignore(): void {}

function withResponse<TPage>(this: Tagged<TPage, unknown>): Promise<WithResponse<TPage>> {
  const exchange = this[PAGES].exchange;
  return this.then((data) => {
    const response = exchange.response as Response;
    return { data, response, requestId: requestIdOf(response.headers) };
  });
}

/** Every item of every page, from the requested page on. */
async function* iterate<TPage, TItem>(this: Tagged<TPage, TItem>): AsyncIterator<TItem> {
  const source = this[PAGES];
  const { pagination, query } = source;
  const { pageParam, pageSizeParam, itemsField, totalField, firstPage, defaultPageSize } = pagination;
  const requested = query?.[pageParam];
  const start = typeof requested === "number" ? requested : firstPage;
  const sizeGiven = query?.[pageSizeParam];
  const pageSize = typeof sizeGiven === "number" ? sizeGiven : defaultPageSize;
  // Items before the first page we fetch count towards the total.
  let seen = pageSize !== undefined ? Math.max(0, start - firstPage) * pageSize : 0;
  let previous: string | undefined;
  for (let page = start; ; page++) {
    const exchange: Exchange = page === start ? source.exchange : {};
    const body = page === start ? await this : await source.fetchPage(page, exchange);
    const items = (body as Record<string, unknown> | undefined)?.[itemsField];
    if (!Array.isArray(items)) throw notAPage(source, exchange, body, itemsField);
    if (items.length === 0) return;
    // A server that ignores the page number would otherwise be read forever.
    const fingerprint = JSON.stringify(items);
    if (fingerprint === previous) return;
    previous = fingerprint;
    for (const item of items) yield item as TItem;
    seen += items.length;
    // A server that names the next page says best that there is one; an empty one still ends.
    if (hasNextLink(exchange.response)) continue;
    const total = totalField ? (body as Record<string, unknown>)[totalField] : undefined;
    if (typeof total === "number") {
      // The total decides: a short page while rows remain (from a server that caps the page size)
      // is no end, and a total that overstates (rows removed meanwhile) ends at the next, empty page.
      if (seen >= total) return;
    } else if (pageSize !== undefined && items.length < pageSize) {
      return;
    }
  }
}

/** The APIError of a page without its list of items: ending the loop there would drop rows silently. */
function notAPage(source: PageSource<unknown>, exchange: Exchange, body: unknown, itemsField: string): APIError {
  const response = exchange.response;
  const headers = response?.headers ?? new Headers();
  return new APIError(
    `${source.label ?? "A page"} answered ${response?.status ?? 200} with ${
      body === null || typeof body !== "object" ? `${JSON.stringify(body) ?? "no body"}` : "an object"
    } without its \`${itemsField}\` list, so the pages cannot be read`,
    { status: response?.status ?? 200, headers, body, requestId: requestIdOf(headers) },
  );
}

/** Whether a response's `Link` header (RFC 8288) names a `rel="next"` page. */
function hasNextLink(response: Response | undefined): boolean {
  const link = response?.headers.get("link");
  return !!link && /<[^>]*>[^,<]*;\s*rel\s*=\s*(?:"[^"]*\bnext\b[^"]*"|next\b)/i.test(link);
}
