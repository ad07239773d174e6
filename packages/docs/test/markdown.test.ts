import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as client from "@traces-sdk/client";
import { describe, expect, it } from "vitest";
import type { SchemaObject } from "./helpers.js";
import { brokenMarkdownLinks, generatedDir, listFiles, markdownTableProblems } from "./helpers.js";

const markdown = join(generatedDir, "markdown");
const spec = JSON.parse(readFileSync(join(generatedDir, "openapi.json"), "utf8"));
const operations = JSON.parse(readFileSync(join(generatedDir, "operations.json"), "utf8"));
const read = (file: string) => readFileSync(join(markdown, file), "utf8");

/** Rows of the first markdown table after `heading`, as arrays of cells. */
function tableAfter(text: string, heading: string): string[][] {
  const start = text.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const lines = text.slice(start).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe("the markdown reference", () => {
  it("has a README, one page per tag and one per model", () => {
    const files = listFiles(markdown);
    expect(files).toContain("README.md");
    expect(files).toContain("Apis/UsersApi.md");
    for (const name of Object.keys(spec.components.schemas)) expect(files).toContain(`Models/${name}.md`);
    expect(files.filter((f) => f.startsWith("Models/")).length).toBe(Object.keys(spec.components.schemas).length);
  });

  it("has no table without rows or with text glued to its last row", () => {
    expect(markdownTableProblems(markdown)).toEqual([]);
  });

  it("links only to files and anchors that exist", () => {
    const { checked, broken } = brokenMarkdownLinks(markdown);
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it("README: base URL, authentication, every operation and every model", () => {
    const readme = read("README.md");
    expect(readme).toContain("`http://localhost`");
    expect(readme).toContain("Authorization: Bearer <apiKey>");
    const ops = tableAfter(readme, "## Operations");
    expect(ops.map((r) => r[0])).toEqual(
      operations.map(
        (o: { sdkMethod: string; page: string; anchor: string }) => `[\`${o.sdkMethod}\`](${o.page}#${o.anchor})`,
      ),
    );
    const models = tableAfter(readme, "## Models");
    expect(models.map((r) => r[0])).toEqual(
      Object.keys(spec.components.schemas)
        .sort()
        .map((n) => `[${n}](Models/${n}.md)`),
    );
  });

  it("README: every error class it names is one the client exports, and the table is the client's own mapping", () => {
    const rows = tableAfter(read("README.md"), "## Errors");
    const names = rows.flatMap((r) => [...(r[1] as string).matchAll(/`([A-Z]\w+Error)`/g)].map((m) => m[1] as string));
    expect(names.length).toBeGreaterThanOrEqual(11);
    const exported = client as unknown as Record<string, unknown>;
    for (const name of names) expect(typeof exported[name], name).toBe("function");
    // Each status row names the class the client builds for that status.
    const built = (status: number) =>
      client.APIError.from({
        status,
        method: "GET",
        path: "/x",
        headers: new Headers(),
        body: {},
        requestId: undefined,
      }).name;
    const cell = (status: string) => rows.find((r) => r[0] === status)?.[1] ?? "";
    for (const status of [400, 401, 403, 404, 422, 429]) expect(cell(String(status))).toContain(`\`${built(status)}\``);
    expect(cell(">= 500")).toContain(`\`${built(503)}\``);
    expect(cell("other 4xx")).toBe(`\`${built(418)}\``);
    // The 422 row says what this API really does: no operation documents a 422 (the engine's
    // validation failures are 400s), so the row must not describe a 422 body as if one came.
    const declares422 = Object.values(spec.paths).some((item) =>
      Object.values(item as Record<string, { responses?: Record<string, unknown> }>).some(
        (op) => op?.responses?.["422"],
      ),
    );
    expect(declares422).toBe(false);
    expect(cell("422")).toContain("no operation of this API documents a 422");
    expect(cell("422")).toContain("`BadRequestError`");
    expect(cell("422")).not.toContain("lists each failed check");
  });

  it("operation pages: method, path, parameters with constraints, linked return type, every response", () => {
    const page = read("Apis/UsersApi.md");
    expect(page).toContain("**GET** `/api/v1/traces/users/{user_id}`");
    const section = page.slice(page.indexOf('<a id="listUsersMetadata">'));
    const params = tableAfter(section, "### Parameters");
    const byName = Object.fromEntries(params.map((r) => [r[0], r]));
    // name | in | type | required | default | constraints | description
    expect(byName["`task_ids`"]?.slice(1, 6)).toEqual(["query", "<code>string[]</code>", "yes", "", "minItems 1"]);
    expect(byName["`page_size`"]?.slice(3, 6)).toEqual(["no", "<code>10</code>", "minimum 1, maximum 5000"]);
    expect(byName["`sort`"]?.[2]).toBe("<code>[PaginationSortMethod](../Models/PaginationSortMethod.md)</code>");
    expect(byName["`sort`"]?.[5]).toBe('one of `"asc"`, `"desc"`');
    expect(section).toContain("<code>[TraceUserListResponse](../Models/TraceUserListResponse.md)</code> (paginated");
    const responses = tableAfter(section, "### Responses");
    const documented = Object.keys(spec.paths["/api/v1/traces/users"].get.responses).sort();
    expect(responses.map((r) => r[0])).toEqual(documented.map((s) => `**${s}**`));
    // The engine sends validation failures as 400 with a string detail, never 422.
    expect(responses.find((r) => r[0] === "**422**")).toBeUndefined();
    expect(responses.find((r) => r[0] === "**400**")?.[3]).toBe("`BadRequestError`");
    expect(responses.find((r) => r[0] === "**400**")?.[2]).toBe("<code>[ErrorDetail](../Models/ErrorDetail.md)</code>");
    expect(section).toContain("[bearerAuth](../README.md#auth-bearerauth)");
  });

  it("model pages: one row per property with type, required, nullable and description; enums list values", () => {
    for (const [name, schema] of Object.entries<SchemaObject>(spec.components.schemas)) {
      const page = read(`Models/${name}.md`);
      if (schema.properties) {
        const rows = tableAfter(page, "## Properties");
        expect(
          rows.map((r) => r[0]),
          name,
        ).toEqual(Object.keys(schema.properties).map((p) => `\`${p}\``));
        for (const row of rows) {
          const prop = schema.properties[(row[0] as string).slice(1, -1)];
          expect(row[2]).toBe(schema.required?.includes((row[0] as string).slice(1, -1)) ? "yes" : "no");
          expect(row[6], `${name}.${row[0]} description`).toBe((prop?.description ?? "<missing>").replace(/\s+/g, " "));
        }
      }
      if (schema.enum) {
        expect(tableAfter(page, "## Values").map((r) => r[0])).toEqual(schema.enum.map((v: string) => `\`"${v}"\``));
      }
    }
    const list = tableAfter(read("Models/TraceUserListResponse.md"), "## Properties");
    expect(list[1]?.[1]).toBe("<code>[TraceUserMetadataResponse](TraceUserMetadataResponse.md)[]</code>");
  });

  it("every page opens with the do-not-edit header naming the command", () => {
    for (const file of listFiles(markdown)) {
      expect(read(file).split("\n")[0]).toMatch(
        /^<!-- Generated from spec\/openapi\.yaml by `pnpm generate`\. Do not edit this file/,
      );
    }
  });
});
