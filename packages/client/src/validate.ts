/**
 * Input checks made before any request is sent, from the constraints the spec states for each
 * parameter. A failure throws `InvalidRequestError` naming the parameter; nothing is sent.
 */
import { parseEngineDateTime } from "./engine-datetime.js";
import { InvalidRequestError } from "./errors.js";
import { nearestName } from "./options.js";
import type { Checker, OperationMetadata, SchemaConstraints } from "./runtime-types.js";
import { formatLocalDateTime } from "./serialize.js";

/**
 * Throws `InvalidRequestError` if the arguments break the operation's constraints. `params` holds
 * the query, header and cookie parameters by their keys; `known` is the set of those keys; `fail`
 * throws the error: the operation's `inputFailure`, made once (a closure per call would cost every call).
 */
export function checkInput(
  op: OperationMetadata,
  path: Record<string, unknown>,
  params: object | undefined,
  body: unknown,
  known: ReadonlySet<string>,
  fail: (param: string, problem: string) => never,
): void {
  if (params !== undefined && params !== null && (typeof params !== "object" || Array.isArray(params))) {
    fail("query", "the parameters must be an object of wire names to values");
  }
  const given = (params ?? {}) as Record<string, unknown>;
  for (const key in given) {
    if (known.has(key) || given[key] === undefined) continue;
    const names = [...known];
    const near = nearestName(key, names);
    fail(
      key,
      `unknown parameter \`${key}\`${near ? `; did you mean \`${near}\`?` : ""} (expected ${
        names.length ? names.map((k) => `\`${k}\``).join(", ") : "none"
      })`,
    );
  }
  for (const param of op.params) {
    const key = param.key ?? param.name;
    const value = param.in === "path" ? path[param.name] : given[key];
    if (value === undefined || value === null) {
      if (param.required) fail(key, `\`${key}\` is required`);
      continue;
    }
    if (param.in === "path") {
      const text = value instanceof Date ? "date" : String(value);
      if (text === "" || text === "." || text === "..") {
        fail(param.name, `\`${param.name}\` must be a non-empty path segment, got ${JSON.stringify(text)}`);
      }
    }
    param.schema.check?.(key, value, param.schema, fail);
  }
  if (op.body?.required && body === undefined) fail("body", "the request body is required");
}

/** Throws InvalidRequestError for `op` with `problem` (which names the parameter); one per operation, made once. */
export function inputFailure(op: OperationMetadata): (param: string, problem: string) => never {
  return (param, problem) => {
    throw new InvalidRequestError(`${op.name}: ${problem}. Nothing was sent.`, param);
  };
}

// The checkers the generator assigns to schemas (`SchemaConstraints.check`), one per type, so that
// a bundle carries only the checks its operations need (the engine's date-time grammar only where
// a parameter is a date). Each checks `enum` first, then the type and its bounds.

/** `enum`, for a schema with no (other) type to check. */
export const checkEnum: Checker = (name, value, schema, fail) => {
  if (schema.enum && !schema.enum.includes(value)) {
    fail(
      name,
      `\`${name}\` must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(value)}`,
    );
  }
};

/** A string with no format, enum or length bounds: any string passes. */
export const checkPlainString: Checker = (name, value, _schema, fail) => {
  if (typeof value !== "string") fail(name, `\`${name}\` must be a string, got ${describe(value)}`);
};

/** A string with an enum or length bounds. */
export const checkString: Checker = (name, value, schema, fail) => {
  checkEnum(name, value, schema, fail);
  checkPlainString(name, value, schema, fail);
  const text = String(value);
  if (schema.minLength !== undefined && text.length < schema.minLength) {
    fail(name, `\`${name}\` must be at least ${schema.minLength} characters long`);
  }
  if (schema.maxLength !== undefined && text.length > schema.maxLength) {
    fail(name, `\`${name}\` must be at most ${schema.maxLength} characters long`);
  }
};

