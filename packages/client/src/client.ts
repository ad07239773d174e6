/**
 * `createTracesClient`: the generated resources (`client.users.*`) and the raw openapi-fetch-style
 * client (`client.raw`), both on one transport with auth, retries, timeouts, middleware and logging.
 * `createTracesCore`: the same transport without the resources, for the standalone operation
 * functions (so that a bundle carries only the operations it calls).
 */
import type { Client, Middleware } from "openapi-fetch";
import { checkRetries, checkTimeout, mergeHeaders, TracesCore } from "./core.js";
import { readEnv } from "./env.js";
import { InvalidRequestError } from "./errors.js";
import { createResources } from "./generated/create-resources.js";
import { defaultBaseUrl, serverPath } from "./generated/metadata.js";
import { rawOperations } from "./generated/raw-operations.js";
import type { Resources } from "./generated/resources.js";
import type { paths } from "./generated/schema.js";
import { type Logger, type LogLevel, levelledLogger } from "./logging.js";
import { checkClientOptions, checkMiddleware, warnPlainHttpKey } from "./options.js";
import { createRawClient } from "./raw.js";
import type { HeaderInput, MiddlewareEntry } from "./runtime-types.js";
import { redirectMode } from "./transport.js";

/** Options of `createTracesClient`; every one has a default. */
export interface TracesClientOptions {
  /** Server URL, with any path prefix. Default: env `TRACES_BASE_URL`, else the spec's first server (variables at their defaults). */
  baseUrl?: string | undefined;
  /** API key, sent as `Authorization: Bearer <key>` to the `baseUrl` origin only. Default: env `TRACES_API_KEY`. */
  apiKey?: string | undefined;
  /** Milliseconds per attempt (headers and body). Default: 60 000. */
  timeout?: number | undefined;
  /** Retries of idempotent requests after connection errors, timeouts, 408, 429 and 5xx. Default: 2; 0 disables. */
  maxRetries?: number | undefined;
  /** The fetch implementation. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Headers sent with every request: a record, a `Headers` or `[name, value]` pairs. */
  headers?: HeaderInput | undefined;
  /** How much to log: `off`, `error`, `warn`, `info` or `debug` (one line per attempt). Default: env `TRACES_LOG`, else `warn`. */
  logLevel?: LogLevel | Uppercase<LogLevel> | undefined;
  /** Where log lines go: any object with console's `error`, `warn`, `info` and `debug`. Default: the global `console`. */
  logger?: Logger | undefined;
  /** Middleware (openapi-fetch's `Middleware`) for every call; more can be added with `client.use`. */
  middleware?: readonly MiddlewareEntry[] | undefined;
}

/** The client: one property per tag of the spec, plus `raw`, `use` and `eject`. */
export interface TracesClient extends Resources, TracesCore {
  /** The openapi-fetch interface, typed from `paths`, on the same transport (auth, retries, timeouts, middleware). */
  readonly raw: Client<paths>;
}

const DEFAULT_TIMEOUT = 60_000;
const DEFAULT_MAX_RETRIES = 2;

/** Creates a client for the Traces API; see `TracesClientOptions` for the defaults. */
export function createTracesClient(options: TracesClientOptions = {}): TracesClient {
  const core = buildCore(options, "createTracesClient");
  const client = Object.assign(core, createResources(core)) as TracesCore & Resources & { raw: Client<paths> };
  client.raw = createRawClient<paths>(core, rawOperations);
  return client as TracesClient;
}

/**
 * Creates the transport of a client without its resource namespaces: pass it to the standalone
 * operation functions (`usersGetUserDetails(core, ...)`) so that bundlers keep only the
 * operations called. Takes the same options as `createTracesClient`.
 */
export function createTracesCore(options: TracesClientOptions = {}): TracesCore {
  return buildCore(options, "createTracesCore");
}

