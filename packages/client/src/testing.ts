/**
 * @traces-sdk/client/testing: typed fakes of the client for unit tests, with any test runner.
 *
 * `createFakeClient` builds a real `TracesClient` whose methods answer from the functions you pass
 * instead of a server: arguments are checked exactly as the real client checks them, paginated
 * methods stay awaitable and async-iterable, and a method you did not fake rejects with a message
 * that says how to fake it.
 */
import createClient, { type Client } from "openapi-fetch";
import type { TracesClient } from "./client.js";
import { APIError } from "./errors.js";
import { createResources } from "./generated/create-resources.js";
import { operationMetadata } from "./generated/metadata.js";
import type { Resources } from "./generated/resources.js";
import type { paths } from "./generated/schema.js";
import { checkRequestOptions } from "./options.js";
import { PagePromise } from "./pagination.js";
import type { Core, OperationMetadata, PaginationMetadata, RequestOptions } from "./runtime-types.js";
import { checkInput } from "./validate.js";

/**
 * The fake of one method: the same parameters, returning what the method resolves to (or a
 * promise of it). For a paginated method that is one page's body; the fake is called again with
 * the next page number in the query when the caller iterates with `for await`.
 */
export type FakeMethod<F> = F extends (...args: infer A) => PagePromise<infer TPage, infer TItem>
  ? (...args: A) => TPage | PromiseLike<TPage> | PagePromise<TPage, TItem>
  : F extends (...args: infer A) => PromiseLike<infer R>
    ? (...args: A) => R | PromiseLike<R>
    : never;

/** Fakes for some methods of one resource, by method name. */
export type FakeResource<R> = {
  [M in keyof R as R[M] extends (...args: never[]) => unknown ? M : never]?: FakeMethod<R[M]> | undefined;
};

/** What `createFakeClient` takes: fakes by resource and method name, and optionally a `raw` client. */
export type FakeClientInit = { [K in keyof Resources]?: FakeResource<Resources[K]> | undefined } & {
  /** The `raw` client to expose; by default every `raw` call rejects, saying how to fake it. */
  raw?: Client<paths> | undefined;
};

type AnyFake = (...args: unknown[]) => unknown;

/**
 * A `TracesClient` for unit tests whose methods call the given fakes instead of a server.
 *
 * - Arguments are checked as the real client checks them: a missing required parameter or an
 *   unknown option throws `InvalidRequestError` before the fake is called.
 * - A fake may return the value, a promise of it, or throw (for example `fakeAPIError(404)`).
 * - A paginated method's fake returns one page's body; `await` resolves to it and `for await`
 *   yields its items, calling the fake again with the next page number until a page is empty,
 *   short, repeated, or the total is reached.
 * - A method without a fake rejects with an `Error` naming it.
 *
 * @example
 * const client = createFakeClient({
 *   users: { listUsersMetadata: () => ({ count: 1, users: [user] }) },
 * });
 */
