/**
 * `client.raw`: openapi-fetch's `Client` interface (`GET`, `POST`, ..., `request`, `use`, `eject`),
 * typed from `paths`, sending through the client's one transport (auth, retries, timeouts,
 * middleware, logging). Parameters go on the wire as the spec declares them, like the resource
 * methods; the result is openapi-fetch's `{ data, error, response }`, and HTTP errors never throw.
 */
import type { Client, HeadersOptions, Middleware, ParseAs, QuerySerializerOptions } from "openapi-fetch";
import type { TracesCore } from "./core.js";
import { checkRetries, checkTimeout, mergeHeaders } from "./core.js";
import { InvalidRequestError } from "./errors.js";
import { checkMiddleware, checkRawOptions, checkSignal } from "./options.js";
import type { OperationMetadata, ParamMetadata } from "./runtime-types.js";
import {
  encodeBody,
  LONE_SURROGATE,
  serializeCookieParam,
  serializeHeaderParam,
  serializePathParam,
  serializeQueryParam,
} from "./serialize.js";
import { type Received, send } from "./transport.js";

/** `client.raw` reads the response itself: the transport hands it over as received. */
const asReceived = (received: Received): Received => received;

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

interface RawInit {
  params?: {
    path?: Record<string, unknown>;
    query?: Record<string, unknown>;
    header?: Record<string, unknown>;
    cookie?: Record<string, unknown>;
  };
  body?: unknown;
  headers?: HeadersOptions;
  parseAs?: ParseAs;
  baseUrl?: string;
  signal?: AbortSignal | null;
  middleware?: Middleware[];
  querySerializer?: ((query: unknown) => string) | QuerySerializerOptions;
  fetch?: (input: Request) => Promise<Response>;
  bodySerializer?: (body: unknown) => unknown;
  pathSerializer?: (pathname: string, params: Record<string, unknown>) => string;
  timeout?: number;
  maxRetries?: number;
}

/** Builds `client.raw` on `core`; `operations` maps `"GET /path"` to the operation's metadata. */
export function createRawClient<Paths extends {}>(
  core: TracesCore,
  operations: Readonly<Record<string, OperationMetadata>>,
): Client<Paths> {
  const request = (method: string, schemaPath: string, init?: RawInit) =>
    rawCall(core, operations[`${method} ${schemaPath}`], method, schemaPath, init ?? {});
  const client: Record<string, unknown> = {
    request: (method: string, url: string, init?: RawInit) => request(method.toUpperCase(), url, init),
    use: (...middleware: Middleware[]) => core.use(...middleware),
    eject: (...middleware: Middleware[]) => core.eject(...middleware),
  };
  for (const method of METHODS) client[method] = (url: string, init?: RawInit) => request(method, url, init);
  return client as unknown as Client<Paths>;
}

/** The metadata of a parameter the spec does not declare: openapi-fetch's defaults. */
function undeclared(name: string, location: ParamMetadata["in"], value: unknown): ParamMetadata {
  const object = typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
  return {
    name,
    in: location,
    required: false,
    schema: {},
    style: location === "query" && object ? "deepObject" : undefined,
    explode: location === "query" && object ? true : undefined,
  };
}

