/**
 * Classifies the difference between two OpenAPI 3.0/3.1 documents by what a user of the generated
 * client experiences: a compile error or changed runtime behaviour is `major`, something new to
 * use is `minor`, documentation is `patch`. Every difference becomes one plain-words line naming
 * the operation or component, the field and what changed.
 *
 * Rules (the ones that are a choice, not a consequence of the types):
 * - Direction decides. Input (parameters, request bodies) may widen (minor) and not narrow (major);
 *   output (responses) may narrow (minor) and not widen (major). A response enum gaining a value is
 *   major: the generated type is a closed union, so exhaustive `switch`es and `Record<Enum, …>`
 *   maps stop compiling. A response type gaining `null` is major for the same reason.
 * - Constraints (`maximum`, `pattern`, `minItems`, ...) tightened on input: major; relaxed: minor.
 *   On output they only document values: tightened is patch, relaxed is minor.
 * - Defaults compare by value (`[]` equals `[]`). An input default that changes is major (calls
 *   that leave the argument out get other results); added is patch, removed minor.
 * - Parameters of every location are method arguments: removing even an optional one is major
 *   (object literals that pass it stop compiling). `style`/`explode` changes are patch: the client
 *   serializes as the spec says and callers pass the same values.
 * - Wire-identical rewrites are no change or patch: a renamed path parameter (positional argument),
 *   `format: binary` vs `contentMediaType`, `nullable: true` vs `type: [T, "null"]`, `anyOf: [T,
 *   {type: null}]`, `const` vs a one-value `enum`, `oneOf` vs `anyOf`.
 * - Security: a requirement added to an operation that had none, a requirement switched, a scope
 *   added or a scheme's type/location changed is major; an extra alternative is minor. Schemes
 *   are matched by how credentials are sent: a scheme's key renamed with the same scheme is patch.
 * - Annotations beside a `$ref` (`default`, description, deprecated) belong to the use site and
 *   are reported there (the parameter), not on the referenced component.
 * - Any removed or added documented status is judged by what it does to the result type: a new
 *   success status widens the result (major), a new error status is minor, a removed one major.
 * - Names the SDK derives (resource and method names from tags, operationIds and `x-sdk-*`), the
 *   exported model names (component schemas) and pagination are part of the API.
 * - `client.raw` (openapi-fetch keyed by path templates and `operations` keyed by operationId) is
 *   the low-level escape hatch: a renamed path parameter or an operationId pinned by
 *   `x-sdk-method-name` is patch even though their literal keys change there.
 */
import { collectOperations } from "./operations.mjs";

/** @typedef {"none" | "patch" | "minor" | "major"} Bump */
/** @typedef {{ bump: Exclude<Bump, "none">, what: string }} Change */
/** @typedef {"input" | "output" | "both"} Direction */

const RANK = { none: 0, patch: 1, minor: 2, major: 3 };
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The larger of two bumps. */
export function maxBump(a, b) {
  return RANK[b] > RANK[a] ? b : a;
}

/** True when `a` is a smaller bump than `b`. */
export function isSmallerBump(a, b) {
  return RANK[a] < RANK[b];
}

/**
 * The bump a package gets for a change of `bump`, by semantic versioning's rule for 0.x (semver.org
 * item 4; npm's caret range `^0.y.z` treats `y` as the breaking boundary): while the package's
 * version is 0.x a breaking change is released as a minor bump, from 1.0.0 on as a major one.
 * @param {Bump} bump what the change needs (major = breaking)
 * @param {string} version the package's current version, e.g. "0.3.1"
 * @returns {Bump}
 */
export function releaseBump(bump, version) {
  return bump === "major" && isZeroMajor(version) ? "minor" : bump;
}

/** True for a 0.x version (no stable API yet: breaking changes bump the minor). */
export function isZeroMajor(version) {
  return /^0\./.test(String(version ?? "0.0.0"));
}

/** How a change's bump reads in a changeset line for a package at `version`. */
export function bumpLabel(bump, version) {
  return bump === "major" && isZeroMajor(version) ? "breaking; minor while 0.x" : bump;
}

/**
 * Compares two bundled documents (internal `$ref`s only).
 * @param {Record<string, any>} before the released spec
 * @param {Record<string, any>} after the new spec
 * @returns {{ bump: Bump, changes: Change[] }} changes sorted major first, each line once
 */
export function diffSpecs(before, after) {
  const d = new SpecDiff(before, after);
  d.run();
  const order = ["major", "minor", "patch"];
  const changes = [...d.changes.values()].sort((a, b) => order.indexOf(a.bump) - order.indexOf(b.bump));
  const bump = changes.reduce((max, c) => maxBump(max, c.bump), /** @type {Bump} */ ("none"));
  return { bump, changes };
}

