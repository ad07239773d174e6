import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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

describe("loadSpec and discriminator mappings that mix schema names and references to other files", () => {
  /** A spec whose Pet is one of `oneOf` and maps `kind` as `mapping` says, and `files` beside it. */
  const write = (folder: string, mapping: Record<string, string>, oneOf: string[], files: Record<string, string>) => {
    const base = join(dir, folder);
    mkdirSync(base, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(base, name)), { recursive: true });
      writeFileSync(join(base, name), text);
    }
    writeFileSync(
      join(base, "openapi.yaml"),
      `${head}components:
  schemas:
    Pet:
      oneOf: [${oneOf.map((ref) => `{ $ref: ${JSON.stringify(ref)} }`).join(", ")}]
      discriminator:
        propertyName: kind
        mapping: ${JSON.stringify(mapping)}
    Cat: { type: object, properties: { kind: { type: string }, meows: { type: boolean } } }
    Hamster: { type: object, properties: { kind: { type: string } } }
`,
    );
    return join(base, "openapi.yaml");
  };
  const schema = (extra: string) =>
    `type: object\nproperties:\n  kind: { type: string }\n  ${extra}: { type: boolean }\n`;

  // Each order: Redocly's bundler stopped at the first name and left every later value (and its file) out.
  it.each([
    ["a name first", { cat: "Cat", dog: "./dog.yaml" }],
    ["a reference first", { dog: "./dog.yaml", cat: "Cat" }],
  ])("brings in the file a mapping references, with %s", async (_, mapping) => {
    const file = write(`mixed-${Object.keys(mapping)[0]}`, mapping, ["#/components/schemas/Cat", "./dog.yaml"], {
      "dog.yaml": schema("barks"),
    });
    for (const alwaysBundle of [false, true]) {
      const { spec } = await loadSpec(file, { alwaysBundle });
      expect(spec.components.schemas.dog).toEqual({
        type: "object",
        properties: { kind: { type: "string" }, barks: { type: "boolean" } },
      });
      expect(spec.components.schemas.Pet.discriminator.mapping).toEqual({
        cat: "#/components/schemas/Cat",
        dog: "#/components/schemas/dog",
      });
    }
  });

  it("reads names, `#/components/schemas/X`, pointers into files, files without `./` and files in other folders", async () => {
    const file = write(
      "every-form",
      {
        cat: "Cat",
        hamster: "#/components/schemas/Hamster",
        dog: "./pets.yaml#/Dog",
        lizard: "lizard.yaml",
        fish: "sea/fish.yaml",
        bird: "./birds/all.yaml#/components/schemas/Parrot",
      },
      [
        "#/components/schemas/Cat",
        "#/components/schemas/Hamster",
        "./pets.yaml#/Dog",
        "lizard.yaml",
        "sea/fish.yaml",
        "./birds/all.yaml#/components/schemas/Parrot",
      ],
      {
        "pets.yaml": `Dog:\n  ${schema("barks").replaceAll("\n", "\n  ").trimEnd()}\n`,
        "lizard.yaml": schema("basks"),
        "sea/fish.yaml": schema("swims"),
        "birds/all.yaml": `components:\n  schemas:\n    Parrot:\n      ${schema("talks").replaceAll("\n", "\n      ").trimEnd()}\n`,
      },
    );
    const { spec } = await loadSpec(file);
    const mapping = spec.components.schemas.Pet.discriminator.mapping;
    expect(mapping).toEqual({
      cat: "#/components/schemas/Cat",
      hamster: "#/components/schemas/Hamster",
      dog: "#/components/schemas/Dog",
      lizard: "#/components/schemas/lizard",
      fish: "#/components/schemas/fish",
      bird: "#/components/schemas/Parrot",
    });
    for (const ref of Object.values(mapping) as string[]) {
      expect(spec.components.schemas[ref.split("/").pop() as string], ref).toBeDefined();
    }
    expect(spec.components.schemas.fish.properties.swims).toEqual({ type: "boolean" });
  });

  it("reads a name in another file's mapping as that file's schema, else the entry document's", async () => {
    const file = write(
      "names-in-parts",
      { bird: "./birds.yaml#/components/schemas/Bird" },
      ["./birds.yaml#/components/schemas/Bird"],
      {
        "birds.yaml": `components:
  schemas:
    Bird:
      oneOf: [{ $ref: "#/components/schemas/Parrot" }, { $ref: "openapi.yaml#/components/schemas/Cat" }]
      discriminator:
        propertyName: kind
        mapping: { parrot: Parrot, cat: Cat }
    Parrot: { type: object, properties: { kind: { type: string }, talks: { type: boolean } } }
`,
      },
    );
    const { spec } = await loadSpec(file);
    expect(spec.components.schemas.Bird.discriminator.mapping).toEqual({
      parrot: "#/components/schemas/Parrot",
      cat: "#/components/schemas/Cat",
    });
    expect(spec.components.schemas.Parrot.properties.talks).toEqual({ type: "boolean" });
  });

  it("reads a value that is both a schema name and a file as the name (as OpenAPI 3.1.1 recommends)", async () => {
    const file = write("name-and-file", { a: "Cat", b: "dog.yaml" }, ["#/components/schemas/Cat"], {
      "dog.yaml": schema("barks"),
    });
    const text = readFileSync(file, "utf8").replace(
      "    Hamster:",
      "    dog.yaml: { type: object, properties: { kind: { type: string }, named: { type: boolean } } }\n    Hamster:",
    );
    writeFileSync(file, text);
    const { spec } = await loadSpec(file);
    expect(spec.components.schemas.Pet.discriminator.mapping.b).toBe("#/components/schemas/dog.yaml");
    expect(spec.components.schemas["dog.yaml"].properties.named).toEqual({ type: "boolean" });
    expect(spec.components.schemas.dog).toBeUndefined();
  });

  it("fails on a value that is neither a schema name nor a reference that resolves, naming it", async () => {
    const file = write(
      "unknown-name",
      { cat: "Cat", kat: "Kat", gone: "./gone.yaml" },
      ["#/components/schemas/Cat"],
      {},
    );
    const error = await loadSpec(file).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /mapping\/kat\): discriminator mapping value "Kat" is neither the name of a schema under components\/schemas nor a reference/,
    );
    expect(error?.message).toMatch(/mapping\/gone\): discriminator mapping value "\.\/gone\.yaml" is neither/);
    expect(error?.message).not.toMatch(/mapping\/cat\)/);
  });

  it("names a value in another file that resolves nowhere at its place in that file", async () => {
    const file = write(
      "unknown-name-in-part",
      { bird: "./birds.yaml#/components/schemas/Bird" },
      ["./birds.yaml#/components/schemas/Bird"],
      {
        "birds.yaml": `components:
  schemas:
    Bird:
      oneOf: [{ $ref: "#/components/schemas/Parrot" }]
      discriminator:
        propertyName: kind
        mapping: { cat: Cat, parrot: Parrot, kiwi: Kiwi }
    Parrot: { type: object, properties: { kind: { type: string } } }
`,
      },
    );
    const error = await loadSpec(file).then(
      () => undefined,
      (e: { problems?: Array<{ location: string; message: string }> }) => e,
    );
    expect(error?.problems).toEqual([
      {
        location: expect.stringMatching(
          /unknown-name-in-part\/birds\.yaml:7:\d+ \(#\/components\/schemas\/Bird\/discriminator\/mapping\/kiwi\)$/,
        ),
        message:
          'discriminator mapping value "Kiwi" is neither the name of a schema under components/schemas nor a reference to a file or location that exists',
        rule: "no-unresolved-refs",
      },
    ]);
  });
});