/** Both constructors' work; `where` (the function called) starts every error message. */
function buildCore(options: TracesClientOptions, where: string): TracesCore {
  checkClientOptions(where, options);
  const fromEnvUrl = options.baseUrl === undefined ? readEnv("TRACES_BASE_URL") : undefined;
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? fromEnvUrl ?? defaultBaseUrl,
    fromEnvUrl === undefined ? `${where}: \`baseUrl\`` : `${where}: the environment variable TRACES_BASE_URL`,
  );
  const timeout = checkTimeout(where, options.timeout ?? DEFAULT_TIMEOUT);
  const maxRetries = checkRetries(where, options.maxRetries ?? DEFAULT_MAX_RETRIES);
  const keyFromEnv = options.apiKey === undefined ? readEnv("TRACES_API_KEY") : undefined;
  const apiKey = options.apiKey ?? keyFromEnv;
  // Checked here, without echoing the value: fetch's own error for a bad header value quotes it.
  if (apiKey !== undefined && apiKey !== "" && (typeof apiKey !== "string" || !/^[\x21-\x7e]+$/.test(apiKey))) {
    throw new InvalidRequestError(
      `${where}: ${keyFromEnv === undefined ? "`apiKey`" : "the environment variable TRACES_API_KEY"} must be a string of printable ASCII characters without spaces (check for a stray newline or quote).`,
      "apiKey",
    );
  }
  const userFetch = options.fetch;
  if (userFetch !== undefined && typeof userFetch !== "function") {
    throw new InvalidRequestError(`${where}: \`fetch\` must be a function.`, "fetch");
  }
  const fromEnv = options.logLevel === undefined ? readEnv("TRACES_LOG") : undefined;
  const { logger, debug } = levelledLogger(
    where,
    options.logLevel ?? fromEnv ?? "warn",
    options.logger,
    fromEnv !== undefined,
  );
  if (logger) warnPlainHttpKey(new URL(baseUrl), Boolean(apiKey), (message) => logger.warn(message));
  const headers: Record<string, string> = {};
  mergeHeaders(where, headers, options.headers);
  if (options.middleware !== undefined) checkMiddleware(where, options.middleware);
  const core = new TracesCore({
    baseUrl,
    config: {
      origin: new URL(baseUrl).origin,
      authorization: authorizationOf(apiKey),
      // Looked up per call (and called unbound) so that a later polyfill or test double is honoured.
      fetch: userFetch ?? ((input, init) => globalThis.fetch(input, init)),
      middleware: options.middleware?.filter((m): m is Middleware => !!m) ?? [],
      logger,
      debug,
      redirect: redirectMode(),
    },
    headers,
    timeout,
    maxRetries,
  });
  return core;
}

/** The `Authorization` value, made once and kept in a closure so that inspecting a client never shows the key. */
function authorizationOf(apiKey: string | undefined): () => string | undefined {
  const value = apiKey ? `Bearer ${apiKey}` : undefined;
  return () => value;
}

/** `value` as a base URL without query or fragment; `source` names where it came from in errors. */
function checkBaseUrl(value: string | undefined, source: string): string {
  if (!value) {
    throw new InvalidRequestError(
      `${source.split(":")[0]}: no \`baseUrl\`: pass one or set TRACES_BASE_URL.`,
      "baseUrl",
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidRequestError(
      `${source} must be an absolute http(s) URL such as "https://engine.example.com", got ${JSON.stringify(value)}.`,
      "baseUrl",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidRequestError(
      `${source} must be an http or https URL such as "https://engine.example.com", got ${JSON.stringify(value)}.`,
      "baseUrl",
    );
  }
  if (url.username || url.password) {
    throw new InvalidRequestError(`${source} must not contain credentials; use \`apiKey\`.`, "baseUrl");
  }
  url.search = "";
  url.hash = "";
  return joinServerPath(url.href.replace(/\/$/, ""), serverPath);
}

/**
 * A spec whose server URL is relative (`/api/v3`) states the path under the host the caller names:
 * it is appended to `baseUrl` unless `baseUrl` already ends with it.
 */
function joinServerPath(baseUrl: string, path: string | undefined): string {
  if (!path) return baseUrl;
  const suffix = `/${path.replace(/^\/+|\/+$/g, "")}`;
  if (suffix === "/" || new URL(baseUrl).pathname.replace(/\/$/, "").endsWith(suffix)) return baseUrl;
  return `${baseUrl}${suffix}`;
}
