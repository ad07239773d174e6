/**
 * `createTracesClient`: the generated resources (`client.users.*`) and the raw openapi-fetch
 * client (`client.raw`), both on one transport with auth, retries and timeouts.
 */
import createClient, { type Client } from "openapi-fetch";
import { readEnv } from "./env.js";
import { APIError, InvalidRequestError } from "./errors.js";
import { createResources } from "./generated/create-resources.js";
import { defaultBaseUrl } from "./generated/metadata.js";
import type { Resources } from "./generated/resources.js";
import type { paths } from "./generated/schema.js";
import { checkClientOptions, checkRequestOptions, warnPlainHttpKey } from "./options.js";
import { PagePromise } from "./pagination.js";
import type { Core, OperationMetadata, RequestOptions } from "./runtime-types.js";
import { buildPath, joinUrl, serializeQuery } from "./serialize.js";
import { send, type TransportConfig } from "./transport.js";
import { checkInput } from "./validate.js";

/** Options of `createTracesClient`; every one has a default. */
export interface TracesClientOptions {
  /** Server URL, with any path prefix. Default: env `TRACES_BASE_URL`, else the spec's server (`http://localhost`). */
  baseUrl?: string | undefined;
  /** API key, sent as `Authorization: Bearer <key>` to the `baseUrl` origin only. Default: env `TRACES_API_KEY`. */
  apiKey?: string | undefined;
  /** Milliseconds per attempt (headers and body). Default: 60 000. */
  timeout?: number | undefined;
  /** Retries of idempotent requests after connection errors, timeouts, 408, 429 and 5xx. Default: 2; 0 disables. */
  maxRetries?: number | undefined;
  /** The fetch implementation. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/** The client: one property per tag of the spec, plus `raw`. */
export interface TracesClient extends Resources {
  /** The underlying openapi-fetch client, typed from `paths`, with the same auth, retries and timeouts. */
  readonly raw: Client<paths>;
}

const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_MAX_RETRIES = 2;
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

/** Creates a client for the Traces API; see `TracesClientOptions` for the defaults. */
export function createTracesClient(options: TracesClientOptions = {}): TracesClient {
  checkClientOptions(options);
  const baseUrl = checkBaseUrl(options.baseUrl ?? readEnv("TRACES_BASE_URL") ?? defaultBaseUrl);
  const timeout = checkTimeout("timeout", options.timeout ?? DEFAULT_TIMEOUT);
  const maxRetries = checkRetries("maxRetries", options.maxRetries ?? DEFAULT_MAX_RETRIES);
  const apiKey = options.apiKey ?? readEnv("TRACES_API_KEY");
  // Checked here, without echoing the value: fetch's own error for a bad header value quotes it.
  if (apiKey !== undefined && apiKey !== "" && (typeof apiKey !== "string" || !/^[\x21-\x7e]+$/.test(apiKey))) {
    throw new InvalidRequestError(
      "createTracesClient: `apiKey` must be a string of printable ASCII characters without spaces (check for a stray newline or quote).",
      "apiKey",
    );
  }
  const userFetch = options.fetch;
  if (userFetch !== undefined && typeof userFetch !== "function") {
    throw new InvalidRequestError("createTracesClient: `fetch` must be a function.", "fetch");
  }
  const config: TransportConfig = {
    origin: new URL(baseUrl).origin,
    apiKey: apiKey || undefined,
    // Looked up per call (and called unbound) so that a later polyfill or test double is honoured.
    fetch: userFetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  const defaultHeaders = { ...options.headers };
  warnPlainHttpKey(new URL(baseUrl), config.apiKey !== undefined);

  const sendOperation = async (
    op: OperationMetadata,
    path: Record<string, unknown>,
    query: object | undefined,
    body: unknown,
    requestOptions: RequestOptions | undefined,
  ): Promise<unknown> => {
    const url = joinUrl(baseUrl, buildPath(op.path, path), serializeQuery(query, dateFormats(op)));
    const headers = new Headers({ accept: "application/json", ...defaultHeaders, ...requestOptions?.headers });
    const encoded = encodeBody(op, body, headers);
    const response = await send(config, {
      method: op.method,
      url,
      headers,
      body: encoded,
      idempotent: op.idempotent,
      timeout: checkTimeout("timeout", requestOptions?.timeout ?? timeout),
      maxRetries: checkRetries("maxRetries", requestOptions?.maxRetries ?? maxRetries),
      signal: requestOptions?.signal,
    });
    return decode(op, url, response, config.apiKey !== undefined);
  };

  const core: Core = {
    async request<T>(
      op: OperationMetadata,
      path: Record<string, unknown>,
      query: object | undefined,
      body: unknown,
      requestOptions: RequestOptions | undefined,
    ): Promise<T> {
      checkInput(op, path, query, body);
      checkRequestOptions(op.name, requestOptions);
      return (await sendOperation(op, path, query, body, requestOptions)) as T;
    },
    paginate<TPage, TItem>(
      op: OperationMetadata,
      path: Record<string, unknown>,
      query: object | undefined,
      body: unknown,
      requestOptions: RequestOptions | undefined,
    ): PagePromise<TPage, TItem> {
      const pagination = op.pagination;
      if (!pagination) throw new TypeError(`${op.name} is not paginated`);
      return new PagePromise<TPage, TItem>(
        (page) => {
          const pageQuery = page === undefined ? query : { ...query, [pagination.pageParam]: page };
          return core.request<TPage>(op, path, pageQuery, body, requestOptions);
        },
        pagination,
        query,
      );
    },
  };

  const raw = createClient<paths>({
    baseUrl: baseUrl.replace(/\/$/, ""),
    headers: defaultHeaders,
    querySerializer: (query) => serializeQuery(query),
    fetch: async (request: Request) => {
      const method = request.method.toUpperCase();
      const body = method === "GET" || method === "HEAD" || !request.body ? undefined : await request.arrayBuffer();
      return send(config, {
        method,
        url: new URL(request.url),
        headers: new Headers(request.headers),
        body,
        idempotent: IDEMPOTENT.has(method),
        timeout,
        maxRetries,
        signal: request.signal,
      });
    },
  });

  return { ...createResources(core), raw };
}

/** The `format` (`date` or `date-time`) of each query parameter that takes dates. */
function dateFormats(op: OperationMetadata): Record<string, string | undefined> {
  const formats: Record<string, string | undefined> = {};
  for (const p of op.params) {
    const format = p.schema.format ?? p.schema.items?.format;
    if (p.in === "query" && format) formats[p.name] = format;
  }
  return formats;
}

/** The request body as the operation's content type wants it; sets `content-type` where needed. */
function encodeBody(op: OperationMetadata, body: unknown, headers: Headers): BodyInit | undefined {
  if (body === undefined || !op.body) return undefined;
  const type = op.body.contentType;
  if (type.startsWith("multipart/form-data")) {
    // fetch writes the boundary into content-type itself.
    if (body instanceof FormData) return body;
    const form = new FormData();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === undefined || item === null) continue;
        form.append(key, item instanceof Blob ? item : typeof item === "object" ? JSON.stringify(item) : String(item));
      }
    }
    return form;
  }
  if (type === "application/x-www-form-urlencoded") {
    headers.set("content-type", type);
    return serializeQuery(body as object);
  }
  if (/json/i.test(type)) {
    headers.set("content-type", type);
    return JSON.stringify(body);
  }
  headers.set("content-type", type);
  return body as BodyInit;
}

