/**
 * @traces-sdk/client: a typed client for the Traces Users API of the Arthur GenAI Engine, with
 * auth, retries, timeouts, pagination, middleware, logging and one error hierarchy.
 */

export type { APIPromise } from "./api-promise.js";
export type { TracesClient, TracesClientOptions } from "./client.js";
export { createTracesClient, createTracesCore } from "./client.js";
export { TracesCore } from "./core.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  type APIErrorInit,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TracesError,
  UnprocessableEntityError,
} from "./errors.js";
export * from "./generated/functions.js";
export type { ValidationErrorItem } from "./generated/metadata.js";
export * from "./generated/resources.js";
export type { components, operations, paths } from "./generated/schema.js";
export type * from "./generated/types.js";
export {
  type Disambiguation,
  type LocalDateTime,
  type ParseLocalDateTimeOptions,
  parseLocalDateTime,
} from "./local-date-time.js";
export type { Logger, LogLevel } from "./logging.js";
export type { PagePromise } from "./page-promise.js";
export type {
  AcceptUndefined,
  DateInputs,
  HeaderInput,
  Middleware,
  MiddlewareEntry,
  PrefixKeys,
  RequestOptions,
  WithResponse,
} from "./runtime-types.js";
