/**
 * The operation model both generators share: one entry per operation, with the SDK names
 * (resource namespace, method name), parameters with their resolved schemas, responses and
 * pagination. Derived only from the spec; vendor extensions override the derived names.
 */
import { createHash } from "node:crypto";
import { resolvePointer } from "./load-spec.mjs";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** HTTP methods that may be retried safely (RFC 9110 §9.2.2). */
export const IDEMPOTENT_METHODS = new Set(["get", "head", "options", "put", "delete", "trace"]);

/**
 * @typedef {object} Parameter
 * @property {string} name wire name
 * @property {"path"|"query"|"header"|"cookie"} in
 * @property {boolean} required
 * @property {string} [description]
 * @property {Record<string, any>} schema the parameter's schema with a top-level `$ref` resolved (siblings kept)
 * @property {string} [style]
 * @property {boolean} [explode]
 * @property {boolean} [allowReserved]
 * @property {string} [contentType] media type of a parameter declared with `content` instead of `schema`
 * @property {unknown} [example]
 *
 * @typedef {object} Pagination
 * @property {"page"} style page-number pagination
 * @property {string} pageParam query parameter holding the 0-based page number
 * @property {string} pageSizeParam query parameter holding the page size
 * @property {string} itemsField array property of the response body holding the page's items
 * @property {string} [totalField] integer property holding the total across pages
 * @property {number} [firstPage] number of the first page (default 0)
 *
 * @typedef {object} Operation
 * @property {string} operationId
 * @property {string} method lower-case HTTP method
 * @property {string} path
 * @property {string} tag first tag, or "default"
 * @property {string} resource namespace on the client (camelCase tag)
 * @property {string} methodName method name inside the resource
 * @property {string} [summary]
 * @property {string} [description]
 * @property {boolean} deprecated
 * @property {Parameter[]} parameters
 * @property {{ required: boolean, contentTypes: string[], schema?: any, encoding?: Record<string, any> } | undefined} requestBody
 * @property {Array<{ status: string, description: string, contentType?: string, contentTypes: string[], schema?: any }>} responses
 * @property {Pagination | undefined} pagination
 * @property {boolean} idempotent
 * @property {string[]} security names of the security schemes that apply
 */

/**
 * @param {Record<string, any>} spec a bundled OpenAPI 3.x document
 * @returns {Operation[]} sorted by resource, then method name
 */
export function collectOperations(spec) {
  const deref = (node) => {
    let current = node;
    for (let i = 0; i < 32 && current && typeof current.$ref === "string" && current.$ref.startsWith("#/"); i++) {
      const { $ref, ...siblings } = current;
      const target = resolvePointer(spec, $ref);
      // OpenAPI 3.1 keeps siblings beside $ref (a parameter schema's `default`, `description`).
      current = target && typeof target === "object" ? { ...target, ...siblings } : target;
    }
    return current;
  };

  /** @type {Operation[]} */
  const operations = [];
  for (const [path, rawItem] of Object.entries(spec.paths ?? {})) {
    const item = deref(rawItem) ?? {};
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const merged = new Map();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const param = deref(p);
        if (param?.name) merged.set(`${param.in}:${param.name}`, param);
      }
      const parameters = [...merged.values()].map((p) => {
        // A parameter may give a media type (`content`) instead of a schema and style.
        const [contentType] = Object.keys(p.content ?? {});
        const schema = p.schema ?? (contentType ? p.content[contentType]?.schema : undefined);
        return {
          name: p.name,
          in: p.in,
          required: p.in === "path" ? true : Boolean(p.required),
          description: p.description ?? schema?.description,
          schema: deref(schema) ?? {},
          style: p.style,
          explode: p.explode,
          allowReserved: p.allowReserved,
          contentType,
          example: p.example ?? schema?.example,
        };
      });
      const body = deref(op.requestBody);
      const responses = Object.entries(op.responses ?? {})
        .map(([status, raw]) => {
          const r = deref(raw) ?? {};
          const [contentType] = Object.keys(r.content ?? {});
          return {
            status,
            description: r.description ?? "",
            contentType,
            contentTypes: Object.keys(r.content ?? {}),
            schema: contentType ? r.content[contentType].schema : undefined,
          };
        })
        .sort((a, b) => a.status.localeCompare(b.status));
      const tag = typeof op.tags?.[0] === "string" && op.tags[0] !== "" ? op.tags[0] : "default";
      const security = (op.security ?? spec.security ?? []).flatMap((req) => Object.keys(req));
      /** @type {Operation} */
      const operation = {
        operationId: op.operationId ?? `${method}_${path}`,
        method,
        path,
        tag,
        resource: typeof op["x-sdk-resource"] === "string" ? safeName(op["x-sdk-resource"]) : resourceName(tag),
        methodName:
          typeof op["x-sdk-method-name"] === "string"
            ? safeName(op["x-sdk-method-name"])
            : methodNameFor(op.operationId, path, method),
        summary: op.summary,
        description: op.description,
        deprecated: Boolean(op.deprecated),
        parameters,
        requestBody: body
          ? {
              required: Boolean(body.required),
              contentTypes: Object.keys(body.content ?? {}),
              schema: Object.values(body.content ?? {})[0]?.schema,
              encoding: Object.values(body.content ?? {})[0]?.encoding,
            }
          : undefined,
        responses,
        pagination: undefined,
        idempotent: IDEMPOTENT_METHODS.has(method),
        security: [...new Set(security)],
      };
      operation.pagination = detectPagination(op, operation, deref);
      operations.push(operation);
    }
  }
  separateTags(operations, spec);
  disambiguate(operations);
  return operations.sort((a, b) => a.resource.localeCompare(b.resource) || a.methodName.localeCompare(b.methodName));
}

