/**
 * Single-change cases of the project's spec, each with the version bump a user of the generated
 * client needs and why. `setup` (optional) is applied to both sides, to give the spec a part it
 * lacks (a request body, a header parameter, an enum in a response); `edit` makes the one change.
 *
 * `bump` is the truth; `classified` is set only where the classifier knowingly says more than
 * needed (an over-statement, listed in the changeset tests' output).
 */

/** @typedef {{ id: string, bump: "none" | "patch" | "minor" | "major", why: string, setup?: (s: any) => void, edit: (s: any) => void, classified?: string }} SpecChangeCase */

const LIST = "/api/v1/traces/users";
const DETAILS = "/api/v1/traces/users/{user_id}";
const NOTES = "/api/v1/traces/users/{user_id}/notes";
const UPLOAD = "/api/v1/traces/users/{user_id}/avatar";

const list = (s) => s.paths[LIST].get;
const details = (s) => s.paths[DETAILS].get;
const notes = (s) => s.paths[NOTES].post;
const param = (op, name) => op.parameters.find((p) => p.name === name);
const schema = (s, name) => s.components.schemas[name];
const user = (s) => schema(s, "TraceUserMetadataResponse");
const note = (s) => schema(s, "NoteCreate");
const noteBody = (s) => notes(s).requestBody.content["application/json"].schema;
const ok = (op) => op.responses["200"].content["application/json"];

/** `start_time` as a plain `format: date-time` string (no pattern, no `x-sdk-date`). */
function asDateTime(s) {
  const p = param(list(s), "start_time").schema;
  p.format = "date-time";
  delete p["x-sdk-date"];
  delete p.pattern;
  delete p.examples;
}

/** Adds POST .../notes: a JSON request body (NoteCreate) in, a Note out. */
function withBody(s) {
  s.components.schemas.NoteCreate = {
    type: "object",
    description: "A note to attach to a user.",
    required: ["text"],
    additionalProperties: false,
    properties: {
      text: { type: "string", minLength: 1, maxLength: 2000, description: "The note." },
      tags: { type: "array", items: { type: "string" }, maxItems: 10 },
      priority: { type: "string", enum: ["low", "high"] },
      author: { type: "string" },
      link: { anyOf: [{ type: "string", format: "uri" }, { type: "integer" }] },
    },
  };
  s.components.schemas.Note = {
    type: "object",
    required: ["id", "text"],
    properties: {
      id: { type: "string" },
      text: { type: "string" },
      created_at: { type: "string", format: "date-time" },
    },
  };
  s.paths[NOTES] = {
    post: {
      tags: ["Users"],
      summary: "Add A Note",
      operationId: "add_note_api_v1_traces_users__user_id__notes_post",
      parameters: [{ name: "user_id", in: "path", required: true, schema: { type: "string" } }],
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/NoteCreate" } } },
      },
      responses: {
        201: {
          description: "The note.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Note" } } },
        },
        422: { $ref: "#/components/responses/ValidationFailed" },
      },
    },
  };
}

/** Adds an optional header and an optional cookie parameter to the list operation. */
function withHeaderAndCookie(s) {
  list(s).parameters.push(
    { name: "X-Request-Id", in: "header", required: false, schema: { type: "string" } },
    { name: "session", in: "cookie", required: false, schema: { type: "string" } },
  );
}

/** Adds a response enum: TraceUserMetadataResponse.status ($ref UserStatus). */
function withOutputEnum(s) {
  s.components.schemas.UserStatus = { type: "string", enum: ["active", "inactive"] };
  user(s).properties.status = { $ref: "#/components/schemas/UserStatus" };
}

/** Adds an OAuth2 scheme with scopes, required by the details operation. */
function withOauth(s) {
  s.components.securitySchemes.oauth = {
    type: "oauth2",
    flows: { clientCredentials: { tokenUrl: "https://auth.example/token", scopes: { read: "", admin: "" } } },
  };
  details(s).security = [{ oauth: ["read"] }];
}

/** Adds a multipart upload with a binary file field. */
function withUpload(s) {
  s.paths[UPLOAD] = {
    put: {
      tags: ["Users"],
      operationId: "put_avatar_api_v1_traces_users__user_id__avatar_put",
      parameters: [{ name: "user_id", in: "path", required: true, schema: { type: "string" } }],
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" } } },
          },
        },
      },
      responses: { 204: { description: "Stored." } },
    },
  };
}

/** Adds an optional array query parameter with `default: []`. */
function withArrayDefault(s) {
  list(s).parameters.push({
    name: "user_ids",
    in: "query",
    required: false,
    schema: { type: "array", items: { type: "string" }, default: [] },
  });
}

/**
 * Every case, grouped by the bump it needs: none, patch, minor, major.
 * @type {SpecChangeCase[]}
 */
