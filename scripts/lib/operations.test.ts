import { describe, expect, it } from "vitest";
import { camelCase, collectOperations, resourceName } from "./operations.mjs";

/** A minimal document with one GET per entry: [path, tag, operationId, extensions]. */
function specWith(ops: Array<[string, string | undefined, string | undefined, Record<string, unknown>?]>) {
  const paths: Record<string, unknown> = {};
  for (const [path, tag, operationId, ext] of ops) {
    paths[path] = {
      get: {
        ...(tag === undefined ? {} : { tags: [tag] }),
        ...(operationId === undefined ? {} : { operationId }),
        ...ext,
        responses: { "204": { description: "ok" } },
      },
    };
  }
  return { openapi: "3.1.0", info: { title: "t", version: "1" }, paths };
}

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

describe("names from the spec", () => {
  it.each([
    ["get_user_details", "getUserDetails"],
    ["Rule Results", "ruleResults"],
    ["list-things", "listThings"],
    ["Пользователи", "пользователи"],
    ["用户管理", "用户管理"],
    ["Ελληνικά API", "ελληνικάApi"],
    ["हिन्दी", "हिन्दी"],
    ["2fa codes", "_2faCodes"],
  ])("camelCase(%j) is %j, a valid identifier", (text, name) => {
    expect(camelCase(text)).toBe(name);
    expect(camelCase(text)).toMatch(IDENTIFIER);
  });

  it("a tag without letters falls back deterministically", () => {
    expect(resourceName("2024")).toBe("tag2024");
    expect(resourceName("🚀")).toMatch(/^tag_[0-9a-f]{8}$/);
    expect(resourceName("🚀")).toBe(resourceName("🚀"));
    expect(resourceName("🚀")).not.toBe(resourceName("✨"));
    expect(resourceName("constructor")).toBe("constructorResource");
  });

  it("distinct tags never share a namespace, whatever their script", () => {
    const ops = collectOperations(
      specWith([
        ["/a", "Пользователи", "list_a"],
        ["/b", "用户", "list_b"],
        ["/c", "User Accounts", "list_c"],
        ["/d", "user-accounts", "list_d"],
        ["/e", "🚀", "list_e"],
        ["/f", "✨", "list_f"],
        ["/g", undefined, "list_g"],
      ]),
    );
    const byPath = Object.fromEntries(ops.map((o) => [o.path, o.resource]));
    expect(byPath).toEqual({
      "/a": "пользователи",
      "/b": "用户",
      "/c": "userAccounts",
      "/d": "userAccounts2",
      "/e": resourceName("🚀"),
      "/f": resourceName("✨"),
      "/g": "default",
    });
    const tagsPerResource = new Map<string, Set<string>>();
    for (const o of ops) tagsPerResource.set(o.resource, (tagsPerResource.get(o.resource) ?? new Set()).add(o.tag));
    for (const tags of tagsPerResource.values()) expect(tags.size).toBe(1);
  });

  it("an explicit x-sdk-resource may group tags on purpose; a derived name moves aside from it", () => {
    const ops = collectOperations(
      specWith([
        ["/a", "A", "one", { "x-sdk-resource": "shared" }],
        ["/b", "B", "two", { "x-sdk-resource": "shared" }],
        ["/c", "Shared", "three"],
      ]),
    );
    expect(ops.map((o) => [o.path, o.resource])).toEqual([
      ["/a", "shared"],
      ["/b", "shared"],
      ["/c", "shared2"],
    ]);
  });

  it("method names are unique, valid identifiers, never an Object.prototype member", () => {
    const ops = collectOperations(
      specWith([
        ["/a", "T", "constructor"],
        ["/b", "T", "toString"],
        ["/c", "T", "🚀"],
        ["/d", "T", undefined],
        ["/e", "T", "list", { "x-sdk-method-name": "not an identifier" }],
        ["/f", "T", "list"],
        ["/g", "T", "получить"],
      ]),
    );
    const names = ops.map((o) => o.methodName);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(IDENTIFIER);
    expect(names).not.toContain("constructor");
    expect(names).not.toContain("toString");
    const byPath = Object.fromEntries(ops.map((o) => [o.path, o.methodName]));
    expect(byPath["/a"]).toBe("constructorOperation");
    expect(byPath["/c"]).toBe("getC");
    expect(byPath["/d"]).toBe("getD");
    expect(byPath["/e"]).toBe("notAnIdentifier");
    expect(byPath["/g"]).toBe("получить");
  });
});
