/** Reads configuration from the environment in any runtime: Node, Bun and Deno; none in browsers. */

/** The trimmed value of the environment variable `name`, or undefined where there is none. */
export function readEnv(name: string): string | undefined {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env?: { get?: (key: string) => string | undefined } };
  };
  try {
    const value = g.process?.env?.[name] ?? g.Deno?.env?.get?.(name);
    return value?.trim() || undefined;
  } catch {
    // Deno without --allow-env throws; treat it as unset.
    return undefined;
  }
}
