/**
 * TypeScript examples for each operation, written against @traces-sdk/client's public surface:
 * the resource method with error handling through the error classes, and the same call through
 * `client.raw`. The tests extract every example from the generated pages and type-check it.
 */
import { camelCase } from "../../../scripts/lib/operations.mjs";
import { curlExample } from "./curl.mjs";
import { errorClassFor } from "./doc-model.mjs";

const PACKAGE = "@traces-sdk/client";

/**
 * Sample value of a parameter or body: the spec's example, else its default, else one built from
 * the schema.
 * @param {any} schema
 * @param {{ deref: (schema: any) => any, mismatch?: (value: unknown, allowed: unknown[]) => void }} ctx
 * @param {unknown} [explicit] the parameter's own example
 */
export function sampleValue(schema, ctx, explicit, depth = 0) {
  const { deref } = ctx;
  const s = deref(schema ?? {});
  // An example outside the schema's enum (upstream has one) would not compile; the enum wins.
  const fits = (value) => {
    const ok = !Array.isArray(s.enum) || s.enum.some((v) => JSON.stringify(v) === JSON.stringify(value));
    if (!ok) ctx.mismatch?.(value, s.enum);
    return ok;
  };
  if (explicit !== undefined && fits(explicit)) return explicit;
  if (s.example !== undefined && fits(s.example)) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0 && fits(s.examples[0])) return s.examples[0];
  if (s.default !== undefined && s.default !== null) return s.default;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum.find((v) => v !== null) ?? null;
  const variants = s.anyOf ?? s.oneOf;
  if (Array.isArray(variants)) {
    const first = variants.find((v) => v && v.type !== "null");
    return first ? sampleValue(first, ctx, undefined, depth + 1) : null;
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const merged = {};
    for (const part of s.allOf) {
      const v = sampleValue(part, ctx, undefined, depth + 1);
      if (v && typeof v === "object" && !Array.isArray(v)) Object.assign(merged, v);
    }
    return merged;
  }
  const type = Array.isArray(s.type)
    ? s.type.find((t) => t !== "null")
    : (s.type ?? (s.properties ? "object" : undefined));
  // Deep (or recursive) structures stop growing; primitives are always filled in.
  if (depth > 8 && (type === "array" || type === "object")) return type === "array" ? [] : {};
  switch (type) {
    case "string":
      if (s.format === "date-time") return "2026-03-01T09:30:00.000+01:00";
      if (s.format === "date") return "2026-03-01";
      if (s.format === "uuid") return "0b5f8a5e-6a43-4f62-9f1e-2d7f0e4c9a11";
      return "string";
    case "integer":
      return typeof s.minimum === "number" ? s.minimum : 1;
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 1.5;
    case "boolean":
      return true;
    case "array": {
      const item = sampleValue(s.items, ctx, undefined, depth + 1);
      return item === null ? [] : [item];
    }
    default: {
      if (!s.properties) return {};
      const out = {};
      const required = new Set(s.required ?? []);
      // Required properties, and those with a default (openapi-typescript types them as required).
      for (const [k, v] of Object.entries(s.properties)) {
        const hasDefault = v && typeof v === "object" && v.default !== undefined && v.default !== null;
        if (required.has(k) || hasDefault) out[k] = sampleValue(v, ctx, undefined, depth + 1);
      }
      return out;
    }
  }
}

