/**
 * Reads, validates and bundles an OpenAPI document. Every problem is reported with the file, the
 * line and column, the JSON pointer and what is wrong; nothing here writes to disk.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import {
  BaseResolver,
  bundleDocument,
  createConfig,
  getLineColLocation,
  lintDocument,
  makeDocumentFromString,
} from "@redocly/openapi-core";
import { SpecError, UsageError } from "./errors.mjs";
import { displayPath } from "./paths.mjs";

/**
 * What `pnpm generate` checks, and how much each rule weighs. Validity decides, not style: a rule
 * is `fatal` when no correct client or docs can be generated from a document that breaks it, and
 * `warning` when the document is known-invalid but the generators can work around it (as
 * openapi-generator's `--skip-validate-spec` does). Style rules (Redocly's `recommended-strict`,
 * spec/redocly.yaml) are for our own spec only and run in `pnpm lint`. Rule names are Redocly's
 * (https://redocly.com/docs/cli/rules/built-in-rules).
 * @type {Record<string, "fatal" | "warning">}
 */
export const VALIDITY_RULES = {
  // The OpenAPI 3.0/3.1 structure: required fields, value types, enumerations (`in`, schema `type`).
  // Some of its findings are workable; see WORKABLE_STRUCT.
  struct: "fatal",
  "no-unresolved-refs": "fatal",
  "operation-operationId-unique": "fatal",
  "path-parameters-defined": "fatal",
  "path-declaration-must-exist": "fatal",
  "path-not-include-query": "fatal",
  "spec-components-invalid-map-name": "warning",
  "operation-parameters-unique": "warning",
  "no-identical-paths": "warning",
  "no-invalid-media-type-examples": "warning",
  "no-invalid-schema-examples": "warning",
  "no-invalid-parameter-examples": "warning",
  "no-example-value-and-externalValue": "warning",
  "no-enum-type-mismatch": "warning",
  "no-undefined-server-variable": "warning",
  "no-server-variables-empty-enum": "warning",
};

/**
 * Findings of the `struct` rule that do not stop generation: properties the version does not
 * define (3.0's `nullable` in a 3.1 document, vendor data without the `x-` prefix), `nullable`
 * without a `type`, and a missing `description` where one is required (responses, ...).
 */
const WORKABLE_STRUCT = [
  /is not expected here/,
  /must be defined when the `nullable` field is used/,
  /The field `description` must be present/,
];

/**
 * Fields that only document: a wrong shape there (an `examples` list instead of a map, 3.0's
 * boolean `exclusiveMinimum` in a 3.1 document, a malformed `license`) is a warning, since
 * neither the client's types nor its requests depend on them.
 */
const DOCUMENTATION_FIELDS = new Set([
  "example",
  "examples",
  "externalDocs",
  "contact",
  "license",
  "xml",
  "exclusiveMinimum",
  "exclusiveMaximum",
]);

/** Sorts fatal problems so that the one a reader must fix first (a missing `$ref` target) leads. */
const PROBLEM_ORDER = ["no-unresolved-refs", "no-ref-cycles"];

/**
 * @typedef {object} LoadedSpec
 * @property {Record<string, any>} spec the bundled document: one object, internal `$ref`s only
 * @property {string} file the path as the user gave it
 * @property {string} absolutePath
 * @property {string} text the file's bytes as read
 * @property {string[]} warnings problems that did not stop generation, one line each (summarised per rule)
 */

/**
 * Reads and checks one document. Throws a UsageError when the file is missing or a folder, a
 * SpecError listing every fatal problem (`file:line:col (#/pointer): message [rule]`, unresolved
 * `$ref`s first) when no correct output can be generated from it.
 * @param {string} file path of a YAML or JSON OpenAPI 3.0/3.1 document
 * @param {{ strict?: boolean, alwaysBundle?: boolean }} [options] strict: warnings (known-invalid but
 *   workable parts) fail too; alwaysBundle: run Redocly's bundling step even when the document needs
 *   none (the result is the same; for comparisons)
 * @returns {Promise<LoadedSpec>}
 */
