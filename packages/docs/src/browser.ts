/**
 * @traces-sdk/docs for browsers and bundlers: the operation index, bundled with the code. It
 * imports no Node.js built-in; files (the HTML page, the spec, markdown pages) are imported by
 * path, e.g. `@traces-sdk/docs/generated/html/index.html?raw` in Vite.
 */
import index from "../generated/operations.json" with { type: "json" };
import type { OperationEntry } from "./types.js";

export type { OperationEntry } from "./types.js";

/** Every operation of the spec, sorted by tag, then SDK method. */
export const operations: readonly OperationEntry[] = index as OperationEntry[];

/** Returns a copy of the operation index (same contract as the Node.js entry's `readOperations`). */
export function readOperations(): OperationEntry[] {
  return operations.map((op) => ({ ...op }));
}