/** A JSON value as a TypeScript literal, indented to `indent` spaces. */
export function tsLiteral(value, indent = 0) {
  const pad = " ".repeat(indent);
  const inner = " ".repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => tsLiteral(v, indent + 2));
    const oneLine = `[${items.join(", ")}]`;
    return oneLine.length <= 80 && !oneLine.includes("\n")
      ? oneLine
      : `[\n${items.map((i) => `${inner}${i}`).join(",\n")},\n${pad}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const lines = entries.map(
      ([k, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${tsLiteral(v, indent + 2)}`,
    );
    return `{\n${lines.join(",\n")},\n${pad}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The resource-method example and the raw example of one operation.
 * @param {import("../../../scripts/lib/operations.mjs").Operation} op
 * @param {(schema: any) => any} deref
 * @param {{ baseUrl: string, defaultBaseUrl?: string, curlBaseUrl?: string, schemes?: Record<string, any> }} api baseUrl: what examples pass; defaultBaseUrl: the client's default, if the spec has one
 * @returns {{ example: string, raw: string, curl: string, signature: string, warnings: string[] }}
 */
export function operationExamples(op, deref, api) {
  const pathParams = op.parameters
    .filter((p) => p.in === "path")
    .sort((a, b) => op.path.indexOf(`{${a.name}}`) - op.path.indexOf(`{${b.name}}`));
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const headerParams = op.parameters.filter((p) => p.in === "header");
  // Required parameters always; optional ones when the spec gives an example, so the example shows them in use.
  const shown = (p) => p.required || p.example !== undefined;
  const warnings = [];
  const where = `${op.method.toUpperCase()} ${op.path}`;
  const ctx = {
    deref,
    mismatch: (value, allowed) =>
      warnings.push(
        `${where}: the spec's example ${JSON.stringify(value)} is not one of the allowed values (${allowed.map((v) => JSON.stringify(v)).join(", ")}); the docs example uses an allowed value instead. Fix the example in the spec.`,
      ),
  };
  const values = new Map(op.parameters.map((p) => [p, sampleValue(p.schema, ctx, p.example)]));
  const query = Object.fromEntries(queryParams.filter(shown).map((p) => [p.name, values.get(p)]));
  const body = op.requestBody ? sampleValue(op.requestBody.schema, ctx, undefined) : undefined;
  const jsonBody = op.requestBody && (op.requestBody.contentTypes[0] ?? "application/json").includes("json");

  const args = pathParams.map((p) => tsLiteral(values.get(p)));
  if (queryParams.length > 0) args.push(tsLiteral(query, 0));
  if (op.requestBody) args.push(jsonBody ? tsLiteral(body, 0) : "new FormData()");
  const call = `client.${op.resource}.${op.methodName}(${args.join(", ")})`;
  // Iterating: only the required query parameters; the pager walks the pages itself.
  const iterArgs = pathParams.map((p) => tsLiteral(values.get(p)));
  if (queryParams.length > 0) {
    iterArgs.push(
      tsLiteral(Object.fromEntries(queryParams.filter((p) => p.required).map((p) => [p.name, values.get(p)])), 0),
    );
  }
  if (op.requestBody) iterArgs.push(args[args.length - 1]);
  const iterCall = `client.${op.resource}.${op.methodName}(${iterArgs.join(", ")})`;

  const statuses = op.responses.map((r) => r.status);
  const errorBranches = [];
  const used = new Set(["APIError"]);
  const branch = (status, text) => {
    if (!statuses.includes(status)) return;
    const cls = errorClassFor(status);
    used.add(cls);
    errorBranches.push({ cls, text });
  };
  branch("404", 'console.error("not found:", error.message);');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source that the example prints.
  branch("422", 'console.error("invalid parameters:", error.detail.map((d) => `${d.loc.join(".")}: ${d.msg}`));');
  branch("400", 'console.error("rejected:", error.message); // error.body holds the whole answer');
  branch("401", 'console.error("check TRACES_API_KEY:", error.message);');
  const success = op.responses.find((r) => /^2/.test(r.status));
  const returnsBody = Boolean(success?.schema);
  // A response time without a UTC offset is shown turned into a Date, in the server's zone.
  const items = op.pagination
    ? deref(deref(success?.schema ?? {}).properties?.[op.pagination.itemsField] ?? {}).items
    : undefined;
  const [timeField] = localTimeFields(op.pagination ? items : success?.schema, deref);
  if (timeField) used.add("parseLocalDateTime");
  const timeLines = (value) =>
    timeField
      ? [
          `    // \`${timeField}\` has no UTC offset: it is the server's local time, UTC by default.`,
          `    const ${camelCase(timeField)} = parseLocalDateTime(${value}.${timeField}, { timeZone: "UTC" });`,
          `    console.log(${camelCase(timeField)}.toISOString());`,
        ]
      : [];
  const imports = ["createTracesClient", ...[...used].sort()].sort((a, b) => a.localeCompare(b));

  const lines = [
    `import { ${imports.join(", ")} } from "${PACKAGE}";`,
    "",
    "defaultBaseUrl" in api && api.defaultBaseUrl === undefined
      ? "// baseUrl defaults to TRACES_BASE_URL (the spec declares no default server); apiKey to TRACES_API_KEY."
      : `// baseUrl defaults to TRACES_BASE_URL, else ${api.defaultBaseUrl ?? api.baseUrl}; apiKey to TRACES_API_KEY.`,
    "const client = createTracesClient({ apiKey: process.env.TRACES_API_KEY });",
    "",
    "try {",
  ];
  if (op.pagination) {
    lines.push(
      `  // One page: await the call.`,
      `  const page = await ${indentCall(call, 2)};`,
      `  console.log(page.${op.pagination.totalField ?? op.pagination.itemsField}, page.${op.pagination.itemsField}.length);`,
      "",
      "  // Every item of every page, fetched as you iterate.",
      `  for await (const item of ${indentCall(iterCall, 2)}) {`,
      "    console.log(item);",
      ...timeLines("item"),
      "  }",
    );
  } else if (returnsBody) {
    lines.push(
      `  const result = await ${indentCall(call, 2)};`,
      "  console.log(result);",
      ...timeLines("result").map((line) => line.slice(2)),
    );
  } else {
    lines.push(`  await ${indentCall(call, 2)};`);
  }
  lines.push("} catch (error) {");
  errorBranches.forEach(({ cls, text }, i) => {
    lines.push(`  ${i === 0 ? "if" : "} else if"} (error instanceof ${cls}) {`, `    ${text}`);
  });
  lines.push(
    `  ${errorBranches.length === 0 ? "if" : "} else if"} (error instanceof APIError) {`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source that the example prints.
    "    console.error(`HTTP ${error.status}:`, error.message, error.requestId);",
    "  } else {",
    "    throw error; // InvalidRequestError, APIConnectionError, APIConnectionTimeoutError, ...",
    "  }",
    "}",
  );
  const example = lines.join("\n");

  const params = [];
  if (pathParams.length)
    params.push(`path: ${tsLiteral(Object.fromEntries(pathParams.map((p) => [p.name, values.get(p)])), 4)}`);
  if (Object.keys(query).length > 0) params.push(`query: ${tsLiteral(query, 4)}`);
  const headers = Object.fromEntries(headerParams.filter(shown).map((p) => [p.name, values.get(p)]));
  if (Object.keys(headers).length) params.push(`header: ${tsLiteral(headers, 4)}`);
  const init = [];
  if (params.length) init.push(`  params: {\n${params.map((p) => `    ${p}`).join(",\n")},\n  },`);
  if (op.requestBody) init.push(`  body: ${tsLiteral(body, 2)},`);
  if (op.requestBody && !jsonBody) {
    const form = /multipart\/form-data/.test(op.requestBody.contentTypes[0] ?? "");
    init.push(
      form
        ? "  // multipart/form-data: pass files as Blob values.\n  bodySerializer: (fields) => {\n    const form = new FormData();\n    for (const [name, value] of Object.entries<unknown>(fields)) {\n      form.append(name, value instanceof Blob ? value : String(value));\n    }\n    return form;\n  },"
        : `  // ${op.requestBody.contentTypes[0]}: sent as given.\n  bodySerializer: (value) => value,`,
    );
  }
  const rawCall = `client.raw.${op.method.toUpperCase()}(${JSON.stringify(op.path)}${init.length ? `, {\n${init.join("\n")}\n}` : ""})`;
  const raw = [
    `import { createTracesClient } from "${PACKAGE}";`,
    "",
    "const client = createTracesClient({ apiKey: process.env.TRACES_API_KEY });",
    "",
    "// The openapi-fetch client: same auth, retries and timeouts; errors are returned, not thrown.",
    `const { data, error, response } = await ${rawCall};`,
    // With no documented error body `error` is never set; narrowing on it would leave `never`.
    ...(op.responses.some((r) => !/^[123]/.test(r.status) && r.schema)
      ? [
          "if (error !== undefined) {",
          "  console.error(response.status, error);",
          "} else {",
          "  console.log(data);",
          "}",
        ]
      : ["console.log(response.status, data);"]),
  ].join("\n");

  const signatureArgs = pathParams.map((p) => camelCase(p.name));
  if (queryParams.length) signatureArgs.push(queryParams.some((p) => p.required) ? "query" : "query?");
  if (op.requestBody) signatureArgs.push(op.requestBody.required ? "body" : "body?");
  signatureArgs.push("options?");
  const curl = curlExample({
    op,
    values,
    shown,
    body,
    baseUrl: api.curlBaseUrl ?? api.baseUrl,
    schemes: api.schemes ?? {},
    deref,
  });
  return {
    example,
    raw,
    curl,
    // Required arguments only: the smallest call that works, for the README's quick start.
    quickCall: op.pagination
      ? `for await (const item of ${iterCall}) {\n  console.log(item);\n}`
      : `const result = await ${iterCall};\nconsole.log(result);`,
    signature: `client.${op.resource}.${op.methodName}(${signatureArgs.join(", ")})`,
    warnings: [...new Set(warnings)],
  };
}

/** Offset-less ISO 8601 date-time, as in a spec example of a local time (`2026-03-01T06:00:00`). */
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?$/;

/**
 * Required string properties of an object schema that hold a date-time without a UTC offset: no
 * `format` (a `date-time` always has one) and an example such as `2026-03-01T06:00:00`.
 */
function localTimeFields(schema, deref) {
  const s = schema ? deref(schema) : undefined;
  if (!s?.properties) return [];
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties)
    .filter(([name, value]) => {
      const p = deref(value ?? {});
      const example = p?.example ?? (Array.isArray(p?.examples) ? p.examples[0] : undefined);
      return required.has(name) && p?.type === "string" && !p.format && LOCAL_TIME.test(String(example ?? ""));
    })
    .map(([name]) => name);
}

function indentCall(call, indent) {
  return call.replace(/\n/g, `\n${" ".repeat(indent)}`);
}