/** The URL and headers of a raw call from its parameters; `visit` is told each parameter's name before it is written. */
function target(
  core: TracesCore,
  op: OperationMetadata | undefined,
  schemaPath: string,
  init: RawInit,
  visit: (name: string) => void,
): { url: string; headers: Record<string, string> } {
  const params = init.params ?? {};
  const declared = (location: ParamMetadata["in"], name: string, value: unknown) => {
    visit(name);
    return op?.params.find((p) => p.in === location && p.name === name) ?? undeclared(name, location, value);
  };
  const base = init.baseUrl ? init.baseUrl.replace(/\/$/, "") : core.baseUrl;

  let url: string;
  const pathValues = params.path ?? {};
  if (init.pathSerializer) url = init.pathSerializer(base + schemaPath, pathValues);
  else {
    url =
      base +
      schemaPath.replace(/\{([^}]+)\}/g, (match, name: string) => {
        const value = pathValues[name];
        if (value === undefined || value === null) return match;
        const segment = serializePathParam(declared("path", name, value), value);
        // "", "." and ".." would change the path itself (RFC 3986 §5.2.4 removes dot segments).
        if (segment === "" || segment === "." || segment === "..") {
          throw new InvalidRequestError(
            `\`${name}\` must be a non-empty path segment other than "." and "..", got ${JSON.stringify(segment)}. Nothing was sent.`,
            name,
          );
        }
        return segment;
      });
  }
  const query = params.query ?? {};
  let search: string;
  const qs = init.querySerializer;
  if (typeof qs === "function") search = qs(query);
  else {
    const out: string[] = [];
    for (const name in query) {
      const value = query[name];
      if (value === undefined || value === null) continue;
      let param = declared("query", name, value);
      // openapi-fetch's object form: styles by the value's shape, over the spec's.
      if (qs) {
        const shape = Array.isArray(value)
          ? qs.array
          : typeof value === "object" && !(value instanceof Date)
            ? qs.object
            : undefined;
        param = {
          ...param,
          ...(shape ? { style: shape.style, explode: shape.explode } : {}),
          ...(qs.allowReserved === undefined ? {} : { allowReserved: qs.allowReserved }),
        };
      }
      serializeQueryParam(param, value, out);
    }
    search = out.join("&");
  }
  if (search.startsWith("?")) search = search.slice(1);
  if (search) url += `?${search}`;

  const headers: Record<string, string> = { ...core._headers, accept: op?.accept ?? "application/json" };
  const authorization = core._config.authorization();
  if (authorization) headers.authorization = authorization;
  for (const name in params.header ?? {}) {
    const value = params.header?.[name];
    if (value !== undefined && value !== null)
      headers[name.toLowerCase()] = serializeHeaderParam(declared("header", name, value), value);
  }
  const cookies: string[] = [];
  for (const name in params.cookie ?? {}) {
    const value = params.cookie?.[name];
    if (value !== undefined && value !== null)
      cookies.push(serializeCookieParam(declared("cookie", name, value), value));
  }
  if (cookies.length) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookies.join("; ")}` : cookies.join("; ");
  return { url, headers };
}

async function rawCall(
  core: TracesCore,
  op: OperationMetadata | undefined,
  method: string,
  schemaPath: string,
  init: RawInit,
): Promise<{ data?: unknown; error?: unknown; response: Response }> {
  const params = init.params ?? {};
  const where = `${method} ${schemaPath}`;
  checkRawOptions(where, init);
  checkSignal(where, init.signal);
  if (init.middleware !== undefined) checkMiddleware(where, init.middleware);
  let current: string | undefined;
  let url: string;
  let headers: Record<string, string>;
  try {
    ({ url, headers } = target(core, op, schemaPath, init, (name) => {
      current = name;
    }));
  } catch (error) {
    // encodeURIComponent's error for a lone surrogate names no parameter.
    if (error instanceof URIError && current !== undefined) {
      throw new InvalidRequestError(`${where}: \`${current}\` ${LONE_SURROGATE}. Nothing was sent.`, current);
    }
    // The serializers' own errors name the parameter; the call is named here.
    if (error instanceof InvalidRequestError && !error.message.startsWith(where)) {
      throw new InvalidRequestError(`${where}: ${error.message}`, error.param);
    }
    throw error;
  }
  mergeHeaders(where, headers, init.headers);

  let body: BodyInit | undefined;
  if (init.body !== undefined) {
    if (init.bodySerializer) {
      body = init.bodySerializer(init.body) as BodyInit;
      if (!headers["content-type"] && typeof body === "string") headers["content-type"] = "application/json";
    } else {
      const contentType = headers["content-type"] ?? op?.body?.contentType ?? "application/json";
      const e = encodeBody(contentType, init.body, op?.body?.encoding, `${method} ${schemaPath}`);
      body = e.body;
      if (e.contentType) headers["content-type"] = e.contentType;
      else delete headers["content-type"];
    }
  }

  const parseAs = init.parseAs ?? "json";
  // openapi-fetch's per-request `fetch` takes a Request.
  const perRequest = init.fetch;
  const config = perRequest
    ? {
        ...core._config,
        fetch: (input: RequestInfo | URL, options?: RequestInit) => perRequest(new Request(input, options)),
      }
    : core._config;
  const { response, text } = (await send(config, {
    method,
    url,
    headers,
    body,
    idempotent: IDEMPOTENT.has(method) && !(typeof ReadableStream !== "undefined" && body instanceof ReadableStream),
    timeout: init.timeout == null ? core._timeout : checkTimeout(where, init.timeout),
    maxRetries: init.maxRetries == null ? core._maxRetries : checkRetries(where, init.maxRetries),
    signal: init.signal ?? undefined,
    middleware: init.middleware,
    schemaPath,
    params,
    readAs: parseAs === "stream" ? "none" : parseAs === "json" || parseAs === "text" ? "text" : "blob",
    parseAs,
    finish: asReceived,
  })) as Received;

  // openapi-fetch's rules: no content, a HEAD or an empty body give `data` (or `error`) undefined.
  const length = response.headers.get("content-length");
  if (response.status === 204 || method === "HEAD" || (length === "0" && text !== undefined && text === "")) {
    return response.ok ? { data: undefined, response } : { error: undefined, response };
  }
  if (response.ok) {
    if (parseAs === "stream") return { data: response.body, response };
    if (parseAs === "text") return { data: text, response };
    if (parseAs === "json") return { data: text ? JSON.parse(text) : undefined, response };
    return { data: await response[parseAs](), response };
  }
  let error: unknown = text;
  try {
    error = JSON.parse(text ?? "");
  } catch {
    // Not JSON: the text itself.
  }
  return { error, response };
}