/** The success body, or the APIError that matches the status. */
async function decode(op: OperationMetadata, url: URL, response: Response, hasKey: boolean): Promise<unknown> {
  const where = { method: op.method, path: url.pathname };
  const requestId =
    response.headers.get("x-request-id") ??
    response.headers.get("request-id") ??
    response.headers.get("x-amzn-requestid") ??
    undefined;
  if (response.ok && op.response === "raw") return response;
  const text = await response.text();
  let body: unknown = text === "" ? undefined : text;
  let parseError: unknown;
  if (text !== "" && (/json/i.test(response.headers.get("content-type") ?? "") || op.response === "json")) {
    try {
      body = JSON.parse(text);
    } catch (error) {
      parseError = error;
    }
  }
  if (!response.ok) {
    const hint =
      response.status === 401 && !hasKey ? "No API key was configured: pass `apiKey` or set TRACES_API_KEY" : undefined;
    throw APIError.from({
      ...where,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body,
      requestId,
      hint,
    });
  }
  if (op.response === "none") return undefined;
  if (parseError !== undefined) {
    const snippet = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    throw new APIError(
      `${op.method} ${url.pathname} answered ${response.status} with a body that is not valid JSON (${
        (parseError as Error).message
      }): ${JSON.stringify(snippet)}`,
      { status: response.status, headers: response.headers, body: text, requestId },
      { cause: parseError },
    );
  }
  return body;
}

function checkBaseUrl(value: string | undefined): string {
  if (!value) {
    throw new InvalidRequestError("createTracesClient: no `baseUrl`: pass one or set TRACES_BASE_URL.", "baseUrl");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidRequestError(
      `createTracesClient: \`baseUrl\` must be an absolute http(s) URL such as "https://engine.example.com", got ${JSON.stringify(value)}.`,
      "baseUrl",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidRequestError(
      `createTracesClient: \`baseUrl\` must use http or https, got ${url.protocol}.`,
      "baseUrl",
    );
  }
  if (url.username || url.password) {
    throw new InvalidRequestError(
      "createTracesClient: `baseUrl` must not contain credentials; use `apiKey`.",
      "baseUrl",
    );
  }
  url.search = "";
  url.hash = "";
  return url.href.replace(/\/$/, "");
}

/** The longest delay timers accept; larger values fire at once. */
const MAX_TIMEOUT = 2_147_483_647;

function checkTimeout(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT) {
    throw new InvalidRequestError(
      `\`${name}\` must be a positive number of milliseconds up to ${MAX_TIMEOUT}, got ${String(value)}.`,
      name,
    );
  }
  return value;
}

function checkRetries(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidRequestError(`\`${name}\` must be a non-negative integer, got ${String(value)}.`, name);
  }
  return value;
}
