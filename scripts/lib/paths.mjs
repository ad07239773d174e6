/** Where things are in the repository; every path the pipeline writes by default is named here. */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The single source of truth. */
export const defaultSpec = join(repoRoot, "spec/openapi.yaml");

/** Lint rules for the spec. */
export const redoclyConfig = join(repoRoot, "spec/redocly.yaml");

/** Final location of each target's generated output. */
export const defaultOutputs = {
  client: join(repoRoot, "packages/client/src/generated"),
  docs: join(repoRoot, "packages/docs/generated"),
};

/** The command that regenerates committed output; named in every do-not-edit header. */
export const regenerateCommand = "pnpm generate";

/**
 * A path as a person should read it in messages: relative to the current folder when inside it.
 * @param {string} p
 */
export function displayPath(p) {
  const rel = relative(process.cwd(), resolve(p));
  return rel && !rel.startsWith("..") ? rel : resolve(p);
}
