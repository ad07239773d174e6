/**
 * Turns the bundled spec and the shared operation model into the facts the templates print:
 * TypeScript-flavoured types with links, constraints, nullability (3.1 `anyOf` with `null`),
 * defaults, response bodies and the error class each status throws. Everything is computed here
 * and injected into a copy of the spec as `x-docs` vendor extensions, so the mustache templates
 * only lay it out. Each value comes in a markdown form (table-safe) and an HTML form (escaped).
 */

const SCHEMA_REF = "#/components/schemas/";

/** Error class of @traces-sdk/client thrown for each status. */
export function errorClassFor(status) {
  const code = Number(status);
  if (code === 400) return "BadRequestError";
  if (code === 401) return "AuthenticationError";
  if (code === 403) return "PermissionDeniedError";
  if (code === 404) return "NotFoundError";
  if (code === 422) return "UnprocessableEntityError";
  if (code === 429) return "RateLimitError";
  if (code >= 500) return "InternalServerError";
  if (code >= 400) return "APIError";
  return undefined;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text) {
  return String(text ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Text that sits in one markdown table cell: no line breaks, pipes escaped. */
export function mdCell(text) {
  return String(text ?? "")
    .trim()
    .replace(/\r?\n\s*\r?\n/g, "<br>")
    .replace(/\s*\r?\n\s*/g, " ")
    .replaceAll("|", "\\|");
}

/** Inline markdown (code spans, bold, emphasis) as HTML; everything else escaped. */
export function inlineHtml(text) {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=[\s).,;:]|$)/g, "$1<em>$2</em>");
}

/** A description as HTML paragraphs. */
export function blockHtml(text) {
  const paragraphs = String(text ?? "")
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .filter(Boolean);
  return paragraphs.map((p) => `<p>${inlineHtml(p.replace(/\s*\r?\n\s*/g, " "))}</p>`).join("\n");
}

/** Follows local `$ref`s (JSON pointers, RFC 6901) of a node, up to 8 hops; a missing target gives `undefined`. */
export function resolveRef(spec, node) {
  let current = node;
  for (let i = 0; i < 8 && current && typeof current.$ref === "string" && current.$ref.startsWith("#/"); i++) {
    current = current.$ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((n, key) => n?.[key], spec);
  }
  return current;
}

/** `#/components/schemas/Foo` → `Foo`. */
export function refName(ref) {
  return ref.startsWith(SCHEMA_REF)
    ? decodeURIComponent(ref.slice(SCHEMA_REF.length)).replace(/~1/g, "/").replace(/~0/g, "~")
    : undefined;
}

/**
 * A schema name as a file name: letters and digits of any script, `.`, `_` and `-` are kept, path
 * separators and other characters become `_`. Not unique on its own: see `modelFiles`.
 */
export function modelFile(name) {
  const base = String(name)
    .replace(/[^\p{L}\p{M}\p{Nd}._-]/gu, "_")
    .replace(/^\.+/, "_");
  return `${base || "_"}.md`;
}

/**
 * One file per schema name, unique even on case-insensitive file systems: a later name (in the
 * given order) whose file is taken gets `_2`, `_3`, ... before `.md`.
 * @param {string[]} names
 * @returns {Map<string, string>} schema name → file name
 */
export function modelFiles(names) {
  const files = new Map();
  const taken = new Set();
  for (const name of names) {
    const base = modelFile(name).replace(/\.md$/, "");
    let file = `${base}.md`;
    for (let i = 2; taken.has(file.toLowerCase()); i++) file = `${base}_${i}.md`;
    taken.add(file.toLowerCase());
    files.set(name, file);
  }
  return files;
}