export async function loadSpec(file, { strict = false, alwaysBundle = false } = {}) {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) {
    throw new UsageError(
      `--spec: ${file} is a URL; the pipeline reads files only (so that a build does not depend on the network). Download it first, e.g. \`curl -fLo openapi.yaml '${file}'\`, and pass the file.`,
    );
  }
  const absolutePath = resolve(file);
  const shown = displayPath(file);
  if (!existsSync(absolutePath)) {
    throw new UsageError(
      `--spec: the file ${shown} does not exist. Pass the path of an OpenAPI 3.x YAML or JSON file.`,
    );
  }
  if (statSync(absolutePath).isDirectory()) {
    throw new UsageError(`--spec: ${shown} is a folder. Pass the path of an OpenAPI 3.x YAML or JSON file.`);
  }
  // A byte-order mark (Windows tools write one) is not part of the document (RFC 8259 §8.1 lets a parser ignore it).
  const text = readFileSync(absolutePath, "utf8").replace(/^\uFEFF/, "");
  if (text.trim() === "") {
    throw new SpecError(shown, [
      { location: `${shown}:1:1`, message: "the file is empty; it must hold an OpenAPI 3.x document" },
    ]);
  }

  if (/\.json$/i.test(absolutePath)) {
    // YAML parsers accept JSON with trailing commas and comments; a .json file must be real JSON.
    try {
      JSON.parse(text);
    } catch {
      const index = findJsonErrorIndex(text);
      const what =
        index >= 0 && index < text.length ? `unexpected ${JSON.stringify(text[index])}` : "unexpected end of the file";
      throw new SpecError(shown, [
        { location: jsonErrorLocation(text, index, shown), message: `is not valid JSON: ${what}` },
      ]);
    }
  }

  let document;
  try {
    document = makeDocumentFromString(text, absolutePath);
  } catch (error) {
    const line = error?.line ?? error?.mark?.line;
    const col = error?.col ?? error?.mark?.column;
    const reason = String(error?.originalError?.reason ?? error?.message ?? error).replace(/ in ".*?"/, "");
    throw new SpecError(shown, [
      {
        location: line ? `${shown}:${line}:${col ?? 1}` : shown,
        message: `cannot be parsed as YAML or JSON: ${reason}`,
      },
    ]);
  }
  const root = document.parsed;
  const at = (pointer) => locate(document, pointer, shown);
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    throw new SpecError(shown, [
      {
        location: `${shown}:1:1`,
        message: "the document must be a mapping (an object) with `openapi`, `info` and `paths`",
      },
    ]);
  }
  if (root.swagger !== undefined) {
    throw new SpecError(shown, [
      {
        location: at("#/swagger"),
        message: `Swagger ${root.swagger} is not supported; convert the document to OpenAPI 3.0 or 3.1 first`,
      },
    ]);
  }
  if (typeof root.openapi !== "string" || !/^3\.[01]\.\d+$/.test(root.openapi)) {
    throw new SpecError(shown, [
      {
        location: root.openapi === undefined ? `${shown}:1:1` : at("#/openapi"),
        message: `\`openapi\` must be a 3.0.x or 3.1.x version string, found ${JSON.stringify(root.openapi ?? null)}`,
      },
    ]);
  }

  // Discriminator mapping values that name a schema become references before Redocly sees them, in
  // this document and in every file it brings in (see MappingResolver).
  const entry = { root, file: absolutePath };
  normalizeMappings(root, absolutePath, entry);

  // Redocly's resolver cannot walk a $ref cycle that never reaches a schema; report it first.
  const cycles = findRefCycles(root, at);
  if (cycles.length > 0) throw new SpecError(shown, cycles);

  // Redocly looks property names up in plain objects, so a schema property named like a member of
  // Object.prototype (`constructor`, `valueOf`, ...) crashes it or gets a false error. Such names
  // are masked while Redocly validates and bundles, and restored in what it returns.
  const masked = maskPrototypeNames(root);

  const bundling = { needed: false };
  const config = await validityConfig(document, bundling);
  const externalRefResolver = new MappingResolver(entry);
  const lintProblems = await lintDocument({ document, config: config.styleguide, externalRefResolver });
  const errors = [];
  const warnings = [];
  for (const problem of lintProblems) {
    if (problem.severity === "off" || problem.ruleId === BUNDLE_CHECK) continue;
    // Every mapping value that does not resolve is reported by MAPPING_CHECK, in whichever file.
    if (problem.ruleId === "no-unresolved-refs" && MAPPING_POINTER.test(problem.location?.[0]?.pointer ?? "")) continue;
    if (problem.ruleId === MAPPING_CHECK) problem.ruleId = "no-unresolved-refs";
    if (masked) unmaskProblem(problem);
    const entry = {
      // Line and column cost a scan of the text each (Redocly's getLineColLocation); only the
      // problems that are printed need them, so the location is computed on first read.
      get location() {
        const value = problemLocation(problem, shown);
        Object.defineProperty(this, "location", { value, enumerable: true });
        return value;
      },
      // What the location is made of (file, pointer, key or value): equal keys, equal locations.
      key: problemKey(problem),
      message: problemMessage(problem, root),
      rule: problem.ruleId,
    };
    const workable =
      VALIDITY_RULES[problem.ruleId] === "warning" ||
      (problem.ruleId === "struct" &&
        (WORKABLE_STRUCT.some((re) => re.test(problem.message)) ||
          inDocumentationField(problem.location?.[0]?.pointer ?? "")));
    if (!workable) errors.push(entry);
    else if (strict) {
      entry.message = `${entry.message} (a warning; --strict makes it fail)`;
      errors.push(entry);
    } else warnings.push(entry);
  }
  if (errors.length > 0) {
    const rank = (e) => {
      const i = PROBLEM_ORDER.indexOf(e.rule);
      return i === -1 ? PROBLEM_ORDER.length : i;
    };
    throw new SpecError(
      shown,
      dedupe(errors)
        .sort((a, b) => rank(a) - rank(b))
        .map(({ location, message, rule }) => ({ location, message, rule })),
    );
  }

  let bundled;
  if (bundling.needed || alwaysBundle) {
    const { bundle } = await bundleDocument({
      document,
      config: config.styleguide,
      externalRefResolver,
      dereference: false,
    });
    bundled = bundle.parsed;
  } else {
    // What bundling does to a document it has nothing to bring in (see bundleCheckRule).
    bundled = root;
    bundled.components ??= {};
  }
  if (masked) bundled = unmask(bundled);
  return {
    spec: inlineRefsIntoPaths(bundled),
    file: shown,
    absolutePath,
    text,
    warnings: summarizeWarnings(dedupe(warnings)),
  };
}

