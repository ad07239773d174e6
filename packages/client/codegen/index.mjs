/**
 * The client target of the generation pipeline (see scripts/lib/generate.mjs for the contract).
 * From the bundled spec and the shared operation model it writes, into `ctx.outDir`:
 *
 * - `schema.ts`: openapi-typescript's `paths`, `components` and `operations` types;
 * - `types.ts`: one named type per schema (`TraceUserListResponse`, `LLMToolInput`, ...);
 * - `metadata.ts`: what the runtime needs to check input and send each operation;
 * - `resources.ts`: one class per tag with one method per operation;
 * - `create-resources.ts`: builds them all on the runtime core.
 *
 * Everything is derived from the spec; the output depends on nothing else (no dates, no paths).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { PipelineError } from "../../../scripts/lib/errors.mjs";

/** Words that cannot name a parameter, plus the names the generated methods use themselves. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined " +
    "query body options"
  ).split(" "),
);

/** Type names that a schema alias must not take: TypeScript's own and the ones the package exports. */
const TAKEN_TYPE_NAMES = [
  "any",
  "unknown",
  "never",
  "string",
  "number",
  "boolean",
  "object",
  "symbol",
  "bigint",
  "void",
  "null",
  "undefined",
  "Date",
  "Promise",
  "NonNullable",
  "FormData",
  "Headers",
  "Blob",
  "URL",
  "AbortSignal",
  "Core",
  "DateInputs",
  "Resources",
  "OperationMetadata",
  "ParamMetadata",
  "PaginationMetadata",
  "SchemaConstraints",
  "HttpMethod",
  "APIErrorInit",
  "Response",
  "Request",
  "Record",
  "Array",
  "Error",
  "paths",
  "components",
  "operations",
  "webhooks",
  "$defs",
  "TracesClient",
  "TracesClientOptions",
  "RequestOptions",
  "PagePromise",
  "TracesError",
  "APIError",
  "BadRequestError",
  "AuthenticationError",
  "PermissionDeniedError",
  "NotFoundError",
  "UnprocessableEntityError",
  "RateLimitError",
  "InternalServerError",
  "APIConnectionError",
  "APIConnectionTimeoutError",
  "APIUserAbortError",
  "InvalidRequestError",
];

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;

/**
 * Writes the client's generated files. Called by the pipeline with an empty `outDir`.
 * @param {{ spec: any, specLabel: string, operations: any[], outDir: string, lenient: boolean, header: string, log: (l: string) => void, warn: (l: string) => void }} ctx
 */
export async function generate(ctx) {
  const { spec, outDir, header, log } = ctx;
  // `client.raw` is the openapi-fetch client, so a tag that would also be called `raw` moves aside.
  // The shared operation objects stay untouched: the docs target reads them too.
  const operations = ctx.operations.map((op) => (op.resource === "raw" ? { ...op, resource: "rawResource" } : op));
  if (operations.some((op, i) => op !== ctx.operations[i])) {
    ctx.warn("a tag named like `raw` would shadow client.raw; its methods are generated as client.rawResource.*");
  }
  const banner = `/**\n * ${header}\n */\n`;

  const schemaNames = Object.keys(spec.components?.schemas ?? {});
  const names = createNameRegistry(TAKEN_TYPE_NAMES);
  /** @type {Array<[string, string]>} alias → schema key */
  const aliases = schemaNames.map((key) => [names.take(typeName(key)), key]);
  /** @type {Map<string, string>} resource → class name, filled by resourcesModule */
  const classNames = new Map();

  const files = {
    "schema.ts": banner + (await schemaTypes(spec)),
    "types.ts": banner + namedTypes(aliases, spec),
    "metadata.ts": banner + metadataModule(operations, spec),
    "resources.ts":
      banner + resourcesModule(operations, spec, names, new Map(aliases.map(([a, k]) => [k, a])), classNames),
  };
  files["create-resources.ts"] = banner + createResourcesModule(classNames);
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(join(outDir, file), text.endsWith("\n") ? text : `${text}\n`);
  }
  log(
    `${plural(operations.length, "method")} in ${plural(new Set(operations.map((o) => o.resource)).size, "resource")}, ${plural(aliases.length, "named type")}`,
  );
}

