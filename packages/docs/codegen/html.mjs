/**
 * What only the HTML page needs, computed when the page is generated so that it stays one offline
 * file: syntax highlighting (highlight.js, run in Node.js; the page carries only class names and
 * its own colours), expandable schema trees of request and response bodies, ids for every
 * parameter, field and status row, and the search index embedded in the page as JSON.
 */
import { randomBytes } from "node:crypto";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import json from "highlight.js/lib/languages/json";
import typescript from "highlight.js/lib/languages/typescript";
import { errorClassFor, escapeHtml, inlineHtml, refName, resolveRef, slug } from "./doc-model.mjs";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("json", json);

/**
 * Code as highlighted HTML (spans with short classes, see {@link SHORT}; text escaped).
 * @param {string} code
 * @param {"typescript" | "bash" | "json"} language
 */
export function highlight(code, language) {
  return hljs
    .highlight(String(code), { language, ignoreIllegals: true })
    .value.replace(/class="hljs-([^"]+)"/g, (_, scope) => `class="${SHORT[scope] ?? "x"}"`);
}

/**
 * HTML that only the offline page shows (highlighted code, schema trees, the embedded JSON), rendered while the
 * generator runs instead of before it: the template data carries a placeholder for each piece,
 * and {@link LateHtml.fill} puts the pieces into the page the generator wrote. The page is the
 * same either way; the generator starts sooner and parses less.
 */
export class LateHtml {
  /** Placeholders are `<prefix><n>_`; the prefix holds a random part, so no spec text can look like one. */
  #prefix = `__traces_late_${randomBytes(6).toString("hex")}_`;
  /** @type {Array<() => string>} */
  #render = [];
  /** @type {string[] | undefined} */
  #html;

  /** A placeholder for the HTML that `render` will return. @param {() => string} render */
  defer(render) {
    this.#render.push(render);
    return `${this.#prefix}${this.#render.length - 1}_`;
  }

  /** Renders every deferred piece (once). */
  renderAll() {
    this.#html ??= this.#render.map((render) => render());
  }

