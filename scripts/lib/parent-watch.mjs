/** Noticing that the package manager which ran a script was stopped. */

/** How often {@link watchParent} looks at the parent process, in milliseconds. */
const PARENT_POLL_MS = 250;

/**
 * Calls `onGone` once when the process that started this one goes away, when that process is a
 * package manager's script shell (`pnpm generate` sets `npm_lifecycle_event`). pnpm does not
 * pass a SIGTERM on to the script it runs: it stops the shell it runs the script in and exits,
 * and this process, re-parented (to init or a subreaper), would run on and write its output.
 * Outside a package manager nothing is watched: a parent that exits (`nohup`, a closed terminal
 * after `disown`) does not stop a run started by hand. Polls `process.ppid` every
 * {@link PARENT_POLL_MS} ms: on Linux and macOS getppid() changes when the parent exits (POSIX:
 * the orphan is adopted); on Windows it never changes, so nothing is noticed there.
 * @param {() => void} onGone
 * @param {{ env?: NodeJS.ProcessEnv }} [options] the environment that tells whether a package
 *   manager runs this process (default process.env)
 * @returns {{ stop: () => void }} stop: end the watch
 */
export function watchParent(onGone, { env = process.env } = {}) {
  if (!env.npm_lifecycle_event) return { stop() {} };
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, PARENT_POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
