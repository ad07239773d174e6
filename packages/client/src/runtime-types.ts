/**
 * The contract between the generated code (`generated/`) and the hand-written runtime: the shape
 * of each operation's metadata, the per-request options and the types of middleware.
 */
import type { Middleware } from "openapi-fetch";
import type { PagePromise } from "./pagination.js";

export type { Middleware, PagePromise };

/** HTTP methods an operation may use. */
export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** Throws `InvalidRequestError` for parameter `name`, saying what is wrong (`problem`). */
export type Fail = (name: string, problem: string) => never;

/**
 * Checks one value against its schema (`InvalidRequestError` through `fail`, naming `name`). The
 * generator gives each schema the checker of its type (`SchemaConstraints.check`), so that a
 * bundle carries only the checks its operations need.
 */
export type Checker = (name: string, value: unknown, schema: SchemaConstraints, fail: Fail) => void;

/**
 * Writes one parameter of an operation as its location wants it: the text that replaces `{name}`
 * in the path, the `&`-joined `name=value` pairs of a query parameter ("" for none), a header's
 * value, or the `Cookie` pairs. A value the style cannot express throws through `fail`.
 */
export type ParamWriter = (p: ParamMetadata, value: unknown, fail: Fail) => string;

/** Writes a primitive value as text; `format` (`date` or `date-time`) says how a `Date` is written. */
export type TextWriter = (value: unknown, format?: string) => string;

/**
 * Encodes a request body for its content type: the body to send and the `content-type` to send
 * (undefined when fetch sets it, as for `FormData`). `name` names the operation in errors.
 */
export type BodyEncoder = (
  contentType: string,
  body: unknown,
  encoding: Readonly<Record<string, { contentType?: string; style?: string; explode?: boolean }>> | undefined,
  name: string,
) => { body: BodyInit; contentType: string | undefined };

/** The checks a parameter value must pass before a request is sent, from its schema. */
export interface SchemaConstraints {
  /** The check of this schema's type; none when nothing is checked. */
  readonly check?: Checker | undefined;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: SchemaConstraints;
}

/** One parameter of an operation, by its wire name, with how it is serialized (OpenAPI's Parameter Object). */
export interface ParamMetadata {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  /** Property of the method's parameter object that holds it, when that is not `name`. */
  readonly key?: string | undefined;
  /** OpenAPI `style`; default: `form` in query and cookie, `simple` in path and header. */
  readonly style?: string | undefined;
  /** OpenAPI `explode`; default: true for `form`, false otherwise. */
  readonly explode?: boolean | undefined;
  readonly allowReserved?: boolean | undefined;
  /** Set when the spec gives the parameter a `content` media type instead of a style: sent as JSON text. */
  readonly contentType?: string | undefined;
  /** `date` or `date-time`: how a `Date` value is written. */
  readonly format?: string | undefined;
  readonly schema: SchemaConstraints;
  readonly default?: unknown;
  /** How the value goes on the wire (its location and style); set on every parameter of generated operations. */
  readonly serialize?: ParamWriter | undefined;
  /** Writes primitive members (`formatValue`); set only where a `Date` may be given, elsewhere `String` is used. */
  readonly text?: TextWriter | undefined;
}

/** How a paginated operation pages: page-number parameters and the fields of its response. */
export interface PaginationMetadata {
  readonly pageParam: string;
  readonly pageSizeParam: string;
  readonly itemsField: string;
  readonly totalField?: string;
  readonly firstPage: number;
  readonly defaultPageSize?: number;
}

/** Everything the runtime needs to check, send and decode one operation. */
export interface OperationMetadata {
  /** `resource.method`, as callers write it; used in error messages. */
  readonly name: string;
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  /** Whether the request may be retried safely (RFC 9110 §9.2.2). */
  readonly idempotent: boolean;
  readonly params: readonly ParamMetadata[];
  /** The `Accept` header: the media types of the declared responses, successes first. */
  readonly accept?: string;
  readonly body?: {
    readonly contentType: string;
    readonly required: boolean;
    /** OpenAPI Encoding Objects of form and multipart bodies, by property. */
    readonly encoding?: Readonly<Record<string, { contentType?: string; style?: string; explode?: boolean }>>;
    /** Encodes the body: `encodeJson` for JSON media types, `encodeBody` for the rest. */
    readonly encode: BodyEncoder;
  };
  /** `json`: parsed body; `text`: the body as a string; `none`: no body; `raw`: the `Response` itself. */
  readonly response: "json" | "text" | "none" | "raw";
  readonly pagination?: PaginationMetadata;
}

/** Headers as callers may give them: a record (`null` removes a header), a `Headers`, or `[name, value]` pairs (an array or a `Map`). */
export type HeaderInput =
  | Record<string, string | number | boolean | null | undefined>
  | Headers
  | Iterable<readonly [string, string]>;

/** An entry of a middleware list: `false`, `null` and `undefined` are skipped (`[debug && logging]`). */
export type MiddlewareEntry = Middleware | false | null | undefined;

/** Options every call takes as its last argument; each overrides the client's default. */
export interface RequestOptions {
  /** Aborts the request at once (no retry) when signalled. */
  signal?: AbortSignal | undefined;
  /** Milliseconds per attempt before the attempt is abandoned. Default: the client's `timeout`. */
  timeout?: number | undefined;
  /** Retries after a retryable failure. Default: the client's `maxRetries`. */
  maxRetries?: number | undefined;
  /**
   * Extra headers for this request only: a record, a `Headers` or `[name, value]` pairs (numbers
   * and booleans are written as text); `null` removes a default header.
   */
  headers?: HeaderInput | undefined;
  /** Middleware for this request only, run after the client's (`client.use`), on every attempt. */
  middleware?: readonly MiddlewareEntry[] | undefined;
}

/** A successful call's body with the `Response` it came from and the server's request id. */
export interface WithResponse<T> {
  /** The decoded body (the value the call resolves to). */
  data: T;
  /** The HTTP response; its body has been read already. */
  response: Response;
  /** The server's request id (`x-request-id`, `request-id` or `x-amzn-requestid`), when it sends one. */
  requestId: string | undefined;
}

/**
 * Makes optional properties accept `undefined` as well, so that `{ page_size: maybeSize }` type-checks
 * under `exactOptionalPropertyTypes`. Required properties stay as they are.
 */
export type AcceptUndefined<T> = {
  [K in keyof T]: undefined extends T[K]
    ? T[K] | undefined
    : Partial<Pick<T, K>> extends Pick<T, K>
      ? T[K] | undefined
      : T[K];
};

/** Widens the date-time keys `K` of a query type so that they also accept a `Date`. */
export type DateInputs<T, K extends PropertyKey> = { [P in keyof T]: P extends K ? T[P] | Date : T[P] };

/** Prefixes every key of `T` with `P` (`{ id }` → `{ "header.id" }`), for parameter names used in two locations. */
export type PrefixKeys<T, P extends string> = { [K in keyof T as `${P}${K & string}`]: T[K] };