/** Appended to masked property names: an invisible separator and a tag no spec uses. */
export const MASK = "\u2063traces-masked";
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype).filter((name) => name !== "__proto__"));

/** `object` with `from` renamed to `to`, keys in their order. */
function renameKeys(object, rename) {
  const entries = Object.entries(object);
  for (const [key] of entries) delete object[key];
  for (const [key, value] of entries) object[rename(key)] = value;
}

/**
 * Masks schema property names that are Object.prototype members, in place: the `properties` keys,
 * the `required` entries and the `discriminator.propertyName` that name them, and `$ref`s through
 * `/properties/<name>`. Returns whether anything was masked.
 */
export function maskPrototypeNames(root) {
  let masked = false;
  const mask = (name) => (PROTOTYPE_NAMES.has(name) ? `${name}${MASK}` : name);
  const seen = new Set();
  const visit = (node) => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const properties = node.properties;
    if (properties && typeof properties === "object" && !Array.isArray(properties)) {
      if (Object.keys(properties).some((key) => PROTOTYPE_NAMES.has(key))) {
        renameKeys(properties, mask);
        masked = true;
      }
      if (Array.isArray(node.required)) node.required = node.required.map((n) => (typeof n === "string" ? mask(n) : n));
      if (typeof node.discriminator?.propertyName === "string")
        node.discriminator.propertyName = mask(node.discriminator.propertyName);
    }
    if (typeof node.$ref === "string" && node.$ref.includes("/properties/")) {
      node.$ref = node.$ref.replace(/\/properties\/([^/]+)/g, (_, name) => `/properties/${mask(name)}`);
    }
    for (const key of Object.keys(node)) visit(node[key]);
  };
  visit(root);
  return masked;
}

