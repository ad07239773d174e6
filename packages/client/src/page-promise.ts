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
 * stops at an empty page and when the server sends an earlier page again; after a page whose
 * response names the next page number (`Link: <...?page=N+1>; rel="next"`, RFC 8288) it goes on,
 * else it stops at the total (`count`), and, only when the body has no total, at a page shorter
 * than the page size. A page without its list of items, or one that repeats an earlier page while
 * the total says rows remain, is an `APIError`, not an end. It may be iterated later than it is
 * made: a failure of the requested page is not reported as an unhandled rejection in between, but
 * when it is awaited or iterated.
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
  // Each page's rows by a 53-bit hash, to tell a page the server sent before.
  const pagesSeen = new Map<number, number>();
  for (let page = start; ; page++) {
    const exchange: Exchange = page === start ? source.exchange : {};
    const body = page === start ? await this : await source.fetchPage(page, exchange);
    const items = (body as Record<string, unknown> | undefined)?.[itemsField];
    if (!Array.isArray(items)) {
      // Ending the loop here would drop rows silently.
      const what = body === null || typeof body !== "object" ? (JSON.stringify(body) ?? "no body") : "an object";
      throw pageError(
        exchange,
        body,
        `${source.label ?? "A page"} answered ${exchange.response?.status ?? 200} with ${what} without its \`${itemsField}\` list, so the pages cannot be read`,
      );
    }
    if (items.length === 0) return;
    // A server that ignores the page number, or cycles, would otherwise be read forever.
    const fingerprint = hash53(JSON.stringify(items));
    const earlier = pagesSeen.get(fingerprint);
    const total = totalField ? (body as Record<string, unknown>)[totalField] : undefined;
    if (earlier !== undefined) {
      // Without a total this is where the rows end; with rows still to come it is the server's fault.
      if (typeof total !== "number" || seen >= total) return;
      throw pageError(
        exchange,
        body,
        `${source.label ?? "A paginated call"} answered page ${page} with the rows of page ${earlier}, after ${seen} of ${total} rows: the server ignores \`${pageParam}\` or pages inconsistently, so the rest cannot be read`,
      );
    }
    pagesSeen.set(fingerprint, page);
    for (const item of items) yield item as TItem;
    seen += items.length;
    // A server that names the next page by number says best that there is one; an empty one still ends.
    if (nextLinkIs(exchange.response, pageParam, page + 1)) continue;
    if (typeof total === "number") {
      // The total decides: a short page while rows remain (from a server that caps the page size)
      // is no end, and a total that overstates (rows removed meanwhile) ends at the next, empty page.
      if (seen >= total) return;
    } else if (pageSize !== undefined && items.length < pageSize) {
      return;
    }
  }
}

/** An APIError about a page, with the status, headers and request id of its response. */
function pageError(exchange: Exchange, body: unknown, message: string): APIError {
  const status = exchange.response?.status ?? 200;
  const headers = exchange.response?.headers ?? new Headers();
  return new APIError(message, { status, headers, body, requestId: requestIdOf(headers) });
}

/**
 * Whether a response's `Link` header (RFC 8288) names a `rel="next"` page numbered `next` in
 * `pageParam`. Another link (a cursor, a page behind) is not followed: this client asks for pages by
 * number, so the total then decides.
 */
function nextLinkIs(response: Response | undefined, pageParam: string, next: number): boolean {
  const link = response?.headers.get("link");
  if (!link) return false;
  const match = /<([^>]*)>[^,<]*;\s*rel\s*=\s*(?:"[^"]*\bnext\b[^"]*"|next\b)/i.exec(link);
  if (!match) return false;
  try {
    return new URL(match[1] as string, "http://link.invalid/").searchParams.get(pageParam) === String(next);
  } catch {
    return false;
  }
}

/** cyrb53: a 53-bit string hash (public domain, by bryc); collisions are negligible for pages. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