/**
 * FastAPI names operations `<function>_<path with non-word characters as _>_<method>`; the
 * function name is what a person calls the operation.
 * @param {string} operationId
 * @param {string} path
 * @param {string} method
 */
export function stripRouteSuffix(operationId, path, method) {
  const suffix = `${path.replace(/\W/g, "_")}_${method}`;
  if (operationId.endsWith(suffix) && operationId.length > suffix.length) {
    return operationId.slice(0, -suffix.length);
  }
  return operationId;
}

/** A JavaScript IdentifierName (ECMAScript §12.7): Unicode ID_Start, then ID_Continue. */
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/**
 * Names that cannot be a resource or method: class members every object has (`constructor`
 * would become the class's constructor) and the prototype hooks.
 */
const RESERVED_MEMBERS = new Set([
  "constructor",
  "prototype",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "toString",
  "valueOf",
]);

/**
 * `get_user_details` / `Rule Results` / `list-things` / `Пользователи` → `getUserDetails` /
 * `ruleResults` / `listThings` / `пользователи`. Words are runs of Unicode letters, marks and
 * digits (any script: JavaScript identifiers are Unicode); a leading digit gets a `_` prefix.
 * @param {string} text
 * @returns {string} a valid identifier, `operation` when the text has no letter or digit
 */
export function camelCase(text) {
  const words = String(text)
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, "$1 $2")
    .split(/[^\p{L}\p{M}\p{Nd}]+/u)
    .filter((w) => /^[\p{L}\p{Nd}]/u.test(w));
  const joined = words
    .map((w, i) => {
      const [first, ...rest] = [...w];
      const tail = rest.join("").toLowerCase();
      return i === 0 ? `${first.toLowerCase()}${tail}` : `${first.toUpperCase()}${tail}`;
    })
    .join("");
  const name = joined || "operation";
  return /^\p{Nd}/u.test(name) ? `_${name}` : name;
}

/** `get_user_details` → `GetUserDetails`. @param {string} text */
export function pascalCase(text) {
  const c = camelCase(text);
  if (c[0] === "_") return c;
  const [first, ...rest] = [...c];
  return `${first.toUpperCase()}${rest.join("")}`;
}

/**
 * The client namespace of a tag. Tags in any script keep their letters (`Пользователи` →
 * `пользователи`); a tag without letters falls back deterministically: its digits after `tag`
 * (`2024` → `tag2024`), else `tag` and the first 8 hex digits of the tag's SHA-256 (`🚀` →
 * `tag_…`), so the same tag always names the same namespace. `constructor` and the like get a
 * `Resource` suffix.
 * @param {string} tag
 */
export function resourceName(tag) {
  if (/\p{L}/u.test(String(tag))) {
    const name = camelCase(tag);
    return RESERVED_MEMBERS.has(name) ? `${name}Resource` : name;
  }
  const digits = String(tag).replace(/\D/g, "");
  if (digits) return `tag${digits}`;
  return `tag_${createHash("sha256").update(String(tag)).digest("hex").slice(0, 8)}`;
}

