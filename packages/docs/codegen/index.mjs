/**
 * The docs target of the generation pipeline (scripts/lib/generate.mjs).
 *
 * openapi-generator's `markdown` generator renders every page from our templates
 * (packages/docs/templates): README.md, one page per tag, one per model, and, in the same JVM run,
 * the single offline HTML page as a user-defined supporting file. The generator reads a prepared
 * copy of the spec in which JS has injected `x-docs` vendor extensions (SDK method names,
 * TypeScript types and examples, constraints, nullability), so the templates stay simple.
 */

import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PipelineError, SetupError } from "../../../scripts/lib/errors.mjs";
import { checkJavaAsync, ensureClassArchive, ensureJar, runJar } from "../../../scripts/lib/openapi-generator.mjs";
import { defaultServerUrl, describeServers } from "../../../scripts/lib/servers.mjs";
import {
  blockHtml,
  createDocModel,
  errorClassFor,
  escapeHtml,
  inlineHtml,
  mdCell,
  mdCodeSpan,
  mdInline,
  resolveRef,
  slug,
} from "./doc-model.mjs";
import { operationExamples } from "./examples.mjs";
import { decorateForHtml, LateHtml } from "./html.mjs";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Templates in use: TRACES_DOCS_TEMPLATES (a folder) overrides packages/docs/templates. */
export function templatesDir() {
  return resolve(process.env.TRACES_DOCS_TEMPLATES ?? join(packageDir, "templates"));
}

/** Folders of the generated tree, relative to packages/docs/generated. */
export const LAYOUT = {
  markdown: "markdown",
  html: "html/index.html",
  spec: "openapi.json",
  index: "operations.json",
};

const HTML_TEMPLATE = "reference.html.mustache";

/**
 * Checks Java, the generator jar (and its class archive, made once) and the templates before
 * anything is generated; returns the jar.
 * @param {{ strict: boolean, log: (line: string) => void }} ctx
 */
export async function preflight({ log }) {
  await checkJavaAsync();
  const jar = ensureJar({ log });
  ensureClassArchive(jar, { log });
  const dir = templatesDir();
  for (const name of ["README.mustache", "api.mustache", "model.mustache", HTML_TEMPLATE]) {
    if (!existsSync(join(dir, name))) {
      throw new SetupError(
        `The docs template ${join(displayTemplates(dir), name)} is missing. Restore it from git` +
          `${process.env.TRACES_DOCS_TEMPLATES ? " or unset TRACES_DOCS_TEMPLATES" : ""}, then run the command again.`,
      );
    }
  }
  return { jar };
}

/**
 * Writes markdown/, html/index.html, openapi.json and operations.json into ctx.outDir.
 * @param {{ spec: any, specText: string, specLabel: string, operations: any[], outDir: string, strict: boolean, tools?: { jar: string }, signal?: AbortSignal, header: string, log: (l: string) => void, warn: (l: string) => void }} ctx
 *   signal: stops the generator's JVM when another target failed
 */
