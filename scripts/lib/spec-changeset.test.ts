import { describe, expect, it } from "vitest";
import { loadSpec } from "./load-spec.mjs";
import { defaultSpec } from "./paths.mjs";
import { diffSpecs, renderChangeset } from "./spec-changeset.mjs";

// Specs are plain JSON trees; the tests reach into them by known paths.
// biome-ignore lint/suspicious/noExplicitAny: a spec document has no static type here.
type Spec = any;
const base: Spec = (await loadSpec(defaultSpec)).spec;
/** A deep copy of the project's spec, changed by `edit`. */
function changed(edit: (spec: Spec) => void) {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}
const list = (s: Spec) => s.paths["/api/v1/traces/users"].get;
const param = (s: Spec, name: string) => list(s).parameters.find((p: { name: string }) => p.name === name);

describe("the version bump a spec change needs", () => {
  it("no change: none", () => {
    expect(diffSpecs(base, structuredClone(base))).toEqual({ bump: "none", changes: [] });
  });

  it("a description: patch", () => {
    const diff = diffSpecs(
      base,
      changed((s) => {
        list(s).description = "Lists users.";
      }),
    );
    expect(diff.bump).toBe("patch");
    expect(diff.changes[0]?.what).toContain("users.listUsersMetadata");
  });

  it("an example only: patch", () => {
    expect(
      diffSpecs(
        base,
        changed((s) => {
          param(s, "page_size").example = 50;
        }),
      ).bump,
    ).toBe("patch");
  });

  it("a new optional parameter: minor", () => {
    const diff = diffSpecs(
      base,
      changed((s) => {
        list(s).parameters.push({
          name: "user_ids",
          in: "query",
          required: false,
          schema: { type: "array", items: { type: "string" } },
        });
      }),
    );
    expect(diff).toMatchObject({
      bump: "minor",
      changes: [{ what: expect.stringContaining("new optional parameter `user_ids`") }],
    });
  });

  it("a new response property: minor", () => {
    const diff = diffSpecs(
      base,
      changed((s) => {
        s.components.schemas.TraceUserMetadataResponse.properties.country = { type: "string" };
      }),
    );
    expect(diff.bump).toBe("minor");
  });

  it("a new operation: minor", () => {
    const diff = diffSpecs(
      base,
      changed((s) => {
        s.paths["/api/v1/traces/users/{user_id}/sessions"] = {
          get: { ...structuredClone(s.paths["/api/v1/traces/users/{user_id}"].get), operationId: "list_user_sessions" },
        };
      }),
    );
    expect(diff.bump).toBe("minor");
    expect(diff.changes.map((c) => c.what)).toContain(
      "new operation GET /api/v1/traces/users/{user_id}/sessions (`users.listUserSessions`)",
    );
  });

  it("a parameter made required: major", () => {
    expect(
      diffSpecs(
        base,
        changed((s) => {
          param(s, "page").required = true;
        }),
      ).bump,
    ).toBe("major");
  });

  it("a tightened limit: major", () => {
    const diff = diffSpecs(
      base,
      changed((s) => {
        param(s, "page_size").schema.maximum = 1000;
      }),
    );
    expect(diff).toMatchObject({
      bump: "major",
      changes: [{ what: expect.stringContaining("`maximum` tightened to 1000") }],
    });
  });

  it("a removed response property: major", () => {
    expect(
      diffSpecs(
        base,
        changed((s) => {
          delete s.components.schemas.TraceUserListResponse.properties.display_currency;
        }),
      ).bump,
    ).toBe("major");
  });

  it("a removed operation: major", () => {
    expect(
      diffSpecs(
        base,
        changed((s) => {
          delete s.paths["/api/v1/traces/users/{user_id}"];
        }),
      ).bump,
    ).toBe("major");
  });

  it("a renamed method (x-sdk-method-name): major", () => {
    const diff = diffSpecs(
      base,
      changed((s) => {
        list(s)["x-sdk-method-name"] = "listUsers";
      }),
    );
    expect(diff.changes.map((c) => c.what)).toContain("renamed `users.listUsersMetadata` to `users.listUsers`");
  });

  it("renders a changeset that bumps both published packages", () => {
    const text = renderChangeset({ bump: "minor", changes: [{ bump: "minor", what: "new schema `X`" }] });
    expect(text).toBe(
      '---\n"@traces-sdk/client": minor\n"@traces-sdk/docs": minor\n---\n\nAPI spec update:\n\n- new schema `X`\n',
    );
  });
});