  /**
   * Renders every deferred piece a few at a time, yielding to the event loop between them, so
   * that work waiting in this process (another target) is not held up.
   */
  async renderIdle() {
    if (this.#html) return;
    const html = [];
    let slice = performance.now();
    for (const render of this.#render) {
      html.push(render());
      if (performance.now() - slice > 10) {
        await new Promise((resolvePromise) => setImmediate(resolvePromise));
        slice = performance.now();
      }
    }
    this.#html ??= html;
  }

  /**
   * The page with every placeholder replaced. Throws when one is left that this instance did not
   * hand out (a template that mangled it).
   * @param {string} page
   */
  fill(page) {
    this.renderAll();
    const html = /** @type {string[]} */ (this.#html);
    const out = page.replace(new RegExp(`${this.#prefix}(\\d+)_`, "g"), (_, n) => html[Number(n)] ?? _);
    if (out.includes(this.#prefix)) throw new Error("the HTML page kept a placeholder that has no rendering");
    return out;
  }
}

/**
 * highlight.js scopes as one-letter classes (the page's CSS colours these; `x` is uncoloured):
 * the engine's full spec has some 30,000 tokens, and `hljs-punctuation` on each costs.
 */
const SHORT = {
  keyword: "k",
  "selector-tag": "k",
  doctag: "k",
  string: "s",
  regexp: "s",
  "template-tag": "s",
  number: "n",
  literal: "n",
  "variable language_": "n",
  comment: "c",
  quote: "c",
  title: "t",
  "title function_": "t",
  "title class_": "t",
  "title class_ inherited__": "t",
  section: "t",
  built_in: "b",
  type: "b",
  variable: "b",
  "template-variable": "b",
  params: "b",
  attr: "a",
  attribute: "a",
  property: "a",
  symbol: "a",
  meta: "m",
  subst: "m",
};

/** Error classes of the errors table, with the statuses that raise them. */
const ERROR_ROWS = [
  ["400", "BadRequestError"],
  ["401", "AuthenticationError"],
  ["403", "PermissionDeniedError"],
  ["404", "NotFoundError"],
  ["422", "UnprocessableEntityError"],
  ["429", "RateLimitError"],
  [">= 500", "InternalServerError"],
  ["other 4xx", "APIError"],
  ["no response", "APIConnectionError"],
  ["no response (timed out)", "APIConnectionTimeoutError"],
  ["aborted by your `signal`", "APIUserAbortError"],
  ["invalid parameters, caught before sending", "InvalidRequestError"],
];

/** What the errors table says beside some classes. */
const NOTES = {
  BadRequestError:
    " (<code>message</code> keeps the server's validation message without its traceback; <code>body</code> the whole answer)",
  UnprocessableEntityError: " (<code>detail</code> lists each failed check)",
};

/** The 422 row's note when no operation documents a 422 (the engine answers invalid input with 400). */
function notDeclared422(api) {
  return ` (no operation of this API documents a 422${api.declares400 ? "; invalid input is answered with 400, <code>BadRequestError</code>" : ""})`;
}

/** The ids the page gives to rows, so that search results can point at them. */
export const rowId = {
  param: (opAnchor, p) => `${opAnchor}--${p.in}-${slug(p.name) || "param"}`,
  status: (opAnchor, status) => `${opAnchor}--${slug(status)}`,
  field: (modelAnchor, name) => `${modelAnchor}--${slug(name) || "field"}`,
  error: (cls) => `error-${cls}`,
};

/** Plain text of a description, one line, at most `max` characters. */
function plain(text, max = 160) {
  const one = String(text ?? "")
    .replace(/[`*]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * Adds the HTML-only fields to the prepared spec's `x-docs` extensions and to the template data
 * (`api`): highlighted examples, row ids, schema trees, the search index and the embedded spec.
 * @param {{ prepared: any, api: any, spec: any, model: ReturnType<import("./doc-model.mjs").createDocModel>, late?: LateHtml }} ctx
 *   late: when given, highlighted code and the embedded JSON are placeholders it renders later
 */
export function decorateForHtml({ prepared, api, spec, model, late }) {
  const deferred = (render) => (late ? late.defer(render) : render());
  const highlighted = (code, language) => deferred(() => highlight(code, language));
  const entries = [];
  // Two names can slug alike (`a.b`, `a-b`): the second id gets a number.
  const used = new Set();
  const unique = (id) => {
    let out = id;
    for (let n = 2; used.has(out); n++) out = `${id}-${n}`;
    used.add(out);
    return out;
  };
  const add = (kind, title, context, text, href) => entries.push([kind, title, context, plain(text), href]);

  for (const [status, cls] of ERROR_ROWS) {
    add("error", cls, `error class · ${status.replaceAll("`", "")}`, "", `#${rowId.error(cls)}`);
  }
  api.errorRows = ERROR_ROWS.map(([status, cls]) => ({
    status: inlineHtml(status),
    cls,
    id: rowId.error(cls),
    note: cls === "UnprocessableEntityError" && !api.declares422 ? notDeclared422(api) : (NOTES[cls] ?? ""),
  }));

  for (const [path, item] of Object.entries(prepared.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      const x = op?.["x-docs"];
      if (!x) continue;
      const anchor = x.htmlAnchor;
      x.exampleHtml = highlighted(x.example, "typescript");
      x.rawExampleHtml = highlighted(x.rawExample, "typescript");
      x.curlHtml = highlighted(x.curl, "bash");
      for (const r of x.responses) {
        r.id = unique(rowId.status(anchor, r.status));
        if (r.hasExample) r.exampleHtml = highlighted(r.example, "json");
      }
      for (const p of x.params) p.id = unique(rowId.param(anchor, p));
      const source = spec.paths?.[path]?.[method] ?? {};
      const body = Object.values(resolveRef(spec, source.requestBody)?.content ?? {})[0]?.schema;
      x.requestTree = body ? deferred(() => schemaTree(body, model, "Request body fields")) : "";
      const ok = x.responses.find((r) => /^2/.test(r.status));
      const okSchema = ok
        ? Object.values(resolveRef(spec, source.responses?.[ok.status])?.content ?? {})[0]?.schema
        : undefined;
      x.responseTree = okSchema ? deferred(() => schemaTree(okSchema, model, `Response ${ok.status} fields`)) : "";

      add("operation", x.sdkMethod, `${x.method} ${x.path}`, `${x.summaryMd} ${x.operationId}`, `#${anchor}`);
      for (const p of x.params) {
        add("parameter", p.name, `${x.sdkMethod} · ${p.in}`, p.descriptionMd, `#${p.id}`);
      }
      for (const r of x.responses) {
        const cls = errorClassFor(r.status);
        add("status", r.status, `${x.sdkMethod}${cls ? ` · ${cls}` : ""}`, r.descriptionMd, `#${r.id}`);
      }
    }
  }

  for (const [name, schema] of Object.entries(prepared.components?.schemas ?? {})) {
    const x = schema?.["x-docs"];
    if (!x) continue;
    add("model", name, x.kind, x.descriptionCellMd, `#${x.anchor}`);
    for (const p of x.properties) {
      p.id = unique(rowId.field(x.anchor, p.name));
      add("field", p.name, name, p.descriptionMd, `#${p.id}`);
    }
  }
  // `<` as `\u003c`: the JSON can then never close the script element it sits in.
  const searchIndexJson = JSON.stringify(entries).replaceAll("<", "\\u003c");
  const specJson = JSON.stringify(spec).replaceAll("<", "\\u003c");
  // The JSON is taken now (the spec object is shared); only its trip through the generator is saved.
  api.searchIndexJson = deferred(() => searchIndexJson);
  api.specJson = deferred(() => specJson);
  api.quickStartHtml = highlighted(api.quickStart, "typescript");
}

/** The object schema behind a property type: through `$ref`, nullable unions, arrays and `allOf`. */
function objectBehind(schema, model, depth = 0) {
  const s = model.deref(schema ?? {});
  if (depth > 8) return undefined;
  if (s.type === "array" || s.items) return objectBehind(s.items, model, depth + 1);
  const variants = (s.anyOf ?? s.oneOf ?? []).filter((v) => v && v.type !== "null");
  if (variants.length === 1) return objectBehind(variants[0], model, depth + 1);
  if (s.properties || Array.isArray(s.allOf)) return s;
  return undefined;
}

/** Properties of an object schema, `allOf` parts merged. */
function propertiesOf(schema, model, depth = 0) {
  const props = new Map();
  const required = new Set(schema.required ?? []);
  if (depth < 8) {
    for (const part of schema.allOf ?? []) {
      const inner = propertiesOf(model.deref(part), model, depth + 1);
      for (const [k, v] of inner.props) props.set(k, v);
      for (const r of inner.required) required.add(r);
    }
  }
  for (const [k, v] of Object.entries(schema.properties ?? {})) props.set(k, v);
  return { props, required };
}

/**
 * A body schema as nested `<details>`: one line per field, object fields expandable. Named schemas
 * already open on the way down are not expanded again (recursion), and the tree stops at depth 4.
 */
function schemaTree(schema, model, label) {
  const top = objectBehind(schema, model);
  if (!top) return "";
  const name = schema.$ref ? refName(schema.$ref) : undefined;
  const budget = { nodes: 300 };
  const list = fields(top, model, new Set(name ? [name] : []), 0, budget);
  if (!list) return "";
  return `<details class="schema"><summary>${escapeHtml(label)}</summary>${list}</details>`;
}

function fields(schema, model, seen, depth, budget) {
  const { props, required } = propertiesOf(schema, model);
  if (props.size === 0) return "";
  const items = [];
  for (const [prop, raw] of props) {
    if (budget.nodes-- <= 0) {
      items.push("<li>…</li>");
      break;
    }
    // Inside <summary> a link would nest one interactive element in another: the type stays text there.
    const rendered = model.renderType(raw ?? {}, "");
    const s = model.deref(raw ?? {});
    const description =
      raw?.description ?? s.description ?? (s.anyOf ?? s.oneOf ?? []).find((v) => v?.description)?.description ?? "";
    const req = required.has(prop) ? ' <span class="req">required</span>' : "";
    const head = (linked) =>
      `<code>${escapeHtml(prop)}</code> ${linked ? rendered.html : `<code>${escapeHtml(rendered.text)}</code>`}${req}`;
    const desc = description ? ` <span class="desc">${inlineHtml(plain(description, 400))}</span>` : "";
    const inner = objectBehind(raw, model);
    const innerName = [raw, s.items, ...(s.anyOf ?? s.oneOf ?? [])]
      .map((v) => (v?.$ref ? refName(v.$ref) : v?.items?.$ref ? refName(v.items.$ref) : undefined))
      .find(Boolean);
    const canOpen = inner && depth < 4 && !(innerName && seen.has(innerName));
    const nested = canOpen
      ? fields(inner, model, innerName ? new Set([...seen, innerName]) : seen, depth + 1, budget)
      : "";
    items.push(
      nested
        ? `<li><details><summary>${head(false)}</summary>${desc}${nested}</details></li>`
        : `<li>${head(true)}${desc}</li>`,
    );
  }
  return `<ul class="fields">${items.join("")}</ul>`;
}