/** openapi-typescript 7's types for the whole document. */
async function schemaTypes(spec) {
  // openapi-typescript annotates (mutates) the document it is given; the pipeline's copy stays as it was.
  let ast;
  try {
    ast = await openapiTS(structuredClone(spec), { silent: true, alphabetize: false });
  } catch (error) {
    // The spec passed validation, so this is a construct openapi-typescript cannot type: say which.
    throw new PipelineError(
      `openapi-typescript could not turn the spec into types: ${error?.message ?? error}. ` +
        "Simplify the construct it names in the spec (or pin a fixed openapi-typescript) and regenerate; nothing was written.",
      { cause: error },
    );
  }
  const docs = {
    paths: "Every path of the API, with its operations' parameters, request bodies and responses.",
    webhooks: "The API's webhooks (none when the spec declares none).",
    components: "The spec's reusable components: schemas, parameters, responses, security schemes.",
    $defs: "JSON Schema `$defs` of the document (none when the spec declares none).",
    operations: "Every operation, keyed by operationId.",
  };
  const text = astToString(ast).replace(
    /^export (interface|type) (paths|webhooks|components|\$defs|operations)\b/gm,
    (line, _kind, name) => `/** ${docs[name]} */\n${line}`,
  );
  return `\n${text}`;
}

