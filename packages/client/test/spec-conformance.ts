/**
 * Checks HTTP responses against spec/openapi.yaml with a strict JSON Schema 2020-12 validator
 * (Ajv 2020 in strict mode, with ajv-formats, so `format: date-time` and friends are enforced):
 * the status must be documented for the operation, the content type must be the documented one,
 * and the body must validate against that response's schema.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

// ajv-formats is CommonJS: its default export arrives as the module object under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;

/** spec/openapi.yaml, parsed. */
export const specPath = join(dirname(fileURLToPath(import.meta.url)), "../../../spec/openapi.yaml");

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked generically.
type Json = any;

const SPEC_ID = "urn:traces-sdk:spec";

/** A response as a client would see it. */
export interface ObservedResponse {
  method: string;
  /** The request path as sent (percent-encoded), without the query. */
  path: string;
  status: number;
  contentType?: string | undefined;
  body: unknown;
}

/** Validates responses against one OpenAPI document. */
export class SpecConformance {
  readonly spec: Json;
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  /** Loads the document at `path` (default spec/openapi.yaml). */
  constructor(path: string = specPath) {
    this.spec = parse(readFileSync(path, "utf8"));
    this.ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(this.ajv);
    // OpenAPI 3.1's base vocabulary adds these keywords to JSON Schema.
    this.ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);
    this.ajv.addSchema({ $id: SPEC_ID, $defs: rewriteRefs(this.spec.components?.schemas ?? {}) });
  }

  /** The operation's path template that `path` (percent-encoded, as sent) matches, if any. */
  template(path: string): string | undefined {
    return Object.keys(this.spec.paths ?? {}).find((t) =>
      new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}$`).test(path),
    );
  }

  /** The problems of one response; empty when it conforms. */
  check(response: ObservedResponse): string[] {
    const where = `${response.method} ${response.path} -> ${response.status}`;
    const template = this.template(response.path);
    const operation = template ? this.spec.paths[template]?.[response.method.toLowerCase()] : undefined;
    if (!template || !operation) return [`${where}: no operation in the spec matches`];
    const declared = operation.responses?.[String(response.status)] ?? operation.responses?.default;
    if (!declared) {
      return [
        `${where}: status ${response.status} is not documented (documented: ${Object.keys(operation.responses ?? {}).join(", ")})`,
      ];
    }
    const resolved = this.resolve(declared);
    const content = resolved.content ?? {};
    const type = (response.contentType ?? "").split(";")[0]?.trim() ?? "";
    const media = content[type];
    if (!media) return [`${where}: content type ${JSON.stringify(type)} is not documented (${Object.keys(content)})`];
    if (!media.schema) return [];
    const validate = this.validator(`${template} ${response.method} ${response.status} ${type}`, media.schema);
    if (validate(response.body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}: body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
    );
  }

  /** Compiles (once) a schema of the spec, with `$ref`s into the document's components. */
  validator(key: string, schema: Json): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema));
      this.cache.set(key, validate);
    }
    return validate;
  }

  /** Every (operation, status, media example) the spec itself gives, for checking the examples. */
  examples(): Array<{ where: string; schema: Json; value: unknown }> {
    const out: Array<{ where: string; schema: Json; value: unknown }> = [];
    for (const [path, item] of Object.entries<Json>(this.spec.paths ?? {})) {
      for (const [method, op] of Object.entries<Json>(item)) {
        for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
          for (const [type, media] of Object.entries<Json>(this.resolve(response).content ?? {})) {
            const where = `${method.toUpperCase()} ${path} ${status} ${type}`;
            if (media.example !== undefined) out.push({ where, schema: media.schema, value: media.example });
            for (const [name, example] of Object.entries<Json>(media.examples ?? {})) {
              out.push({ where: `${where} (${name})`, schema: media.schema, value: this.resolve(example).value });
            }
          }
        }
      }
    }
    return out;
  }

  private resolve(node: Json): Json {
    let current = node;
    while (current && typeof current.$ref === "string") {
      current = (current.$ref as string)
        .slice(2)
        .split("/")
        .reduce((at: Json, key: string) => at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], this.spec);
    }
    return current;
  }
}

/** A deep copy with `#/components/schemas/X` references pointing into the registered `$defs`. */
function rewriteRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")
        ? `${SPEC_ID}#/$defs/${value.slice("#/components/schemas/".length)}`
        : rewriteRefs(value);
  }
  return out;
}
