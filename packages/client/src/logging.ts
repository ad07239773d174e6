/**
 * Log levels and the logger the client writes to. Lines never contain the API key or any header
 * value: a debug line names method, URL, status (or error), attempt and duration.
 */
import { InvalidRequestError } from "./errors.js";
import { warnOnce } from "./options.js";

/** How much the client logs, from nothing to every attempt. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Anything with console's `error`, `warn`, `info` and `debug` methods (the global `console`, pino, winston...). */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

const LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/** What a failed log line comes to: nothing. */
function lost(): void {}

/**
 * The logger to hand to the transport: `logger` with every method below the level silenced, or
 * undefined when the level is `off` (so that nothing is formatted). Lines are prefixed
 * `[traces-sdk]`. Levels are read in any case (`DEBUG`). An unknown `logLevel` option throws
 * InvalidRequestError; an unknown `TRACES_LOG` value (`fromEnv`) warns once and logs at `warn`, so
 * that a logging setting never stops an app from starting. A logger that throws loses that line,
 * never the call that wrote it.
 */
export function levelledLogger(
  where: string,
  level: unknown,
  logger: Logger | undefined,
  fromEnv: boolean,
): { logger: Logger | undefined; debug: boolean } {
  let rank = typeof level === "string" ? LEVELS.indexOf(level.toLowerCase() as LogLevel) : -1;
  const expected = `one of ${LEVELS.map((l) => `"${l}"`).join(", ")}, got ${JSON.stringify(level)}`;
  if (rank === -1 && !fromEnv) {
    throw new InvalidRequestError(`${where}: \`logLevel\` must be ${expected}.`, "logLevel");
  }
  const unknownEnv = rank === -1;
  if (unknownEnv) rank = 2;
  if (rank === 0) return { logger: undefined, debug: false };
  const sink = logger ?? (globalThis as { console: Logger }).console;
  for (const method of ["error", "warn", "info", "debug"] as const) {
    if (typeof sink?.[method] !== "function") {
      throw new InvalidRequestError(
        `${where}: \`logger\` must have error, warn, info and debug methods (like console); \`${method}\` is missing.`,
        "logger",
      );
    }
  }
  const at =
    (method: keyof Logger, minimum: number) =>
    (message: string): void => {
      if (rank < minimum) return;
      try {
        // An async logger's rejection is caught too: an unhandled one would end a Node process.
        const written: unknown = sink[method](`[traces-sdk] ${message}`);
        if (written instanceof Promise) written.catch(lost);
      } catch {
        // The logger's own failure: the line is lost, the call goes on.
      }
    };
  const levelled = { error: at("error", 1), warn: at("warn", 2), info: at("info", 3), debug: at("debug", 4) };
  if (unknownEnv) {
    warnOnce(
      `TRACES_LOG ${String(level)}`,
      `The environment variable TRACES_LOG must be ${expected}; logging at "warn".`,
      levelled.warn,
    );
  }
  return { logger: levelled, debug: rank === 4 };
}