/** `format: date-time` or `date`: a valid `Date` in the years 1 to 9999, or a string the engine reads. */
export const checkDate: Checker = (name, value, schema, fail) => {
  checkEnum(name, value, schema, fail);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) fail(name, `\`${name}\` is an invalid Date`);
    // A date is its local calendar date. A date-time is written in local time, or in UTC where
    // local time cannot be (see formatLocalDateTime); the engine needs both the year written and
    // the instant's UTC year in 1..9999, as for strings.
    const date = schema.format === "date";
    const written = date ? value.getFullYear() : Number.parseInt(formatLocalDateTime(value), 10);
    const utc = date ? written : value.getUTCFullYear();
    if (Math.min(written, utc) < 1 || Math.max(written, utc) > 9999) {
      fail(name, `\`${name}\` must be a Date in the years 1 to 9999 (the engine's range), got ${describe(value)}`);
    }
    return;
  }
  if (typeof value !== "string") {
    fail(name, `\`${name}\` must be a Date or a string such as "2026-03-01T09:30:00+01:00", got ${describe(value)}`);
  }
  // Exactly what the engine (pydantic 2) reads: see engine-datetime.ts for the grammar.
  const read = parseEngineDateTime(value as string);
  if (!read.ok) {
    fail(
      name,
      `\`${name}\` is not a date-time the engine reads: ${describe(value)} ${read.problem}. Use a Date, or a string such as "2026-03-01T09:30:00Z", "2026-03-01T09:30:00+01:00" or "2026-03-01T09:30:00" (engine-local time)`,
    );
  }
};

/** `integer` or `number`: finite, whole for `integer`, within the bounds. */
export const checkNumber: Checker = (name, value, schema, fail) => {
  checkEnum(name, value, schema, fail);
  if (typeof value !== "number" || !Number.isFinite(value))
    fail(name, `\`${name}\` must be a finite number, got ${describe(value)}`);
  const n = value as number;
  // Beyond 2^53 an integer is not exact, and JavaScript writes it as `1e+21`, which no server reads as one.
  if (schema.type === "integer" && !Number.isSafeInteger(n))
    fail(name, `\`${name}\` must be an integer between -(2^53 - 1) and 2^53 - 1, got ${n}`);
  if (schema.minimum !== undefined && n < schema.minimum)
    fail(name, `\`${name}\` must be >= ${schema.minimum}, got ${n}`);
  if (schema.maximum !== undefined && n > schema.maximum)
    fail(name, `\`${name}\` must be <= ${schema.maximum}, got ${n}`);
  if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum) {
    fail(name, `\`${name}\` must be > ${schema.exclusiveMinimum}, got ${n}`);
  }
  if (schema.exclusiveMaximum !== undefined && n >= schema.exclusiveMaximum) {
    fail(name, `\`${name}\` must be < ${schema.exclusiveMaximum}, got ${n}`);
  }
};

/** `boolean`. */
export const checkBoolean: Checker = (name, value, schema, fail) => {
  checkEnum(name, value, schema, fail);
  if (typeof value !== "boolean") fail(name, `\`${name}\` must be true or false, got ${describe(value)}`);
};

/** `array`: its length bounds, then each item (none may be null) against `items`. */
export const checkArray: Checker = (name, value, schema, fail) => {
  checkEnum(name, value, schema, fail);
  if (!Array.isArray(value)) fail(name, `\`${name}\` must be an array, got ${describe(value)}`);
  const list = value as unknown[];
  if (schema.minItems !== undefined && list.length < schema.minItems) {
    fail(
      name,
      `\`${name}\` must have at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}, got ${list.length}`,
    );
  }
  if (schema.maxItems !== undefined && list.length > schema.maxItems) {
    fail(name, `\`${name}\` must have at most ${schema.maxItems} items, got ${list.length}`);
  }
  const items = schema.items;
  const check = items?.check;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item === undefined || item === null) fail(name, `\`${name}[${i}]\` is ${String(item)}`);
    // The common case, plain strings, needs no further look.
    if (check && !(check === checkPlainString && typeof item === "string")) {
      check(`${name}[${i}]`, item, items as SchemaConstraints, (_, problem) => fail(name, problem));
    }
  }
};

function describe(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : `Date ${value.toISOString()}`;
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  return String(value);
}
