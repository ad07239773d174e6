/**
 * @traces-sdk/client/testing: typed fakes of the client for unit tests, with any test runner.
 *
 * `createFakeClient` builds a real `TracesClient` whose requests are answered by the functions you
 * pass instead of a server. Everything else is the real client: arguments are checked, paginated
 * methods are awaitable and async-iterable, and errors have the classes and messages they have in
 * production.
 */

// The main entry by the package's name, not its modules: the built entry then loads the same
// copy an app imports (ES module or CommonJS alike), and its declarations refer to the main ones.
import {
  APIConnectionError,
  APIError,
  type APIPromise,
  createTracesClient,
  type PagePromise,
  type Resources,
  type TracesClient,
} from "@traces-sdk/client";
import { untilAborted } from "./abort.js";
import { apiPromise, type Exchange } from "./api-promise.js";
import { snapshot } from "./core.js";
// Named, not a namespace import: the build shares these modules with the main entry, and a
// namespace object there would keep every operation's metadata in an app's bundle.
import { rawOperations } from "./generated/raw-operations.js";
import { nearestName } from "./options.js";
import { pagePromise } from "./page-promise.js";
import type { OperationMetadata, PaginationMetadata } from "./runtime-types.js";

/**
 * The fake of one method: the same parameters, returning what the method resolves to (or a
 * promise of it). For a paginated method that is one page's body (or a `fakePage(...)`); when the
 * caller iterates with `for await`, the fake is called again with the next page number.
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

/** What `createFakeClient` takes: fakes by resource and method name (`{ users: { getUserDetails } }`). */
export type FakeClientInit = { [K in keyof Resources]?: FakeResource<Resources[K]> | undefined };

type AnyFake = (...args: unknown[]) => unknown;

/** The header that carries a call's id from a resource method to the fake server; never sent anywhere. */
const CALL_HEADER = "x-traces-fake-call";
const FAKE_ORIGIN = "https://fake.invalid";

/** Every operation of the generated client, by `resource.method` name. */
function operationsByName(): Map<string, OperationMetadata> {
  return new Map(Object.values(rawOperations).map((op) => [op.name, op]));
}

/**
 * A `TracesClient` for unit tests: its resource methods are answered by the given fakes instead of
 * a server, through the real client, so that
 *
 * - arguments are checked as in production: invalid ones throw `InvalidRequestError` before the
 *   fake is called;
 * - a fake gets the arguments as they were at the call and returns the value the method resolves
 *   to, or a promise of it; `vi.fn()` fakes work;
 * - a paginated method's fake returns one page's body and the method works with `await` and with
 *   `for await` (the fake is called again with the next page number in its query argument, as a
 *   real server would be, until the total is reached or a page is empty or repeated), or returns
 *   `fakePage(...)`, whose pages are yielded as given, up to their total;
 * - a fake that returns `fakeResult(value, { requestId, status, headers })` answers with those;
 * - a fake that throws `fakeAPIError({ status })` makes the method throw the class the real client
 *   throws for that status (`NotFoundError` for 404, ...), with the usual message; an
 *   `APIConnectionError` or `APIUserAbortError` is thrown as it is; any other error reaches the
 *   caller as an `APIConnectionError` whose `cause` it is;
 * - a method without a fake, and `client.raw`, reject with an `APIConnectionError` saying so.
 *
 * Retries are off, so a fake is called once per call (and per page).
 * @throws TypeError for a resource or method the client does not have, or a fake that is not a function.
 * @example
 * const client = createFakeClient({
 *   users: { listUsersMetadata: () => ({ count: 1, users: [user] }) },
 * });
 */