/** Method name of an operation: its operationId (FastAPI suffix removed), else method and path. */
function methodNameFor(operationId, path, method) {
  const usable = typeof operationId === "string" && /\p{L}/u.test(operationId);
  const name = usable ? camelCase(stripRouteSuffix(operationId, path, method)) : camelCase(`${method} ${path}`);
  return RESERVED_MEMBERS.has(name) ? `${name}Operation` : name;
}

/** An `x-sdk-*` override as given when it is a usable identifier, else made into one. */
function safeName(text) {
  const name = IDENTIFIER.test(text) ? text : camelCase(text);
  return RESERVED_MEMBERS.has(name) ? `${name}Operation` : name;
}

/**
 * Distinct tags never share a namespace: when two tags derive the same name (`User Accounts`
 * and `user-accounts`), the first in code-point order keeps it and the others get `2`, `3`, ...
 * An explicit `x-sdk-resource` is a deliberate choice and is left as it is; a derived name that
 * meets one moves aside.
 */
function separateTags(operations, spec) {
  const explicit = new Set();
  const derived = new Map();
  for (const op of operations) {
    const raw = spec.paths?.[op.path]?.[op.method];
    if (typeof raw?.["x-sdk-resource"] === "string") explicit.add(op.resource);
    else derived.set(op.tag, op.resource);
  }
  const taken = new Set(explicit);
  const byTag = new Map();
  for (const tag of [...derived.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const base = derived.get(tag);
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
    taken.add(name);
    byTag.set(tag, name);
  }
  for (const op of operations) {
    const raw = spec.paths?.[op.path]?.[op.method];
    if (typeof raw?.["x-sdk-resource"] !== "string") op.resource = byTag.get(op.tag) ?? op.resource;
  }
}

/**
 * Two operations of one resource may strip to the same name (FastAPI apps that mount one
 * function on two routes). Each then gets the path it serves as a qualifier, so every name stays
 * unique and says which route it calls.
 */
function disambiguate(operations) {
  const groups = new Map();
  for (const op of operations) {
    const key = `${op.resource}.${op.methodName}`;
    groups.set(key, [...(groups.get(key) ?? []), op]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const op of group) {
      const words = op.path
        .split("/")
        .filter((s) => s && !s.startsWith("{"))
        .join(" ");
      op.methodName = `${op.methodName}Via${pascalCase(words)}`;
    }
  }
  const taken = new Set();
  for (const op of operations.sort((a, b) => a.operationId.localeCompare(b.operationId))) {
    let name = op.methodName;
    for (let i = 2; taken.has(`${op.resource}.${name}`); i++) name = `${op.methodName}${i}`;
    op.methodName = name;
    taken.add(`${op.resource}.${name}`);
  }
}

/**
 * Page-number pagination is recognised from a `page` and a `page_size` query parameter plus a 200
 * body with exactly one array property (the items) and an integer total (`count`, `total`,
 * `total_count`). `x-pagination: false` turns it off; an `x-pagination` object sets it explicitly.
 * @returns {Pagination | undefined}
 */
function detectPagination(rawOp, op, deref) {
  const ext = rawOp["x-pagination"];
  if (ext === false) return undefined;
  if (ext && typeof ext === "object") {
    return { style: "page", firstPage: 0, ...ext };
  }
  const query = new Set(op.parameters.filter((p) => p.in === "query").map((p) => p.name));
  const pageParam = ["page", "page_number"].find((n) => query.has(n));
  const pageSizeParam = ["page_size", "per_page", "limit"].find((n) => query.has(n));
  if (!pageParam || !pageSizeParam) return undefined;
  const ok = op.responses.find((r) => r.status === "200");
  const body = deref(ok?.schema);
  const properties = body?.properties ?? {};
  const arrays = Object.entries(properties).filter(([, s]) => deref(s)?.type === "array");
  const totalField = ["count", "total", "total_count"].find((n) => {
    const t = deref(properties[n])?.type;
    return t === "integer" || t === "number";
  });
  if (arrays.length !== 1) return undefined;
  return { style: "page", pageParam, pageSizeParam, itemsField: arrays[0][0], totalField, firstPage: 0 };
}