/** JSON with sorted keys: equal values give equal text whatever their key order or identity. */
export function stableJson(value) {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const same = (a, b) => stableJson(a) === stableJson(b);
const code = (s) => `\`${s}\``;
const show = (v) => (v === undefined ? "nothing" : JSON.stringify(v));

/** Keys of a schema that only document it. */
const DOC_KEYS = ["description", "title", "example", "examples", "externalDocs", "$comment", "xml"];

class SpecDiff {
  constructor(before, after) {
    this.a = before;
    this.b = after;
    /** @type {Map<string, Change>} */
    this.changes = new Map();
    /** component schema names reached from an operation, per side */
    this.reached = new Set();
  }

  /** Records a change; `rule` is a bump or `{ input, output }` resolved by `dir`. */
  add(rule, what, dir = "both") {
    const bump = typeof rule === "string" ? rule : dir === "both" ? maxBump(rule.input, rule.output) : rule[dir];
    if (bump === "none") return;
    const prev = this.changes.get(what);
    if (!prev || RANK[bump] > RANK[prev.bump]) this.changes.set(what, { bump, what });
  }

  run() {
    this.compareOperations();
    this.compareSecuritySchemes();
    this.compareComponents();
    this.compareServers();
    if (!same(this.a.info, this.b.info)) {
      const keys = [...new Set([...Object.keys(this.a.info ?? {}), ...Object.keys(this.b.info ?? {})])];
      this.add("patch", `info: ${keys.filter((k) => !same(this.a.info?.[k], this.b.info?.[k])).join(", ")} updated`);
    }
    if (!same(this.a.tags, this.b.tags)) this.add("patch", "tags: descriptions or order updated");
    if (this.changes.size === 0 && !same(this.a, this.b) && !same(canonical(this.a), canonical(this.b)))
      this.add("patch", "spec: documentation, examples or spelling updated with no effect on the client");
  }

  // ---- operations -----------------------------------------------------------------------------

  compareOperations() {
    const model = (spec) => {
      const byKey = new Map();
      for (const op of collectOperations(spec)) byKey.set(op.operationId, op);
      const out = new Map();
      for (const [path, item] of Object.entries(spec.paths ?? {})) {
        const pathItem = this.deref(spec, item) ?? {};
        for (const method of HTTP_METHODS) {
          const raw = pathItem[method];
          if (!raw) continue;
          const derived =
            byKey.get(raw.operationId ?? `${method}_${path}`) ??
            collectOperations(spec).find((o) => o.path === path && o.method === method);
          const key = `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}")}`;
          out.set(key, { key, path, method, raw, item: pathItem, derived });
        }
      }
      return out;
    };
    const before = model(this.a);
    const after = model(this.b);
    for (const [key, x] of before) {
      const y = after.get(key);
      const name = sdkName(x.derived);
      if (!y) {
        this.add("major", `${x.method.toUpperCase()} ${x.path} (${name}): operation removed`);
        continue;
      }
      this.compareOperation(x, y);
    }
    for (const [key, y] of after) {
      if (!before.has(key))
        this.add("minor", `${y.method.toUpperCase()} ${y.path} (${sdkName(y.derived)}): new operation`);
    }
  }

  compareOperation(x, y) {
    const label = `${x.method.toUpperCase()} ${y.path} (${sdkName(y.derived)})`;
    const dx = x.derived;
    const dy = y.derived;
    if (dx.resource !== dy.resource || dx.methodName !== dy.methodName) {
      this.add("major", `${label}: method renamed from ${sdkName(dx)} to ${sdkName(dy)}`);
    }
    if (x.raw.operationId !== y.raw.operationId && dx.methodName === dy.methodName) {
      this.add("patch", `${label}: operationId changed to ${code(y.raw.operationId)} (the method name is kept)`);
    }
    if (!same(x.raw.tags, y.raw.tags) && dx.resource === dy.resource) {
      this.add("patch", `${label}: tags changed to ${show(y.raw.tags)} (the resource name is kept)`);
    }
    if (x.path !== y.path) {
      this.add("patch", `${label}: path parameters renamed (was ${x.path}); same URL, same arguments`);
    }
    this.compareDeprecated(label, x.raw.deprecated, y.raw.deprecated);
    this.compareDocs(
      label,
      pick(x.raw, ["summary", "description", "externalDocs"]),
      pick(y.raw, ["summary", "description", "externalDocs"]),
    );
    // Pagination as the client derives it (x-pagination or detection).
    if (dx.pagination && !dy.pagination)
      this.add("major", `${label}: no longer paginated (no \`for await\` over pages)`);
    else if (!dx.pagination && dy.pagination) this.add("minor", `${label}: now paginated`);
    else if (dx.pagination && !same(dx.pagination, dy.pagination))
      this.add("major", `${label}: pagination changed to ${show(dy.pagination)}`);
    for (const key of new Set([...Object.keys(x.raw), ...Object.keys(y.raw)])) {
      if (!key.startsWith("x-sdk-") || ["x-sdk-method-name", "x-sdk-resource"].includes(key)) continue;
      if (!same(x.raw[key], y.raw[key])) this.add("minor", `${label}: ${code(key)} changed to ${show(y.raw[key])}`);
    }
    this.compareParameters(label, x, y);
    this.compareRequestBody(label, x.raw.requestBody, y.raw.requestBody);
    this.compareResponses(label, x.raw.responses ?? {}, y.raw.responses ?? {});
    this.compareSecurity(label, x.raw.security ?? this.a.security, y.raw.security ?? this.b.security);
  }

  compareParameters(label, x, y) {
    const params = (spec, op) => {
      const pathNames = [...op.path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
      const merged = new Map();
      for (const p of [...(op.item.parameters ?? []), ...(op.raw.parameters ?? [])]) {
        const param = this.deref(spec, p);
        if (!param?.name) continue;
        // Path parameters are matched by their place in the path: renaming one changes no URL.
        const index = pathNames.indexOf(param.name);
        const key = param.in === "path" && index >= 0 ? `path#${index}` : `${param.in}:${param.name}`;
        merged.set(key, param);
      }
      return merged;
    };
    const before = params(this.a, x);
    const after = params(this.b, y);
    for (const [key, p] of before) {
      const q = after.get(key);
      const where = `${label} parameter ${code(p.name)} (${p.in})`;
      if (!q) {
        this.add("major", `${where}: removed`);
        continue;
      }
      const at = `${label} parameter ${code(q.name)} (${q.in})`;
      const required = (r) => r.in === "path" || Boolean(r.required);
      if (!required(p) && required(q)) this.add("major", `${at}: now required`);
      if (required(p) && !required(q)) this.add("minor", `${at}: now optional`);
      if (p.name !== q.name)
        this.add("patch", `${at}: renamed from ${code(p.name)}; same URL, same positional argument`);
      const style = (r) => r.style ?? (r.in === "query" || r.in === "cookie" ? "form" : "simple");
      const explode = (r) => r.explode ?? style(r) === "form";
      if (style(p) !== style(q) || explode(p) !== explode(q) || Boolean(p.allowReserved) !== Boolean(q.allowReserved))
        this.add("patch", `${at}: serialized as style ${style(q)}, explode ${explode(q)} (the client follows)`);
      this.compareDeprecated(at, p.deprecated, q.deprecated);
      this.compareDocs(
        at,
        pick(p, ["description", "example", "examples"]),
        pick(q, ["description", "example", "examples"]),
      );
      const schemaOf = (r) => r.schema ?? Object.values(r.content ?? {})[0]?.schema ?? {};
      this.compareSchema(schemaOf(p), schemaOf(q), { dir: "input", where: at, field: "", note: "", seen: new Set() });
    }
    for (const [key, q] of after) {
      if (before.has(key)) continue;
      const at = `${label} parameter ${code(q.name)} (${q.in})`;
      if (q.in === "path" || q.required) this.add("major", `${at}: new required parameter`);
      else this.add("minor", `${at}: new optional parameter`);
    }
  }

  compareRequestBody(label, rawA, rawB) {
    const a = this.deref(this.a, rawA);
    const b = this.deref(this.b, rawB);
    const at = `${label} request body`;
    if (!a && !b) return;
    if (!a) {
      this.add(b.required ? "major" : "minor", `${at}: new ${b.required ? "required" : "optional"} request body`);
      return;
    }
    if (!b) {
      this.add("major", `${at}: removed`);
      return;
    }
    if (!a.required && b.required) this.add("major", `${at}: now required`);
    if (a.required && !b.required) this.add("minor", `${at}: now optional`);
    this.compareDocs(at, pick(a, ["description"]), pick(b, ["description"]));
    const ca = a.content ?? {};
    const cb = b.content ?? {};
    for (const type of Object.keys(ca)) {
      if (!(type in cb)) this.add("major", `${at}: no longer accepts ${type}`);
      else {
        this.compareSchema(ca[type].schema ?? {}, cb[type].schema ?? {}, {
          dir: "input",
          where: `${at} (${type})`,
          field: "",
          note: "",
          seen: new Set(),
        });
        this.compareDocs(
          `${at} (${type})`,
          pick(ca[type], ["example", "examples"]),
          pick(cb[type], ["example", "examples"]),
        );
        if (!same(ca[type].encoding, cb[type].encoding))
          this.add("patch", `${at} (${type}): encoding changed (the client follows)`);
      }
    }
    for (const type of Object.keys(cb)) if (!(type in ca)) this.add("minor", `${at}: also accepts ${type}`);
  }

  compareResponses(label, ra, rb) {
    const success = (status) => /^2/.test(status);
    for (const status of Object.keys(ra)) {
      const at = `${label} response ${status}`;
      if (!(status in rb)) {
        this.add("major", `${at}: no longer documented`);
        continue;
      }
      const a = this.deref(this.a, ra[status]) ?? {};
      const b = this.deref(this.b, rb[status]) ?? {};
      this.compareDocs(at, pick(a, ["description"]), pick(b, ["description"]));
      const ca = a.content ?? {};
      const cb = b.content ?? {};
      const hadBody = Object.keys(ca).length > 0;
      const hasBody = Object.keys(cb).length > 0;
      if (hadBody && !hasBody) this.add("major", `${at}: no longer has a body`);
      else if (!hadBody && hasBody)
        this.add(success(status) ? "major" : "minor", `${at}: now has a body (${Object.keys(cb).join(", ")})`);
      else {
        for (const type of Object.keys(ca)) {
          if (!(type in cb)) this.add("major", `${at}: no longer returns ${type} (now ${Object.keys(cb).join(", ")})`);
          else {
            this.compareSchema(ca[type].schema ?? {}, cb[type].schema ?? {}, {
              dir: "output",
              where: `${at} (${type})`,
              field: "",
              note: "",
              seen: new Set(),
            });
            this.compareDocs(
              `${at} (${type})`,
              pick(ca[type], ["example", "examples"]),
              pick(cb[type], ["example", "examples"]),
            );
          }
        }
        for (const type of Object.keys(cb)) if (!(type in ca)) this.add("minor", `${at}: also returns ${type}`);
      }
      const ha = a.headers ?? {};
      const hb = b.headers ?? {};
      for (const h of Object.keys(ha)) {
        if (!(h in hb)) this.add("major", `${at} header ${code(h)}: removed`);
        else {
          const x = this.deref(this.a, ha[h]) ?? {};
          const y = this.deref(this.b, hb[h]) ?? {};
          this.compareSchema(x.schema ?? {}, y.schema ?? {}, {
            dir: "output",
            where: `${at} header ${code(h)}`,
            field: "",
            note: "",
            seen: new Set(),
          });
          this.compareDocs(`${at} header ${code(h)}`, pick(x, ["description"]), pick(y, ["description"]));
        }
      }
      for (const h of Object.keys(hb)) if (!(h in ha)) this.add("minor", `${at} header ${code(h)}: new`);
    }
    for (const status of Object.keys(rb)) {
      if (status in ra) continue;
      const at = `${label} response ${status}`;
      if (success(status)) this.add("major", `${at}: new success response (the result type gains a case)`);
      else this.add("minor", `${at}: new documented error`);
    }
  }

  // ---- security ---------------------------------------------------------------------------------

  compareSecurity(label, ra = [], rb = []) {
    // Schemes are matched by how credentials are sent, not by their key: a renamed key with the
    // same scheme changes nothing for a caller.
    const sig = (spec, name) => {
      const scheme = this.deref(spec, spec.components?.securitySchemes?.[name]);
      if (!scheme) return name;
      const { description, ...rest } = scheme;
      return stableJson(stripDocs(rest));
    };
    const norm = (spec, reqs) =>
      reqs.map((r) => ({
        schemes: Object.keys(r)
          .map((n) => sig(spec, n))
          .sort()
          .join(" + "),
        label: Object.keys(r).sort().join(" + "),
        scopes: new Set(Object.values(r).flat()),
      }));
    const a = norm(this.a, ra);
    const b = norm(this.b, rb);
    const anonymous = (list) => list.length === 0 || list.some((r) => r.schemes === "");
    const names = (list) => list.map((r) => r.label || "none").join(" or ");
    if (anonymous(a) && !anonymous(b)) {
      this.add("major", `${label} security: now requires ${names(b)}`);
      return;
    }
    if (anonymous(b) && !anonymous(a)) {
      this.add("minor", `${label} security: credentials now optional`);
      return;
    }
    for (const r of a) {
      if (r.schemes === "") continue;
      const match = b.find((s) => s.schemes === r.schemes);
      if (!match) {
        this.add("major", `${label} security: ${r.label} no longer accepted (now ${names(b)})`);
        continue;
      }
      const added = [...match.scopes].filter((s) => !r.scopes.has(s));
      const removed = [...r.scopes].filter((s) => !match.scopes.has(s));
      if (added.length) this.add("major", `${label} security: ${match.label} now needs scope ${added.join(", ")}`);
      if (removed.length)
        this.add("minor", `${label} security: ${match.label} no longer needs scope ${removed.join(", ")}`);
    }
    for (const s of b) {
      if (s.schemes !== "" && !a.some((r) => r.schemes === s.schemes))
        this.add("minor", `${label} security: also accepts ${s.label}`);
    }
  }

  compareSecuritySchemes() {
    const sa = this.a.components?.securitySchemes ?? {};
    const sb = this.b.components?.securitySchemes ?? {};
    const wire = (s) => {
      const { description, ...rest } = s ?? {};
      return stripDocs(rest);
    };
    const sigOf = (spec, x) => stableJson(wire(this.deref(spec, x)));
    const renamed = new Set();
    for (const name of Object.keys(sa)) {
      const at = `security scheme ${code(name)}`;
      if (!(name in sb)) {
        // The same scheme under a new key: requirements are compared by scheme (compareSecurity).
        const to = Object.keys(sb).find(
          (n) => !(n in sa) && !renamed.has(n) && sigOf(this.b, sb[n]) === sigOf(this.a, sa[name]),
        );
        if (to) {
          renamed.add(to);
          this.add("patch", `${at}: renamed to ${code(to)} (the same scheme; credentials are sent as before)`);
        } else this.add("major", `${at}: removed`);
        continue;
      }
      const x = this.deref(this.a, sa[name]);
      const y = this.deref(this.b, sb[name]);
      if (!same(wire(x), wire(y))) {
        const how = (s) => [s.type, s.scheme, s.in, s.name].filter(Boolean).join(" ");
        this.add("major", `${at}: changed from ${how(x)} to ${how(y)} (credentials are sent differently)`);
      } else this.compareDocs(at, x, y);
    }
    for (const name of Object.keys(sb))
      if (!(name in sa) && !renamed.has(name)) this.add("minor", `security scheme ${code(name)}: new`);
  }

  compareServers() {
    const a = this.a.servers ?? [];
    const b = this.b.servers ?? [];
    // The first server is the client's default base URL (with its variables' defaults).
    const base = (s) => (s ? { url: s.url, defaults: mapValues(s.variables ?? {}, (v) => v.default) } : undefined);
    if (!same(base(a[0]), base(b[0])))
      this.add("major", `servers: the default server changed from ${show(a[0]?.url)} to ${show(b[0]?.url)}`);
    for (const s of a.slice(1)) if (!b.some((t) => t.url === s.url)) this.add("major", `servers: ${s.url} removed`);
    for (const s of b.slice(1)) if (!a.some((t) => t.url === s.url)) this.add("minor", `servers: ${s.url} added`);
    if (
      !same(a, b) &&
      same(
        a.map((s) => s.url),
        b.map((s) => s.url),
      ) &&
      same(base(a[0]), base(b[0]))
    )
      this.add("patch", "servers: descriptions or variables updated");
  }

  // ---- components -------------------------------------------------------------------------------

  compareComponents() {
    const sa = this.a.components?.schemas ?? {};
    const sb = this.b.components?.schemas ?? {};
    for (const name of Object.keys(sa)) {
      if (!(name in sb)) {
        this.add("major", `schema ${code(name)}: removed (its exported type is gone)`);
        continue;
      }
      // Schemas no operation reaches are still exported types: judge both directions.
      if (!this.reached.has(name)) {
        this.compareSchema(
          { $ref: `#/components/schemas/${name}` },
          { $ref: `#/components/schemas/${name}` },
          { dir: "both", where: "", field: name, note: "", seen: new Set() },
        );
      }
    }
    for (const name of Object.keys(sb)) if (!(name in sa)) this.add("minor", `schema ${code(name)}: new exported type`);
  }

  // ---- schemas ----------------------------------------------------------------------------------

  /**
   * @param {any} rawA schema in the released spec
   * @param {any} rawB schema in the new spec
   * @param {{ dir: Direction, where: string, field: string, note: string, seen: Set<string> }} ctx
   */
  compareSchema(rawA, rawB, ctx) {
    const refA = refName(rawA);
    const refB = refName(rawB);
    const dirNote = { input: " (in requests)", output: " (in responses)", both: "" }[ctx.dir];
    const label = render(ctx);
    if (refA && refB && refA !== refB) {
      const probe = new SpecDiff(this.a, this.b);
      probe.compareSchema(this.deref(this.a, rawA), this.deref(this.b, rawB), {
        dir: ctx.dir,
        where: "x",
        field: "",
        note: "",
        seen: new Set([`${ctx.dir}:${refA}`, `${ctx.dir}:${refB}`]),
      });
      const worst = [...probe.changes.values()].reduce((m, c) => maxBump(m, c.bump), "none");
      if (RANK[worst] >= RANK.minor) {
        this.add("major", `${label}: now of type ${code(refB)} instead of ${code(refA)}`, ctx.dir);
        return;
      }
      this.add("minor", `${label}: now of type ${code(refB)} (same shape as ${code(refA)})`, ctx.dir);
      return;
    }
    if (refA && refA === refB) {
      // Annotations beside the $ref (a parameter's `default`, its description) describe the use
      // site, not the component: judge them there, then compare the component itself.
      const local = ["default", "deprecated", ...DOC_KEYS];
      if (local.some((k) => k in rawA || k in rawB)) {
        const at = render(ctx);
        this.compareDocs(at, pick(rawA, DOC_KEYS), pick(rawB, DOC_KEYS));
        this.compareDeprecated(at, rawA.deprecated, rawB.deprecated);
        this.compareDefault(at, rawA.default, rawB.default, ctx.dir);
        rawA = withoutKeys(rawA, local);
        rawB = withoutKeys(rawB, local);
      }
      this.reached.add(refA);
      const key = `${ctx.dir}:${refA}`;
      if (ctx.seen.has(key)) return;
      ctx = { ...ctx, seen: new Set([...ctx.seen, key]) };
      ctx = { ...ctx, where: "", field: refA, note: dirNote };
    } else if (refA || refB) {
      if (refA) this.reached.add(refA);
      if (refB) this.reached.add(refB);
    }
    const a = this.view(this.a, rawA);
    const b = this.view(this.b, rawB);
    if (a.viaRef && a.viaRef === b.viaRef) {
      const key = `${ctx.dir}:${a.viaRef}`;
      if (ctx.seen.has(key)) return;
      ctx = { ...ctx, seen: new Set([...ctx.seen, key]) };
    }
    const { dir } = ctx;
    const at = render(ctx);

    // Documentation and deprecation.
    this.compareDocs(at, pick(a.raw, DOC_KEYS), pick(b.raw, DOC_KEYS));
    this.compareDeprecated(at, a.raw.deprecated, b.raw.deprecated);

    // Nullability.
    if (!a.nullable && b.nullable) this.add({ input: "minor", output: "major" }, `${at}: can now be null`, dir);
    if (a.nullable && !b.nullable) this.add({ input: "major", output: "minor" }, `${at}: can no longer be null`, dir);

    // Types.
    if (a.types === null && b.types !== null) {
      this.add(
        { input: "major", output: "minor" },
        `${at}: now typed ${[...b.types].join(" | ")} (was any value)`,
        dir,
      );
    } else if (a.types !== null && b.types === null) {
      this.add({ input: "minor", output: "major" }, `${at}: now any value (was ${[...a.types].join(" | ")})`, dir);
    } else if (a.types && b.types) {
      const widened = [...b.types].filter((t) => !covers(a.types, t));
      const narrowed = [...a.types].filter((t) => !covers(b.types, t));
      const ta = [...a.types].join(" | ");
      const tb = [...b.types].join(" | ");
      if (widened.length && narrowed.length) {
        this.add("major", `${at}: type changed from ${ta} to ${tb}`, dir);
        if (![...a.types].some((t) => covers(b.types, t) || (t === "number" && b.types.has("integer")))) return;
      } else if (widened.length) {
        this.add({ input: "minor", output: "major" }, `${at}: type widened from ${ta} to ${tb}`, dir);
      } else if (narrowed.length) {
        this.add({ input: "major", output: "minor" }, `${at}: type narrowed from ${ta} to ${tb}`, dir);
      }
    }

    // Enumerations (const is a one-value enum).
    if (a.enum && b.enum) {
      const added = b.enum.filter((v) => !a.enum.some((w) => same(v, w)));
      const removed = a.enum.filter((v) => !b.enum.some((w) => same(v, w)));
      if (added.length)
        this.add({ input: "minor", output: "major" }, `${at}: enum gains ${added.map(show).join(", ")}`, dir);
      if (removed.length)
        this.add({ input: "major", output: "minor" }, `${at}: enum loses ${removed.map(show).join(", ")}`, dir);
    } else if (a.enum && !b.enum) {
      this.add({ input: "minor", output: "major" }, `${at}: no longer limited to ${a.enum.map(show).join(", ")}`, dir);
    } else if (!a.enum && b.enum) {
      this.add({ input: "major", output: "minor" }, `${at}: now limited to ${b.enum.map(show).join(", ")}`, dir);
    }

    // Formats (binary and byte in their 3.0 and 3.1 spellings are one format each).
    const dated = (f) => f === "date-time" || f === "date";
    // `x-sdk-date` makes the SDK take a `Date` for a string without a JSON Schema format.
    const takesDate = (v) => dated(v.format) || dated(v.raw?.["x-sdk-date"]);
    if (a.format !== b.format) {
      if (a.format === undefined) this.add({ input: "major", output: "patch" }, `${at}: format ${b.format} added`, dir);
      else if (b.format === undefined && dated(a.format) && takesDate(b))
        this.add(
          { input: "minor", output: "minor" },
          `${at}: format ${a.format} removed (a Date is still accepted: x-sdk-date)`,
          dir,
        );
      else if (b.format === undefined)
        this.add(
          { input: dated(a.format) ? "major" : "minor", output: "minor" },
          `${at}: format ${a.format} removed${dated(a.format) && dir !== "output" ? " (a Date is no longer accepted)" : ""}`,
          dir,
        );
      else this.add("major", `${at}: format changed from ${a.format} to ${b.format}`, dir);
    }
    if (a.format === b.format && takesDate(a) && !takesDate(b) && dir !== "output") {
      this.add({ input: "major", output: "minor" }, `${at}: x-sdk-date removed (a Date is no longer accepted)`, dir);
    }

    // Constraints.
    const lower = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
    const upper = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
    for (const k of [...lower, ...upper]) {
      const x = a.raw[k];
      const y = b.raw[k];
      if (same(x, y)) continue;
      const isLower = lower.includes(k);
      const numeric = (typeof x === "number" || x === undefined) && (typeof y === "number" || y === undefined);
      const tighter = !numeric || x === undefined || (y !== undefined && (isLower ? y > x : y < x));
      if (tighter)
        this.add({ input: "major", output: "patch" }, `${at}: ${code(k)} tightened from ${show(x)} to ${show(y)}`, dir);
      else this.add("minor", `${at}: ${code(k)} relaxed from ${show(x)} to ${show(y)}`, dir);
    }
    for (const k of ["pattern", "multipleOf", "uniqueItems", "propertyNames", "contains", "dependentRequired"]) {
      const x = a.raw[k];
      const y = b.raw[k];
      if (same(x, y) || (k === "uniqueItems" && !x && !y)) continue;
      if (y === undefined || y === false) this.add("minor", `${at}: ${code(k)} ${show(x)} removed`, dir);
      else this.add({ input: "major", output: "patch" }, `${at}: ${code(k)} is now ${show(y)}`, dir);
    }

    // Defaults, by value.
    this.compareDefault(at, a.raw.default, b.raw.default, dir);

    // Objects.
    const visible = (v, name) => {
      const s = this.deref(v === a ? this.a : this.b, v.properties[name]) ?? {};
      if (dir === "input" && s.readOnly) return false;
      if (dir === "output" && s.writeOnly) return false;
      return true;
    };
    const propsA = Object.keys(a.properties).filter((n) => visible(a, n));
    const propsB = Object.keys(b.properties).filter((n) => visible(b, n));
    for (const name of propsA) {
      const p = render({ ...ctx, field: child(ctx.field, name) });
      if (!propsB.includes(name)) {
        const hidden = name in b.properties;
        this.add("major", `${p}: ${hidden ? (dir === "input" ? "now read-only" : "now write-only") : "removed"}`, dir);
        continue;
      }
      const reqA = a.required.has(name);
      const reqB = b.required.has(name);
      if (!reqA && reqB) this.add({ input: "major", output: "minor" }, `${p}: now required`, dir);
      if (reqA && !reqB)
        this.add(
          { input: "minor", output: "major" },
          `${p}: no longer required${dir === "output" ? " (may be absent)" : ""}`,
          dir,
        );
      this.compareSchema(a.properties[name], b.properties[name], { ...ctx, field: child(ctx.field, name) });
    }
    for (const name of propsB) {
      if (propsA.includes(name)) continue;
      const p = render({ ...ctx, field: child(ctx.field, name) });
      if (name in a.properties) {
        this.add("minor", `${p}: no longer ${dir === "input" ? "read-only" : "write-only"}`, dir);
        continue;
      }
      const req = b.required.has(name);
      this.add(
        { input: req ? "major" : "minor", output: "minor" },
        `${p}: new ${req ? "required" : "optional"} property`,
        dir,
      );
    }
    // Required names without a property schema (FastAPI never does this; JSON Schema allows it).
    for (const name of b.required) {
      if (!(name in b.properties) && !a.required.has(name))
        this.add(
          { input: "major", output: "minor" },
          `${render({ ...ctx, field: child(ctx.field, name) })}: now required`,
          dir,
        );
    }

    // additionalProperties: an index signature in the generated type when true or a schema.
    const open = (v) => v.additional !== undefined && v.additional !== false;
    if (!open(a) && open(b)) this.add("minor", `${at}: now allows other properties`, dir);
    if (open(a) && !open(b)) this.add("major", `${at}: no longer allows other properties`, dir);
    if (open(a) && open(b)) {
      const x = a.additional === true ? {} : a.additional;
      const y = b.additional === true ? {} : b.additional;
      this.compareSchema(x, y, { ...ctx, field: `${ctx.field || "value"}[key]` });
    }

    // Arrays.
    if (a.items || b.items)
      this.compareSchema(a.items ?? {}, b.items ?? {}, { ...ctx, field: `${ctx.field || "items"}[]` });

    // Unions.
    if (a.variants.length || b.variants.length) this.compareVariants(a, b, ctx);
    if (!same(a.raw.discriminator, b.raw.discriminator))
      this.add("major", `${at}: discriminator changed to ${show(b.raw.discriminator)}`, dir);
  }

  compareVariants(a, b, ctx) {
    const { dir } = ctx;
    const label = render(ctx);
    const key = (spec, s) => refName(s) ?? stableJson(stripDocs(this.deref(spec, s)));
    const shape = (spec, s) => {
      const v = this.view(spec, s);
      return v.types ? [...v.types].join("|") : "any";
    };
    const unmatchedB = new Set(b.variants.map((_, i) => i));
    const pairs = [];
    const unmatchedA = [];
    for (const [i, s] of a.variants.entries()) {
      let j = [...unmatchedB].find((k) => key(this.b, b.variants[k]) === key(this.a, s));
      if (j === undefined) j = [...unmatchedB].find((k) => shape(this.b, b.variants[k]) === shape(this.a, s));
      if (j === undefined) {
        unmatchedA.push(s);
        continue;
      }
      unmatchedB.delete(j);
      pairs.push([i, s, b.variants[j]]);
    }
    if (a.variants.length && b.variants.length && a.variantKind !== b.variantKind)
      this.add("patch", `${label}: ${a.variantKind} is now ${b.variantKind} (the same union type)`, dir);
    for (const s of unmatchedA)
      this.add(
        { input: "major", output: "minor" },
        `${label}: no longer ${dir === "input" ? "accepts" : "returns"} ${describe(s)}`,
        dir,
      );
    for (const j of unmatchedB)
      this.add(
        { input: "minor", output: "major" },
        `${label}: now ${dir === "input" ? "accepts" : "returns"} ${describe(b.variants[j])}`,
        dir,
      );
    for (const [i, x, y] of pairs)
      this.compareSchema(x, y, { ...ctx, field: `${ctx.field || "value"}.${a.variantKind}[${i}]` });
  }

  /**
   * A schema in one canonical form: `$ref`s followed, `allOf` merged, null split off as
   * `nullable`, `const` as a one-value enum, binary/byte formats in one spelling.
   */
  view(spec, raw) {
    let s = this.deref(spec, raw) ?? {};
    if (typeof s !== "object") s = {};
    const reach = (x) => {
      const name = refName(x);
      if (name) this.reached.add(name);
      return this.deref(spec, x) ?? {};
    };
    if (Array.isArray(s.allOf)) s = mergeAllOf(s, reach);
    let nullable = s.nullable === true;
    let variantKind = s.oneOf ? "oneOf" : s.anyOf ? "anyOf" : undefined;
    let variants = s.oneOf ?? s.anyOf ?? [];
    const isNull = (x) => {
      const r = this.deref(spec, x) ?? {};
      return (
        r.type === "null" || (Array.isArray(r.enum) && r.enum.length === 1 && r.enum[0] === null) || r.const === null
      );
    };
    if (variants.some(isNull)) {
      nullable = true;
      variants = variants.filter((x) => !isNull(x));
      if (variants.length === 1) {
        const { anyOf, oneOf, ...outer } = s;
        const inner = this.view(spec, variants[0]);
        reach(variants[0]);
        return {
          ...inner,
          viaRef: refName(variants[0]) ?? inner.viaRef,
          nullable: true,
          raw: { ...inner.raw, ...pick(outer, DOC_KEYS), ...withoutKeys(outer, DOC_KEYS) },
        };
      }
    }
    // oneOf/anyOf of constants is an enum (the generated type is the same union of literals).
    const constant = (x) => {
      const r = this.deref(spec, x) ?? {};
      const keys = Object.keys(r).filter((k) => !DOC_KEYS.includes(k) && k !== "type");
      if (keys.length !== 1) return undefined;
      if (keys[0] === "const") return { value: r.const };
      if (keys[0] === "enum" && Array.isArray(r.enum) && r.enum.length === 1) return { value: r.enum[0] };
      return undefined;
    };
    let constEnum;
    if (variants.length > 0 && variants.every((x) => constant(x))) {
      constEnum = variants.map((x) => constant(x).value);
      variants = [];
    }
    if (variants.length === 0) variantKind = undefined;
    let types = null;
    if (s.type !== undefined) types = new Set([s.type].flat());
    let enumValues = Array.isArray(s.enum) ? [...s.enum] : "const" in s ? [s.const] : constEnum;
    if (enumValues?.includes(null)) {
      nullable = true;
      enumValues = enumValues.filter((v) => v !== null);
    }
    if (types?.has("null")) {
      nullable = true;
      types.delete("null");
    }
    if (types === null) {
      if (s.properties || s.additionalProperties !== undefined) types = new Set(["object"]);
      else if (s.items) types = new Set(["array"]);
      else if (enumValues?.length)
        types = new Set(
          enumValues.map((v) => (typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v)),
        );
    }
    if (types && types.size === 0) types = nullable ? new Set() : null;
    let format = s.format;
    if (s.contentMediaType !== undefined && s.contentEncoding === undefined) format = "binary";
    if (s.contentEncoding === "base64") format = "byte";
    return {
      raw: s,
      types: variants.length ? null : types,
      nullable,
      enum: enumValues,
      format,
      properties: s.properties ?? {},
      required: new Set(s.required ?? []),
      additional: s.additionalProperties,
      items: s.items,
      variants,
      variantKind,
    };
  }

  deref(spec, node) {
    let current = node;
    for (let i = 0; i < 32 && current && typeof current.$ref === "string" && current.$ref.startsWith("#/"); i++) {
      const { $ref, ...siblings } = current;
      const name = refName(current);
      if (name) this.reached.add(name);
      const target = $ref
        .slice(2)
        .split("/")
        .reduce((o, k) => o?.[k.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
      current = target && typeof target === "object" ? { ...target, ...siblings } : target;
    }
    return current;
  }

  /** Defaults compare by value: an input default that changes is major. */
  compareDefault(at, x, y, dir) {
    if (same(x, y)) return;
    if (x === undefined) this.add("patch", `${at}: default ${show(y)} documented`, dir);
    else if (y === undefined) this.add({ input: "minor", output: "patch" }, `${at}: default ${show(x)} removed`, dir);
    else this.add({ input: "major", output: "patch" }, `${at}: default changed from ${show(x)} to ${show(y)}`, dir);
  }

  compareDeprecated(at, x, y) {
    if (!x && y) this.add("minor", `${at}: deprecated`);
    if (x && !y) this.add("patch", `${at}: no longer deprecated`);
  }

  compareDocs(at, x, y) {
    const docs = (o) =>
      Object.fromEntries(
        Object.entries(o ?? {}).filter(
          ([k]) => DOC_KEYS.includes(k) || k === "summary" || (k.startsWith("x-") && !k.startsWith("x-sdk-")),
        ),
      );
    if (!same(docs(x), docs(y))) {
      const keys = [...new Set([...Object.keys(docs(x)), ...Object.keys(docs(y))])].filter(
        (k) => !same(x?.[k], y?.[k]),
      );
      this.add("patch", `${at}: ${keys.join(", ")} updated`);
    }
  }
}

/**
 * The document with wire-identical spellings made one, for the last "anything else changed?"
 * check: component schema `$ref`s inlined at their use sites (cycles kept as `$ref`), `nullable`
 * and `anyOf`/`oneOf` with a null member as a `type` list, `const` as a one-value `enum`, and an
 * operation's `x-pagination` dropped where it equals what the client detects without it.
 */
export function canonical(spec) {
  const doc = structuredClone(spec);
  for (const op of collectOperations(doc)) {
    const raw = doc.paths?.[op.path]?.[op.method];
    if (!raw?.["x-pagination"]) continue;
    const without = structuredClone(doc);
    delete without.paths[op.path][op.method]["x-pagination"];
    const detected = collectOperations(without).find((o) => o.path === op.path && o.method === op.method);
    if (same(detected?.pagination, op.pagination)) delete raw["x-pagination"];
  }
  const schemas = doc.components?.schemas ?? {};
  const norm = (node, stack) => {
    if (Array.isArray(node)) return node.map((n) => norm(n, stack));
    if (!node || typeof node !== "object") return node;
    let n = node;
    const name = refName(n);
    if (name && schemas[name] && !stack.includes(name)) {
      const { $ref, ...siblings } = n;
      return norm({ ...schemas[name], ...siblings }, [...stack, name]);
    }
    n = Object.fromEntries(Object.entries(n).map(([k, v]) => [k, norm(v, stack)]));
    if ("const" in n && !("enum" in n)) {
      n.enum = [n.const];
      delete n.const;
    }
    for (const kind of ["anyOf", "oneOf"]) {
      const list = n[kind];
      // A union of constants is an enum.
      const single = (x) =>
        x &&
        Array.isArray(x.enum) &&
        x.enum.length === 1 &&
        Object.keys(x).every((k) => k === "enum" || k === "type" || DOC_KEYS.includes(k));
      if (Array.isArray(list) && list.length > 0 && !("enum" in n) && list.every(single)) {
        const { [kind]: _, ...outer } = n;
        n = { ...outer, enum: list.map((x) => x.enum[0]) };
        continue;
      }
      if (!Array.isArray(list) || list.length !== 2) continue;
      const i = list.findIndex((x) => x?.type === "null" && Object.keys(x).length === 1);
      if (i < 0) continue;
      const other = list[1 - i];
      if (!other || typeof other !== "object" || Object.keys(other).some((k) => k in n && k !== kind)) continue;
      const { [kind]: _, ...outer } = n;
      n = { ...outer, ...other, nullable: true };
    }
    if (n.nullable === true && n.type !== undefined) {
      n.type = [...new Set([n.type, "null"].flat())];
      delete n.nullable;
    } else if (n.nullable === false) delete n.nullable;
    if (Array.isArray(n.type)) {
      n.type = [...n.type].sort();
      if (n.type.length === 1) n.type = n.type[0];
    }
    return n;
  };
  for (const key of Object.keys(doc)) if (key !== "components") doc[key] = norm(doc[key], []);
  if (doc.components) {
    for (const [k, v] of Object.entries(doc.components)) {
      if (k === "schemas")
        doc.components.schemas = Object.fromEntries(Object.entries(v).map(([name, sch]) => [name, norm(sch, [name])]));
      else doc.components[k] = norm(v, []);
    }
  }
  return doc;
}

/** "GET /x (`users.get`) response 200 `users[].name`", or "`Model.field` (in responses)". */
function render(ctx) {
  return [ctx.where, ctx.field && code(ctx.field)].filter(Boolean).join(" ") + (ctx.note ?? "");
}

function child(field, name) {
  return field ? `${field}.${name}` : name;
}

function sdkName(op) {
  return op ? `\`${op.resource}.${op.methodName}\`` : "?";
}

function refName(s) {
  const m = typeof s?.$ref === "string" ? /^#\/components\/schemas\/(.+)$/.exec(s.$ref) : null;
  return m ? m[1].replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
}

/** `integer` is covered by `number`: a number type accepts every integer. */
function covers(types, t) {
  return types.has(t) || (t === "integer" && types.has("number"));
}

function pick(o, keys) {
  return Object.fromEntries(keys.filter((k) => o?.[k] !== undefined).map((k) => [k, o[k]]));
}

function withoutKeys(o, keys) {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

function mapValues(o, f) {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

function stripDocs(s) {
  if (!s || typeof s !== "object") return s;
  if (Array.isArray(s)) return s.map(stripDocs);
  return Object.fromEntries(
    Object.entries(s)
      .filter(([k]) => !DOC_KEYS.includes(k))
      .map(([k, v]) => [k, stripDocs(v)]),
  );
}

function describe(s) {
  const name = refName(s);
  if (name) return code(name);
  const type = s?.type ?? (s?.properties ? "object" : s?.items ? "array" : "a value");
  return [type].flat().join(" | ");
}

/** Merges `allOf` members (each `$ref` followed) into one object schema: properties and required united. */
function mergeAllOf(s, deref) {
  const { allOf, ...outer } = s;
  const merged = { ...outer, properties: { ...(outer.properties ?? {}) }, required: [...(outer.required ?? [])] };
  for (const member of allOf) {
    let m = deref(member);
    if (Array.isArray(m.allOf)) m = mergeAllOf(m, deref);
    for (const [k, v] of Object.entries(m)) {
      if (k === "properties") Object.assign(merged.properties, v);
      else if (k === "required") merged.required.push(...v);
      else if (!(k in merged) && !DOC_KEYS.includes(k)) merged[k] = v;
    }
  }
  if (Object.keys(merged.properties).length === 0) delete merged.properties;
  if (merged.required.length === 0) delete merged.required;
  else merged.required = [...new Set(merged.required)];
  return merged;
}