export async function generate(ctx) {
  const { spec, operations, outDir, header } = ctx;
  const jar = ctx.tools?.jar ?? ensureJar({ log: ctx.log });
  const work = mkdtempSync(join(tmpdir(), "traces-docs-"));
  try {
    const late = new LateHtml();
    const { prepared, index, api, warnings } = prepare(spec, operations, header, { late });
    for (const warning of warnings) ctx.warn(warning);
    const specFile = join(work, "openapi.json");
    writeFileSync(specFile, `${JSON.stringify(prepared, null, 2)}\n`);
    const configFile = join(work, "config.json");
    writeFileSync(
      configFile,
      `${JSON.stringify(
        {
          additionalProperties: { docs: api, generateAliasAsModel: true },
          files: { [HTML_TEMPLATE]: { templateType: "SupportingFiles", destinationFilename: "index.html" } },
        },
        null,
        2,
      )}\n`,
    );
    const mdOut = join(work, "out");
    const templates = templatesDir();
    const args = [
      "generate",
      "-g",
      "markdown",
      "-i",
      specFile,
      "-o",
      mdOut,
      "-t",
      templates,
      "-c",
      configFile,
      "--generate-alias-as-model",
      "--global-property",
      // skipFormModel=false: multipart body schemas get their page like every other schema.
      "apiTests=false,modelTests=false,skipFormModel=false",
    ];
    ctx.log(`openapi-generator (markdown + HTML), templates ${displayTemplates(templates)}`);
    const context = {
      what: "the docs (markdown and HTML)",
      signal: ctx.signal,
      hint:
        "The generator writes api files with api.mustache, model files with model.mustache, README.md with " +
        `README.mustache and index.html with ${HTML_TEMPLATE} (partials reference.css/reference.js). ` +
        `If the message names a template, fix it in ${displayTemplates(templates)}` +
        `${process.env.TRACES_DOCS_TEMPLATES ? " (set by TRACES_DOCS_TEMPLATES)" : ""}: every {{#section}} needs its {{/section}}, ` +
        "and tags use {{name}}, {{{raw}}} or {{>partial}}.",
    };
    // The prepared copy normally passes the generator's own validation (the upstream spec does).
    const generated = runJar(jar, args, context).catch(async (error) => {
      // The pipeline has already refused what makes generation impossible; the generator's own
      // validator is stricter (component keys, examples), which is a warning unless --strict.
      if (!(!ctx.strict && error instanceof PipelineError && /SpecValidationException/.test(error.message)))
        throw error;
      ctx.warn(
        "openapi-generator rejected the spec; generating again with --skip-validate-spec (use --strict to fail instead)",
      );
      rmSync(mdOut, { recursive: true, force: true });
      return runJar(jar, [...args, "--skip-validate-spec"], context);
    });
    generated.catch(() => {}); // awaited below; a failure meanwhile is not unhandled
    // While the JVM works, between the pipeline's other work here: the page's code and trees.
    await new Promise((resolvePromise) => setImmediate(resolvePromise));
    await late.renderIdle();
    await generated;
    finish(mdOut, outDir, { index, spec, late });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Moves the generator's output into place, named as the index says, and writes the JSON files. */
function finish(mdOut, outDir, { index, spec, late }) {
  rmSync(join(mdOut, ".openapi-generator"), { recursive: true, force: true });
  rmSync(join(mdOut, ".openapi-generator-ignore"), { force: true });
  const markdown = join(outDir, LAYOUT.markdown);
  mkdirSync(join(markdown, "Apis"), { recursive: true });
  mkdirSync(join(markdown, "Models"), { recursive: true });

  // Pages carry a marker naming the file they belong in; pages without one are the generator's
  // own inline models (`Location_inner`), which our pages describe in place.
  const place = (folder, marker) => {
    /** Page file → its text. */
    const placed = new Map();
    const dir = join(mdOut, folder);
    for (const file of existsSync(dir) ? readdirSync(dir).sort() : []) {
      const text = readFileSync(join(dir, file), "utf8");
      const match = text.match(new RegExp(`<!-- ${marker}: (.+?) -->\\n`));
      if (!match) continue;
      // The generator may write one model twice under two file names (a 3.1 `$ref` to `My%20Pet`
      // gives `My Pet.md` and `My%20Pet.md`): the same page twice is one page.
      if (placed.has(match[1])) {
        if (placed.get(match[1]) === text) continue;
        throw new PipelineError(`two ${folder} pages claim ${match[1]}; rename one tag or schema`);
      }
      placed.set(match[1], text);
      writeFileSync(join(markdown, folder, match[1]), text.replace(match[0], ""));
    }
    return placed;
  };
  const apis = place("Apis", "page");
  const models = place("Models", "page");
  for (const page of new Set(index.operations.map((o) => o.page.replace(/^Apis\//, "")))) {
    if (!apis.has(page))
      throw new PipelineError(`openapi-generator wrote no page for ${page}; check the tags in the spec`);
  }
  const missing = index.models.filter((file) => !models.has(file));
  if (missing.length > 0) {
    throw new PipelineError(
      `openapi-generator wrote no page for ${missing.length} schema${missing.length === 1 ? "" : "s"} (${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", ..." : ""}). ` +
        "This is a gap in packages/docs/codegen/index.mjs (prepare): the generator skipped these schemas.",
    );
  }
  renameSync(join(mdOut, "README.md"), join(markdown, "README.md"));
  mkdirSync(join(outDir, dirname(LAYOUT.html)), { recursive: true });
  writeFileSync(join(outDir, LAYOUT.html), late.fill(readFileSync(join(mdOut, "index.html"), "utf8")));
  writeFileSync(join(outDir, LAYOUT.spec), `${JSON.stringify(spec, null, 2)}\n`);
  writeFileSync(join(outDir, LAYOUT.index), `${JSON.stringify(index.operations, null, 2)}\n`);
}

/**
 * The spec as the generator sees it: one tag per operation (the one the client uses), `x-docs`
 * extensions on operations and schemas, and the parts that trip strict validators normalised.
 * With `late`, the HTML page's highlighted code and embedded JSON are placeholders that
 * `late.fill` replaces in the written page; without it they are rendered here.
 */
export function prepare(spec, operations, header, { late } = {}) {
  const prepared = structuredClone(spec);
  const model = createDocModel(spec);
  const serverInfo = describeServers(spec);
  const servers = serverInfo.map((s) => {
    const notes = [];
    if (s.resolved !== s.url) {
      notes.push(
        `variables: ${s.variables.map((v) => `\`${v.name}\` = \`${v.default}\`${v.enum ? ` (one of ${v.enum.map((e) => `\`${e}\``).join(", ")})` : ""}`).join(", ")}`,
      );
    }
    if (s.relative) notes.push("relative: joined with `baseUrl`");
    const description = [s.description ?? "", notes.length > 0 ? `(${notes.join("; ")})` : ""]
      .filter(Boolean)
      .join(" ");
    return {
      url: s.resolved,
      urlMd: mdCodeSpan(s.resolved),
      urlHtml: escapeHtml(s.resolved),
      descriptionMd: mdCell(description),
      descriptionHtml: inlineHtml(description),
    };
  });
  const defaultBaseUrl = defaultServerUrl(spec);
  const relativeServer = serverInfo[0]?.relative ? serverInfo[0].resolved : undefined;
  // What examples pass as `baseUrl`: the default when there is one, else a placeholder host.
  const baseUrl = defaultBaseUrl ?? "https://api.example.com";
  const curlBaseUrl = defaultBaseUrl ?? (relativeServer ? joinUrl(baseUrl, relativeServer) : baseUrl);
  const baseUrlMd = defaultBaseUrl
    ? `All paths are relative to the base URL, *${mdInline(defaultBaseUrl)}* by default (see [the README](../README.md#base-url)).`
    : relativeServer
      ? `All paths are relative to the spec's server ${mdCodeSpan(relativeServer)}, joined with the \`baseUrl\` you pass (see [the README](../README.md#base-url)).`
      : "All paths are relative to the `baseUrl` you pass: the spec declares no default (see [the README](../README.md#base-url)).";
  const baseUrlIntroMd = defaultBaseUrl
    ? "All paths are relative to the base URL. The client uses the `baseUrl` option, else the `TRACES_BASE_URL` environment variable, else the first server below."
    : relativeServer
      ? `All paths are relative to the base URL. The first server below is relative: the client joins it with the \`baseUrl\` option (else the \`TRACES_BASE_URL\` environment variable), so \`baseUrl: "https://api.example.com"\` sends requests to ${mdCodeSpan(joinUrl("https://api.example.com", relativeServer))}.`
      : "All paths are relative to the base URL: pass the `baseUrl` option or set the `TRACES_BASE_URL` environment variable; there is no default.";

  // Security schemes: our own anchors, so a key such as "API Key" still links.
  const schemes = Object.entries(spec.components?.securitySchemes ?? {}).map(([name, s]) => {
    const kind =
      s.type === "http" && String(s.scheme).toLowerCase() === "bearer"
        ? "HTTP bearer token: the client sends `Authorization: Bearer <apiKey>` (option `apiKey`, default env `TRACES_API_KEY`)."
        : s.type === "http"
          ? `HTTP ${s.scheme} authentication.`
          : s.type === "apiKey"
            ? `API key in the ${s.in} \`${s.name}\`.`
            : `${s.type}.`;
    return {
      name,
      nameHtml: escapeHtml(name),
      anchor: `auth-${slug(name).toLowerCase()}`,
      kindMd: kind,
      kindHtml: inlineHtml(kind),
      descriptionMd: s.description ?? "",
      descriptionHtml: inlineHtml(s.description ?? ""),
    };
  });
  const schemeAnchor = new Map(schemes.map((s) => [s.name, s.anchor]));

  const schemaNames = Object.keys(spec.components?.schemas ?? {}).sort((a, b) => a.localeCompare(b));
  for (const name of schemaNames) {
    const original = prepared.components.schemas[name];
    const schema = original && typeof original === "object" ? normaliseSchema(original) : {};
    // openapi-generator writes no model for some valid schemas: free-form objects (no properties,
    // open to any), primitive aliases (`Date: {type: string, format: date}`), `$ref` aliases,
    // `const`, boolean and empty schemas, 3.1 type lists. Their copy becomes an object with one
    // stand-in property so that the generator writes a page (and an HTML section) with our
    // templates; the page itself is drawn from `x-docs`, which describes the schema as the spec
    // states it, so it looks like every other model page.
    if (skippedByGenerator(schema)) {
      for (const key of Object.keys(schema)) if (!key.startsWith("x-") && key !== "description") delete schema[key];
      schema.type = "object";
      schema.properties = { "x-docs-free-form": { type: "string" } };
    }
    prepared.components.schemas[name] = schema;
    prepared.components.schemas[name]["x-docs"] = model.describeModel(name);
  }

  // Tag pages: the generator groups by tag; we name the files ourselves. The generator's copy
  // gets tags it cannot merge or drop (it turns a tag into an ASCII class name, so `Пользователи`
  // and `用户` would both become `Default`): tags that are ASCII words and stay distinct keep their
  // name, every other tag gets `Tag` and a hash of its name.
  const tagPages = new Map();
  const generatorTags = new Map();
  const takenPages = new Set();
  const takenGeneratorTags = new Set();
  const tagInfo = new Map((spec.tags ?? []).map((t) => [t.name, t]));
  for (const op of operations) {
    if (tagPages.has(op.tag)) continue;
    const words = op.tag === "default" ? "Default" : slug(op.tag.replace(/\s+(\S)/gu, (_, c) => c.toUpperCase()));
    let page = `${words ? words.replace(/^./u, (c) => c.toUpperCase()) : pascal(op.resource)}Api.md`;
    while (takenPages.has(page.toLowerCase())) page = page.replace(/Api\.md$/, "_Api.md");
    takenPages.add(page.toLowerCase());
    tagPages.set(op.tag, page);
    const asClass = op.tag.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
    const keep = /^[A-Za-z][A-Za-z0-9 _-]*$/.test(op.tag) && !takenGeneratorTags.has(asClass);
    const generatorTag = keep ? op.tag : `Tag${createHash("sha256").update(op.tag).digest("hex").slice(0, 12)}`;
    takenGeneratorTags.add(keep ? asClass : generatorTag.toLowerCase());
    generatorTags.set(op.tag, generatorTag);
  }

  const indexOps = [];
  const warnings = [];
  const byKey = new Map(operations.map((o) => [`${o.method} ${o.path}`, o]));
  for (const [path, item] of Object.entries(prepared.paths ?? {})) {
    for (const [method, raw] of Object.entries(item ?? {})) {
      const op = byKey.get(`${method} ${path}`);
      if (!op || !raw || typeof raw !== "object") continue;
      const page = tagPages.get(op.tag);
      raw.tags = [generatorTags.get(op.tag)];
      raw["x-sdk-method-name"] = op.methodName;
      const anchor = op.methodName;
      const htmlAnchor = `op-${slug(op.resource)}-${slug(op.methodName)}`;
      const {
        example,
        raw: rawExample,
        curl,
        signature,
        warnings: exampleWarnings,
      } = operationExamples(op, model.deref, {
        baseUrl,
        defaultBaseUrl,
        curlBaseUrl,
        schemes: spec.components?.securitySchemes ?? {},
      });
      warnings.push(...exampleWarnings);
      const rawSchemas = rawParameterSchemas(spec, path, method);
      const params = [...op.parameters]
        .sort((a, b) => Number(b.required) - Number(a.required))
        .map((p) => {
          // The schema as written, so a `$ref` shows as a link to its model.
          const schema = rawSchemas.get(`${p.in}:${p.name}`) ?? p.schema;
          const type = model.renderType(schema, "../Models/");
          const typeHtml = model.renderType(schema, "").html;
          const c = model.constraints(p.schema);
          const dflt = p.schema?.default;
          // The client also takes a Date for date-time query values and sends it in local time.
          const dateSchema = model.deref(p.schema);
          const date = p.in === "query" && (dateSchema?.format ?? dateSchema?.["x-sdk-date"]) === "date-time";
          return {
            name: p.name,
            nameMd: mdCodeSpan(p.name),
            nameHtml: escapeHtml(p.name),
            in: p.in,
            typeMd: date ? `${type.md} or <code>Date</code>` : type.md,
            typeHtml: date ? `${typeHtml} or <code>Date</code>` : typeHtml,
            required: p.required ? "yes" : "no",
            defaultMd: dflt !== undefined ? `<code>${mdCell(JSON.stringify(dflt))}</code>` : "",
            defaultHtml: dflt !== undefined ? `<code>${escapeHtml(JSON.stringify(dflt))}</code>` : "",
            constraintsMd: c.md,
            constraintsHtml: c.html,
            descriptionMd: mdCell(p.description ?? ""),
            descriptionHtml: inlineHtml(p.description ?? ""),
          };
        });
      const rawResponses = spec.paths?.[path]?.[method]?.responses ?? {};
      const responses = op.responses.map((r) => {
        const body = r.schema ? model.renderType(r.schema, "../Models/") : undefined;
        const bodyHtml = r.schema ? model.renderType(r.schema, "").html : "";
        const cls = errorClassFor(r.status);
        const example = responseExample(spec, rawResponses[r.status], r.contentType);
        return {
          status: r.status,
          example: example ?? "",
          hasExample: example !== undefined,
          descriptionMd: mdCell(r.description),
          descriptionHtml: inlineHtml(r.description),
          bodyMd: body
            ? `${body.md}${r.contentType && r.contentType !== "application/json" ? ` (${r.contentType})` : ""}`
            : "none",
          bodyHtml: r.schema ? bodyHtml : "none",
          errorMd: cls ? `\`${cls}\`` : "returned",
          errorHtml: cls ? `<code>${cls}</code>` : "returned",
        };
      });
      const success = op.responses.find((r) => /^2/.test(r.status));
      const ret = success?.schema ? model.renderType(success.schema, "../Models/") : undefined;
      const auth = op.security.map((name) => ({
        name,
        md: `[${mdCell(name)}](../README.md#${schemeAnchor.get(name) ?? "authentication"})`,
        html: `<a href="#${escapeHtml(schemeAnchor.get(name) ?? "authentication")}">${escapeHtml(name)}</a>`,
      }));
      const requestBody = op.requestBody
        ? {
            md: `${op.requestBody.schema ? model.renderType(op.requestBody.schema, "../Models/").md : "any"} (${op.requestBody.contentTypes.join(", ")})${op.requestBody.required ? ", required" : ", optional"}`,
            html: `${op.requestBody.schema ? model.renderType(op.requestBody.schema, "").html : "any"} (${escapeHtml(op.requestBody.contentTypes.join(", "))})${op.requestBody.required ? ", required" : ", optional"}`,
          }
        : false;
      const summary = op.summary ?? op.methodName;
      raw["x-docs"] = {
        anchor,
        htmlAnchor,
        page,
        pageLink: encodeURIComponent(page),
        tag: op.tag,
        tagMd: mdInline(op.tag),
        tagDescriptionMd: (tagInfo.get(op.tag)?.description ?? "").trim(),
        method: op.method.toUpperCase(),
        methodLower: op.method,
        path: op.path,
        pathMd: mdCell(op.path),
        pathHtml: escapeHtml(op.path),
        operationId: op.operationId,
        sdkMethod: `${op.resource}.${op.methodName}`,
        signature,
        summaryMd: mdCell(summary),
        summaryHtml: inlineHtml(summary),
        descriptionMd: (op.description ?? "").trim(),
        descriptionHtml: blockHtml(op.description ?? ""),
        deprecated: op.deprecated,
        paginated: Boolean(op.pagination),
        params,
        hasParams: params.length > 0,
        requestBody,
        returnMd: ret ? ret.md : "nothing (empty body)",
        returnHtml: success?.schema ? model.renderType(success.schema, "").html : "nothing (empty body)",
        auth,
        hasAuth: auth.length > 0,
        responses,
        example,
        rawExample,
        curl,
        search: `${op.methodName} ${op.resource}.${op.methodName} ${op.operationId} ${op.method.toUpperCase()} ${op.path} ${summary}`,
      };
      indexOps.push({
        id: op.operationId,
        method: op.method.toUpperCase(),
        path: op.path,
        summary,
        tag: op.tag,
        page: `Apis/${page}`,
        anchor,
        htmlAnchor,
        sdkMethod: `${op.resource}.${op.methodName}`,
      });
    }
  }
  indexOps.sort((a, b) => a.tag.localeCompare(b.tag) || a.sdkMethod.localeCompare(b.sdkMethod));

  // Normalise what strict validators reject but the docs do not need: component keys with spaces
  // (renamed consistently) and media-type `examples` that are not Example objects.
  renameInvalidSchemeKeys(prepared);
  dropInvalidExamples(prepared);
  // Webhooks are requests the API sends, not operations of the client: the generator would group
  // them with the operations of their tag, and the pages are drawn from the operations only.
  delete prepared.webhooks;

  const tags = [...tagPages].map(([name, page]) => ({
    name,
    nameHtml: escapeHtml(name),
    page,
    anchor: `tag-${slug(name) || slug(page.replace(/\.md$/, ""))}`,
    descriptionMd: mdCell(tagInfo.get(name)?.description ?? ""),
    descriptionHtml: inlineHtml(tagInfo.get(name)?.description ?? ""),
    operations: indexOps
      .filter((o) => o.tag === name)
      .map((o) => ({
        ...o,
        summaryHtml: escapeHtml(o.summary),
        summaryMd: mdCell(o.summary),
        pathHtml: escapeHtml(o.path),
        pathMd: mdCell(o.path),
        search: `${o.sdkMethod} ${o.id} ${o.method} ${o.path} ${o.summary}`,
      })),
  }));
  const firstListing =
    operations.find((o) => o.method === "get" && o.pagination) ?? operations.find((o) => o.method === "get");
  const api = {
    header,
    title: spec.info?.title ?? "API",
    titleHtml: escapeHtml(spec.info?.title ?? "API"),
    version: spec.info?.version ?? "",
    summaryMd: spec.info?.summary ?? "",
    summaryHtml: inlineHtml(spec.info?.summary ?? ""),
    descriptionMd: (spec.info?.description ?? "").trim(),
    descriptionHtml: blockHtml(spec.info?.description ?? ""),
    license: spec.info?.license?.name ?? "",
    hasLicense: Boolean(spec.info?.license?.name),
    baseUrl,
    baseUrlHtml: escapeHtml(baseUrl),
    baseUrlMd,
    baseUrlIntroMd,
    baseUrlIntroHtml: inlineHtml(baseUrlIntroMd),
    servers,
    hasServers: servers.length > 0,
    schemes,
    hasSchemes: schemes.length > 0,
    tags,
    operationCount: indexOps.length,
    modelCount: schemaNames.length,
    quickStart: quickStart(firstListing, model.deref, { baseUrl, defaultBaseUrl, curlBaseUrl }),
    // Whether any operation documents a 422 (or a 400): the error table says when the API never sends one.
    declares422: declaresStatus(spec, "422"),
    declares400: declaresStatus(spec, "400"),
  };
  decorateForHtml({ prepared, api, spec, model, late });
  return {
    prepared,
    api,
    warnings,
    index: { operations: indexOps, models: schemaNames.map((n) => model.fileOf(n)) },
  };
}

/**
 * True for a component schema openapi-generator writes no model for (see prepare): anything but
 * an object with properties, a composition (`allOf`/`anyOf`/`oneOf`), an enumeration or an array.
 */
function skippedByGenerator(schema) {
  if (typeof schema.$ref === "string") return true;
  if (Array.isArray(schema.allOf) || Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) return false;
  if (Array.isArray(schema.enum)) return false;
  if (schema.type === "array") return false;
  if (schema.type === "object" || (schema.type === undefined && schema.properties)) {
    return Object.keys(schema.properties ?? {}).length === 0;
  }
  return true;
}

/** `tag_1a2b` → `Tag_1a2b`. */
function pascal(text) {
  return String(text).replace(/^./u, (c) => c.toUpperCase());
}

/** `https://host` + `/api/v3` → `https://host/api/v3` (one slash between them). */
function joinUrl(base, path) {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** The spec's example of a response body, as indented JSON. */
function responseExample(spec, rawResponse, contentType) {
  const response = resolveRef(spec, rawResponse);
  const media = contentType ? response?.content?.[contentType] : undefined;
  if (!media || !/json/.test(contentType)) return undefined;
  let value = media.example;
  if (value === undefined && media.examples && typeof media.examples === "object") {
    const first = resolveRef(spec, Object.values(media.examples)[0]);
    if (first && typeof first === "object" && "value" in first) value = first.value;
  }
  return value === undefined ? undefined : JSON.stringify(value, null, 2);
}

/** Parameter schemas of one operation before their `$ref` is followed, by `in:name`. */
function rawParameterSchemas(spec, path, method) {
  const item = spec.paths?.[path] ?? {};
  const out = new Map();
  for (const raw of [...(item.parameters ?? []), ...(item[method]?.parameters ?? [])]) {
    let p = raw;
    for (let i = 0; i < 8 && p && typeof p.$ref === "string"; i++) {
      p = p.$ref
        .replace(/^#\//, "")
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((node, key) => node?.[key], spec);
    }
    if (p?.name && p.schema) out.set(`${p.in}:${p.name}`, p.schema);
  }
  return out;
}

/** The README's first example: create a client and call the first listing operation. */
function quickStart(op, deref, api) {
  const { baseUrl } = api;
  const lines = [
    'import { createTracesClient } from "@traces-sdk/client";',
    "",
    "const client = createTracesClient({",
    `  baseUrl: process.env.TRACES_BASE_URL ?? ${JSON.stringify(baseUrl)},`,
    "  apiKey: process.env.TRACES_API_KEY, // sent as `Authorization: Bearer <apiKey>`",
    "  timeout: 30_000, // per attempt, in ms",
    "  maxRetries: 2, // connection errors, timeouts, 408, 429 and 5xx",
    "});",
  ];
  if (op) {
    const { quickCall } = operationExamples(op, deref, api);
    lines.push("", `// ${op.summary ?? op.methodName} (${op.method.toUpperCase()} ${op.path})`, quickCall);
  }
  return lines.join("\n");
}

/**
 * `anyOf: [X, {type: null}]` → X with `x-nullable`: openapi-generator keeps the property's
 * description and type that way (it loses both on the 3.1 form).
 */
function normaliseSchema(schema) {
  const visit = (node, depth) => {
    if (!node || typeof node !== "object" || depth > 64) return node;
    if (Array.isArray(node)) return node.map((n) => visit(n, depth + 1));
    const out = {};
    for (const [k, v] of Object.entries(node)) out[k] = k.startsWith("x-") ? v : visit(v, depth + 1);
    for (const key of ["anyOf", "oneOf"]) {
      const variants = out[key];
      if (!Array.isArray(variants)) continue;
      const kept = variants.filter((v) => !(v && v.type === "null"));
      if (kept.length === 1 && kept.length < variants.length) {
        delete out[key];
        const [only] = kept;
        if (only.$ref) out.allOf = [only];
        else for (const [k, v] of Object.entries(only)) if (!(k in out)) out[k] = v;
        out["x-nullable"] = true;
      }
    }
    return out;
  };
  return visit(schema, 0);
}

function renameInvalidSchemeKeys(prepared) {
  const schemes = prepared.components?.securitySchemes;
  if (!schemes) return;
  const renames = new Map();
  for (const key of Object.keys(schemes)) {
    if (/^[a-zA-Z0-9._-]+$/.test(key)) continue;
    const fixed = key.replace(/[^a-zA-Z0-9._-]/g, "_");
    renames.set(key, fixed);
    schemes[fixed] = schemes[key];
    delete schemes[key];
  }
  if (renames.size === 0) return;
  const fix = (list) =>
    list?.map((req) => Object.fromEntries(Object.entries(req).map(([k, v]) => [renames.get(k) ?? k, v])));
  if (prepared.security) prepared.security = fix(prepared.security);
  for (const item of Object.values(prepared.paths ?? {})) {
    for (const op of Object.values(item ?? {}))
      if (op && typeof op === "object" && op.security) op.security = fix(op.security);
  }
}

function dropInvalidExamples(prepared) {
  const visit = (node) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (node.content && typeof node.content === "object") {
      for (const media of Object.values(node.content)) {
        const ex = media?.examples;
        if (
          ex &&
          typeof ex === "object" &&
          Object.values(ex).some(
            (e) => !e || typeof e !== "object" || !("value" in e || "$ref" in e || "externalValue" in e),
          )
        ) {
          delete media.examples;
        }
      }
    }
    for (const [k, v] of Object.entries(node)) if (!k.startsWith("x-")) visit(v);
  };
  visit(prepared.paths);
  visit(prepared.components?.responses);
  visit(prepared.components?.requestBodies);
}

function displayTemplates(dir) {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith("..") ? rel : dir;
}

/** Whether any operation of `spec` documents response `status`. */
function declaresStatus(spec, status) {
  return Object.values(spec.paths ?? {}).some((item) =>
    Object.values(item ?? {}).some((op) => Boolean(op && typeof op === "object" && op.responses?.[status])),
  );
}
