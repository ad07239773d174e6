#!/usr/bin/env node
/**
 * Checks Java, downloads the pinned openapi-generator jar if it is not cached yet, and makes its
 * class-data archive (faster JVM starts) if there is none.
 */
import { reportError } from "./errors.mjs";
import { checkJava, ensureClassArchive, ensureJar } from "./openapi-generator.mjs";
import { displayPath } from "./paths.mjs";

try {
  const java = checkJava();
  const jar = ensureJar({ log: (line) => process.stdout.write(`  ${line}\n`) });
  const archive = ensureClassArchive(jar, { log: (line) => process.stdout.write(`  ${line}\n`) });
  process.stdout.write(`  Java ${java}, ${displayPath(jar)}${archive ? " (with its class archive)" : ""}\n`);
} catch (error) {
  process.exitCode = reportError(error);
}
