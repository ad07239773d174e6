/** Waiting on something the caller may abort. */

/**
 * Settles as `value` does, or rejects as soon as `signal` aborts: with `reason()` when given, else
 * with the signal's reason (as `fetch` does). The listener is removed once `value` settles.
 */
export function untilAborted<T>(
  value: T | PromiseLike<T>,
  signal: AbortSignal,
  reason: () => unknown = () => signal.reason,
): Promise<Awaited<T>> {
  if (signal.aborted) return Promise.reject(reason());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(reason());
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(value).then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v as Awaited<T>);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