/** A name as an HTML id / markdown anchor fragment: letters and digits of any script, `_`, `-`. */
export function slug(text) {
  return String(text)
    .replace(/[^\p{L}\p{M}\p{Nd}_-]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Text as one markdown code span that is safe in a table cell: `|` escaped (GFM unescapes it
 * inside code spans in tables), a fence longer than any run of backticks inside, no line breaks.
 */
export function mdCodeSpan(text) {
  const value = String(text ?? "")
    .replace(/\s*\r?\n\s*/g, " ")
    .replaceAll("|", "\\|");
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
  return `${fence}${pad}${value}${pad}${fence}`;
}

/**
 * Text as inline markdown outside code (a link text, a table cell): one line, with `|` and the
 * characters that would open markup (`\\`, backtick, `*`, `[`, `]`, `<`) escaped.
 */
export function mdInline(text) {
  return String(text ?? "")
    .replace(/\s*\r?\n\s*/g, " ")
    .replace(/([\\`*[\]<|])/g, "\\$1");
}

/** True when a schema admits `null` (3.1 `anyOf`/`oneOf` with `{type: null}`, type arrays, 3.0 `nullable`). */
export function isNullable(schema) {
  if (!schema || typeof schema !== "object") return false;
  if (schema.nullable === true) return true;
  if (schema.type === "null") return true;
  if (Array.isArray(schema.type) && schema.type.includes("null")) return true;
  const variants = schema.anyOf ?? schema.oneOf;
  return Array.isArray(variants) && variants.some((v) => v && (v.type === "null" || v.const === null));
}

/**
 * Creates the renderer for one spec.
 * @param {Record<string, any>} spec bundled OpenAPI document
 */
export function createDocModel(spec) {
  const schemas = spec.components?.schemas ?? {};
  const files = modelFiles(Object.keys(schemas).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  /** The markdown file of a schema, and the same as a link target. */
  const fileOf = (name) => files.get(name) ?? modelFile(name);
  const linkOf = (name) => encodeURIComponent(fileOf(name));

  const deref = (schema, seen = 0) => {
    if (schema && typeof schema.$ref === "string" && seen < 32) {
      const name = refName(schema.$ref);
      const target = name === undefined ? undefined : schemas[name];
      if (target) {
        const { $ref, ...siblings } = schema;
        return deref({ ...target, ...siblings }, seen + 1);
      }
    }
    return schema ?? {};
  };

  /**
   * A type as parts: strings and `{ ref: name }` links. Null variants are left out (they show as
   * "nullable"); TypeScript vocabulary, with JSON-schema formats in parentheses.
   */
  const typeParts = (schema, depth = 0) => {
    if (schema === true || schema === undefined || schema === null) return ["any"];
    if (schema === false) return ["never"];
    if (typeof schema !== "object") return ["any"];
    if (depth > 6) return ["object"];
    if (typeof schema.$ref === "string") {
      const name = refName(schema.$ref);
      return name && schemas[name] ? [{ ref: name }] : ["any"];
    }
    if (schema.const !== undefined) return [JSON.stringify(schema.const)];
    if (Array.isArray(schema.enum)) {
      const values = schema.enum.filter((v) => v !== null).map((v) => JSON.stringify(v));
      return [values.join(" | ") || "null"];
    }
    const variants = schema.anyOf ?? schema.oneOf;
    if (Array.isArray(variants)) {
      const kept = variants.filter((v) => !(v && (v.type === "null" || v.const === null)));
      if (kept.length === 0) return ["null"];
      return joinParts(
        kept.map((v) => typeParts(v, depth + 1)),
        " | ",
      );
    }
    if (Array.isArray(schema.allOf)) {
      if (schema.allOf.length === 1) return typeParts(schema.allOf[0], depth + 1);
      return joinParts(
        schema.allOf.map((v) => typeParts(v, depth + 1)),
        " & ",
      );
    }
    const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== "null") : [schema.type];
    if (types.length > 1) {
      return joinParts(
        types.map((t) => typeParts({ ...schema, type: t }, depth + 1)),
        " | ",
      );
    }
    const [type] = types;
    switch (type) {
      case "string":
        return [schema.format ? `string (${schema.format})` : "string"];
      case "integer":
        return [schema.format ? `integer (${schema.format})` : "integer"];
      case "number":
        return [schema.format ? `number (${schema.format})` : "number"];
      case "boolean":
        return ["boolean"];
      case "null":
        return ["null"];
      case "array": {
        if (Array.isArray(schema.prefixItems)) {
          return [
            "[",
            ...joinParts(
              schema.prefixItems.map((v) => typeParts(v, depth + 1)),
              ", ",
            ),
            "]",
          ];
        }
        const inner = typeParts(schema.items, depth + 1);
        const simple = inner.length === 1 && (typeof inner[0] === "object" || !/[ |&(]/.test(inner[0]));
        return simple ? [...inner, "[]"] : ["Array<", ...inner, ">"];
      }
      default: {
        if (schema.properties && Object.keys(schema.properties).length > 0) return ["object"];
        const ap = schema.additionalProperties;
        if (ap && typeof ap === "object") return ["Record<string, ", ...typeParts(ap, depth + 1), ">"];
        if (type === "object" || ap === true) return ["Record<string, any>"];
        return ["any"];
      }
    }
  };

  /** Type rendered for markdown (links relative to the page's folder) and HTML (in-page anchors). */
  const renderType = (schema, modelPrefix) => {
    const parts = typeParts(schema);
    const md = parts
      .map((p) => (typeof p === "string" ? mdCode(p) : `[${mdCode(p.ref)}](${modelPrefix}${linkOf(p.ref)})`))
      .join("");
    const html = parts
      .map((p) =>
        typeof p === "string" ? escapeHtml(p) : `<a href="#${escapeHtml(modelAnchor(p.ref))}">${escapeHtml(p.ref)}</a>`,
      )
      .join("");
    const text = parts.map((p) => (typeof p === "string" ? p : p.ref)).join("");
    return { md: `<code>${md}</code>`.replace("<code></code>", ""), html: `<code>${html}</code>`, text };
  };

  /** Constraints of a schema (following `$ref`s and nullable unions) as short phrases. */
  const constraints = (raw) => {
    const out = [];
    let schema = deref(raw);
    const variants = schema.anyOf ?? schema.oneOf;
    if (Array.isArray(variants)) {
      const kept = variants.filter((v) => !(v && (v.type === "null" || v.const === null)));
      if (kept.length === 1)
        schema = {
          ...deref(kept[0]),
          ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "anyOf" && k !== "oneOf")),
        };
    }
    const num = (k, label) => {
      if (typeof schema[k] === "number") out.push(`${label} ${schema[k]}`);
    };
    num("minimum", "minimum");
    num("maximum", "maximum");
    if (typeof schema.exclusiveMinimum === "number") out.push(`> ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number") out.push(`< ${schema.exclusiveMaximum}`);
    num("multipleOf", "multiple of");
    num("minLength", "minLength");
    num("maxLength", "maxLength");
    num("minItems", "minItems");
    num("maxItems", "maxItems");
    num("minProperties", "minProperties");
    num("maxProperties", "maxProperties");
    if (schema.uniqueItems === true) out.push("unique items");
    if (typeof schema.pattern === "string") out.push(`pattern \`${schema.pattern}\``);
    if (Array.isArray(schema.enum)) out.push(`one of ${schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ")}`);
    if (schema.readOnly === true) out.push("read-only");
    if (schema.writeOnly === true) out.push("write-only");
    if (schema.deprecated === true) out.push("deprecated");
    const items = schema.type === "array" ? deref(schema.items) : undefined;
    if (items && Array.isArray(items.enum)) {
      out.push(`items one of ${items.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ")}`);
    }
    return { md: mdCell(out.join(", ")), html: inlineHtml(out.join(", ")), text: out.join(", ") };
  };

  // From the unique file name, so two schemas never share an anchor.
  const modelAnchor = (name) => `model-${slug(fileOf(name).replace(/\.md$/, ""))}`;

  /** Properties of an object schema, with `allOf` parts merged. */
  const collectProperties = (schema, seen = new Set()) => {
    const props = new Map();
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
      const name = part?.$ref ? refName(part.$ref) : undefined;
      if (name && seen.has(name)) continue;
      const inner = collectProperties(deref(part), name ? new Set([...seen, name]) : seen);
      for (const [k, v] of inner.props) props.set(k, v);
      for (const r of inner.required) required.add(r);
    }
    for (const [k, v] of Object.entries(schema.properties ?? {})) props.set(k, v);
    return { props, required };
  };

  /** The `x-docs` extension of one schema. */
  const describeModel = (name) => {
    const schema = schemas[name] ?? {};
    const { props, required } = collectProperties(schema, new Set([name]));
    const properties = [...props].map(([prop, s]) => {
      const propSchema = s ?? {};
      const type = renderType(propSchema, "");
      const c = constraints(propSchema);
      // 3.1 puts a nullable property's description beside `anyOf`; fall back to the variant's own.
      const description =
        propSchema.description ??
        deref((propSchema.anyOf ?? propSchema.oneOf ?? []).find((v) => v && v.type !== "null"))?.description ??
        propSchema.title ??
        "";
      return {
        name: prop,
        nameMd: mdCodeSpan(prop),
        nameHtml: escapeHtml(prop),
        typeMd: type.md,
        typeHtml: type.html,
        required: required.has(prop) ? "yes" : "no",
        nullable: isNullable(propSchema) || isNullable(deref(propSchema)) ? "yes" : "no",
        defaultMd: propSchema.default !== undefined ? `<code>${mdCell(JSON.stringify(propSchema.default))}</code>` : "",
        defaultHtml:
          propSchema.default !== undefined ? `<code>${escapeHtml(JSON.stringify(propSchema.default))}</code>` : "",
        descriptionMd: mdCell(description),
        descriptionHtml: inlineHtml(description),
        constraintsMd: c.md,
        constraintsHtml: c.html,
      };
    });
    const enumValues = Array.isArray(schema.enum)
      ? schema.enum.map((v) => ({ md: `\`${mdCell(JSON.stringify(v))}\``, html: escapeHtml(JSON.stringify(v)) }))
      : [];
    const variants = (schema.oneOf ?? schema.anyOf ?? []).filter((v) => v && v.type !== "null");
    const variantTypes = variants.map((v) => renderType(v, ""));
    const kind =
      enumValues.length > 0 ? "enum" : properties.length > 0 ? "object" : variants.length > 0 ? "union" : "alias";
    const type = renderType(schema, "");
    const c = constraints(schema);
    const description = schema.description ?? schema.title ?? "";
    return {
      name,
      nameMd: mdInline(name),
      nameHtml: escapeHtml(name),
      file: fileOf(name),
      fileLink: linkOf(name),
      anchor: modelAnchor(name),
      kind,
      isEnum: kind === "enum",
      isObject: kind === "object",
      isUnion: kind === "union",
      isAlias: kind === "alias",
      descriptionMd: description.trim(),
      descriptionCellMd: mdCell(description),
      descriptionHtml: blockHtml(description),
      summaryHtml: inlineHtml(description.split(/\n\s*\n/)[0] ?? ""),
      properties,
      hasProperties: properties.length > 0,
      enumValues,
      variants: variantTypes.map((t) => ({ md: t.md, html: t.html })),
      hasDiscriminator: Boolean(schema.discriminator?.propertyName),
      discriminator: schema.discriminator?.propertyName ? `\`${schema.discriminator.propertyName}\`` : "",
      discriminatorHtml: schema.discriminator?.propertyName
        ? `<code>${escapeHtml(schema.discriminator.propertyName)}</code>`
        : "",
      typeMd: type.md,
      typeHtml: type.html,
      constraintsMd: c.md,
      constraintsHtml: c.html,
      hasAdditional: Boolean(
        schema.additionalProperties && typeof schema.additionalProperties === "object" && properties.length > 0,
      ),
      hasConstraints: c.text !== "",
      additionalMd:
        schema.additionalProperties && typeof schema.additionalProperties === "object" && properties.length > 0
          ? renderType(schema.additionalProperties, "").md
          : "",
      search: `${name} ${description}`.slice(0, 300),
    };
  };

  return { deref, renderType, constraints, describeModel, modelAnchor, typeParts, fileOf };
}

/** Text inside an HTML `<code>` element of a markdown table cell. */
function mdCode(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("|", "\\|")
    .replace(/\s+/g, " ");
}

function joinParts(list, separator) {
  const out = [];
  list.forEach((parts, i) => {
    if (i > 0) out.push(separator);
    const wrap = parts.length === 1 && typeof parts[0] === "string" && / [|&] /.test(parts[0]) && separator === " & ";
    if (wrap) out.push("(", ...parts, ")");
    else out.push(...parts);
  });
  return out;
}
