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
import { MASK, maskPrototypeNames } from "../../../scripts/lib/load-spec.mjs";

/** Words that cannot name a parameter, plus the names the generated methods use themselves. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined " +
    "query params body options"
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
  "Readable",
  "Writable",
  "$Read",
  "$Write",
  "APIPromise",
  "TracesCore",
  "WithResponse",
  "AcceptUndefined",
  "PrefixKeys",
  "Middleware",
  "Logger",
  "LogLevel",
  "createTracesClient",
  "createTracesCore",
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
  const marked = markedSchemas(spec);
  /** @type {Array<[string, string]>} alias → schema key */
  const aliases = schemaNames.map((key) => [names.take(declarableTypeName(typeName(key))), key]);
  /** @type {Map<string, string>} schema key → alias of its request (writable) view, for schemas with readOnly/writeOnly */
  const inputAliases = new Map();
  for (const [, key] of aliases) if (marked.has(key)) inputAliases.set(key, names.take(`${typeName(key)}Input`));
  /** @type {Map<string, string>} resource → class name, filled by resourcesModule */
  const classNames = new Map();
  const plans = planOperations(operations, spec, ctx.warn);

  const files = {
    "schema.ts": banner + (await schemaTypes(spec)),
    "types.ts": banner + namedTypes(aliases, inputAliases, marked, spec, names.take("SchemaType")),
    "metadata.ts": banner + metadataModule(plans, spec),
    "raw-operations.ts": banner + rawOperationsModule(plans),
  };
  const models = { aliasOf: new Map(aliases.map(([a, k]) => [k, a])), inputAliases, marked };
  const layer = operationLayer(plans, spec, names, models, classNames);
  files["functions.ts"] = banner + layer.functions;
  files["resources.ts"] = banner + layer.resources;
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
  let masked = false;
  try {
    // openapi-typescript validates with Redocly too, which cannot take a property named like an
    // Object.prototype member: it gets masked names, unmasked in the text below.
    const copy = structuredClone(spec);
    masked = maskPrototypeNames(copy);
    ast = await openapiTS(copy, { silent: true, alphabetize: false, readWriteMarkers: true });
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
  const printed = astToString(ast);
  // The printer writes the mask's invisible separator as an escape (`\u2063`).
  const unmasked = masked ? printed.replaceAll(MASK, "").replaceAll(MASK.replace("\u2063", "\\u2063"), "") : printed;
  const text = unmasked.replace(
    /^export (interface|type) (paths|webhooks|components|\$defs|operations)\b/gm,
    (line, _kind, name) => `/** ${docs[name]} */\n${line}`,
  );
  return `\n${text}`;
}

/**
 * Schema keys whose types carry openapi-typescript's `$Read` / `$Write` markers: those with a
 * `readOnly` or `writeOnly` property, directly or through the schemas they reference.
 */
function markedSchemas(spec) {
  const schemas = spec.components?.schemas ?? {};
  const direct = new Set();
  const refs = new Map();
  for (const [key, schema] of Object.entries(schemas)) {
    const found = new Set();
    let own = false;
    const walk = (node, depth) => {
      if (!node || typeof node !== "object" || depth > 64) return;
      if (Array.isArray(node)) {
        for (const n of node) walk(n, depth + 1);
        return;
      }
      if (node.readOnly === true || node.writeOnly === true) own = true;
      const m = typeof node.$ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(node.$ref) : null;
      if (m) found.add(decodeURIComponent(m[1]).replace(/~1/g, "/").replace(/~0/g, "~"));
      for (const [k, v] of Object.entries(node)) if (k !== "example" && k !== "examples") walk(v, depth + 1);
    };
    walk(schema, 0);
    if (own) direct.add(key);
    refs.set(key, found);
  }
  const marked = new Set(direct);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, found] of refs) {
      if (!marked.has(key) && [...found].some((k) => marked.has(k))) {
        marked.add(key);
        changed = true;
      }
    }
  }
  return marked;
}

/** Whether an inline schema carries read/write markers (itself or through a marked component). */
function hasMarkers(schema, marked, depth = 0) {
  if (!schema || typeof schema !== "object" || depth > 32) return false;
  if (Array.isArray(schema)) return schema.some((s) => hasMarkers(s, marked, depth + 1));
  if (schema.readOnly === true || schema.writeOnly === true) return true;
  const m = typeof schema.$ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(schema.$ref) : null;
  if (m && marked.has(decodeURIComponent(m[1]).replace(/~1/g, "/").replace(/~0/g, "~"))) return true;
  return Object.entries(schema).some(
    ([k, v]) => k !== "example" && k !== "examples" && hasMarkers(v, marked, depth + 1),
  );
}

