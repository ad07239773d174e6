import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { describe, expect, it } from "vitest";
import { htmlFile, markdownDir, openapiFile, operationsFile, readOperations } from "./index.js";

describe("@traces-sdk/docs entry", () => {
  it("exports absolute paths of files that exist", () => {
    for (const path of [markdownDir, htmlFile, openapiFile, operationsFile]) {
      expect(isAbsolute(path)).toBe(true);
      expect(existsSync(path), path).toBe(true);
    }
    expect(statSync(markdownDir).isDirectory()).toBe(true);
    expect(existsSync(join(markdownDir, "README.md"))).toBe(true);
  });

  it("indexes every operation of the bundled spec, each pointing at its page and anchor", () => {
    const spec = JSON.parse(readFileSync(openapiFile, "utf8"));
    const ids = Object.values<Record<string, { operationId: string }>>(spec.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    const operations = readOperations();
    expect(operations.map((o) => o.id).sort()).toEqual(ids.sort());
    expect(operations.find((o) => o.sdkMethod === "users.getUserDetails")).toEqual({
      id: "get_user_details_api_v1_traces_users__user_id__get",
      method: "GET",
      path: "/api/v1/traces/users/{user_id}",
      summary: "Get User Details",
      tag: "Users",
      page: "Apis/UsersApi.md",
      anchor: "getUserDetails",
      htmlAnchor: "op-users-getUserDetails",
      sdkMethod: "users.getUserDetails",
    });
    for (const op of operations) {
      expect(readFileSync(join(markdownDir, op.page), "utf8")).toContain(`<a id="${op.anchor}"></a>`);
      expect(readFileSync(htmlFile, "utf8")).toContain(`id="${op.htmlAnchor}"`);
    }
  });
});