function namedTypes(aliases, spec) {
  const lines = ['import type { components } from "./schema.js";', ""];
  for (const [alias, key] of aliases) {
    const about = firstSentence(spec.components.schemas[key]?.description);
    lines.push(`/** ${escapeComment(about ? `\`${key}\`: ${about}` : `The \`${key}\` schema.`)} */`);
    lines.push(`export type ${alias} = components["schemas"][${JSON.stringify(key)}];`);
  }
  if (aliases.length === 0) lines.push("export {};");
  return `\n${lines.join("\n")}\n`;
}

/** The runtime description of every operation, keyed by operationId. */
function metadataModule(operations, spec) {
  const entries = [...operations]
    .sort((a, b) => a.operationId.localeCompare(b.operationId))
    .map((op) => `  ${JSON.stringify(op.operationId)}: ${indent(toTs(operationMetadata(op, spec)), 2)},`);
  const hasValidationError = Boolean(spec.components?.schemas?.ValidationError);
  return [
    "",
    'import type { OperationMetadata } from "../runtime-types.js";',
    ...(hasValidationError ? ['import type { components } from "./schema.js";'] : []),
    "",
    "/** One entry of a 422 response's `detail` list (FastAPI's `ValidationError`). */",
    hasValidationError
      ? 'export type ValidationErrorItem = components["schemas"]["ValidationError"];'
      : "export type ValidationErrorItem = { loc: (string | number)[]; msg: string; type: string; [key: string]: unknown };",
    "",
    "/** What the runtime checks and sends for each operation, keyed by operationId. */",
    `export const operationMetadata = {\n${entries.join("\n")}\n} satisfies Record<string, OperationMetadata>;`,
    "",
    "/** The spec's first server, used when neither `baseUrl` nor TRACES_BASE_URL is set. */",
    `export const defaultBaseUrl: string | undefined = ${JSON.stringify(defaultServer(spec))};`,
    "",
  ].join("\n");
}

function operationMetadata(op, spec) {
  const success = successResponse(op);
  const meta = {
    name: `${op.resource}.${op.methodName}`,
    operationId: op.operationId,
    method: op.method.toUpperCase(),
    path: op.path,
    idempotent: op.idempotent,
    params: op.parameters.map((p) =>
      compact({
        name: p.name,
        in: p.in,
        required: p.required,
        schema: constraints(p.schema, spec, 0),
        default: p.schema?.default,
      }),
    ),
    body: op.requestBody
      ? { contentType: op.requestBody.contentTypes[0] ?? "application/json", required: op.requestBody.required }
      : undefined,
    response: success?.kind ?? "none",
    pagination: op.pagination ? paginationMetadata(op) : undefined,
  };
  return compact(meta);
}

function paginationMetadata(op) {
  const p = op.pagination;
  const sizeParam = op.parameters.find((x) => x.name === p.pageSizeParam);
  return compact({
    pageParam: p.pageParam,
    pageSizeParam: p.pageSizeParam,
    itemsField: p.itemsField,
    totalField: p.totalField,
    firstPage: p.firstPage ?? 0,
    defaultPageSize: typeof sizeParam?.schema?.default === "number" ? sizeParam.schema.default : undefined,
  });
}

/**
 * The checks the runtime makes before sending: type, format, enum and bounds. `anyOf`/`oneOf`
 * with a `null` branch (OpenAPI 3.1's nullable) is reduced to its one other branch.
 */
function constraints(schema, spec, depth) {
  let s = deref(schema, spec) ?? {};
  let nullable = false;
  for (const key of ["anyOf", "oneOf"]) {
    if (!Array.isArray(s[key])) continue;
    const branches = s[key].map((b) => deref(b, spec) ?? {});
    const rest = branches.filter((b) => b.type !== "null");
    if (rest.length < branches.length) nullable = true;
    if (rest.length === 1) {
      const { [key]: _, ...siblings } = s;
      s = { ...rest[0], ...siblings };
    } else {
      return compact({ nullable: nullable || undefined });
    }
  }
  let type = s.type;
  if (Array.isArray(type)) {
    if (type.includes("null")) nullable = true;
    const rest = type.filter((t) => t !== "null");
    type = rest.length === 1 ? rest[0] : undefined;
  }
  const enumValues = Array.isArray(s.enum)
    ? s.enum.filter((v) => v !== null)
    : s.const !== undefined
      ? [s.const]
      : undefined;
  const out = {
    type: typeof type === "string" ? type : undefined,
    // `x-sdk-date` marks a string that takes a `Date` without claiming a JSON Schema format
    // (for values a `format: date-time` validator would refuse, such as offset-less times).
    format: ["date-time", "date"].includes(s.format)
      ? s.format
      : ["date-time", "date"].includes(s["x-sdk-date"])
        ? s["x-sdk-date"]
        : undefined,
    enum: enumValues,
    nullable: nullable || undefined,
    minimum: num(s.minimum),
    maximum: num(s.maximum),
    exclusiveMinimum: s.exclusiveMinimum === true ? num(s.minimum) : num(s.exclusiveMinimum),
    exclusiveMaximum: s.exclusiveMaximum === true ? num(s.maximum) : num(s.exclusiveMaximum),
    minLength: num(s.minLength),
    maxLength: num(s.maxLength),
    minItems: num(s.minItems),
    maxItems: num(s.maxItems),
    items: type === "array" && s.items && depth < 3 ? constraints(s.items, spec, depth + 1) : undefined,
  };
  if (s.exclusiveMinimum === true) out.minimum = undefined;
  if (s.exclusiveMaximum === true) out.maximum = undefined;
  return compact(out);
}

function resourcesModule(operations, spec, names, aliasOf, classNames) {
  const usedAliases = new Set();
  /** The named type of a plain `$ref` to a component schema, if there is one. */
  const named = (schema) => {
    const ref = schema && Object.keys(schema).length === 1 ? schema.$ref : undefined;
    const match = typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref) : null;
    const key = match ? decodeURIComponent(match[1]).replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
    const alias = key === undefined ? undefined : aliasOf.get(key);
    if (alias) usedAliases.add(alias);
    return alias;
  };
  const byResource = new Map();
  for (const op of operations) byResource.set(op.resource, [...(byResource.get(op.resource) ?? []), op]);
  const resources = [...byResource.keys()].sort();
  for (const r of resources) classNames.set(r, names.take(`${pascal(r)}Resource`));

  const typeBlocks = [];
  const classBlocks = [];
  for (const resource of resources) {
    const methods = [];
    for (const op of byResource.get(resource)) {
      const m = methodParts(op, spec, names, named);
      if (m.paramsType) typeBlocks.push(m.paramsType);
      methods.push(m.method);
    }
    const tag = (spec.tags ?? []).find((t) => t.name === byResource.get(resource)[0].tag);
    const about = firstSentence(tag?.description) ?? `Operations tagged \`${byResource.get(resource)[0].tag}\`.`;
    classBlocks.push(
      [
        `/** ${escapeComment(about)} */`,
        `export class ${classNames.get(resource)} {`,
        "  readonly #core: Core;",
        "",
        "  /** Created by `createTracesClient`; not meant to be constructed directly. */",
        "  constructor(core: Core) {",
        "    this.#core = core;",
        "  }",
        "",
        methods.join("\n\n"),
        "}",
      ].join("\n"),
    );
  }

  const lines = [
    "",
    'import type { Core, DateInputs, PagePromise, RequestOptions } from "../runtime-types.js";',
    'import { operationMetadata as m } from "./metadata.js";',
    'import type { paths } from "./schema.js";',
    ...(usedAliases.size ? [`import type { ${[...usedAliases].sort().join(", ")} } from "./types.js";`] : []),
    "",
    ...typeBlocks.flatMap((b) => [b, ""]),
    ...classBlocks.flatMap((b) => [b, ""]),
    "/** Every resource of the API, one property per tag. */",
    "export interface Resources {",
    ...resources.map(
      (r) =>
        `  /** ${escapeComment(`Operations tagged \`${byResource.get(r)[0].tag}\`.`)} */\n  readonly ${propertyKey(r)}: ${classNames.get(r)};`,
    ),
    "}",
    "",
  ];
  return lines.join("\n");
}

/** Kept apart from resources.ts so that the public index can re-export that module whole. */
function createResourcesModule(classNames) {
  const resources = [...classNames.keys()];
  return [
    "",
    'import type { Core } from "../runtime-types.js";',
    `import { ${[...classNames.values(), "type Resources"].join(", ")} } from "./resources.js";`,
    "",
    "/** Builds every resource on one runtime core. */",
    "export function createResources(core: Core): Resources {",
    "  return {",
    ...resources.map((r) => `    ${propertyKey(r)}: new ${classNames.get(r)}(core),`),
    "  };",
    "}",
    "",
  ].join("\n");
}

/** One method (and its query type) of a resource class. */
function methodParts(op, spec, names, named) {
  const opType = `paths[${JSON.stringify(op.path)}][${JSON.stringify(op.method)}]`;
  const pathParams = op.parameters.filter((p) => p.in === "path");
  // Positional path parameters in the order the path names them.
  pathParams.sort((a, b) => op.path.indexOf(`{${a.name}}`) - op.path.indexOf(`{${b.name}}`));
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const args = [];
  const used = new Set();
  const pathEntries = [];
  for (const p of pathParams) {
    let id = identifier(p.name);
    while (used.has(id)) id = `${id}_`;
    used.add(id);
    const c = constraints(p.schema, spec, 0);
    const simple = c.enum
      ? undefined
      : c.type === "string"
        ? "string"
        : c.type === "integer" || c.type === "number"
          ? "number"
          : undefined;
    const type = simple ?? `${opType}["parameters"]["path"][${JSON.stringify(p.name)}]`;
    args.push({ name: id, type, required: true, doc: p.description });
    pathEntries.push(`${propertyKey(p.name)}: ${id}`);
  }

  let paramsType;
  if (queryParams.length > 0) {
    const typeNameBase = `${pascal(op.methodName)}Params`;
    const name = names.take(names.has(typeNameBase) ? `${pascal(op.resource)}${typeNameBase}` : typeNameBase);
    const dates = queryParams.filter((p) => isDateTime(p.schema, spec)).map((p) => JSON.stringify(p.name));
    const base = `NonNullable<${opType}["parameters"]["query"]>`;
    paramsType = [
      `/** Query parameters of \`${op.resource}.${op.methodName}\` (\`${op.method.toUpperCase()} ${escapeComment(op.path)}\`), by their wire names. */`,
      dates.length
        ? `export type ${name} = DateInputs<\n  ${base},\n  ${dates.join(" | ")}\n>;`
        : `export type ${name} = ${base};`,
    ].join("\n");
    args.push({ name: "query", type: name, required: queryParams.some((p) => p.required), doc: "Query parameters." });
  }
  if (op.requestBody) {
    const contentType = op.requestBody.contentTypes[0] ?? "application/json";
    const bodyType =
      named(op.requestBody.schema) ??
      `NonNullable<${opType}["requestBody"]>["content"][${JSON.stringify(contentType)}]`;
    args.push({
      name: "body",
      type: contentType.startsWith("multipart/form-data") ? `${bodyType} | FormData` : bodyType,
      required: op.requestBody.required,
      doc:
        contentType === "application/json" || JSON_TYPE.test(contentType)
          ? "Request body, sent as JSON."
          : `Request body, sent as \`${contentType}\`.`,
    });
  }
  args.push({
    name: "options",
    type: "RequestOptions",
    required: false,
    doc: "Per-request options: `signal`, `timeout`, `maxRetries`, `headers`.",
  });

  // A parameter may be left out only if every parameter after it may be too.
  let trailingOptional = true;
  for (let i = args.length - 1; i >= 0; i--) {
    args[i].optional = trailingOptional && !args[i].required;
    if (args[i].required) trailingOptional = false;
  }
  const signature = args
    .map((a) =>
      a.optional ? `${a.name}?: ${a.type}` : a.required ? `${a.name}: ${a.type}` : `${a.name}: ${a.type} | undefined`,
    )
    .join(", ");

  const success = successResponse(op);
  const resultType =
    success?.kind === "json"
      ? (named(success.schema) ??
        `${opType}["responses"][${JSON.stringify(success.status)}]["content"][${JSON.stringify(success.contentType)}]`)
      : success?.kind === "raw"
        ? "Response"
        : "void";
  const callArgs = [
    `m[${JSON.stringify(op.operationId)}]`,
    pathEntries.length ? `{ ${pathEntries.join(", ")} }` : "{}",
    queryParams.length ? "query" : "undefined",
    op.requestBody ? "body" : "undefined",
    "options",
  ];
  /** `this.#core.<fn><<types>>(<args>)`, one argument per line when it would not fit in 120 columns. */
  const invoke = (fn, types) => {
    const line = `    return this.#core.${fn}<${types}>(${callArgs.join(", ")});`;
    if (line.length <= 120) return line.slice(4);
    return `return this.#core.${fn}<${types}>(\n${callArgs.map((a) => `      ${a},`).join("\n")}\n    );`;
  };
  let returnType;
  let body;
  if (op.pagination && success?.kind === "json") {
    const pageSchema = deref(success.schema, spec);
    const itemsSchema = deref(pageSchema?.properties?.[op.pagination.itemsField], spec);
    const itemType =
      named(itemsSchema?.items) ?? `NonNullable<${resultType}[${JSON.stringify(op.pagination.itemsField)}]>[number]`;
    returnType = `PagePromise<${resultType}, ${itemType}>`;
    body = invoke("paginate", `${resultType}, ${itemType}`);
  } else {
    returnType = `Promise<${resultType}>`;
    body = invoke("request", resultType);
  }

  const doc = [];
  if (op.summary) doc.push(op.summary);
  if (op.description && op.description.trim() !== op.summary?.trim()) {
    if (doc.length) doc.push("");
    doc.push(...op.description.trim().split("\n"));
  }
  if (doc.length) doc.push("");
  doc.push(`\`${op.method.toUpperCase()} ${op.path}\` (operationId \`${op.operationId}\`).`);
  if (op.pagination) {
    doc.push("Await the result for one page, or iterate it with `for await` for every item of every page.");
  }
  for (const a of args) doc.push(`@param ${a.name} ${oneLine(a.doc ?? "")}`.trimEnd());
  if (op.deprecated) doc.push("@deprecated The spec marks this operation as deprecated.");
  let head = `  ${op.methodName}(${signature}): ${returnType} {`;
  if (head.length > 120) {
    const list = signature.split(/, (?=\w+\??: )/);
    head = `  ${op.methodName}(\n${list.map((a) => `    ${a},`).join("\n")}\n  ): ${returnType} {`;
  }
  const method = [
    "  /**",
    ...doc.map((l) => (l ? `   * ${escapeComment(l)}` : "   *")),
    "   */",
    head,
    `    ${body}`,
    "  }",
  ].join("\n");
  return { method, paramsType };
}