function namedTypes(aliases, inputAliases, marked, spec, helper) {
  const usesMarkers = aliases.some(([, key]) => marked.has(key));
  const lines = [`import type { components${usesMarkers ? ", Readable, Writable" : ""} } from "./schema.js";`, ""];
  for (const [alias, key] of aliases) {
    const schema = spec.components.schemas[key];
    const about = firstSentence(schema?.description);
    const ref = `components["schemas"][${JSON.stringify(key)}]`;
    // An interface keeps its name in hovers and error messages; a type alias of an object shows the literal.
    const declare = (name, type, object) =>
      object ? `export interface ${name} extends ${type} {}` : `export type ${name} = ${type};`;
    const object = isPlainObjectSchema(schema);
    if (marked.has(key)) {
      lines.push(
        `/** ${escapeComment(`${about ? `\`${key}\`: ${about}` : `The \`${key}\` schema.`} As the server sends it: without writeOnly properties.`)} */`,
      );
      lines.push(declare(alias, `Readable<${ref}>`, object));
      lines.push(`/** ${escapeComment(`\`${key}\` as a request sends it: without readOnly properties.`)} */`);
      lines.push(declare(inputAliases.get(key), `Writable<${ref}>`, object));
    } else {
      lines.push(`/** ${escapeComment(about ? `\`${key}\`: ${about}` : `The \`${key}\` schema.`)} */`);
      lines.push(declare(alias, object ? `${helper}<${ref}>` : ref, object));
    }
  }
  if (lines.some((l) => l.includes(`extends ${helper}<`))) {
    lines.splice(
      2,
      0,
      "/** Names a schema's type so that an interface can extend it. */",
      `type ${helper}<T> = T;`,
      "",
    );
  }
  if (aliases.length === 0) lines.push("export {};");
  return `\n${lines.join("\n")}\n`;
}

/** Whether openapi-typescript types a schema as one object type (so that an interface can extend it). */
function isPlainObjectSchema(schema) {
  if (!schema || typeof schema !== "object" || schema.$ref) return false;
  if (schema.type !== "object" || schema.nullable === true) return false;
  for (const key of ["oneOf", "anyOf", "allOf", "not", "enum", "const", "if", "discriminator"]) {
    if (schema[key] !== undefined) return false;
  }
  return true;
}

/** Header parameters OpenAPI says to ignore (3.1 §4.8.12.1): the client sets them itself. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);
/** The styles each location allows (OpenAPI 3.1 §4.8.12.4). */
const STYLES = {
  path: ["simple", "label", "matrix"],
  query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
  header: ["simple"],
  cookie: ["form"],
};

/**
 * Per operation: the parameters the generated code takes (with the key each has in the method's
 * parameter object), checked against what the runtime can put on the wire. A style a location
 * does not allow cannot be honoured and stops generation; values a style has no serialization
 * for (nested objects and arrays) are warned about here and refused at run time.
 */
function planOperations(operations, spec, warn) {
  return operations.map((op) => {
    const where = `${op.method.toUpperCase()} ${op.path} (${op.operationId})`;
    const params = [];
    for (const p of op.parameters) {
      if (p.in === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())) {
        warn(`${where}: header parameter \`${p.name}\` is ignored, as OpenAPI says; the client sets it itself.`);
        continue;
      }
      const style = p.style ?? (p.in === "query" || p.in === "cookie" ? "form" : "simple");
      if (!STYLES[p.in]?.includes(style)) {
        throw new PipelineError(
          `${where}: parameter \`${p.name}\` in ${p.in} has style \`${style}\`, which OpenAPI does not define for ${p.in} parameters (allowed: ${STYLES[p.in]?.join(", ")}). ` +
            "Fix the style in the spec and regenerate; nothing was written.",
        );
      }
      const s = deref(p.schema, spec) ?? {};
      const kind =
        s.type === "array" || s.items
          ? "array"
          : s.type === "object" || s.properties || s.additionalProperties
            ? "object"
            : "primitive";
      const explode = p.explode ?? style === "form";
      if (!p.contentType) {
        if (style === "deepObject" && kind !== "object") {
          warn(
            `${where}: \`${p.name}\` uses style deepObject but is not an object; OpenAPI defines deepObject for objects only, so the client refuses other values at run time.`,
          );
        }
        if ((style === "spaceDelimited" || style === "pipeDelimited") && explode) {
          warn(
            `${where}: \`${p.name}\` is ${style} with explode: true, which OpenAPI leaves undefined; the client sends it like form (one name=value pair per item).`,
          );
        }
        if (p.in === "cookie" && kind !== "primitive" && explode) {
          warn(
            `${where}: cookie \`${p.name}\` is an exploded ${kind}; OpenAPI's form style would join its pairs with "&", which a Cookie header cannot carry, so the client sends one cookie per ${kind === "array" ? "item" : "property"}.`,
          );
        }
        const nested = (node) => {
          const n = deref(node, spec) ?? {};
          return n.type === "array" || n.type === "object" || Boolean(n.items) || Boolean(n.properties);
        };
        const members =
          kind === "array"
            ? [s.items]
            : kind === "object"
              ? [
                  ...Object.values(s.properties ?? {}),
                  typeof s.additionalProperties === "object" ? s.additionalProperties : undefined,
                ]
              : [];
        if (members.some((m) => m && nested(m))) {
          warn(
            `${where}: \`${p.name}\` (${style}) holds nested arrays or objects, for which OpenAPI defines no serialization; the client refuses such values at run time (InvalidRequestError). Declare the parameter with \`content: application/json\` to send it as JSON.`,
          );
        }
      }
      params.push({ ...p, style: p.style, explode: p.explode });
    }
    // Query, header and cookie parameters share one object; a name taken twice gets its location as a prefix.
    const seen = new Map();
    for (const p of params.filter((x) => x.in !== "path")) seen.set(p.name, (seen.get(p.name) ?? 0) + 1);
    const prefixed = new Set(
      params.filter((p) => p.in !== "path" && p.in !== "query" && seen.get(p.name) > 1).map((p) => p.in),
    );
    for (const p of params) {
      if (p.in !== "path" && prefixed.has(p.in)) p.key = `${p.in}.${p.name}`;
    }
    if (prefixed.size) {
      warn(
        `${where}: a parameter name is used in more than one location; its ${[...prefixed].join(" and ")} parameters are passed as "${[...prefixed][0]}.<name>".`,
      );
    }
    return { op, params, prefixed, constName: `$${op.resource}_${op.methodName}` };
  });
}