export function createFakeClient(fakes: FakeClientInit = {}): TracesClient {
  const operations = operationsByName();
  const calls = new Map<string, { name: string; args: unknown[]; arity: number }>();
  let nextCall = 0;

  const client = createTracesClient({
    baseUrl: FAKE_ORIGIN,
    // Not undefined, which would read TRACES_API_KEY; a key, so that a faked 401 does not say none was configured.
    apiKey: "fake-key",
    maxRetries: 0,
    // Quiet unless a test asks otherwise (TRACES_LOG is not read either): failures are the test's to report.
    logLevel: "off",
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const id = request.headers.get(CALL_HEADER);
      const call = id === null ? undefined : calls.get(id);
      if (!call) {
        throw new APIConnectionError(
          `${request.method} ${new URL(request.url).pathname}: the fake client answers only its resource methods (client.users.*); to fake client.raw, create a client with a \`fetch\` that answers the request.`,
        );
      }
      const [resource = "", method = ""] = call.name.split(".");
      const fake = (fakes as Record<string, Record<string, unknown> | undefined>)[resource]?.[method] as
        | AnyFake
        | undefined;
      if (fake === undefined) {
        throw new APIConnectionError(
          `${call.name} is not faked: pass createFakeClient({ ${resource}: { ${method}: (...args) => result } }).`,
        );
      }
      const op = operations.get(call.name);
      const pageArgs = op?.pagination
        ? argsForPage(call.args, call.arity, op.pagination, new URL(request.url))
        : undefined;
      let result: unknown;
      let answer: Answer | undefined;
      // The `fakePage(...)` and `fakeResult(...)` values made while this fake runs: from an `async`
      // fake they arrive as the value they resolve to, and are known by it.
      const madeHere: Made[] = [];
      making.add(madeHere);
      try {
        // Values made during the fake's synchronous part are its own for sure (see madeNow).
        const outer = running;
        running = madeHere;
        try {
          result = fake(...(pageArgs?.args ?? call.args));
        } finally {
          running = outer;
        }
        let pages = fakePages.get(result as object);
        answer = fakeResults.get(result as object);
        const thenable = typeof (result as PromiseLike<unknown> | undefined)?.then === "function";
        // As a real server's answer would be, a fake's is abandoned on the call's timeout or signal.
        const signal = init?.signal;
        result = await (signal ? untilAborted(result, signal) : result);
        if (thenable && pages === undefined && answer === undefined && typeof result === "object" && result !== null) {
          const made = madeHere.filter((m) => m.value === result).at(-1);
          pages = made?.pages;
          answer = made?.answer;
        }
        // A `fakePage(...)` stands for its pages, not only the first one it resolves to. Page N of
        // the call is its N-th body whatever the page size and page number, and, while its total
        // (counted from the first page given, as `for await` over the fakePage itself counts it)
        // is not reached, a `Link: rel="next"` says that another follows.
        if (pages !== undefined && op?.pagination) {
          const index = pageArgs?.index ?? 0;
          result = pages[index] ?? { [op.pagination.itemsField]: [] };
          if (index + 1 < pages.length && !fakeTotalReached(pages, index, op.pagination)) {
            const next = new URL(request.url);
            next.searchParams.set(op.pagination.pageParam, String((pageArgs?.page ?? 0) + 1));
            answer = { headers: new Headers({ link: `<${next.href}>; rel="next"` }) };
          }
        }
      } catch (error) {
        if (error instanceof APIError) return errorResponse(error);
        throw error;
      } finally {
        making.delete(madeHere);
      }
      return successResponse(op, result, answer);
    },
  });

  const resources = client as unknown as Record<string, Record<string, unknown>>;
  for (const [name, methods] of Object.entries(fakes)) {
    const resource = resources[name];
    const names = resourceNames(client);
    if (!names.includes(name) || typeof resource !== "object" || resource === null) {
      throw new TypeError(
        `createFakeClient: unknown resource \`${name}\`; the client has ${names.map((r) => `\`${r}\``).join(", ")}.`,
      );
    }
    for (const [method, fake] of Object.entries(methods ?? {})) {
      if (typeof resource[method] !== "function") {
        throw new TypeError(
          `createFakeClient: \`${name}\` has no method \`${method}\`; it has ${methodNames(resource)
            .map((m) => `\`${m}\``)
            .join(", ")}.`,
        );
      }
      if (fake !== undefined && typeof fake !== "function") {
        throw new TypeError(`createFakeClient: the fake of ${name}.${method} must be a function, got ${typeof fake}.`);
      }
    }
  }

  // Each call carries its id to the fake server in a per-request header, with the caller's arguments kept here.
  for (const name of resourceNames(client)) {
    const resource = resources[name] as Record<string, unknown>;
    for (const method of methodNames(resource)) {
      const real = resource[method] as (...args: unknown[]) => unknown;
      const arity = real.length;
      Object.defineProperty(resource, method, {
        configurable: true,
        writable: true,
        value: function fakeable(...args: unknown[]): unknown {
          const id = String(++nextCall);
          // The fake sees the arguments as they were at the call, on every page, as a server
          // would: a caller that changes its arrays or Dates inside a loop changes no later page.
          // The options (signal, headers...) stay as given.
          const kept = args.map((arg, i) => (i === arity - 1 ? arg : snapshot(arg)));
          calls.set(id, { name: `${name}.${method}`, args: kept, arity });
          const withId = [...args];
          while (withId.length < arity) withId.push(undefined);
          withId[arity - 1] = withCallHeader(withId[arity - 1], id);
          return real.apply(resource, withId);
        },
      });
    }
  }
  return client;
}

/**
 * The per-request options with the call's id added to their headers, in whichever form the caller
 * gave them (a record, a `Headers`, pairs). Options or headers that are no object are left as they
 * are: the client refuses them, naming them, before anything reaches the fake server.
 */
function withCallHeader(options: unknown, id: string): unknown {
  if (options === undefined) return { headers: { [CALL_HEADER]: id } };
  if (typeof options !== "object" || options === null || Array.isArray(options)) return options;
  const headers = (options as { headers?: unknown }).headers;
  if (headers === undefined || headers === null) return { ...options, headers: { [CALL_HEADER]: id } };
  if (typeof headers !== "object") return options;
  const added =
    Symbol.iterator in headers
      ? [...(headers as Iterable<unknown>), [CALL_HEADER, id]]
      : { ...(headers as Record<string, unknown>), [CALL_HEADER]: id };
  return { ...options, headers: added };
}

/**
 * The caller's arguments for the page the client asks for: the page number in the request's URL
 * replaces the one in the query argument (the argument before the options). `index` counts pages
 * from the first one requested, for `fakePage(...)`.
 */
function argsForPage(
  args: readonly unknown[],
  arity: number,
  pagination: PaginationMetadata,
  url: URL,
): { args: unknown[]; index: number; page: number } {
  const at = arity - 2;
  const query = (args[at] ?? {}) as Record<string, unknown>;
  const given = query[pagination.pageParam];
  const start = typeof given === "number" ? given : pagination.firstPage;
  const sent = url.searchParams.get(pagination.pageParam);
  const page = sent === null ? start : Number(sent);
  if (page === start) return { args: [...args], index: 0, page };
  const copy = [...args];
  copy[at] = { ...query, [pagination.pageParam]: page };
  return { args: copy, index: page - start, page };
}

/** Whether the pages up to `index` hold at least the total (`count`) that page gives. */
function fakeTotalReached(pages: readonly unknown[], index: number, pagination: PaginationMetadata): boolean {
  const page = pages[index] as Record<string, unknown> | undefined;
  const total = pagination.totalField === undefined ? undefined : page?.[pagination.totalField];
  if (typeof total !== "number") return false;
  let held = 0;
  for (const p of pages.slice(0, index + 1)) {
    const items = (p as Record<string, unknown> | undefined)?.[pagination.itemsField];
    held += Array.isArray(items) ? items.length : 0;
  }
  return held >= total;
}

/** What a fake's answer carries besides its body: a status and headers (from `fakeResult`, or a page's `Link`). */
interface Answer {
  status?: number | undefined;
  headers: Headers;
}

/**
 * The response the real server would send for `result`, as the operation's metadata says it
 * reads it, with `answer`'s status and headers. Statuses 204 and 205 send no body.
 */
function successResponse(op: OperationMetadata | undefined, result: unknown, answer?: Answer): Response {
  if (result instanceof Response) return result;
  // A bare `vi.fn()` or a fake that forgot to return: the real API never answers nothing here.
  if (result === undefined && answer === undefined && op?.response === "json") {
    throw new TypeError(
      `The fake of ${op.name} returned undefined, but ${op.method} ${op.path} answers a JSON body: return the body, or fakeResult(undefined, { status: 204 }) for an empty answer.`,
    );
  }
  const headers = new Headers(answer?.headers);
  const empty = op?.response === "none" || result === undefined;
  const status = answer?.status ?? (empty ? 204 : 200);
  if (empty || status === 204 || status === 205) return new Response(null, { status, headers });
  const text = typeof result === "string" && op?.response !== "json";
  if (!headers.has("content-type")) headers.set("content-type", text ? "text/plain" : "application/json");
  return new Response(text ? result : JSON.stringify(result), { status, headers });
}

/** The HTTP answer behind `error`, so that the client rebuilds the same class with its own message. */
function errorResponse(error: APIError): Response {
  const headers = new Headers(error.headers);
  const text = typeof error.body === "string" ? error.body : error.body === undefined ? "" : JSON.stringify(error.body);
  if (typeof error.body !== "string" && text !== "") headers.set("content-type", "application/json");
  if (error.requestId !== undefined && !headers.has("x-request-id")) headers.set("x-request-id", error.requestId);
  return new Response(text === "" ? null : text, {
    status: error.status,
    statusText: STATUS_TEXT[error.status] ?? "",
    headers,
  });
}

/** Reason phrases of RFC 9110 §15 for the statuses fakes use most, as a real server sends them. */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The resource namespaces of a client (`users`, ...). */
function resourceNames(client: object): string[] {
  return Object.keys(client).filter((key) => {
    const value = (client as Record<string, unknown>)[key];
    return key !== "raw" && typeof value === "object" && value !== null && methodNames(value).length > 0;
  });
}

/** The public methods of a resource instance (from its class). */
function methodNames(resource: object): string[] {
  const proto = Object.getPrototypeOf(resource) as object | null;
  if (proto === null || proto === Object.prototype) return [];
  return Object.getOwnPropertyNames(proto).filter(
    (name) => name !== "constructor" && typeof (resource as Record<string, unknown>)[name] === "function",
  );
}

/** The page bodies behind each `fakePage(...)` value. */
const fakePages = new WeakMap<object, readonly unknown[]>();

/** A `fakePage(...)` or `fakeResult(...)` value as it resolves: its value (once settled), and its pages or answer. */
interface Made {
  value?: unknown;
  pages?: readonly unknown[];
  answer?: Answer;
}

/** One list per fake running now, each collecting the values made meanwhile (see createFakeClient). */
const making = new Set<Made[]>();
/** The list of the fake whose synchronous part runs now, if any. */
let running: Made[] | undefined;

/**
 * Records a value `fakePage` or `fakeResult` made. During a fake's synchronous part (where an
 * `async` fake makes what it returns, unless it awaits first) it is that fake's alone, so that
 * concurrent calls returning the same fixture keep their own answers. After an await it may be
 * any running fake's. One made outside every fake answers no async fake: an async fake returns
 * its value, not the fakeResult, so it could only be matched by value, and a fixture shared with
 * other tests would then bring a stray request id.
 */
function madeNow(made: Made): void {
  if (running) running.push(made);
  else for (const list of making) list.push(made);
}

/** The item type of a page body: the element type of its array-valued field. */
export type PageItem<TPage> = {
  [K in keyof TPage]-?: NonNullable<TPage[K]> extends readonly (infer I)[] ? I : never;
}[keyof TPage];

/**
 * A paginated method's return value made from fixed page bodies: `await` resolves to the first
 * page, `for await` yields the items of every page in order, stopping at the pages' total
 * (`count`) as the real client does. For `mockReturnValue` of a spy on a
 * real client, e.g. `vi.spyOn(client.users, "listUsersMetadata").mockReturnValue(fakePage(page))`
 * (`mockResolvedValue(page)` would support only `await`: a plain promise is not async-iterable),
 * or as what a `createFakeClient` fake returns.
 * @throws TypeError when a page has no array field, or several and none is a known items field.
 */
export function fakePage<TPage extends object>(first: TPage, ...more: TPage[]): PagePromise<TPage, PageItem<TPage>> {
  const pages = [first, ...more];
  const itemsField = findItemsField(first);
  // The total (`count`) of the operation whose pages these are stops iteration, as on a real client.
  const totalField = [...operationsByName().values()].find((op) => op.pagination?.itemsField === itemsField)?.pagination
    ?.totalField;
  const pagination: PaginationMetadata = {
    pageParam: "page",
    pageSizeParam: "page_size",
    itemsField,
    firstPage: 0,
    ...(totalField !== undefined && typeof (first as Record<string, unknown>)[totalField] === "number"
      ? { totalField }
      : {}),
  };
  const result = pagePromise<TPage, PageItem<TPage>>({
    pagination,
    query: {},
    exchange: {},
    async fetchPage(page, exchange) {
      const data = pages[page ?? 0] ?? ({ [itemsField]: [] } as TPage);
      const response = new Response(JSON.stringify(data), { headers: { "content-type": "application/json" } });
      // Read, as the client reads every answer: `withResponse().response` is the same on a fake.
      await response.text();
      exchange.response = response;
      return data;
    },
  });
  fakePages.set(result, pages);
  madeNow({ value: first, pages });
  return result;
}

function findItemsField(page: object): string {
  const known = new Set(
    [...operationsByName().values()].flatMap((op) => (op.pagination ? [op.pagination.itemsField] : [])),
  );
  const arrays = Object.keys(page).filter((key) => Array.isArray((page as Record<string, unknown>)[key]));
  const candidates = arrays.filter((key) => known.has(key));
  const field = arrays.length === 1 ? arrays[0] : candidates.length === 1 ? candidates[0] : undefined;
  if (field === undefined) {
    throw new TypeError(
      `fakePage: cannot tell which field holds the items (${
        arrays.length ? `array fields: ${arrays.join(", ")}` : "the page has no array field"
      }); pass a page body such as { count: 1, users: [user] }.`,
    );
  }
  return field;
}

/**
 * Throws a `TypeError` when `init` is not an object or has a name `where` does not take, naming
 * the nearest valid one: a misspelt `requestID` would otherwise be ignored without a word.
 */
function checkInit(where: string, init: unknown, valid: readonly string[], example: string): void {
  if (typeof init !== "object" || init === null || Array.isArray(init)) {
    throw new TypeError(
      `${where}: expected an object such as ${example}, got ${Array.isArray(init) ? "an array" : String(init)}.`,
    );
  }
  for (const key of Object.keys(init)) {
    if (valid.includes(key)) continue;
    const nearest = nearestName(key, valid);
    throw new TypeError(
      `${where}: unknown option \`${key}\`${nearest ? `; did you mean \`${nearest}\`?` : "."} Valid options: \`${valid.join("`, `")}\`.`,
    );
  }
}

