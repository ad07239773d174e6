#!/usr/bin/env node
/**
 * Runs the repository's turbo with the given arguments, as `pnpm exec turbo` would, and stops it
 * when the package manager that started this process is stopped. pnpm does not pass a SIGTERM on
 * to the script it runs (`pnpm generate`, `pnpm build`): it stops the shell it runs the script
 * in and exits, and turbo, re-parented, would run every task to the end and write its output.
 * Here the parent going away (see {@link watchParent}) sends turbo one SIGTERM, on which it stops
 * its tasks (each task's own process group gets a SIGINT) and exits; the pipeline's steps then
 * remove their temporary folders and write nothing.
 *
 * Signals sent to this process are passed on to turbo once (turbo's own npm wrapper passes
 * SIGTERM and SIGHUP to the native binary and counts a group signal it gets both ways as one).
 * Exits with turbo's exit code, or 128 + the number of the signal that ended it.
 *
 *   node scripts/lib/run-turbo.mjs run generate --output-logs=new-only
 */
import { spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import { watchParent } from "./parent-watch.mjs";
import { repoRoot } from "./paths.mjs";

const turbo = join(repoRoot, "node_modules/.bin/turbo");
const child = spawn(turbo, process.argv.slice(2), { stdio: "inherit" });

// Ctrl-C reaches turbo from the terminal (the whole foreground process group gets it): this
// process only waits for turbo to finish stopping.
let stopping = false;
process.on("SIGINT", () => {
  stopping = true;
});
/** Passes one stop on to turbo (the npm wrapper, which passes it to the binary once). */
const stop = (name) => {
  stopping = true;
  if (child.exitCode === null && child.signalCode === null && !child.killed) child.kill(name);
};
for (const name of ["SIGTERM", "SIGHUP"]) process.on(name, () => stop(name));
// A stop that reached the parent shell too (Ctrl-C, a group signal) also leaves this process
// re-parented: that is the same stop, not a second one.
const parent = watchParent(() => {
  if (stopping) return;
  process.stderr.write("\nthe package manager running turbo was stopped: stopping turbo ...\n");
  stop("SIGTERM");
});

child.on("error", (error) => {
  parent.stop();
  process.stderr.write(
    `error: could not start turbo (${turbo}): ${error.message}. Run \`pnpm install\` (or ./scripts/bootstrap) first.\n`,
  );
  process.exitCode = 1;
});
child.on("exit", (code, signal) => {
  parent.stop();
  process.exitCode = code ?? 128 + (osConstants.signals[signal] ?? 0);
});