/** The `Accept` header for an operation: its success media types, then its error ones at lower weight. */
function acceptHeader(op) {
  const success = [];
  const other = [];
  for (const r of op.responses) {
    const list = /^2(\d\d|XX)$/i.test(r.status) ? success : other;
    for (const t of r.contentTypes ?? (r.contentType ? [r.contentType] : [])) if (!list.includes(t)) list.push(t);
  }
  const rest = other.filter((t) => !success.includes(t));
  if (success.length === 0 && rest.length === 0) return undefined;
  if (success.length === 0) return rest.join(", ");
  return [...success, ...rest.map((t) => `${t};q=0.9`)].join(", ");
}

/** The runtime description of every operation: one exported constant each, so that bundlers drop the unused ones. */
function metadataModule(plans, spec) {
  const entries = [...plans]
    .sort((a, b) => a.constName.localeCompare(b.constName))
    .map(
      (plan) =>
        `/** \`${plan.op.resource}.${plan.op.methodName}\`: \`${plan.op.method.toUpperCase()} ${escapeComment(plan.op.path)}\`. */\n` +
        `export const ${plan.constName}: OperationMetadata = ${toTs(operationMetadata(plan, spec))};`,
    );
  const hasValidationError = Boolean(spec.components?.schemas?.ValidationError);
  const server = defaultServer(spec);
  // The runtime's writers, checkers and encoders the metadata names, by module.
  const refs = new Map();
  const collect = (value) => {
    if (value instanceof RuntimeRef) {
      if (!refs.has(value.module)) refs.set(value.module, new Set());
      refs.get(value.module).add(value.name);
    } else if (value && typeof value === "object") for (const v of Object.values(value)) collect(v);
  };
  for (const plan of plans) collect(operationMetadata(plan, spec));
  const runtimeImports = [...refs.keys()].sort().map(
    (module) =>
      `import {\n${[...refs.get(module)]
        .sort()
        .map((name) => `  ${name},\n`)
        .join("")}} from "../${module}.js";`,
  );
  return [
    "",
    'import type { OperationMetadata } from "../runtime-types.js";',
    ...runtimeImports,
    ...(hasValidationError ? ['import type { components } from "./schema.js";'] : []),
    "",
    "/** One entry of a 422 response's `detail` list (FastAPI's `ValidationError`). */",
    hasValidationError
      ? 'export type ValidationErrorItem = components["schemas"]["ValidationError"];'
      : "export type ValidationErrorItem = { loc: (string | number)[]; msg: string; type: string; [key: string]: unknown };",
    "",
    ...entries.flatMap((e) => [e, ""]),
    "/** The spec's first server with its variables at their defaults, used when neither `baseUrl` nor TRACES_BASE_URL is set. */",
    `export const defaultBaseUrl: string | undefined = ${JSON.stringify(server.absolute)};`,
    "",
    "/** The path of the spec's first server when it is relative: appended to `baseUrl`. */",
    `export const serverPath: string | undefined = ${JSON.stringify(server.relative)};`,
    "",
  ].join("\n");
}