/** The first absolute http(s) server URL of the spec, if any. */
function defaultServer(spec) {
  const url = spec.servers?.[0]?.url;
  return typeof url === "string" && /^https?:\/\//i.test(url) && !url.includes("{") ? url : undefined;
}

/** The response a method resolves to: the first 2xx (or `default`) one. */
function successResponse(op) {
  const ok =
    op.responses.find((r) => /^2(\d\d|XX)$/i.test(r.status)) ?? op.responses.find((r) => r.status === "default");
  if (!ok) return undefined;
  if (!ok.contentType) return { kind: "none", status: statusKey(ok.status) };
  return {
    kind: JSON_TYPE.test(ok.contentType) ? "json" : "raw",
    status: statusKey(ok.status),
    contentType: ok.contentType,
    schema: ok.schema,
  };
}

/** openapi-typescript writes numeric status codes as number keys. */
function statusKey(status) {
  return /^\d+$/.test(status) ? Number(status) : status;
}

function isDateTime(schema, spec) {
  const c = constraints(schema, spec, 0);
  return c.format === "date-time" || c.format === "date";
}

function deref(node, spec) {
  let current = node;
  for (let i = 0; i < 32 && current && typeof current.$ref === "string" && current.$ref.startsWith("#/"); i++) {
    const { $ref, ...siblings } = current;
    const target = $ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((o, k) => (o == null ? o : o[decodeURIComponent(k)]), spec);
    current = target && typeof target === "object" ? { ...target, ...siblings } : target;
  }
  return current;
}

