/**
 * Input checks made before any request is sent, from the constraints the spec states for each
 * parameter. A failure throws `InvalidRequestError` naming the parameter; nothing is sent.
 */
import { parseEngineDateTime } from "./engine-datetime.js";
import { InvalidRequestError } from "./errors.js";
import type { OperationMetadata, SchemaConstraints } from "./runtime-types.js";

/**
 * Throws `InvalidRequestError` if the arguments break the operation's constraints. `params` holds
 * the query, header and cookie parameters by their keys; `known` is the set of those keys.
 */
export function checkInput(
  op: OperationMetadata,
  path: Record<string, unknown>,
  params: object | undefined,
  body: unknown,
  known: ReadonlySet<string>,
): void {
  const fail = (param: string, problem: string): never => {
    throw new InvalidRequestError(`${op.name}: ${problem}. Nothing was sent.`, param);
  };
  if (params !== undefined && params !== null && (typeof params !== "object" || Array.isArray(params))) {
    fail("query", "the parameters must be an object of wire names to values");
  }
  const given = (params ?? {}) as Record<string, unknown>;
  for (const key in given) {
    if (known.has(key) || given[key] === undefined) continue;
    const names = [...known];
    const near = names.find((k) => k.replace(/[_-]/g, "").toLowerCase() === key.replace(/[_-]/g, "").toLowerCase());
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
    checkValue(key, value, param.schema, fail);
  }
  if (op.body?.required && body === undefined) fail("body", "the request body is required");
}

function checkValue(
  name: string,
  value: unknown,
  schema: SchemaConstraints,
  fail: (param: string, problem: string) => never,
): void {
  // The common case, a plain string where a plain string is expected, needs no further look.
  if (typeof value === "string" && schema.type === "string" && isPlainString(schema)) return;
  // Described only when a message is written: most values pass.
  const shown = { toString: () => describe(value) };
  if (schema.enum && !schema.enum.includes(value)) {
    fail(name, `\`${name}\` must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${shown}`);
  }
  switch (schema.type) {
    case "array": {
      if (!Array.isArray(value)) fail(name, `\`${name}\` must be an array, got ${shown}`);
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
      const plain = items !== undefined && items.type === "string" && isPlainString(items);
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        if (item === undefined || item === null) fail(name, `\`${name}[${i}]\` is ${String(item)}`);
        if (items && !(plain && typeof item === "string")) {
          checkValue(`${name}[${i}]`, item, items, (_, problem) => fail(name, problem));
        }
      }
      return;
    }
    case "integer":
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value))
        fail(name, `\`${name}\` must be a finite number, got ${shown}`);
      const n = value as number;
      if (schema.type === "integer" && !Number.isInteger(n)) fail(name, `\`${name}\` must be an integer, got ${shown}`);
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
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") fail(name, `\`${name}\` must be true or false, got ${shown}`);
      return;
    case "string": {
      if (schema.format === "date-time" || schema.format === "date") {
        if (value instanceof Date) {
          if (Number.isNaN(value.getTime())) fail(name, `\`${name}\` is an invalid Date`);
          // Sent in the runtime's local time: that year must be one the engine accepts.
          const year = value.getFullYear();
          if (year < 1 || year > 9999) {
            fail(name, `\`${name}\` must be a Date in the years 1 to 9999 (the engine's range), got ${shown}`);
          }
          return;
        }
        if (typeof value !== "string") {
          fail(name, `\`${name}\` must be a Date or a string such as "2026-03-01T09:30:00+01:00", got ${shown}`);
        }
        // Exactly what the engine (pydantic 2) reads: see engine-datetime.ts for the grammar.
        const read = parseEngineDateTime(value as string);
        if (!read.ok) {
          fail(
            name,
            `\`${name}\` is not a date-time the engine reads: ${shown} ${read.problem}. Use a Date, or a string such as "2026-03-01T09:30:00Z", "2026-03-01T09:30:00+01:00" or "2026-03-01T09:30:00" (engine-local time)`,
          );
        }
        return;
      }
      if (typeof value !== "string" && typeof value !== "number")
        fail(name, `\`${name}\` must be a string, got ${shown}`);
      const text = String(value);
      if (schema.minLength !== undefined && text.length < schema.minLength) {
        fail(name, `\`${name}\` must be at least ${schema.minLength} characters long`);
      }
      if (schema.maxLength !== undefined && text.length > schema.maxLength) {
        fail(name, `\`${name}\` must be at most ${schema.maxLength} characters long`);
      }
      return;
    }
    default:
      return;
  }
}

/** A string schema with nothing more to check (no format, enum or length). */
function isPlainString(schema: SchemaConstraints): boolean {
  return (
    schema.format === undefined &&
    schema.enum === undefined &&
    schema.minLength === undefined &&
    schema.maxLength === undefined
  );
}

function describe(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : `Date ${value.toISOString()}`;
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  return String(value);
}