/** A name imported from the runtime, written into the metadata as code (see `toTs`). */
class RuntimeRef {
  /** @param {string} module the runtime module, e.g. `serialize` @param {string} name its export */
  constructor(module, name) {
    this.module = module;
    this.name = name;
  }
}

/** The runtime's writer of a parameter's location and style (`serialize.ts`). */
function writerOf(p) {
  const style = p.style ?? (p.in === "query" || p.in === "cookie" ? "form" : "simple");
  const name =
    p.in === "path"
      ? { simple: "pathSimple", label: "pathLabel", matrix: "pathMatrix" }[style]
      : p.in === "query"
        ? p.contentType
          ? "queryContent"
          : ({ form: "queryForm", spaceDelimited: "querySpaceDelimited", pipeDelimited: "queryPipeDelimited" }[style] ??
            "queryDeepObject")
        : p.in === "header"
          ? "headerSimple"
          : "cookieForm";
  return new RuntimeRef("serialize", name);
}

/** The types whose checker refuses a `Date` (a string without a date format, numbers, booleans). */
function refusesDate(c) {
  return (c.type === "string" && !c.format) || c.type === "integer" || c.type === "number" || c.type === "boolean";
}

/** Whether a `Date` can pass the parameter's checks and reach its writer, which must then format it. */
function takesDate(p, c) {
  if (p.contentType) return false;
  if (c.type === "array") return !c.items || !refusesDate(c.items);
  return !refusesDate(c);
}

/** Constraints with the runtime's checker of their type attached (`validate.ts`), items included. */
function withCheckers(c) {
  const check = (name) => new RuntimeRef("validate", name);
  const out = { ...c };
  if (c.items) out.items = withCheckers(c.items);
  if (c.type === "string") {
    out.check = check(
      c.format
        ? "checkDate"
        : c.enum || c.minLength !== undefined || c.maxLength !== undefined
          ? "checkString"
          : "checkPlainString",
    );
  } else if (c.type === "integer" || c.type === "number") out.check = check("checkNumber");
  else if (c.type === "boolean") out.check = check("checkBoolean");
  else if (c.type === "array") out.check = check("checkArray");
  else if (c.enum) out.check = check("checkEnum");
  return out;
}

/** JSON media types, as `encodeBody` recognises them: those get the JSON encoder alone. */
const JSON_BODY = /^application\/[^;]*\+json\b|^application\/json\b/;

function operationMetadata(plan, spec) {
  const { op } = plan;
  const success = successResponse(op);
  const bodyType = op.requestBody ? (op.requestBody.contentTypes[0] ?? "application/json") : undefined;
  const meta = {
    name: `${op.resource}.${op.methodName}`,
    operationId: op.operationId,
    method: op.method.toUpperCase(),
    path: op.path,
    idempotent: op.idempotent,
    params: plan.params.map((p) => {
      const c = constraints(p.schema, spec, 0);
      // Left out when the spec states the location's default: the runtime assumes it (OpenAPI 3.1 §4.8.12.4).
      const defaultStyle = p.in === "query" || p.in === "cookie" ? "form" : "simple";
      const style = p.style ?? defaultStyle;
      return compact({
        name: p.name,
        in: p.in,
        required: p.required,
        key: p.key,
        style: style === defaultStyle ? undefined : style,
        explode: p.explode === (style === "form") ? undefined : p.explode,
        allowReserved: p.allowReserved || undefined,
        contentType: p.contentType,
        format: c.format ?? c.items?.format,
        schema: withCheckers(c),
        default: p.schema?.default,
        serialize: writerOf(p),
        text: takesDate(p, c) ? new RuntimeRef("serialize", "formatValue") : undefined,
      });
    }),
    accept: acceptHeader(op),
    body: op.requestBody
      ? compact({
          contentType: bodyType,
          required: op.requestBody.required,
          encoding: encodingMetadata(op.requestBody.encoding),
          encode: new RuntimeRef("serialize", JSON_BODY.test(bodyType.toLowerCase()) ? "encodeJson" : "encodeBody"),
        })
      : undefined,
    response: success?.kind ?? "none",
    pagination: op.pagination ? paginationMetadata(op) : undefined,
  };
  return compact(meta);
}