/** Hands out unique type names; `has` tells whether one is taken. */
function createNameRegistry(initial) {
  const taken = new Set(initial);
  return {
    has: (name) => taken.has(name),
    take(name) {
      let candidate = name;
      for (let i = 2; taken.has(candidate); i++) candidate = `${name}${i}`;
      taken.add(candidate);
      return candidate;
    },
  };
}

/** A schema key as a type name: `LLMTool-Input` → `LLMToolInput`, `2fa config` → `Schema2faConfig`. */
function typeName(key) {
  const parts = key.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const joined = parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join("");
  if (!joined) return "Schema";
  return /^[0-9]/.test(joined) ? `Schema${joined}` : joined;
}

/** A parameter name as a JavaScript identifier: `user_id` → `userId`. */
function identifier(name) {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let id = words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join("");
  if (!id) id = "param";
  if (/^[0-9]/.test(id)) id = `_${id}`;
  return RESERVED.has(id) ? `${id}Param` : id;
}

function pascal(name) {
  return name[0].toUpperCase() + name.slice(1);
}

function propertyKey(name) {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function num(v) {
  return typeof v === "number" ? v : undefined;
}

function compact(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function firstSentence(text) {
  if (!text) return undefined;
  const line = oneLine(text);
  const end = line.search(/\.(\s|$)/);
  return end === -1 ? line : line.slice(0, end + 1);
}

function oneLine(text) {
  return text.replace(/\s+/g, " ").trim();
}

function escapeComment(text) {
  return text.replace(/\*\//g, "*\\/");
}

function indent(text, n) {
  return text.split("\n").join(`\n${" ".repeat(n)}`);
}

/** A JSON-like value as TypeScript source with unquoted keys where possible, two-space indent. */
function toTs(value, level = 0) {
  const pad = "  ".repeat(level + 1);
  const end = "  ".repeat(level);
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object"))
      return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    return `[\n${value.map((v) => `${pad}${toTs(v, level + 1)},`).join("\n")}\n${end}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `${pad}${propertyKey(k)}: ${toTs(v, level + 1)},`).join("\n")}\n${end}}`;
  }
  return JSON.stringify(value);
}

/** `1 method`, `2 methods`. */
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