/** Removes the mask from every key and string below `node`, in place; returns `node`. */
function unmask(node, seen = new Set()) {
  if (node === null || typeof node !== "object" || seen.has(node)) return node;
  seen.add(node);
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      if (typeof item === "string" && item.includes(MASK)) node[i] = item.replaceAll(MASK, "");
      else unmask(item, seen);
    });
    return node;
  }
  if (Object.keys(node).some((key) => key.includes(MASK))) renameKeys(node, (key) => key.replaceAll(MASK, ""));
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (typeof value === "string" && value.includes(MASK)) node[key] = value.replaceAll(MASK, "");
    else unmask(value, seen);
  }
  return node;
}

/** A Redocly problem as it would read without the mask. */
function unmaskProblem(problem) {
  problem.message = problem.message.replaceAll(MASK, "");
  for (const location of problem.location ?? []) {
    if (typeof location.pointer === "string") location.pointer = location.pointer.replaceAll(MASK, "");
  }
}

/**
 * Redocly configured with VALIDITY_RULES only: every rule reports, the weight is ours. Plus
 * {@link bundleCheckRule}, which sets `bundling.needed` during the same walk.
 */
function validityConfig(document, bundling) {
  const [plugin, rule] = BUNDLE_CHECK.split("/");
  return createConfig({
    plugins: [
      {
        id: plugin,
        rules: {
          oas3: {
            [rule]: () => bundleCheckRule(document, bundling),
            [MAPPING_CHECK.split("/")[1]]: mappingCheckRule,
          },
        },
      },
    ],
    rules: {
      ...Object.fromEntries(Object.keys(VALIDITY_RULES).map((rule) => [rule, "error"])),
      [BUNDLE_CHECK]: "warn",
      [MAPPING_CHECK]: "error",
    },
  });
}

/**
 * Reports every discriminator `mapping` value that does not resolve, as `no-unresolved-refs`.
 * Redocly's own check stops at the first value that resolves, so a later one went unreported.
 */
const MAPPING_CHECK = "traces/mapping-resolves";

/** The pointer of a discriminator mapping value. */
const MAPPING_POINTER = /\/discriminator\/mapping\/[^/]+$/;

function mappingCheckRule() {
  return {
    DiscriminatorMapping(mapping, ctx) {
      for (const key of Object.keys(mapping ?? {})) {
        const resolved = ctx.resolve({ $ref: mapping[key] });
        if (resolved.node === undefined)
          ctx.report({
            message: `discriminator mapping value ${JSON.stringify(mapping[key])} is neither the name of a schema under components/schemas nor a reference to a file or location that exists`,
            location: ctx.location.child(key),
          });
      }
    },
  };
}

/** The rule that tells whether the document needs Redocly's bundling step (it reports nothing). */
const BUNDLE_CHECK = "traces/bundle-needed";

/**
 * A visitor for the validation walk that finds what Redocly's bundler would change in the
 * document (@redocly/openapi-core lib/bundle.js, makeBundleVisitor, with `dereference: false`):
 * a `$ref` to another file or a `$ref` where a plain value belongs (it is replaced by its
 * target), an example's `externalValue` without a `value` (read in), a discriminator `mapping`
 * value that is not already the reference it is rewritten to. Without any of these, bundling only adds an empty
 * `components` object, and its second walk over the document (a third of validation's time on a
 * large spec) is skipped.
 */