function encodingMetadata(encoding) {
  if (!encoding || typeof encoding !== "object") return undefined;
  const out = {};
  for (const [name, e] of Object.entries(encoding)) {
    const entry = compact({ contentType: e?.contentType, style: e?.style, explode: e?.explode });
    if (Object.keys(entry).length) out[name] = entry;
  }
  return Object.keys(out).length ? out : undefined;
}

/** `"GET /path"` → metadata, for `client.raw`. */
function rawOperationsModule(plans) {
  const sorted = [...plans].sort((a, b) => a.constName.localeCompare(b.constName));
  return [
    "",
    'import type { OperationMetadata } from "../runtime-types.js";',
    ...(sorted.length
      ? [`import {\n${sorted.map((p) => `  ${p.constName},`).join("\n")}\n} from "./metadata.js";`]
      : []),
    "",
    "/** Every operation by `METHOD /path`, so that `client.raw` sends parameters as the spec declares them. */",
    "export const rawOperations: Readonly<Record<string, OperationMetadata>> = {",
    ...sorted.map((p) => `  ${JSON.stringify(`${p.op.method.toUpperCase()} ${p.op.path}`)}: ${p.constName},`),
    "};",
    "",
  ].join("\n");
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

/** Kept apart from resources.ts so that the public index can re-export that module whole. */
function createResourcesModule(classNames) {
  const resources = [...classNames.keys()];
  return [
    "",
    'import type { TracesCore } from "../core.js";',
    `import { ${[...classNames.values(), "type Resources"].join(", ")} } from "./resources.js";`,
    "",
    "/** Builds every resource on one runtime core. */",
    "export function createResources(core: TracesCore): Resources {",
    "  return {",
    ...resources.map((r) => `    ${propertyKey(r)}: new ${classNames.get(r)}(core),`),
    "  };",
    "}",
    "",
  ].join("\n");
}

/**
 * The operation layer: `functions.ts` with one standalone function per operation (the first
 * argument is the client or a core), and `resources.ts` with one class per tag whose methods call
 * them. Generated code uses `$`-prefixed names for its own values, which no parameter identifier
 * can take (identifiers made from parameter names hold only letters, digits and `_`).
 */
function operationLayer(plans, spec, names, models, classNames) {
  const usedAliases = new Set();
  let usesReadable = false;
  let usesWritable = false;
  const keyOf = (schema) => {
    const ref = schema && Object.keys(schema).length === 1 ? schema.$ref : undefined;
    const match = typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref) : null;
    return match ? decodeURIComponent(match[1]).replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
  };
  /** The named type of a plain `$ref` to a component schema (its request view when `input`). */
  const named = (schema, input) => {
    const key = keyOf(schema);
    if (key === undefined) return undefined;
    const alias = input && models.inputAliases.has(key) ? models.inputAliases.get(key) : models.aliasOf.get(key);
    if (alias) usedAliases.add(alias);
    return alias;
  };
  const byResource = new Map();
  for (const plan of plans) byResource.set(plan.op.resource, [...(byResource.get(plan.op.resource) ?? []), plan]);
  const resources = [...byResource.keys()].sort();
  for (const r of resources) classNames.set(r, names.take(`${pascal(r)}Resource`));

  const typeBlocks = [];
  const functionBlocks = [];
  const classBlocks = [];
  const consts = [];
  let usesPaginate = false;
  let usesDateInputs = false;
  let usesPrefix = false;
  for (const resource of resources) {
    const methods = [];
    for (const plan of byResource.get(resource)) {
      const { op } = plan;
      consts.push(plan.constName);
      const opType = `paths[${JSON.stringify(op.path)}][${JSON.stringify(op.method)}]`;
      const pathParams = plan.params.filter((p) => p.in === "path");
      pathParams.sort((a, b) => op.path.indexOf(`{${a.name}}`) - op.path.indexOf(`{${b.name}}`));
      const otherParams = plan.params.filter((p) => p.in !== "path");
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
          : c.type === "string" && !c.format
            ? "string"
            : c.type === "integer" || c.type === "number"
              ? "number"
              : undefined;
        const type = simple ?? `${opType}["parameters"]["path"][${JSON.stringify(p.name)}]`;
        args.push({ name: id, type, required: true, doc: p.description });
        pathEntries.push(`${propertyKey(p.name)}: ${id}`);
      }
      let paramsName;
      let paramsArg;
      if (otherParams.length > 0) {
        const base = `${pascal(op.methodName)}Params`;
        paramsName = names.take(names.has(base) ? `${pascal(op.resource)}${base}` : base);
        const parts = [];
        for (const location of ["query", "header", "cookie"]) {
          if (!otherParams.some((p) => p.in === location)) continue;
          const part = `NonNullable<${opType}["parameters"][${JSON.stringify(location)}]>`;
          if (plan.prefixed.has(location)) {
            usesPrefix = true;
            parts.push(`PrefixKeys<${part}, "${location}.">`);
          } else parts.push(part);
        }
        let type = parts.join(" & ");
        const dates = otherParams.filter((p) => isDateTime(p.schema, spec)).map((p) => JSON.stringify(p.key ?? p.name));
        if (dates.length) {
          usesDateInputs = true;
          type = `DateInputs<${type}, ${dates.join(" | ")}>`;
        }
        const locations = [...new Set(otherParams.map((p) => p.in))].join(", ");
        typeBlocks.push(
          [
            `/** Parameters (${locations}) of \`${op.resource}.${op.methodName}\` (\`${op.method.toUpperCase()} ${escapeComment(op.path)}\`), by their wire names. */`,
            `export type ${paramsName} = AcceptUndefined<${type}>;`,
          ].join("\n"),
        );
        const required = otherParams.some((p) => p.required);
        paramsArg = {
          name: "params",
          type: paramsName,
          required,
          doc: otherParams.some((p) => p.in !== "query")
            ? `Parameters by wire name: ${locations}${required ? "" : " (all optional)"}.`
            : "Query parameters.",
        };
        // Optional header or cookie parameters (no query) come after the body: `method(id, body)` stays short.
        if (!(op.requestBody && !required && otherParams.every((p) => p.in !== "query"))) {
          args.push(paramsArg);
          paramsArg = undefined;
        }
      }
      if (op.requestBody) {
        const contentType = op.requestBody.contentTypes[0] ?? "application/json";
        const marked = hasMarkers(op.requestBody.schema, models.marked);
        let bodyType = named(op.requestBody.schema, true);
        if (!bodyType) {
          bodyType = `NonNullable<${opType}["requestBody"]>["content"][${JSON.stringify(contentType)}]`;
          if (marked) {
            usesWritable = true;
            bodyType = `Writable<${bodyType}>`;
          }
        }
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
      if (paramsArg) args.push(paramsArg);
      args.push({
        name: "options",
        type: "RequestOptions",
        required: false,
        doc: "Per-request options: `signal`, `timeout`, `maxRetries`, `headers`, `middleware`.",
      });
      let trailingOptional = true;
      for (let i = args.length - 1; i >= 0; i--) {
        args[i].optional = trailingOptional && !args[i].required;
        if (args[i].required) trailingOptional = false;
      }
      const signature = args
        .map((a) =>
          a.optional
            ? `${a.name}?: ${a.type}`
            : a.required
              ? `${a.name}: ${a.type}`
              : `${a.name}: ${a.type} | undefined`,
        )
        .join(", ");

      const success = successResponse(op);
      let resultType = "void";
      if (success?.kind === "json" || success?.kind === "text") {
        resultType = named(success.schema, false);
        if (!resultType) {
          resultType = `${opType}["responses"][${JSON.stringify(success.status)}]["content"][${JSON.stringify(success.contentType)}]`;
          if (hasMarkers(success.schema, models.marked)) {
            usesReadable = true;
            resultType = `Readable<${resultType}>`;
          }
        }
      } else if (success?.kind === "raw") resultType = "Response";
      const callArgs = [
        "$core",
        plan.constName,
        pathEntries.length ? `{ ${pathEntries.join(", ")} }` : "{}",
        otherParams.length ? "params" : "undefined",
        op.requestBody ? "body" : "undefined",
        "options",
      ];
      let returnType;
      let fn;
      if (op.pagination && success?.kind === "json") {
        usesPaginate = true;
        const pageSchema = deref(success.schema, spec);
        const itemsSchema = deref(pageSchema?.properties?.[op.pagination.itemsField], spec);
        const itemType =
          named(itemsSchema?.items, false) ??
          `NonNullable<${resultType}[${JSON.stringify(op.pagination.itemsField)}]>[number]`;
        returnType = `PagePromise<${resultType}, ${itemType}>`;
        fn = `$paginate<${resultType}, ${itemType}>`;
      } else {
        returnType = `APIPromise<${resultType}>`;
        fn = `$request<${resultType}>`;
      }
      const doc = [];
      if (op.summary) doc.push(op.summary);
      if (op.description && op.description.trim() !== op.summary?.trim()) {
        if (doc.length) doc.push("");
        doc.push(...op.description.trim().split("\n"));
      }
      if (doc.length) doc.push("");
      doc.push(`\`${op.method.toUpperCase()} ${op.path}\` (operationId \`${op.operationId}\`).`);
      doc.push(
        op.pagination
          ? "Await the result for one page, or iterate it with `for await` for every item of every page; `.withResponse()` adds the Response and request id."
          : "Resolves to the decoded body; `.withResponse()` adds the Response and request id.",
      );
      const docLines = (extra) => [
        "/**",
        ...[...doc, ...extra].map((l) => (l ? ` * ${escapeComment(l)}` : " *")),
        " */",
      ];
      const paramDocs = args.map((a) => `@param ${a.name} ${oneLine(a.doc ?? "")}`.trimEnd());
      const deprecated = op.deprecated ? ["@deprecated The spec marks this operation as deprecated."] : [];
      const fnName = names.take(`${op.resource}${pascal(op.methodName)}`);
      const call = `${fn}(${callArgs.join(", ")})`;
      functionBlocks.push(
        [
          ...docLines(["@param $core The client (or a core from `createTracesCore`).", ...paramDocs, ...deprecated]),
          `export function ${fnName}($core: TracesCore, ${signature}): ${returnType} {`,
          call.length + 9 <= 120
            ? `  return ${call};`
            : `  return ${fn}(\n${callArgs.map((a) => `    ${a},`).join("\n")}\n  );`,
          "}",
        ].join("\n"),
      );
      const argNames = args.map((a) => a.name);
      let head = `  ${op.methodName}(${signature}): ${returnType} {`;
      if (head.length > 120) {
        const list = signature.split(/, (?=\w+\??: )/);
        head = `  ${op.methodName}(\n${list.map((a) => `    ${a},`).join("\n")}\n  ): ${returnType} {`;
      }
      methods.push(
        [
          ...docLines([...paramDocs, ...deprecated]).map((l) => `  ${l}`),
          head,
          `    return ${fnName}(this.#core, ${argNames.join(", ")});`,
          "  }",
        ].join("\n"),
      );
      plan.functionName = fnName;
    }
    const tag = (spec.tags ?? []).find((t) => t.name === byResource.get(resource)[0].op.tag);
    const about = firstSentence(tag?.description) ?? `Operations tagged \`${byResource.get(resource)[0].op.tag}\`.`;
    classBlocks.push(
      [
        `/** ${escapeComment(about)} */`,
        `export class ${classNames.get(resource)} {`,
        "  readonly #core: TracesCore;",
        "",
        "  /** Created by `createTracesClient`; not meant to be constructed directly. */",
        "  constructor(core: TracesCore) {",
        "    this.#core = core;",
        "    bindMethods(this);",
        "  }",
        "",
        methods.join("\n\n"),
        "}",
      ].join("\n"),
    );
  }
  const runtimeTypes = [
    "RequestOptions",
    ...(otherParamsUsed(plans) ? ["AcceptUndefined"] : []),
    ...(usesDateInputs ? ["DateInputs"] : []),
    ...(usesPrefix ? ["PrefixKeys"] : []),
  ];
  const schemaImports = ["paths", ...(usesReadable ? ["Readable"] : []), ...(usesWritable ? ["Writable"] : [])];
  const typeImports = [
    `import type { ${schemaImports.join(", ")} } from "./schema.js";`,
    ...(usedAliases.size ? [`import type { ${[...usedAliases].sort().join(", ")} } from "./types.js";`] : []),
  ];
  const functions = [
    "",
    'import type { APIPromise } from "../api-promise.js";',
    'import { type TracesCore, request as $request } from "../core.js";',
    ...(usesPaginate ? ['import { type PagePromise, paginate as $paginate } from "../pagination.js";'] : []),
    `import type { ${runtimeTypes.sort().join(", ")} } from "../runtime-types.js";`,
    ...(consts.length
      ? [
          `import {\n${[...consts]
            .sort()
            .map((c) => `  ${c},`)
            .join("\n")}\n} from "./metadata.js";`,
        ]
      : []),
    ...typeImports,
    "",
    ...typeBlocks.flatMap((b) => [b, ""]),
    ...functionBlocks.flatMap((b) => [b, ""]),
  ].join("\n");
  const fnNames = plans.map((p) => p.functionName).sort();
  const resourcesText = [
    "",
    'import type { APIPromise } from "../api-promise.js";',
    classBlocks.length
      ? 'import { bindMethods, type TracesCore } from "../core.js";'
      : 'import type { TracesCore } from "../core.js";',
    ...(usesPaginate ? ['import type { PagePromise } from "../pagination.js";'] : []),
    'import type { RequestOptions } from "../runtime-types.js";',
    ...(fnNames.length ? [`import {\n${fnNames.map((f) => `  ${f},`).join("\n")}\n} from "./functions.js";`] : []),
    ...(plans.some((p) => p.params.some((x) => x.in !== "path"))
      ? [
          `import type {\n${collectParamTypes(typeBlocks)
            .map((t) => `  ${t},`)
            .join("\n")}\n} from "./functions.js";`,
        ]
      : []),
    ...typeImports,
    "",
    ...classBlocks.flatMap((b) => [b, ""]),
    "/** Every resource of the API, one property per tag. */",
    "export interface Resources {",
    ...resources.map(
      (r) =>
        `  /** ${escapeComment(`Operations tagged \`${byResource.get(r)[0].op.tag}\`.`)} */\n  readonly ${propertyKey(r)}: ${classNames.get(r)};`,
    ),
    "}",
    "",
  ].join("\n");
  return { functions, resources: resourcesText };
}

function otherParamsUsed(plans) {
  return plans.some((p) => p.params.some((x) => x.in !== "path"));
}

function collectParamTypes(typeBlocks) {
  return typeBlocks
    .map((b) => /export type (\S+) =/.exec(b)?.[1])
    .filter(Boolean)
    .sort();
}

/**
 * The spec's first server with every `{variable}` at its default: `absolute` when that is an
 * http(s) URL, `relative` when it is a path (joined with `baseUrl` at run time).
 */
function defaultServer(spec) {
  const server = spec.servers?.[0];
  if (typeof server?.url !== "string") return { absolute: undefined, relative: undefined };
  const url = server.url.replace(/\{([^}]+)\}/g, (match, name) => {
    const value = server.variables?.[name]?.default;
    return value === undefined ? match : String(value);
  });
  if (url.includes("{")) return { absolute: undefined, relative: undefined };
  if (/^https?:\/\//i.test(url)) return { absolute: url.replace(/\/$/, ""), relative: undefined };
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) return { absolute: undefined, relative: undefined };
  const path = url.replace(/^\.?\/*/, "/").replace(/\/$/, "");
  return { absolute: undefined, relative: path === "" || path === "/" ? undefined : path };
}

/** The response a method resolves to: the first 2xx (or `default`) one. */
function successResponse(op) {
  const ok =
    op.responses.find((r) => /^2(\d\d|XX)$/i.test(r.status)) ?? op.responses.find((r) => r.status === "default");
  if (!ok) return undefined;
  if (!ok.contentType) return { kind: "none", status: statusKey(ok.status) };
  return {
    kind: JSON_TYPE.test(ok.contentType)
      ? "json"
      : /^text\//i.test(ok.contentType) && !/^text\/event-stream/i.test(ok.contentType)
        ? "text"
        : "raw",
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

/**
 * A type name that a declaration may take: reserved words (`import`, `default`, `class`; ECMAScript
 * 2024 §12.7.2) and the names TypeScript keeps for itself (`type`, `infer`, `keyof`...) start with a
 * capital instead (`Import`), which the registry then keeps apart from a schema already named so.
 */
function declarableTypeName(name) {
  return RESERVED.has(name) || TS_TYPE_KEYWORDS.has(name) ? name[0].toUpperCase() + name.slice(1) : name;
}

/** Words TypeScript does not accept as the name of a type alias or interface. */
const TS_TYPE_KEYWORDS = new Set([
  "type",
  "infer",
  "keyof",
  "readonly",
  "unique",
  "is",
  "asserts",
  "satisfies",
  "as",
  "of",
  "declare",
  "namespace",
  "module",
  "abstract",
  "out",
  "accessor",
]);

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

/** A JSON-like value as TypeScript source with unquoted keys where possible, two-space indent. */
function toTs(value, level = 0) {
  if (value instanceof RuntimeRef) return value.name;
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