/** How a `fakeResult` answers besides its value; every field has a default. */
export interface FakeResultInit {
  /** HTTP status, a success (200 to 299). Default: 200, or 204 when the value is `undefined`. 204 and 205 carry no body. */
  status?: number | undefined;
  /** Response headers. Default: `content-type: application/json` (when there is a body). */
  headers?: HeadersInit | undefined;
  /** The request id, sent as `x-request-id` (over one in `headers`). Default: the `x-request-id` header, if given, else none. */
  requestId?: string | undefined;
}

const FAKE_RESULT_INIT: readonly (keyof FakeResultInit)[] = ["status", "headers", "requestId"];

/** Status and headers of each `fakeResult(...)` value, for a fake client's answer. */
const fakeResults = new WeakMap<object, Answer>();

/**
 * A method's return value made from a fixed result, for a spy on a real client:
 * `vi.spyOn(client.users, "getUserDetails").mockReturnValue(fakeResult(user, { requestId: "req-1" }))`.
 * It is an `APIPromise`: awaiting it gives `value`, and `.withResponse()` gives
 * `{ data, response, requestId }` with a real `Response` (status, headers and JSON body from
 * `value` and `init`, body already read as on a real call). `mockResolvedValue(value)` compiles
 * there too, but its plain promise has no `withResponse()`. A `createFakeClient` fake may return it
 * too, to answer with that status and those headers. `value` may be a promise: a rejected one
 * (`Promise.reject(fakeAPIError({ status: 404 }))`) makes the call and `.withResponse()` reject
 * with its error.
 * @throws TypeError for an `init` that is not an object or has an unknown name; RangeError for a
 *   `status` that is not an integer from 200 to 299, or 204/205 with a value other than `undefined`.
 */