function bundleCheckRule(document, bundling) {
  return {
    ref: {
      leave(_node, ctx, resolved) {
        if (!resolved.location || resolved.node === undefined) return; // unresolved: reported as fatal
        const local = resolved.location.source === document.source && ctx.location.source === document.source;
        if (!local || ctx.type.name === "scalar") bundling.needed = true;
      },
    },
    Example: {
      leave(node) {
        if (node && node.externalValue !== undefined && node.value === undefined) bundling.needed = true;
      },
    },
    DiscriminatorMapping: {
      leave(mapping, ctx) {
        // The bundler rewrites each value as a reference to the component it resolves to, and
        // stops at the first one that does not resolve. A value that already is that reference,
        // to a key that needs no escaping, comes out unchanged.
        for (const value of Object.values(mapping ?? {})) {
          const resolved = ctx.resolve({ $ref: value });
          if (!resolved.location || resolved.node === undefined) return;
          const same =
            typeof value === "string" &&
            /^#\/components\/schemas\/[A-Za-z0-9._-]+$/.test(value) &&
            resolved.location.source === document.source &&
            resolved.location.pointer === value;
          if (!same) bundling.needed = true;
        }
      },
    },
  };
}

/** True when a JSON pointer lies inside a documentation-only field (see DOCUMENTATION_FIELDS). */
function inDocumentationField(pointer) {
  const segments = pointer.replace(/^#\/?/, "").split("/");
  // `properties/example` is a property named "example", not the keyword.
  return segments.some((s, i) => DOCUMENTATION_FIELDS.has(s) && segments[i - 1] !== "properties");
}

/**
 * Redocly's resolver, with every discriminator `mapping` in a file it brings in normalized as it is
 * parsed (see {@link normalizeMappings}): the validation walk and the bundler then see references
 * only.
 */
class MappingResolver extends BaseResolver {
  /** @param {{ root: any, file: string }} entry the entry document (parsed) and its absolute path */
  constructor(entry) {
    super();
    this.entry = entry;
  }

  parseDocument(source, isRoot = false) {
    const document = super.parseDocument(source, isRoot);
    if (document.parsed && typeof document.parsed === "object")
      normalizeMappings(document.parsed, source.absoluteRef, this.entry);
    return document;
  }
}

/** Keys below which values are data, not schemas: a `discriminator` there is not one. */
const DATA_KEYS = new Set(["example", "examples", "default", "enum", "const"]);

/**
 * Rewrites, in place, every discriminator `mapping` value of a parsed file as a reference.
 *
 * A value is a schema name or a reference (OpenAPI 3.0.4 and 3.1.1, Discriminator Object; a value
 * that is both is read as a name, as they recommend). A name is looked up under
 * `components/schemas` of the file that holds the mapping, then of the entry document (which of
 * the two is implementation-defined: OpenAPI 3.1.1, Resolving Implicit Connections), and becomes
 * `#/components/schemas/<name>` or `<path of the entry document>#/components/schemas/<name>`. A
 * relative reference without `/` (`dog.yaml`, which Redocly would take for a name) becomes
 * `./dog.yaml` when that file exists. Anything else stays as written, to be reported unresolved.
 *
 * Redocly's bundler reads every value as a reference and stops at the first that does not
 * resolve, leaving the rest (and the files they name) out of the bundle; openapi-generator and
 * openapi-typescript resolve references only.
 * @param {any} root the file's parsed root
 * @param {string} file the file's absolute path
 * @param {{ root: any, file: string }} entry the entry document (parsed) and its absolute path
 */
function normalizeMappings(root, file, entry) {
  const own = root?.components?.schemas;
  const shared = entry.root?.components?.schemas;
  const has = (schemas, name) => schemas !== null && typeof schemas === "object" && Object.hasOwn(schemas, name);
  const rewrite = (value) => {
    if (typeof value !== "string" || value === "") return value;
    // Redocly decodes a pointer with decodeURIComponent after unescaping `~1` and `~0`.
    const pointer = `#/components/schemas/${escapePointer(value).replaceAll("%", "%25")}`;
    if (has(own, value)) return pointer;
    if (has(shared, value)) return `${file === entry.file ? "" : relativeUrl(file, entry.file)}${pointer}`;
    if (isMappingRef(value)) return value;
    const target = value.split("#")[0];
    if (target !== "" && /\.(ya?ml|json)$/i.test(target) && existsSync(resolve(dirname(file), target)))
      return `./${value}`;
    return value;
  };
  const seen = new Set();
  const visit = (node, depth) => {
    if (!node || typeof node !== "object" || seen.has(node) || depth > 200) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const discriminator = node.discriminator;
    const mapping = discriminator?.mapping;
    if (typeof discriminator?.propertyName === "string" && mapping && typeof mapping === "object") {
      for (const key of Object.keys(mapping)) mapping[key] = rewrite(mapping[key]);
    }
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-") || DATA_KEYS.has(key)) continue;
      visit(value, depth + 1);
    }
  };
  visit(root, 0);
}

