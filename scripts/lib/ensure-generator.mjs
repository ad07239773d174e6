#!/usr/bin/env node
/** Checks Java and downloads the pinned openapi-generator jar if it is not cached yet. */
import { reportError } from "./errors.mjs";
import { checkJava, ensureJar } from "./openapi-generator.mjs";
import { displayPath } from "./paths.mjs";

try {
  const java = checkJava();
  const jar = ensureJar({ log: (line) => process.stdout.write(`  ${line}\n`) });
  process.stdout.write(`  Java ${java}, ${displayPath(jar)}\n`);
} catch (error) {
  process.exitCode = reportError(error);
}
