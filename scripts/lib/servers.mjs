/**
 * Server URLs as the client and the docs use them (OpenAPI 3.x, Server Object): `{variables}`
 * replaced by their `default`, and a relative URL (`/api/v3`) told apart from an absolute one.
 */

/**
 * @typedef {object} ServerInfo
 * @property {string} url the URL as the spec writes it
 * @property {string} resolved `url` with every `{variable}` replaced by its `default` (left as is when it has none)
 * @property {boolean} relative true when `resolved` has no scheme and host: it is joined with `baseUrl`
 * @property {Array<{ name: string, default: string, enum?: string[], description?: string }>} variables
 * @property {string} [description]
 */

/**
 * The spec's servers with their variables resolved to their defaults.
 * @param {Record<string, any>} spec an OpenAPI 3.x document
 * @returns {ServerInfo[]} in the spec's order; empty when it declares none
 */
export function describeServers(spec) {
  return (Array.isArray(spec.servers) ? spec.servers : [])
    .filter((s) => s && typeof s.url === "string")
    .map((s) => {
      const variables = Object.entries(s.variables ?? {}).map(([name, v]) => ({
        name,
        default: String(v?.default ?? ""),
        ...(Array.isArray(v?.enum) ? { enum: v.enum.map(String) } : {}),
        ...(typeof v?.description === "string" ? { description: v.description } : {}),
      }));
      const defaults = new Map(variables.map((v) => [v.name, v.default]));
      const resolved = s.url.replace(/\{([^}]+)\}/g, (whole, name) =>
        defaults.has(name) ? defaults.get(name) : whole,
      );
      return {
        url: s.url,
        resolved,
        relative: !/^[a-z][a-z0-9+.-]*:\/\//i.test(resolved),
        variables,
        ...(typeof s.description === "string" ? { description: s.description } : {}),
      };
    });
}

/**
 * The base URL a client uses when given none: the first server, resolved, when it is an absolute
 * http(s) URL without unresolved variables; otherwise undefined (no default exists).
 * @param {Record<string, any>} spec
 * @returns {string | undefined}
 */
export function defaultServerUrl(spec) {
  const [first] = describeServers(spec);
  if (!first || first.relative || first.resolved.includes("{")) return undefined;
  return /^https?:\/\//i.test(first.resolved) ? first.resolved : undefined;
}