/** Redocly's test for a mapping value it resolves as a reference (openapi-core, isMappingRef). */
function isMappingRef(value) {
  return value.startsWith("#") || /^https?:\/\//.test(value) || value.includes("/");
}

/** The relative URL of the file `to`, from the file `from` (`./a.yaml`, `../b/c.yaml`). */
function relativeUrl(from, to) {
  const rel = relative(dirname(from), to).split(sep).join("/");
  return rel.startsWith("../") ? rel : `./${rel}`;
}

/**
 * A `$ref` into another operation (`#/paths/~1pets/post/requestBody/...`) is valid, but the
 * client's types cannot follow it (openapi-typescript indexes optional members and the result does
 * not compile). Each becomes a copy of its target; components stay references. A target that
 * refers back to itself through `#/paths` is left as it is.
 */
function inlineRefsIntoPaths(spec) {
  const isPathRef = (node) =>
    node && typeof node === "object" && typeof node.$ref === "string" && node.$ref.startsWith("#/paths/");
  const visit = (node, depth, chain) => {
    if (!node || typeof node !== "object" || depth > 200) return;
    const entries = Array.isArray(node) ? node.entries() : Object.entries(node);
    for (const [key, child] of entries) {
      if (typeof key === "string" && key.startsWith("x-")) continue;
      if (isPathRef(child) && !chain.includes(child.$ref)) {
        const target = resolvePointer(spec, child.$ref);
        if (target && typeof target === "object" && !Array.isArray(target)) {
          const { $ref, ...siblings } = child;
          const copy = { ...structuredClone(target), ...siblings };
          node[key] = copy;
          visit(copy, depth + 1, [...chain, $ref]);
          continue;
        }
      }
      visit(child, depth + 1, chain);
    }
  };
  visit(spec, 0, []);
  return spec;
}

/** Redocly's message, with the target of an unresolved `$ref` named. */
function problemMessage(problem, root) {
  if (problem.ruleId !== "no-unresolved-refs" || MAPPING_POINTER.test(problem.location?.[0]?.pointer ?? ""))
    return problem.message;
  const node = resolvePointer(root, problem.location?.[0]?.pointer ?? "#");
  const target = typeof node === "string" ? node : node?.$ref;
  return typeof target === "string"
    ? `Can't resolve $ref ${JSON.stringify(target)}: no such ${target.startsWith("#") ? "location in this document" : "file or location"}`
    : problem.message;
}

/** `file:line:col` of a character index. */
function jsonErrorLocation(text, index, shown) {
  if (index < 0) return shown;
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  const col = before.length - before.lastIndexOf("\n");
  return `${shown}:${line}:${col}`;
}