export function createFakeClient(fakes: FakeClientInit = {}): TracesClient {
  const { raw, ...resourceFakes } = fakes;
  // The arguments of the method being called; the generated methods call the core synchronously.
  let calling: unknown[] | undefined;

  const fakeFor = (op: OperationMetadata): AnyFake => {
    const [resource = "", method = ""] = op.name.split(".");
    const fake = (resourceFakes as Record<string, Record<string, unknown> | undefined>)[resource]?.[method];
    if (fake === undefined) {
      return () => {
        throw new Error(
          `${op.name} is not faked: pass createFakeClient({ ${resource}: { ${method}: (...args) => result } }).`,
        );
      };
    }
    return fake as AnyFake;
  };

  const check = (
    op: OperationMetadata,
    path: Record<string, unknown>,
    query: unknown,
    body: unknown,
    options: unknown,
  ) => {
    checkInput(op, path, query as object | undefined, body);
    checkRequestOptions(op.name, options);
  };

  const core: Core = {
    async request<T>(
      op: OperationMetadata,
      path: Record<string, unknown>,
      query: object | undefined,
      body: unknown,
      options: RequestOptions | undefined,
    ): Promise<T> {
      const args = calling ?? [];
      check(op, path, query, body, options);
      return (await fakeFor(op)(...args)) as T;
    },
    paginate<TPage, TItem>(
      op: OperationMetadata,
      path: Record<string, unknown>,
      query: object | undefined,
      body: unknown,
      options: RequestOptions | undefined,
    ): PagePromise<TPage, TItem> {
      const args = calling ?? [];
      const pagination = op.pagination as PaginationMetadata;
      const requested = (query as Record<string, unknown> | undefined)?.[pagination.pageParam];
      const start = typeof requested === "number" ? requested : pagination.firstPage;
      // Set when the fake returned `fakePage(...)`: its pages then stand for pages start, start + 1, ...
      let fixed: readonly unknown[] | undefined;
      const fetchPage = async (page: number | undefined): Promise<TPage> => {
        check(op, path, query, body, options);
        if (fixed !== undefined && page !== undefined) {
          return (fixed[page - start] ?? { [pagination.itemsField]: [] }) as TPage;
        }
        // The query argument, with the page number the iteration asks for.
        const pageArgs =
          page === undefined
            ? args
            : args.map((arg) => (arg === query ? { ...query, [pagination.pageParam]: page } : arg));
        const result = fakeFor(op)(...pageArgs);
        fixed = page === undefined ? fakePages.get(result as object) : fixed;
        return (await result) as TPage;
      };
      return new PagePromise<TPage, TItem>(fetchPage, pagination, query);
    },
  };

  const resources = createResources(core) as unknown as Record<string, Record<string, unknown>>;
  for (const resource of Object.values(resources)) {
    for (const method of methodNames(resource)) {
      const real = resource[method] as AnyFake;
      Object.defineProperty(resource, method, {
        configurable: true,
        writable: true,
        value: function fakeMethod(...args: unknown[]) {
          calling = args;
          try {
            return real.apply(resource, args);
          } finally {
            calling = undefined;
          }
        },
      });
    }
  }
  for (const name of Object.keys(resourceFakes)) {
    if (!(name in resources)) {
      throw new TypeError(
        `createFakeClient: unknown resource \`${name}\`; the client has ${Object.keys(resources)
          .map((r) => `\`${r}\``)
          .join(", ")}.`,
      );
    }
  }
  for (const [name, methods] of Object.entries(resourceFakes)) {
    const resource = resources[name] as Record<string, unknown>;
    for (const method of Object.keys(methods ?? {})) {
      if (typeof resource[method] !== "function") {
        throw new TypeError(
          `createFakeClient: \`${name}\` has no method \`${method}\`; it has ${methodNames(resource)
            .map((m) => `\`${m}\``)
            .join(", ")}.`,
        );
      }
      const fake = (methods as Record<string, unknown>)[method];
      if (fake !== undefined && typeof fake !== "function") {
        throw new TypeError(`createFakeClient: the fake of ${name}.${method} must be a function, got ${typeof fake}.`);
      }
    }
  }
  return { ...(resources as unknown as Resources), raw: raw ?? unfakedRaw() } as TracesClient;
}

/** The public methods of a resource instance (from its class). */
function methodNames(resource: object): string[] {
  const proto = Object.getPrototypeOf(resource) as object;
  return Object.getOwnPropertyNames(proto).filter(
    (name) => name !== "constructor" && typeof (resource as Record<string, unknown>)[name] === "function",
  );
}

function unfakedRaw(): Client<paths> {
  return createClient<paths>({
    baseUrl: "http://fake.invalid",
    fetch: () => {
      throw new Error(
        "client.raw is not faked: pass createFakeClient({ raw }) with an openapi-fetch client, for example one whose `fetch` answers the requests.",
      );
    },
  });
}

/** The page bodies behind each `fakePage(...)` value. */
const fakePages = new WeakMap<object, readonly unknown[]>();

/** The item type of a page body: the element type of its array-valued field. */
export type PageItem<TPage> = {
  [K in keyof TPage]-?: NonNullable<TPage[K]> extends readonly (infer I)[] ? I : never;
}[keyof TPage];

/** Names of the item arrays of every paginated operation, to pick the right field of a page. */
const ITEMS_FIELDS = new Set(
  Object.values(operationMetadata as Record<string, OperationMetadata>).flatMap((op) =>
    op.pagination ? [op.pagination.itemsField] : [],
  ),
);

/**
 * A paginated method's return value made from fixed page bodies: `await` resolves to the first
 * page, `for await` yields the items of every page in order. For `mockReturnValue` of a spy on a
 * real client, e.g. `vi.spyOn(client.users, "listUsersMetadata").mockReturnValue(fakePage(page))`
 * (a `mockResolvedValue(page)` would only support `await`: a plain promise is not async-iterable).
 * @throws TypeError when a page has no array field, or several and none is a known items field.
 */
export function fakePage<TPage extends object>(first: TPage, ...more: TPage[]): PagePromise<TPage, PageItem<TPage>> {
  const pages = [first, ...more];
  const itemsField = findItemsField(first);
  const pagination: PaginationMetadata = { pageParam: "page", pageSizeParam: "page_size", itemsField, firstPage: 0 };
  const result = new PagePromise<TPage, PageItem<TPage>>(
    async (page) => pages[page ?? 0] ?? ({ [itemsField]: [] } as TPage),
    pagination,
    {},
  );
  fakePages.set(result, pages);
  return result;
}

function findItemsField(page: object): string {
  const arrays = Object.keys(page).filter((key) => Array.isArray((page as Record<string, unknown>)[key]));
  const known = arrays.filter((key) => ITEMS_FIELDS.has(key));
  const field = arrays.length === 1 ? arrays[0] : known.length === 1 ? known[0] : undefined;
  if (field === undefined) {
    throw new TypeError(
      `fakePage: cannot tell which field holds the items (${
        arrays.length ? `array fields: ${arrays.join(", ")}` : "the page has no array field"
      }); pass a page body such as { count: 1, users: [user] }.`,
    );
  }
  return field;
}

/** What `fakeAPIError` builds an error from; every field but `status` has a default. */
export interface FakeAPIErrorInit {
  /** HTTP status; picks the class (404: `NotFoundError`, 422: `UnprocessableEntityError`, ...). */
  status: number;
  /** Response body, as the server would send it. Default: `{ detail: "<status text>" }`. */
  body?: unknown;
  /** Response headers. Default: none. */
  headers?: HeadersInit | undefined;
  /** The request id. Default: the `x-request-id` header, if given. */
  requestId?: string | undefined;
  /** For the message. Default: `GET`. */
  method?: string | undefined;
  /** For the message. Default: `/`. */
  path?: string | undefined;
}

/**
 * The `APIError` subclass the real client throws for `status` (`NotFoundError` for 404, ...),
 * with the same message format, for a fake to throw: `throw fakeAPIError({ status: 404 })`.
 */
export function fakeAPIError(init: FakeAPIErrorInit): APIError {
  const headers = new Headers(init.headers);
  return APIError.from({
    method: init.method ?? "GET",
    path: init.path ?? "/",
    status: init.status,
    headers,
    body: "body" in init ? init.body : { detail: `fake ${init.status} response` },
    requestId: init.requestId ?? headers.get("x-request-id") ?? undefined,
  });
}
