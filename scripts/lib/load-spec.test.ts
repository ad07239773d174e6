import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSpec } from "./load-spec.mjs";
import { repoRoot } from "./paths.mjs";

const dir = mkdtempSync(join(tmpdir(), "traces-load-spec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const head = `openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Pet" }
`;

/** Documents in which Redocly's bundler changes something: each must come out as the bundler leaves it. */
const BUNDLER_CHANGES: Record<string, string> = {
  "external-ref.yaml": `${head}components:
  schemas:
    Pet:
      type: object
      properties:
        e: { $ref: "common.yaml#/components/schemas/Ext" }
`,
  "ref-in-a-value.yaml": `${head}components:
  schemas:
    Pet:
      type: object
      example: { $ref: "#/components/schemas/Other" }
      properties:
        a: { type: integer, default: { $ref: "#/components/schemas/Other" } }
    Other: { type: object, properties: { q: { type: string } } }
`,
  "mapping-to-escaped-key-and-alias.yaml": `${head}components:
  schemas:
    Pet:
      oneOf: [{ $ref: "#/components/schemas/A~1B" }, { $ref: "#/components/schemas/Alias" }]
      discriminator:
        propertyName: kind
        mapping:
          ab: "#/components/schemas/A~1B"
          al: "#/components/schemas/Alias"
    A/B: { type: object, properties: { kind: { type: string } } }
    Alias: { $ref: "#/components/schemas/C" }
    C: { type: object, properties: { kind: { type: string } } }
`,
  "external-example-value.yaml": `openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: object }
              examples:
                one: { externalValue: "example.json" }
`,
};

/** Documents the bundler leaves as they are (but for an empty \`components\`). */
const BUNDLER_KEEPS: Record<string, string> = {
  "no-components.yaml": `openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /a:
    get:
      operationId: getA
      responses: { "204": { description: done } }
`,
  "mapping-as-references-and-names.yaml": `${head}components:
  schemas:
    Pet:
      oneOf: [{ $ref: "#/components/schemas/C" }, { $ref: "#/components/schemas/D" }]
      discriminator:
        propertyName: kind
        mapping:
          c: "#/components/schemas/C"
          d: D
    C: { type: object, properties: { kind: { type: string } } }
    D: { type: object, properties: { kind: { type: string } } }
`,
};

writeFileSync(
  join(dir, "common.yaml"),
  "components:\n  schemas:\n    Ext: { type: object, properties: { z: { type: string } } }\n",
);
writeFileSync(join(dir, "example.json"), '{ "hello": "world" }\n');
for (const [name, text] of Object.entries({ ...BUNDLER_CHANGES, ...BUNDLER_KEEPS }))
  writeFileSync(join(dir, name), text);

const corpus = (sub: string) =>
  readdirSync(join(repoRoot, "scripts/fixtures/corpus", sub))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(repoRoot, "scripts/fixtures/corpus", sub, f));

describe("loadSpec without Redocly's bundling step when the document needs none", () => {
  const files = [
    ...Object.keys({ ...BUNDLER_CHANGES, ...BUNDLER_KEEPS }).map((f) => join(dir, f)),
    ...corpus("public"),
    ...corpus("edge"),
    join(repoRoot, "scripts/fixtures/upstream/arthur-engine-2.1.686.openapi.json"),
    join(repoRoot, "spec/openapi.yaml"),
  ];
  it.each(files)("gives what bundling gives: %s", async (file) => {
    const skipped = await loadSpec(file);
    const bundled = await loadSpec(file, { alwaysBundle: true });
    expect(JSON.stringify(skipped.spec)).toBe(JSON.stringify(bundled.spec));
    expect(skipped.warnings).toEqual(bundled.warnings);
  });

  it("still bundles what the bundler changes: the external file, the value, the mapping, the example are brought in", async () => {
    const external = await loadSpec(join(dir, "external-ref.yaml"));
    expect(external.spec.components.schemas.Ext).toEqual({ type: "object", properties: { z: { type: "string" } } });
    const value = await loadSpec(join(dir, "ref-in-a-value.yaml"));
    expect(value.spec.components.schemas.Pet.example).toEqual({
      type: "object",
      properties: { q: { type: "string" } },
    });
    const mapping = await loadSpec(join(dir, "mapping-to-escaped-key-and-alias.yaml"));
    expect(mapping.spec.components.schemas.Pet.discriminator.mapping.al).toBe("#/components/schemas/C");
    const example = await loadSpec(join(dir, "external-example-value.yaml"));
    const media = example.spec.paths["/a"].get.responses["200"].content["application/json"];
    expect(media.examples.one.value).toEqual({ hello: "world" });
  });
});

describe("loadSpec and a byte-order mark", () => {
  it("reads a JSON or YAML spec that starts with one (as Windows tools write them)", async () => {
    const doc = { openapi: "3.0.3", info: { title: "t", version: "1" }, paths: {} };
    writeFileSync(join(dir, "bom.json"), `\uFEFF${JSON.stringify(doc)}`);
    writeFileSync(join(dir, "bom.yaml"), `\uFEFFopenapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\n`);
    for (const file of ["bom.json", "bom.yaml"]) {
      const loaded = await loadSpec(join(dir, file));
      expect(loaded.spec.info.title).toBe("t");
      expect(loaded.text.startsWith("\uFEFF")).toBe(false);
    }
  });
});

describe("loadSpec and property names of Object.prototype members", () => {
  it("validates and returns them as written (Redocly alone crashes or reports a false error on them)", async () => {
    writeFileSync(
      join(dir, "prototype-names.yaml"),
      `openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [constructor, valueOf]
      discriminator: { propertyName: constructor }
      properties:
        constructor: { type: string }
        valueOf: { type: integer }
        hasOwnProperty: { type: boolean }
        isPrototypeOf: { $ref: "#/components/schemas/Thing/properties/valueOf" }
`,
    );
    const loaded = await loadSpec(join(dir, "prototype-names.yaml"));
    const thing = loaded.spec.components.schemas.Thing;
    expect(Object.keys(thing.properties)).toEqual(["constructor", "valueOf", "hasOwnProperty", "isPrototypeOf"]);
    expect(thing.required).toEqual(["constructor", "valueOf"]);
    expect(thing.discriminator.propertyName).toBe("constructor");
    expect(thing.properties.isPrototypeOf.$ref).toBe("#/components/schemas/Thing/properties/valueOf");
    expect(JSON.stringify(loaded.spec)).not.toContain("\u2063");
  });
});