export function fakeResult<T>(value: T | PromiseLike<T>, init: FakeResultInit = {}): APIPromise<T> {
  checkInit("fakeResult", init, FAKE_RESULT_INIT, '{ requestId: "req-1" }');
  const { status } = init;
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 299)) {
    throw new RangeError(
      `fakeResult: status must be a success status from 200 to 299, got ${String(status)}; for an error, throw fakeAPIError({ status }) from a fake, or pass a rejected promise: fakeResult(Promise.reject(fakeAPIError({ status }))).`,
    );
  }
  const headers = new Headers(init.headers);
  if (init.requestId !== undefined) headers.set("x-request-id", init.requestId);
  const answer: Answer = { status, headers };
  const exchange: Exchange = {};
  const made: Made = { answer };
  madeNow(made);
  const data = Promise.resolve(value).then(async (resolved) => {
    if ((status === 204 || status === 205) && resolved !== undefined) {
      throw new RangeError(`fakeResult: status ${status} carries no body, so the value must be undefined.`);
    }
    const response = successResponse(undefined, resolved, answer);
    await response.arrayBuffer();
    exchange.response = response;
    made.value = resolved;
    return resolved;
  });
  const result = apiPromise(data, exchange);
  // Handled from the start, as a real call is: a rejection reaches whoever awaits the result.
  result.catch(() => undefined);
  fakeResults.set(result, answer);
  return result;
}

