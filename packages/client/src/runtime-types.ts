/**
 * The contract between the generated resource layer (`generated/`) and the hand-written runtime:
 * the shape of each operation's metadata and the core that sends it.
 */
import type { PagePromise } from "./pagination.js";

export type { PagePromise };

/** HTTP methods an operation may use. */
export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** The checks a parameter value must pass before a request is sent, from its schema. */
export interface SchemaConstraints {
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

/** One parameter of an operation, by its wire name. */
export interface ParamMetadata {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: SchemaConstraints;
  readonly default?: unknown;
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
  readonly body?: { readonly contentType: string; readonly required: boolean };
  /** `json`: parsed body; `none`: no body; `raw`: the `Response` itself. */
  readonly response: "json" | "none" | "raw";
  readonly pagination?: PaginationMetadata;
}

/** Options every resource method takes as its last argument; each overrides the client's default. */
export interface RequestOptions {
  /** Aborts the request at once (no retry) when signalled. */
  signal?: AbortSignal | undefined;
  /** Milliseconds per attempt before the attempt is abandoned. Default: the client's `timeout`. */
  timeout?: number | undefined;
  /** Retries after a retryable failure. Default: the client's `maxRetries`. */
  maxRetries?: number | undefined;
  /** Extra headers for this request only. */
  headers?: Record<string, string> | undefined;
}

/** The runtime core the generated resource classes call. */
export interface Core {
  /** Checks the input, sends the request (with retries) and resolves to the decoded body. */
  request<T>(
    op: OperationMetadata,
    path: Record<string, unknown>,
    query: object | undefined,
    body: unknown,
    options: RequestOptions | undefined,
  ): Promise<T>;
  /** Like `request`, but the result can also be iterated over every item of every page. */
  paginate<TPage, TItem>(
    op: OperationMetadata,
    path: Record<string, unknown>,
    query: object | undefined,
    body: unknown,
    options: RequestOptions | undefined,
  ): PagePromise<TPage, TItem>;
}

/** Widens the date-time keys `K` of a query type so that they also accept a `Date`. */
export type DateInputs<T, K extends PropertyKey> = { [P in keyof T]: P extends K ? T[P] | Date : T[P] };
