/**
 * curl examples: the same request as an operation's TypeScript example, written for a POSIX shell.
 * Parameters are serialized as the spec says (OpenAPI 3.x `style`/`explode`, defaults per `in`:
 * query and cookie `form` + explode, path and header `simple`), values percent-encoded per
 * RFC 3986 (everything but unreserved characters), the base URL taken from `$TRACES_BASE_URL`
 * with the spec's first server as the fallback, and the key from `$TRACES_API_KEY`.
 */

/** Percent-encodes everything but RFC 3986 unreserved characters (ALPHA / DIGIT / "-" / "." / "_" / "~"). */
export function percentEncode(value) {
  return encodeURIComponent(String(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Percent-encodes all but RFC 3986's unreserved and reserved characters (`allowReserved: true`);
 * `#` (it would end the URL) and `!` (history expansion in an interactive shell) stay encoded.
 */
export function reservedEncode(value) {
  return encodeURI(String(value)).replace(/[#!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A value as the text OpenAPI serializes for a primitive (numbers, booleans, strings as is). */
function scalar(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * One query (or cookie) parameter as `key=value` pairs, already percent-encoded.
 * @param {string} name
 * @param {unknown} value
 * @param {{ style?: string, explode?: boolean, allowReserved?: boolean, contentType?: string }} param
 * @returns {string[]}
 */
export function queryPairs(name, value, { style = "form", explode, allowReserved = false, contentType } = {}) {
  if (value === undefined || value === null) return [];
  const key = percentEncode(name);
  // A parameter declared with `content` is sent as that media type's text (JSON).
  if (contentType !== undefined) {
    return [`${key}=${percentEncode(typeof value === "string" ? value : JSON.stringify(value))}`];
  }
  const exploded = explode ?? style === "form";
  const encode = allowReserved ? reservedEncode : percentEncode;
  if (Array.isArray(value)) {
    const items = value.map((v) => encode(scalar(v)));
    if (style === "spaceDelimited") return [`${key}=${items.join("%20")}`];
    if (style === "pipeDelimited") return [`${key}=${items.join("%7C")}`];
    return exploded ? items.map((v) => `${key}=${v}`) : [`${key}=${items.join(",")}`];
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    if (style === "deepObject") {
      return entries.map(([k, v]) => `${key}${percentEncode(`[${k}]`)}=${encode(scalar(v))}`);
    }
    return exploded
      ? entries.map(([k, v]) => `${percentEncode(k)}=${encode(scalar(v))}`)
      : [`${key}=${entries.flatMap(([k, v]) => [percentEncode(k), encode(scalar(v))]).join(",")}`];
  }
  return [`${key}=${encode(scalar(value))}`];
}

/**
 * A path parameter's value as it goes into the path (`simple`, `label` or `matrix` style).
 * @param {string} name
 * @param {unknown} value
 * @param {{ style?: string, explode?: boolean }} param
 */
export function pathValue(name, value, { style = "simple", explode = false } = {}) {
  const list = Array.isArray(value)
    ? value.map((v) => percentEncode(scalar(v)))
    : value && typeof value === "object"
      ? null
      : [percentEncode(scalar(value))];
  const entries = value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
  const pairs = (sep, join) =>
    entries.map(([k, v]) => `${percentEncode(k)}${sep}${percentEncode(scalar(v))}`).join(join);
  const flat = () => entries.flatMap(([k, v]) => [percentEncode(k), percentEncode(scalar(v))]).join(",");
  if (style === "label") {
    if (list) return `.${list.join(explode ? "." : ",")}`;
    return `.${explode ? pairs("=", ".") : flat()}`;
  }
  if (style === "matrix") {
    const key = percentEncode(name);
    if (list && Array.isArray(value))
      return explode ? list.map((v) => `;${key}=${v}`).join("") : `;${key}=${list.join(",")}`;
    if (list) return `;${key}=${list[0]}`;
    return explode ? `;${pairs("=", ";")}` : `;${key}=${flat()}`;
  }
  if (list) return list.join(",");
  return explode ? pairs("=", ",") : flat();
}

/**
 * A header parameter's value (`simple` style; not percent-encoded).
 * @param {unknown} value
 * @param {{ explode?: boolean, contentType?: string }} [param]
 */
export function headerValue(value, { explode = false, contentType } = {}) {
  if (contentType !== undefined) return typeof value === "string" ? value : JSON.stringify(value);
  if (Array.isArray(value)) return value.map(scalar).join(",");
  if (value && typeof value === "object") {
    return Object.entries(value)
      .map(([k, v]) => (explode ? `${k}=${scalar(v)}` : `${k},${scalar(v)}`))
      .join(",");
  }
  return scalar(value);
}

/** Text inside double quotes in a POSIX shell: `\`, `"`, `$` and backquote escaped. */
export function shellDouble(text) {
  return String(text).replace(/[\\"$`]/g, (c) => `\\${c}`);
}

/** Text as one single-quoted POSIX shell word. */
export function shellSingle(text) {
  return `'${String(text).replaceAll("'", `'\\''`)}'`;
}

/** The base URL of the first server, its `{variables}` replaced by their defaults. */
export function defaultBaseUrl(spec) {
  const server = spec.servers?.[0];
  if (!server?.url) return "http://localhost";
  return server.url
    .replace(/\{([^}]+)\}/g, (whole, name) => {
      const dflt = server.variables?.[name]?.default;
      return dflt === undefined ? whole : String(dflt);
    })
    .replace(/\/+$/, "");
}

/**
 * The curl command of one operation.
 * @param {object} args
 * @param {import("../../../scripts/lib/operations.mjs").Operation} args.op
 * @param {Map<any, unknown>} args.values sample value of each parameter (the TypeScript example's)
 * @param {(p: any) => boolean} args.shown which optional parameters the TypeScript example sets
 * @param {unknown} args.body sample request body
 * @param {string} args.baseUrl fallback base URL
 * @param {Record<string, any>} args.schemes the spec's security schemes
 * @param {(schema: any) => any} args.deref
 */
export function curlExample({ op, values, shown, body, baseUrl, schemes, deref }) {
  let path = op.path;
  for (const p of op.parameters.filter((x) => x.in === "path")) {
    path = path.replaceAll(`{${p.name}}`, pathValue(p.name, values.get(p), p));
  }
  const query = op.parameters
    .filter((p) => p.in === "query" && (p.required || shown(p)))
    .flatMap((p) => queryPairs(p.name, values.get(p), p));
  const url = `${path}${query.length ? `?${query.join("&")}` : ""}`;
  const method = op.method.toUpperCase();
  const lines = [];
  const globs = /[[\]{}]/.test(baseUrl) || /[[\]{}]/.test(url);
  lines.push(`curl${method === "GET" ? "" : ` --request ${method}`}${globs ? " --globoff" : ""}`);
  lines.push(`"\${TRACES_BASE_URL:-${shellDouble(baseUrl).replaceAll("}", "\\}")}}${shellDouble(url)}"`);

  // The operation's scheme; where the spec declares none for it, the API's first scheme, else a
  // bearer token: the client sends its apiKey on every request, so the example does too.
  const declared = op.security.map((name) => schemes[name]).filter(Boolean);
  const fallback = Object.values(schemes)[0] ?? { type: "http", scheme: "bearer" };
  for (const s of declared.length > 0 ? declared : [fallback]) {
    if (s.type === "http" && String(s.scheme).toLowerCase() === "bearer") {
      lines.push(`--header "Authorization: Bearer $TRACES_API_KEY"`);
    } else if (s.type === "http" && String(s.scheme).toLowerCase() === "basic") {
      lines.push(`--user "$TRACES_USERNAME:$TRACES_PASSWORD"`);
    } else if (s.type === "apiKey" && s.in === "header") {
      lines.push(`--header "${shellDouble(s.name)}: $TRACES_API_KEY"`);
    } else if (s.type === "apiKey" && s.in === "cookie") {
      lines.push(`--cookie "${shellDouble(s.name)}=$TRACES_API_KEY"`);
    } else if (s.type === "oauth2" || s.type === "openIdConnect") {
      lines.push(`--header "Authorization: Bearer $TRACES_API_KEY"`);
    }
    break; // one scheme is enough, as the client sends one
  }
  const success = op.responses.find((r) => /^2/.test(r.status) && r.contentType);
  if (success && /json/.test(success.contentType)) lines.push(`--header "Accept: application/json"`);
  for (const p of op.parameters.filter((x) => x.in === "header" && (x.required || shown(x)))) {
    lines.push(`--header "${shellDouble(p.name)}: ${shellDouble(headerValue(values.get(p), p))}"`);
  }
  const cookies = op.parameters
    .filter((x) => x.in === "cookie" && (x.required || shown(x)))
    .flatMap((p) => queryPairs(p.name, values.get(p), p));
  if (cookies.length) lines.push(`--cookie "${shellDouble(cookies.join("; "))}"`);

  if (op.requestBody) {
    const type = op.requestBody.contentTypes[0] ?? "application/json";
    if (/json/.test(type)) {
      lines.push(`--header "Content-Type: ${shellDouble(type)}"`);
      lines.push(`--data ${shellSingle(JSON.stringify(body ?? null, null, 2))}`);
    } else if (/multipart\/form-data/.test(type)) {
      const schema = deref(op.requestBody.schema ?? {});
      for (const [k, v] of Object.entries(body && typeof body === "object" ? body : {})) {
        const prop = deref(schema.properties?.[k] ?? {});
        const file = prop.format === "binary" || prop.contentMediaType !== undefined;
        // --form-string: the value as is (--form would read a leading `@` or `<` as a file).
        lines.push(
          file ? `--form ${shellSingle(`${k}=@./${k}`)}` : `--form-string ${shellSingle(`${k}=${scalar(v)}`)}`,
        );
      }
    } else if (/x-www-form-urlencoded/.test(type)) {
      const pairs = Object.entries(body && typeof body === "object" ? body : {}).map(
        ([k, v]) => `${percentEncode(k)}=${percentEncode(scalar(v))}`,
      );
      lines.push(`--header "Content-Type: ${shellDouble(type)}"`);
      lines.push(`--data ${shellSingle(pairs.join("&"))}`);
    } else {
      lines.push(`--header "Content-Type: ${shellDouble(type)}"`);
      lines.push("--data-binary @./body");
    }
  }
  return lines.join(" \\\n  ");
}
