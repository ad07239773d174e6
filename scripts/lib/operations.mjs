/**
 * The operation model both generators share: one entry per operation, with the SDK names
 * (resource namespace, method name), parameters with their resolved schemas, responses and
 * pagination. Derived only from the spec; vendor extensions override the derived names.
 */
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
      const tag = op.tags?.[0] ?? "default";
      const security = (op.security ?? spec.security ?? []).flatMap((req) => Object.keys(req));
      /** @type {Operation} */
      const operation = {
        operationId: op.operationId ?? `${method}_${path}`,
        method,
        path,
        tag,
        resource: op["x-sdk-resource"] ?? camelCase(tag),
        methodName:
          op["x-sdk-method-name"] ?? camelCase(stripRouteSuffix(op.operationId ?? `${method} ${path}`, path, method)),
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

/**
 * `get_user_details` / `Rule Results` / `list-things` → `getUserDetails` / `ruleResults` / `listThings`.
 * @param {string} text
 */
export function camelCase(text) {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const joined = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase()))
    .join("");
  const name = joined || "operation";
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** `get_user_details` → `GetUserDetails`. @param {string} text */
export function pascalCase(text) {
  const c = camelCase(text);
  return c[0] === "_" ? c : c[0].toUpperCase() + c.slice(1);
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