describe("loadSpec and $ref cycles that never reach a schema", () => {
  it("reports each cycle once, at its first member, naming every member in order", async () => {
    const s = (name: string) => `#/components/schemas/${name}`;
    const p = (name: string) => `#/components/parameters/${name}`;
    writeFileSync(
      join(dir, "cycles.yaml"),
      `${head}components:
  parameters:
    Limit: { $ref: "${p("PageSize")}" }
    PageSize: { $ref: "${p("Limit")}" }
  schemas:
    Pet: { type: object }
    Lead: { $ref: "${s("Alias")}" }
    Alias: { $ref: "${s("OtherAlias")}" }
    OtherAlias: { $ref: "${s("Alias")}" }
    Three: { $ref: "${s("One")}" }
    One: { $ref: "${s("Two")}" }
    Two: { $ref: "${s("Three")}" }
    Self: { $ref: "${s("Self")}" }
    Tree: { type: object, properties: { children: { type: array, items: { $ref: "${s("Tree")}" } } } }
`,
    );
    const error = await loadSpec(join(dir, "cycles.yaml")).then(
      () => undefined,
      (e: { problems?: Array<{ location: string; message: string }> }) => e,
    );
    const problems = error?.problems ?? [];
    expect(problems.map((problem) => problem.message.match(/^circular \$ref: (.*?) (never|refers)/)?.[1])).toEqual([
      [p("Limit"), p("PageSize"), p("Limit")].join(" -> "),
      [s("Alias"), s("OtherAlias"), s("Alias")].join(" -> "),
      [s("Three"), s("One"), s("Two"), s("Three")].join(" -> "),
      s("Self"),
    ]);
    expect(problems.map((problem) => problem.location.replace(/^.*\(/, "("))).toEqual([
      `(${p("Limit")})`,
      `(${s("Alias")})`,
      `(${s("Three")})`,
      `(${s("Self")})`,
    ]);
    expect(problems[0]?.message).toMatch(/replace one of these 2 \$refs with the schema it stands for$/);
    expect(problems[3]?.message).toMatch(/refers to itself and never reaches a schema; replace the \$ref/);
  });
});