/** What `fakeAPIError` builds an error from; every field but `status` has a default. */
export interface FakeAPIErrorInit {
  /** HTTP status; picks the class (404: `NotFoundError`, 422: `UnprocessableEntityError`, ...). */
  status: number;
  /** Response body, as the server would send it. Default: `{ detail: "fake <status> response" }`. */
  body?: unknown;
  /** Response headers. Default: none. */
  headers?: HeadersInit | undefined;
  /** The request id. Default: the `x-request-id` header, if given. */
  requestId?: string | undefined;
  /** For the message. Default: `GET`. A fake client's method uses its own. */
  method?: string | undefined;
  /** For the message. Default: `/`. A fake client's method uses its own. */
  path?: string | undefined;
}

const FAKE_API_ERROR_INIT: readonly (keyof FakeAPIErrorInit)[] = [
  "status",
  "body",
  "headers",
  "requestId",
  "method",
  "path",
];

/**
 * The `APIError` subclass the real client throws for `status` (`NotFoundError` for 404, ...),
 * with the same message format, for a fake to throw: `throw fakeAPIError({ status: 404 })`.
 * @throws TypeError for an `init` that is not an object or has an unknown name (`requestID`: "did you mean `requestId`?").
 */
export function fakeAPIError(init: FakeAPIErrorInit): APIError {
  checkInit("fakeAPIError", init, FAKE_API_ERROR_INIT, "{ status: 404 }");
  if (!Number.isInteger(init.status) || init.status < 400 || init.status > 599) {
    throw new RangeError(
      `fakeAPIError: \`status\` must be an error status from 400 to 599, got ${JSON.stringify(init.status)}; for a success, return the value (or fakeResult(value, { status })).`,
    );
  }
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
