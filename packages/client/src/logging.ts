/**
 * Log levels and the logger the client writes to. Lines never contain the API key or any header
 * value: a debug line names method, URL, status (or error), attempt and duration.
 */
import { InvalidRequestError } from "./errors.js";

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

/**
 * The logger to hand to the transport: `logger` with every method below `level` silenced, or
 * undefined when `level` is `off` (so that nothing is formatted). Lines are prefixed `[traces-sdk]`.
 */
export function levelledLogger(level: unknown, logger: Logger | undefined, source: string): Logger | undefined {
  const rank = LEVELS.indexOf(level as LogLevel);
  if (rank === -1) {
    throw new InvalidRequestError(
      `${source} must be one of ${LEVELS.map((l) => `"${l}"`).join(", ")}, got ${JSON.stringify(level)}.`,
      "logLevel",
    );
  }
  if (rank === 0) return undefined;
  const sink = logger ?? (globalThis as { console: Logger }).console;
  for (const method of ["error", "warn", "info", "debug"] as const) {
    if (typeof sink?.[method] !== "function") {
      throw new InvalidRequestError(
        `createTracesClient: \`logger\` must have error, warn, info and debug methods (like console); \`${method}\` is missing.`,
        "logger",
      );
    }
  }
  const at =
    (method: keyof Logger, minimum: number) =>
    (message: string): void => {
      if (rank >= minimum) sink[method](`[traces-sdk] ${message}`);
    };
  return { error: at("error", 1), warn: at("warn", 2), info: at("info", 3), debug: at("debug", 4) };
}
