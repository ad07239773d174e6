/**
 * @traces-sdk/docs: where the generated reference lives on disk, for apps that render or search it.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const at = (relative: string): string => fileURLToPath(new URL(`../generated/${relative}`, import.meta.url));

/** Absolute path of the markdown reference folder (README.md, Apis/, Models/). */
export const markdownDir: string = at("markdown");

/** Absolute path of the single-file offline HTML reference. */
export const htmlFile: string = at("html/index.html");

/** Absolute path of the bundled OpenAPI document (one JSON file, internal `$ref`s only). */
export const openapiFile: string = at("openapi.json");

/** Absolute path of the JSON index of operations (an array of {@link OperationEntry}). */
export const operationsFile: string = at("operations.json");

/** One operation in the index. */
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
  /** Markdown page, relative to {@link markdownDir}, e.g. `Apis/UsersApi.md`. */
  page: string;
  /** Anchor of the operation on its markdown page. */
  anchor: string;
  /** Anchor of the operation in the HTML page. */
  htmlAnchor: string;
  /** Method on the client, e.g. `users.getUserDetails`. */
  sdkMethod: string;
}

/** Reads the operations index. */
export function readOperations(): OperationEntry[] {
  return JSON.parse(readFileSync(operationsFile, "utf8")) as OperationEntry[];
}