/** Walks JSON text (Node 20's JSON.parse does not always report a position) and returns the index of the first character that breaks the grammar (-1 if none). */
function findJsonErrorIndex(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const fail = () => {
    throw i;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const m = text.slice(i).match(/^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/);
    if (!m) fail();
    i += m[0].length;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return typeof at === "number" ? at : -1;
  }
}

/** Formats a Redocly problem as `file:line:col (#/pointer)`. */
function problemLocation(problem, shown) {
  const loc = problem.location?.[0];
  if (!loc) return shown;
  try {
    const { start } = getLineColLocation(loc);
    const where = loc.source.absoluteRef === resolve(shown) ? shown : displayPath(loc.source.absoluteRef);
    return `${where}:${start.line}:${start.col} (${loc.pointer})`;
  } catch {
    return `${shown} (${loc.pointer})`;
  }
}

/** The `file:line:col` of a JSON pointer in the document. */
function locate(document, pointer, shown) {
  try {
    const { start } = getLineColLocation({ source: document.source, pointer, reportOnKey: true });
    return `${shown}:${start.line}:${start.col} (${pointer})`;
  } catch {
    return `${shown} (${pointer})`;
  }
}

/**
 * Finds `$ref` chains that only point at each other (A → B → A) inside components: no type can be
 * produced from them. Recursive schemas (a property that refers back to its schema) are fine.
 * Each cycle is one problem, at its member that comes first in the document, naming every member
 * in the order the `$ref`s lead from there; a chain that leads into a cycle is not reported again.
 */
function findRefCycles(root, at) {
  const problems = [];
  /** Pointers of members of cycles already reported. */
  const reported = new Set();
  const components = root.components ?? {};
  for (const [section, entries] of Object.entries(components)) {
    if (!entries || typeof entries !== "object") continue;
    for (const name of Object.keys(entries)) {
      const start = `#/components/${section}/${escapePointer(name)}`;
      if (reported.has(start)) continue;
      const seen = [start];
      let current = start;
      for (;;) {
        const node = resolvePointer(root, current);
        if (!node || typeof node !== "object" || typeof node.$ref !== "string" || !node.$ref.startsWith("#/")) break;
        current = node.$ref;
        if (seen.includes(current)) {
          if (current === start) {
            for (const member of seen) reported.add(member);
            problems.push({
              location: at(start),
              message:
                seen.length === 1
                  ? `circular $ref: ${start} refers to itself and never reaches a schema; replace the $ref with the schema it stands for`
                  : `circular $ref: ${[...seen, current].join(" -> ")} never reaches a schema; replace one of these ${seen.length} $refs with the schema it stands for`,
              rule: "no-ref-cycles",
            });
          }
          break;
        }
        seen.push(current);
      }
    }
  }
  return problems;
}

function escapePointer(segment) {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** @param {any} root @param {string} ref a local `#/...` pointer */
export function resolvePointer(root, ref) {
  let node = root;
  if (ref === "#" || ref === "#/") return node;
  for (const raw of ref.slice(2).split("/")) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

/** What a Redocly problem's printed location depends on: the file, the pointer, key or value. */
function problemKey(problem) {
  const loc = problem.location?.[0];
  return loc ? `${loc.source?.absoluteRef}|${loc.pointer}|${Boolean(loc.reportOnKey)}` : "";
}

/** Drops repeated problems (same place, same message). */
function dedupe(entries) {
  const seen = new Set();
  return entries.filter((e) => {
    const key = `${e.key ?? e.location}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Keeps warning output readable on large specs: the first few of each rule, then a count. */
function summarizeWarnings(warnings) {
  const byRule = new Map();
  for (const w of warnings) {
    const list = byRule.get(w.rule) ?? [];
    list.push(w);
    byRule.set(w.rule, list);
  }
  const lines = [];
  for (const [rule, list] of byRule) {
    for (const w of list.slice(0, 3)) lines.push(`${w.location}: ${w.message} [${rule}]`);
    if (list.length > 3) lines.push(`... and ${list.length - 3} more [${rule}]`);
  }
  return lines;
}
