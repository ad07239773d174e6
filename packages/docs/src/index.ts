/**
 * @traces-sdk/docs for Node.js: where the generated reference lives on disk, for apps and tools that
 * serve, render or search it, and the operation index. Browsers and bundlers get `./browser.js`
 * (the same index, no paths) through the `browser`/`default` export conditions.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { OperationEntry } from "./types.js";

export type { OperationEntry } from "./types.js";

const at = (relative: string): string => fileURLToPath(new URL(`../generated/${relative}`, import.meta.url));

/** Absolute path of the markdown reference folder (README.md, Apis/, Models/). */
export const markdownDir: string = at("markdown");

/** Absolute path of the single-file offline HTML reference. */
export const htmlFile: string = at("html/index.html");

/** Absolute path of the bundled OpenAPI document (one JSON file, internal `$ref`s only). */
export const openapiFile: string = at("openapi.json");

/** Absolute path of the JSON index of operations (an array of {@link OperationEntry}). */
export const operationsFile: string = at("operations.json");

/** Reads the operation index from {@link operationsFile}; a fresh array on every call. */
export function readOperations(): OperationEntry[] {
  return JSON.parse(readFileSync(operationsFile, "utf8")) as OperationEntry[];
}

/** Every operation of the spec, sorted by tag, then SDK method (read once, when first imported). */
export const operations: readonly OperationEntry[] = readOperations();