export const SPEC_CHANGE_CASES = [
  // ---- no change, or wire-identical rewrites --------------------------------------------------
  { id: "identical", bump: "none", why: "nothing changed", edit: () => {} },
  {
    id: "key order",
    bump: "none",
    why: "YAML key order means nothing",
    edit: (s) => {
      const p = param(list(s), "page_size");
      const { schema: sc, ...rest } = p;
      for (const k of Object.keys(p)) delete p[k];
      Object.assign(p, { schema: Object.fromEntries(Object.entries(sc).reverse()) }, rest);
    },
  },
  {
    id: "default [] rewritten",
    bump: "none",
    why: "defaults compare by value: a new [] is the same default",
    setup: withArrayDefault,
    edit: (s) => {
      param(list(s), "user_ids").schema.default = [];
    },
  },
  {
    id: "default {} rewritten",
    bump: "none",
    why: "defaults compare by value",
    setup: (s) => {
      user(s).properties.extra = { type: "object", default: {} };
    },
    edit: (s) => {
      user(s).properties.extra.default = {};
    },
  },
  {
    id: "path parameter renamed",
    bump: "patch",
    why: "same URL on the wire; the method takes it positionally (only its JSDoc name changes)",
    edit: (s) => {
      const op = s.paths[DETAILS];
      delete s.paths[DETAILS];
      param(op.get, "user_id").name = "id";
      // FastAPI derives the operationId from the path; the method name stays getUserDetails.
      op.get.operationId = "get_user_details_api_v1_traces_users__id__get";
      s.paths["/api/v1/traces/users/{id}"] = op;
    },
  },
  {
    id: "format binary to contentMediaType",
    bump: "patch",
    why: "OpenAPI 3.1 spelling of the same binary field: a Blob either way",
    setup: withUpload,
    edit: (s) => {
      s.paths[UPLOAD].put.requestBody.content["multipart/form-data"].schema.properties.file = {
        type: "string",
        contentMediaType: "application/octet-stream",
      };
    },
  },
  {
    id: "nullable: true to type array",
    bump: "none",
    why: "OpenAPI 3.0 and 3.1 spellings of a nullable string",
    setup: (s) => {
      user(s).properties.nickname = { type: "string", nullable: true };
    },
    edit: (s) => {
      user(s).properties.nickname = { type: ["string", "null"] };
    },
  },
  {
    id: "anyOf null to type array",
    bump: "none",
    why: "FastAPI's anyOf [T, null] and type [T, null] are the same type",
    setup: (s) => {
      user(s).properties.nickname = { anyOf: [{ type: "string" }, { type: "null" }] };
    },
    edit: (s) => {
      user(s).properties.nickname = { type: ["string", "null"] };
    },
  },
  {
    id: "const to single enum",
    bump: "none",
    why: "const x and enum [x] are the same type",
    setup: (s) => {
      user(s).properties.kind = { type: "string", const: "user" };
    },
    edit: (s) => {
      user(s).properties.kind = { type: "string", enum: ["user"] };
    },
  },
  {
    id: "inline param schema to $ref of same shape",
    bump: "minor",
    why: "same schema, now shared: a new exported type",
    edit: (s) => {
      s.components.schemas.PageSize = structuredClone(param(list(s), "page_size").schema);
      param(list(s), "page_size").schema = { $ref: "#/components/schemas/PageSize" };
    },
  },
  // ---- documentation: patch ---------------------------------------------------------------------
  {
    id: "operation description",
    bump: "patch",
    why: "JSDoc only",
    edit: (s) => {
      list(s).description = "Lists users.";
    },
  },
  {
    id: "operation summary",
    bump: "patch",
    why: "JSDoc only",
    edit: (s) => {
      list(s).summary = "List users";
    },
  },
  {
    id: "parameter description",
    bump: "patch",
    why: "JSDoc only",
    edit: (s) => {
      param(list(s), "page").description = "Page number, from 0.";
    },
  },
  {
    id: "parameter example",
    bump: "patch",
    why: "docs only",
    edit: (s) => {
      param(list(s), "page_size").example = 50;
    },
  },
  {
    id: "response example",
    bump: "patch",
    why: "docs only",
    edit: (s) => {
      ok(details(s)).example.span_count = 18;
    },
  },
  {
    id: "property description",
    bump: "patch",
    why: "JSDoc only",
    edit: (s) => {
      user(s).properties.span_count.description = "Spans.";
    },
  },
  {
    id: "schema title",
    bump: "patch",
    why: "titles do not name generated types",
    edit: (s) => {
      user(s).title = "User";
    },
  },
  {
    id: "info description",
    bump: "patch",
    why: "docs only",
    edit: (s) => {
      s.info.description = "Users.";
    },
  },
  {
    id: "info version",
    bump: "patch",
    why: "the API's version string is documentation",
    edit: (s) => {
      s.info.version = "2.1.700";
    },
  },
  {
    id: "tag description",
    bump: "patch",
    why: "docs only",
    edit: (s) => {
      s.tags[0].description = "Users.";
    },
  },
  {
    id: "response description",
    bump: "patch",
    why: "docs only",
    edit: (s) => {
      s.components.responses.Forbidden.description = "No permission.";
    },
  },
  {
    id: "security scheme description",
    bump: "patch",
    why: "docs only",
    edit: (s) => {
      s.components.securitySchemes.bearerAuth.description = "An API key.";
    },
  },
  {
    id: "parameter explode",
    bump: "patch",
    why: "the client serializes as the spec says; callers pass the same array",
    edit: (s) => {
      s.components.parameters.TaskIds.explode = false;
    },
  },
  {
    id: "output maximum added",
    bump: "patch",
    why: "a promise about response values; no type changes",
    edit: (s) => {
      user(s).properties.span_count.maximum = 1000000;
    },
  },
  {
    id: "operation no longer deprecated",
    bump: "patch",
    why: "the @deprecated tag goes away",
    setup: (s) => {
      list(s).deprecated = true;
    },
    edit: (s) => {
      delete list(s).deprecated;
    },
  },
  {
    id: "operationId changed, method name pinned",
    bump: "patch",
    why: "x-sdk-method-name keeps the method's name",
    setup: (s) => {
      list(s)["x-sdk-method-name"] = "listUsersMetadata";
    },
    edit: (s) => {
      list(s).operationId = "list_users";
    },
  },
  {
    id: "output oneOf to anyOf",
    bump: "patch",
    why: "both are the same TypeScript union",
    setup: (s) => {
      user(s).properties.ref = { oneOf: [{ type: "string" }, { type: "integer" }] };
    },
    edit: (s) => {
      user(s).properties.ref = { anyOf: [{ type: "string" }, { type: "integer" }] };
    },
  },
  {
    id: "response $ref to an identical copy",
    bump: "minor",
    why: "same shape under another, new exported name; the old name still exists",
    edit: (s) => {
      s.components.schemas.UserDetails = structuredClone(schema(s, "TraceUserDetailsResponse"));
      ok(details(s)).schema = { $ref: "#/components/schemas/UserDetails" };
    },
  },
  {
    id: "output default added",
    bump: "patch",
    why: "documents a response value",
    edit: (s) => {
      schema(s, "TraceUserListResponse").properties.display_currency.default = "USD";
    },
  },
  {
    id: "server description",
    bump: "patch",
    why: "docs only",
    edit: (s) => {
      s.servers[0].description = "Local engine.";
    },
  },
  {
    id: "property title",
    bump: "patch",
    why: "docs only",
    edit: (s) => {
      user(s).properties.user_id.title = "User";
    },
  },
  {
    id: "output format added",
    bump: "patch",
    why: "documents response values; the type stays string",
    edit: (s) => {
      user(s).properties.task_id.format = "uuid";
    },
  },
  // ---- additions and widened input: minor -------------------------------------------------------
  {
    id: "new operation",
    bump: "minor",
    why: "a new method",
    setup: () => {},
    edit: (s) => {
      s.paths["/api/v1/traces/users/{user_id}/sessions"] = {
        get: { ...structuredClone(details(s)), operationId: "list_user_sessions" },
      };
    },
  },
  {
    id: "new optional query parameter",
    bump: "minor",
    why: "a new optional argument",
    edit: (s) => {
      list(s).parameters.push({ name: "q", in: "query", schema: { type: "string" } });
    },
  },
  {
    id: "new optional header parameter",
    bump: "minor",
    why: "a new optional argument",
    edit: (s) => {
      list(s).parameters.push({ name: "X-Trace", in: "header", schema: { type: "string" } });
    },
  },
  {
    id: "new optional cookie parameter",
    bump: "minor",
    why: "a new optional argument",
    edit: (s) => {
      list(s).parameters.push({ name: "pref", in: "cookie", schema: { type: "string" } });
    },
  },
  {
    id: "required parameter becomes optional",
    bump: "minor",
    why: "callers may now leave it out",
    edit: (s) => {
      s.components.parameters.TaskIds.required = false;
    },
  },
  {
    id: "input enum gains a value",
    bump: "minor",
    why: "the sort parameter accepts one more value",
    edit: (s) => {
      schema(s, "PaginationSortMethod").enum.push("random");
    },
  },
  {
    id: "input maximum raised",
    bump: "minor",
    why: "larger pages allowed",
    edit: (s) => {
      param(list(s), "page_size").schema.maximum = 10000;
    },
  },
  {
    id: "input minimum lowered",
    bump: "minor",
    why: "smaller values allowed",
    edit: (s) => {
      param(list(s), "page_size").schema.minimum = 0;
    },
  },
  {
    id: "input minItems removed",
    bump: "minor",
    why: "an empty list is allowed",
    edit: (s) => {
      delete s.components.parameters.TaskIds.schema.minItems;
    },
  },
  {
    id: "input maxLength raised",
    bump: "minor",
    why: "longer notes allowed",
    setup: withBody,
    edit: (s) => {
      note(s).properties.text.maxLength = 5000;
    },
  },
  {
    id: "input pattern removed",
    bump: "minor",
    why: "any user id accepted",
    setup: (s) => {
      param(details(s), "user_id").schema.pattern = "^[a-z0-9-]+$";
    },
    edit: (s) => {
      delete param(details(s), "user_id").schema.pattern;
    },
  },
  {
    id: "request body gains an optional property",
    bump: "minor",
    why: "a new optional field to send",
    setup: withBody,
    edit: (s) => {
      note(s).properties.color = { type: "string" };
    },
  },
  {
    id: "request body property becomes optional",
    bump: "minor",
    why: "callers may leave it out",
    setup: withBody,
    edit: (s) => {
      note(s).required = [];
    },
  },
  {
    id: "request body becomes optional",
    bump: "minor",
    why: "callers may send none",
    setup: withBody,
    edit: (s) => {
      notes(s).requestBody.required = false;
    },
  },
  {
    id: "response gains an optional property",
    bump: "minor",
    why: "a new field to read",
    edit: (s) => {
      user(s).properties.country = { type: "string" };
    },
  },
  {
    id: "response property becomes required",
    bump: "minor",
    why: "a field that is now always present",
    edit: (s) => {
      user(s).required.push("total_token_count");
    },
  },
  {
    id: "new error status",
    bump: "minor",
    why: "a documented error; errors are thrown as before",
    edit: (s) => {
      list(s).responses["429"] = { $ref: "#/components/responses/Forbidden" };
    },
  },
  {
    id: "operation deprecated",
    bump: "minor",
    why: "@deprecated warns, nothing breaks",
    edit: (s) => {
      list(s).deprecated = true;
    },
  },
  {
    id: "parameter deprecated",
    bump: "minor",
    why: "@deprecated warns, nothing breaks",
    edit: (s) => {
      param(list(s), "sort").deprecated = true;
    },
  },
  {
    id: "property deprecated",
    bump: "minor",
    why: "@deprecated warns, nothing breaks",
    edit: (s) => {
      user(s).properties.span_count.deprecated = true;
    },
  },
  {
    id: "new component schema",
    bump: "minor",
    why: "a new exported type",
    edit: (s) => {
      s.components.schemas.Extra = { type: "object", properties: { a: { type: "string" } } };
    },
  },
  {
    id: "input becomes nullable",
    bump: "minor",
    why: "null is accepted too",
    setup: withBody,
    edit: (s) => {
      note(s).properties.author.type = ["string", "null"];
    },
  },
  {
    id: "input integer to number",
    bump: "minor",
    why: "fractions accepted too (both are number in TypeScript)",
    edit: (s) => {
      param(list(s), "page").schema.type = "number";
    },
  },
  {
    id: "request body gains a media type",
    bump: "minor",
    why: "another encoding accepted",
    setup: withBody,
    edit: (s) => {
      notes(s).requestBody.content["application/x-www-form-urlencoded"] = {
        schema: { $ref: "#/components/schemas/NoteCreate" },
      };
    },
  },
  {
    id: "security alternative added",
    bump: "minor",
    why: "another way to authenticate; the old one still works",
    edit: (s) => {
      s.components.securitySchemes.apiKey = { type: "apiKey", in: "header", name: "X-API-Key" };
      list(s).security.push({ apiKey: [] });
    },
  },
  {
    id: "required scope removed",
    bump: "minor",
    why: "fewer permissions needed",
    setup: withOauth,
    edit: (s) => {
      details(s).security = [{ oauth: [] }];
    },
  },
  {
    id: "output loses nullability",
    bump: "minor",
    why: "null no longer comes back; checks for it still compile",
    setup: (s) => {
      user(s).properties.nickname = { type: ["string", "null"] };
    },
    edit: (s) => {
      user(s).properties.nickname = { type: "string" };
    },
  },
  {
    id: "output enum loses a value",
    bump: "minor",
    why: "fewer values come back; code handling it still compiles",
    setup: withOutputEnum,
    edit: (s) => {
      schema(s, "UserStatus").enum = ["active"];
    },
  },
  {
    id: "now paginated",
    bump: "minor",
    why: "the method also iterates pages; awaiting it gives the page as before",
    setup: (s) => {
      list(s)["x-pagination"] = false;
    },
    edit: (s) => {
      delete list(s)["x-pagination"];
    },
  },
  {
    id: "input additionalProperties false to true",
    bump: "minor",
    why: "extra fields accepted",
    setup: withBody,
    edit: (s) => {
      note(s).additionalProperties = true;
    },
  },
  {
    id: "input anyOf gains a variant",
    bump: "minor",
    why: "one more kind of value accepted",
    setup: withBody,
    edit: (s) => {
      note(s).properties.link.anyOf.push({ type: "boolean" });
    },
  },
  {
    id: "new optional request body",
    bump: "minor",
    why: "an optional body argument",
    edit: (s) => {
      s.paths[LIST].post = {
        tags: ["Users"],
        operationId: "create_user_api_v1_traces_users_post",
        responses: { 204: { description: "done" } },
      };
      s.paths[LIST].post.requestBody = {
        required: false,
        content: { "application/json": { schema: { type: "object" } } },
      };
    },
  },
  {
    id: "input default removed",
    bump: "minor",
    why: "the server picks the value when it is left out",
    edit: (s) => {
      delete param(list(s), "page").schema.default;
    },
  },
  {
    id: "input maxItems raised",
    bump: "minor",
    why: "more tags allowed",
    setup: withBody,
    edit: (s) => {
      note(s).properties.tags.maxItems = 20;
    },
  },
  {
    id: "input minLength removed",
    bump: "minor",
    why: "empty notes allowed",
    setup: withBody,
    edit: (s) => {
      delete note(s).properties.text.minLength;
    },
  },
  {
    id: "input format removed",
    bump: "minor",
    why: "any string accepted (uri was not a Date)",
    setup: withBody,
    edit: (s) => {
      delete note(s).properties.link.anyOf[0].format;
    },
  },
  {
    id: "security scheme added, unused",
    bump: "minor",
    why: "documents a scheme",
    edit: (s) => {
      s.components.securitySchemes.apiKey = { type: "apiKey", in: "header", name: "X-API-Key" };
    },
  },
  {
    id: "new response header",
    bump: "minor",
    why: "a new header to read",
    edit: (s) => {
      list(s).responses["200"].headers = { "X-Total": { schema: { type: "integer" } } };
    },
  },
  {
    id: "request body enum gains a value",
    bump: "minor",
    why: "one more priority accepted",
    setup: withBody,
    edit: (s) => {
      note(s).properties.priority.enum.push("medium");
    },
  },
  {
    id: "output required property added",
    bump: "minor",
    why: "a new field that is always present",
    edit: (s) => {
      user(s).properties.country = { type: "string" };
      user(s).required.push("country");
    },
  },
  {
    id: "input exclusiveMaximum removed",
    bump: "minor",
    why: "larger values allowed",
    setup: (s) => {
      param(list(s), "page").schema.exclusiveMaximum = 100;
    },
    edit: (s) => {
      delete param(list(s), "page").schema.exclusiveMaximum;
    },
  },
  // ---- breaking: major ---------------------------------------------------------------------------
  {
    id: "operation removed",
    bump: "major",
    why: "calls stop compiling",
    edit: (s) => {
      delete s.paths[DETAILS];
    },
  },
  {
    id: "path literal changed",
    bump: "major",
    why: "a different URL: older servers do not serve it, raw calls stop compiling",
    edit: (s) => {
      s.paths["/api/v2/traces/users"] = s.paths[LIST];
      delete s.paths[LIST];
    },
  },
  {
    id: "method changed",
    bump: "major",
    why: "a different request",
    edit: (s) => {
      s.paths[LIST].post = list(s);
      delete s.paths[LIST].get;
    },
  },
  {
    id: "x-sdk-method-name changed",
    bump: "major",
    why: "the method is renamed",
    edit: (s) => {
      list(s)["x-sdk-method-name"] = "list";
    },
  },
  {
    id: "tag changed",
    bump: "major",
    why: "the resource namespace is renamed",
    edit: (s) => {
      list(s).tags = ["People"];
    },
  },
  {
    id: "x-sdk-resource set",
    bump: "major",
    why: "the method moves to another namespace",
    edit: (s) => {
      list(s)["x-sdk-resource"] = "people";
    },
  },
  {
    id: "operationId changed",
    bump: "major",
    why: "the derived method name changes",
    edit: (s) => {
      list(s).operationId = "list_all_users_api_v1_traces_users_get";
    },
  },
  {
    id: "new required query parameter",
    bump: "major",
    why: "existing calls lack it",
    edit: (s) => {
      list(s).parameters.push({ name: "org", in: "query", required: true, schema: { type: "string" } });
    },
  },
  {
    id: "new required header parameter",
    bump: "major",
    why: "existing calls lack it",
    edit: (s) => {
      list(s).parameters.push({ name: "X-Org", in: "header", required: true, schema: { type: "string" } });
    },
  },
  {
    id: "new required cookie parameter",
    bump: "major",
    why: "existing calls lack it",
    edit: (s) => {
      list(s).parameters.push({ name: "org", in: "cookie", required: true, schema: { type: "string" } });
    },
  },
  {
    id: "optional parameter becomes required",
    bump: "major",
    why: "calls that leave it out stop compiling",
    edit: (s) => {
      param(list(s), "page_size").required = true;
    },
  },
  {
    id: "optional query parameter removed",
    bump: "major",
    why: "calls that pass it stop compiling",
    edit: (s) => {
      list(s).parameters = list(s).parameters.filter((p) => p.name !== "sort");
    },
  },
  {
    id: "optional header parameter removed",
    bump: "major",
    why: "header parameters are method arguments: calls that pass it stop compiling",
    setup: withHeaderAndCookie,
    edit: (s) => {
      list(s).parameters = list(s).parameters.filter((p) => p.name !== "X-Request-Id");
    },
  },
  {
    id: "optional cookie parameter removed",
    bump: "major",
    why: "calls that pass it stop compiling",
    setup: withHeaderAndCookie,
    edit: (s) => {
      list(s).parameters = list(s).parameters.filter((p) => p.name !== "session");
    },
  },
  {
    id: "required parameter removed",
    bump: "major",
    why: "every call passes it",
    edit: (s) => {
      details(s).parameters = details(s).parameters.filter((p) => !p.$ref);
    },
  },
  {
    id: "parameter type changed",
    bump: "major",
    why: "integer to string",
    edit: (s) => {
      param(list(s), "page_size").schema = { type: "string" };
    },
  },
  {
    id: "input enum loses a value",
    bump: "major",
    why: "sort=asc no longer accepted",
    edit: (s) => {
      schema(s, "PaginationSortMethod").enum = ["desc"];
    },
  },
  {
    id: "input maximum lowered",
    bump: "major",
    why: "page_size 101..5000 now rejected",
    edit: (s) => {
      param(list(s), "page_size").schema.maximum = 100;
    },
  },
  {
    id: "input minimum raised",
    bump: "major",
    why: "page 0 now rejected",
    edit: (s) => {
      param(list(s), "page").schema.minimum = 1;
    },
  },
  {
    id: "input minItems raised",
    bump: "major",
    why: "one task id no longer enough",
    edit: (s) => {
      s.components.parameters.TaskIds.schema.minItems = 2;
    },
  },
  {
    id: "input pattern added",
    bump: "major",
    why: "some user ids rejected",
    edit: (s) => {
      param(details(s), "user_id").schema.pattern = "^[a-z]+$";
    },
  },
  {
    id: "input format added",
    bump: "major",
    why: "only UUIDs accepted",
    edit: (s) => {
      param(details(s), "user_id").schema.format = "uuid";
    },
  },
  {
    id: "parameter moved to a header",
    bump: "major",
    why: "a different argument",
    edit: (s) => {
      param(list(s), "page_size").in = "header";
    },
  },
  {
    id: "input default changed",
    bump: "major",
    why: "calls that leave it out get other results",
    edit: (s) => {
      param(list(s), "page_size").schema.default = 50;
    },
  },
  {
    id: "request body gains a required property",
    bump: "major",
    why: "existing bodies lack it",
    setup: withBody,
    edit: (s) => {
      note(s).properties.subject = { type: "string" };
      note(s).required.push("subject");
    },
  },
  {
    id: "request body property becomes required",
    bump: "major",
    why: "bodies without it stop compiling",
    setup: withBody,
    edit: (s) => {
      note(s).required.push("author");
    },
  },
  {
    id: "request body property removed",
    bump: "major",
    why: "object literals that set it stop compiling",
    setup: withBody,
    edit: (s) => {
      delete note(s).properties.author;
    },
  },
  {
    id: "request body becomes required",
    bump: "major",
    why: "calls without a body stop compiling",
    setup: (s) => {
      withBody(s);
      notes(s).requestBody.required = false;
    },
    edit: (s) => {
      notes(s).requestBody.required = true;
    },
  },
  {
    id: "request body removed",
    bump: "major",
    why: "calls that pass one stop compiling",
    setup: withBody,
    edit: (s) => {
      delete notes(s).requestBody;
    },
  },
  {
    id: "request body loses its JSON media type",
    bump: "major",
    why: "JSON bodies are no longer accepted",
    setup: withBody,
    edit: (s) => {
      notes(s).requestBody.content = { "application/xml": notes(s).requestBody.content["application/json"] };
    },
  },
  {
    id: "request body property type changed",
    bump: "major",
    why: "string to integer",
    setup: withBody,
    edit: (s) => {
      note(s).properties.author = { type: "integer" };
    },
  },
  {
    id: "request body enum loses a value",
    bump: "major",
    why: "priority high rejected",
    setup: withBody,
    edit: (s) => {
      note(s).properties.priority.enum = ["low"];
    },
  },
  {
    id: "request body additionalProperties true to false",
    bump: "major",
    why: "extra fields rejected",
    setup: (s) => {
      withBody(s);
      note(s).additionalProperties = true;
    },
    edit: (s) => {
      note(s).additionalProperties = false;
    },
  },
  {
    id: "request body anyOf loses a variant",
    bump: "major",
    why: "integer links rejected",
    setup: withBody,
    edit: (s) => {
      note(s).properties.link.anyOf.pop();
    },
  },
  {
    id: "request body $ref switched",
    bump: "major",
    why: "a different shape to send",
    setup: withBody,
    edit: (s) => {
      noteBody(s).$ref = "#/components/schemas/Note";
    },
  },
  {
    id: "request body maxLength lowered",
    bump: "major",
    why: "long notes rejected",
    setup: withBody,
    edit: (s) => {
      note(s).properties.text.maxLength = 100;
    },
  },
  {
    id: "request body property becomes readOnly",
    bump: "major",
    why: "it can no longer be sent",
    setup: withBody,
    edit: (s) => {
      note(s).properties.author.readOnly = true;
    },
  },
  {
    id: "request body loses nullability",
    bump: "major",
    why: "null no longer accepted",
    setup: (s) => {
      withBody(s);
      note(s).properties.author.type = ["string", "null"];
    },
    edit: (s) => {
      note(s).properties.author.type = "string";
    },
  },
  {
    id: "request body array items changed",
    bump: "major",
    why: "tags as numbers",
    setup: withBody,
    edit: (s) => {
      note(s).properties.tags.items = { type: "integer" };
    },
  },
  {
    id: "response switches schema",
    bump: "major",
    why: "a different type comes back",
    edit: (s) => {
      ok(details(s)).schema = { $ref: "#/components/schemas/ErrorDetail" };
    },
  },
  {
    id: "response becomes an array",
    bump: "major",
    why: "an array comes back instead of an object",
    edit: (s) => {
      ok(details(s)).schema = { type: "array", items: { $ref: "#/components/schemas/TraceUserMetadataResponse" } };
    },
  },
  {
    id: "response loses its JSON media type",
    bump: "major",
    why: "the body is no longer parsed as JSON",
    edit: (s) => {
      details(s).responses["200"].content = { "text/plain": { schema: { type: "string" } } };
    },
  },
  {
    id: "response enum schema becomes nullable",
    bump: "major",
    why: "null can come back where code expects a status",
    setup: withOutputEnum,
    edit: (s) => {
      Object.assign(schema(s, "UserStatus"), { type: ["string", "null"], enum: ["active", "inactive", null] });
    },
  },
  {
    id: "response enum gains a value",
    bump: "major",
    why: "the generated type is a closed union: exhaustive switches and Record<UserStatus, …> maps stop compiling",
    setup: withOutputEnum,
    edit: (s) => {
      schema(s, "UserStatus").enum.push("banned");
    },
  },
  {
    id: "response property removed",
    bump: "major",
    why: "reads stop compiling",
    edit: (s) => {
      delete user(s).properties.span_count;
      user(s).required = user(s).required.filter((r) => r !== "span_count");
    },
  },
  {
    id: "response property no longer required",
    bump: "major",
    why: "it may be undefined",
    edit: (s) => {
      user(s).required = user(s).required.filter((r) => r !== "span_count");
    },
  },
  {
    id: "response property type changed",
    bump: "major",
    why: "integer to string",
    edit: (s) => {
      user(s).properties.span_count = { type: "string" };
    },
  },
  {
    id: "response property becomes nullable",
    bump: "major",
    why: "null can come back",
    edit: (s) => {
      user(s).properties.span_count.type = ["integer", "null"];
    },
  },
  {
    id: "response property nullable: true (3.0 style)",
    bump: "major",
    why: "null can come back",
    edit: (s) => {
      user(s).properties.span_count.nullable = true;
    },
  },
  {
    id: "success status removed",
    bump: "major",
    why: "the 200 body is gone (201 instead)",
    edit: (s) => {
      details(s).responses["201"] = details(s).responses["200"];
      delete details(s).responses["200"];
    },
  },
  {
    id: "error status removed",
    bump: "major",
    why: "documented behaviour gone",
    edit: (s) => {
      delete details(s).responses["404"];
    },
  },
  {
    id: "new success status",
    bump: "major",
    why: "the result type becomes a union",
    edit: (s) => {
      details(s).responses["202"] = {
        description: "Accepted",
        content: { "application/json": { schema: { type: "object", properties: { job: { type: "string" } } } } },
      };
    },
  },
  {
    id: "security requirement added",
    bump: "major",
    why: "calls without credentials are now refused",
    setup: (s) => {
      list(s).security = [];
    },
    edit: (s) => {
      list(s).security = [{ bearerAuth: [] }];
    },
  },
  {
    id: "security scheme changed",
    bump: "major",
    why: "credentials travel differently",
    edit: (s) => {
      s.components.securitySchemes.bearerAuth = { type: "apiKey", in: "header", name: "X-API-Key" };
    },
  },
  {
    id: "security requirement switched",
    bump: "major",
    why: "another scheme required",
    edit: (s) => {
      s.components.securitySchemes.apiKey = { type: "apiKey", in: "header", name: "X-API-Key" };
      list(s).security = [{ apiKey: [] }];
    },
  },
  {
    id: "required scope added",
    bump: "major",
    why: "tokens without it are refused",
    setup: withOauth,
    edit: (s) => {
      details(s).security = [{ oauth: ["read", "admin"] }];
    },
  },
  {
    id: "global security added",
    bump: "major",
    why: "every operation without its own security now needs credentials",
    setup: (s) => {
      delete s.security;
      delete list(s).security;
    },
    edit: (s) => {
      s.security = [{ bearerAuth: [] }];
    },
  },
  {
    id: "component schema removed",
    bump: "major",
    why: "its exported type is gone",
    setup: (s) => {
      s.components.schemas.Extra = { type: "object", properties: { a: { type: "string" } } };
    },
    edit: (s) => {
      delete s.components.schemas.Extra;
    },
  },
  {
    id: "component schema renamed",
    bump: "major",
    why: "the exported type name changes",
    edit: (s) => {
      s.components.schemas.UserDetails = user(s);
      delete s.components.schemas.TraceUserMetadataResponse;
      const rewrite = (node) => {
        if (!node || typeof node !== "object") return;
        if (node.$ref === "#/components/schemas/TraceUserMetadataResponse")
          node.$ref = "#/components/schemas/UserDetails";
        Object.values(node).forEach(rewrite);
      };
      rewrite(s.paths);
      rewrite(s.components.schemas);
    },
  },
  {
    id: "output array items changed",
    bump: "major",
    why: "session ids as numbers",
    edit: (s) => {
      user(s).properties.session_ids.items = { type: "integer" };
    },
  },
  {
    id: "output allOf member removed",
    bump: "major",
    why: "its properties are gone",
    setup: (s) => {
      s.components.schemas.Base = { type: "object", required: ["id"], properties: { id: { type: "string" } } };
      user(s).properties.owner = {
        allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { name: { type: "string" } } }],
      };
    },
    edit: (s) => {
      user(s).properties.owner.allOf.shift();
    },
  },
  {
    id: "output allOf member gains a required property",
    bump: "minor",
    why: "a new field that is always present",
    setup: (s) => {
      s.components.schemas.Base = { type: "object", required: ["id"], properties: { id: { type: "string" } } };
      user(s).properties.owner = { allOf: [{ $ref: "#/components/schemas/Base" }] };
    },
    edit: (s) => {
      s.components.schemas.Base.properties.org = { type: "string" };
      s.components.schemas.Base.required.push("org");
    },
  },
  {
    id: "output oneOf gains a variant",
    bump: "major",
    why: "a new kind of value comes back",
    setup: (s) => {
      user(s).properties.ref = { oneOf: [{ type: "string" }, { type: "integer" }] };
    },
    edit: (s) => {
      user(s).properties.ref.oneOf.push({ type: "boolean" });
    },
  },
  {
    id: "output integer to number",
    bump: "major",
    why: "fractions can come back",
    edit: (s) => {
      user(s).properties.span_count.type = "number";
    },
  },
  {
    id: "no longer paginated",
    bump: "major",
    why: "for await over the method stops compiling",
    edit: (s) => {
      list(s)["x-pagination"] = false;
    },
  },
  {
    id: "input array to string",
    bump: "major",
    why: "task_ids takes one string",
    edit: (s) => {
      s.components.parameters.TaskIds.schema = { type: "string" };
    },
  },
  {
    id: "output type widened to a type array",
    bump: "major",
    why: "a number can come back where a string did",
    edit: (s) => {
      user(s).properties.user_id.type = ["string", "integer"];
    },
  },
  {
    id: "server URL changed",
    bump: "major",
    why: "the default base URL points elsewhere",
    edit: (s) => {
      s.servers[0].url = "http://localhost:3030";
    },
  },
  {
    id: "date-time format removed from a query parameter",
    bump: "major",
    why: "the method no longer takes a Date",
    setup: asDateTime,
    edit: (s) => {
      delete param(list(s), "start_time").schema.format;
    },
  },
  {
    id: "date-time format replaced by x-sdk-date and a pattern",
    bump: "minor",
    why: "still a string or a Date; the pattern accepts more than RFC 3339 date-time (an added input pattern reads as narrowing)",
    classified: "major",
    setup: asDateTime,
    edit: (s) => {
      const p = param(list(s), "start_time").schema;
      delete p.format;
      p["x-sdk-date"] = "date-time";
      p.pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$";
    },
  },
  {
    id: "x-sdk-date removed from a query parameter",
    bump: "major",
    why: "the method no longer takes a Date",
    edit: (s) => {
      delete param(list(s), "start_time").schema["x-sdk-date"];
    },
  },
  {
    id: "output additionalProperties schema changed",
    bump: "major",
    why: "map values of another type",
    setup: (s) => {
      user(s).properties.labels = { type: "object", additionalProperties: { type: "string" } };
    },
    edit: (s) => {
      user(s).properties.labels.additionalProperties = { type: "integer" };
    },
  },
  {
    id: "output additionalProperties removed",
    bump: "major",
    why: "the index signature goes away: reads of arbitrary keys stop compiling",
    setup: (s) => {
      user(s).properties.labels = { type: "object", additionalProperties: { type: "string" } };
    },
    edit: (s) => {
      delete user(s).properties.labels.additionalProperties;
    },
  },
  {
    id: "output discriminator changed",
    bump: "major",
    why: "narrowing on the old property stops working",
    setup: (s) => {
      s.components.schemas.A = { type: "object", required: ["kind"], properties: { kind: { const: "a" } } };
      s.components.schemas.B = { type: "object", required: ["kind"], properties: { kind: { const: "b" } } };
      user(s).properties.item = {
        oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }],
        discriminator: { propertyName: "kind" },
      };
    },
    edit: (s) => {
      user(s).properties.item.discriminator = { propertyName: "type" };
    },
  },
  {
    id: "response header removed",
    bump: "major",
    why: "code reading it gets nothing",
    setup: (s) => {
      list(s).responses["200"].headers = { "X-Total": { schema: { type: "integer" } } };
    },
    edit: (s) => {
      delete list(s).responses["200"].headers;
    },
  },
  {
    id: "response content removed",
    bump: "major",
    why: "no body comes back",
    edit: (s) => {
      delete details(s).responses["200"].content;
    },
  },
  {
    id: "response property type via $ref changed",
    bump: "major",
    why: "users items become ErrorDetail",
    edit: (s) => {
      schema(s, "TraceUserListResponse").properties.users.items.$ref = "#/components/schemas/ErrorDetail";
    },
  },
  {
    id: "output becomes untyped",
    bump: "major",
    why: "unknown comes back where a number did",
    edit: (s) => {
      user(s).properties.span_count = { description: "Spans." };
    },
  },
  {
    id: "input becomes typed",
    bump: "major",
    why: "an untyped input now takes only strings",
    setup: (s) => {
      withBody(s);
      note(s).properties.extra = {};
    },
    edit: (s) => {
      note(s).properties.extra = { type: "string" };
    },
  },
  {
    id: "security scheme removed",
    bump: "major",
    why: "the scheme and the requirements on it are gone",
    edit: (s) => {
      s.components.securitySchemes = { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } };
      s.security = [{ apiKey: [] }];
      list(s).security = [{ apiKey: [] }];
      details(s).security = [{ apiKey: [] }];
    },
  },
  {
    id: "explicit x-pagination equal to the detected one",
    bump: "none",
    why: "the same pagination, spelled out",
    edit: (s) => {
      list(s)["x-pagination"] = {
        pageParam: "page",
        pageSizeParam: "page_size",
        itemsField: "users",
        totalField: "count",
      };
    },
  },
  {
    id: "security scheme key renamed, same scheme",
    bump: "patch",
    why: "credentials are sent the same way; only the scheme's key in the spec changed",
    edit: (s) => {
      s.components.securitySchemes.apiKeyAuth = s.components.securitySchemes.bearerAuth;
      delete s.components.securitySchemes.bearerAuth;
      const rename = (reqs) => reqs?.map((r) => ("bearerAuth" in r ? { apiKeyAuth: r.bearerAuth } : r));
      s.security = rename(s.security);
      list(s).security = rename(list(s).security);
      details(s).security = rename(details(s).security);
    },
  },
  {
    id: "$ref replaced by an identical inline schema",
    bump: "none",
    why: "the same type at the use site; the component stays exported",
    edit: (s) => {
      param(list(s), "sort").schema = { ...schema(s, "PaginationSortMethod"), default: "desc" };
    },
  },
  {
    id: "input enum spelled as oneOf of consts",
    bump: "none",
    why: "oneOf [const asc, const desc] is the enum [asc, desc]",
    setup: (s) => {
      param(list(s), "sort").schema = { type: "string", enum: ["asc", "desc"], default: "desc" };
    },
    edit: (s) => {
      param(list(s), "sort").schema = {
        type: "string",
        oneOf: [{ const: "asc" }, { const: "desc" }],
        default: "desc",
      };
    },
  },
  {
    id: "default beside a $ref changed on a parameter",
    bump: "major",
    why: "calls that leave sort out get the other order",
    edit: (s) => {
      param(list(s), "sort").schema.default = "asc";
    },
  },
];
