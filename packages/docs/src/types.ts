/** One operation in the index (`generated/operations.json`). */
export interface OperationEntry {
  /** The spec's operationId. */
  id: string;
  /** HTTP method, upper case. */
  method: "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";
  /** Path template, e.g. `/api/v1/traces/users/{user_id}`. */
  path: string;
  /** The spec's summary (the SDK method name when the spec has none). */
  summary: string;
  /** The tag the operation is documented under. */
  tag: string;
  /** Markdown page, relative to the markdown folder, e.g. `Apis/UsersApi.md`. */
  page: string;
  /** Anchor of the operation on its markdown page. */
  anchor: string;
  /** Anchor of the operation in the HTML page. */
  htmlAnchor: string;
  /** Method on the client, e.g. `users.getUserDetails`. */
  sdkMethod: string;
}
