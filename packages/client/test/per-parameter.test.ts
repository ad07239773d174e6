/**
 * Each generated parameter names its own writer and checker (`ParamMetadata.serialize`,
 * `SchemaConstraints.check`): a Date still goes on the wire as local time wherever the schema lets
 * one through, a schema that refuses it still refuses it, and a bundle of one operation carries
 * only the styles and checks that operation uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLocalDate, formatLocalDateTime } from "../src/serialize.js";
import { type GeneratedClient, generateClient } from "./generated-client.js";
import { startServer, type TestServer } from "./server.js";

const here = dirname(fileURLToPath(import.meta.url));
let server: TestServer;
let generated: GeneratedClient;
// biome-ignore lint/suspicious/noExplicitAny: the generated client's type exists only in the temporary folder.
let client: any;

beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(204);
    res.end();
  });
  generated = generateClient(join(here, "fixtures/dates-anywhere.openapi.yaml"));
  const mod = await generated.load();
  client = (mod.createTracesClient as (o: object) => unknown)({ baseUrl: server.url, maxRetries: 0 });
}, 120_000);
afterAll(async () => {
  await server?.close();
  generated?.dispose();
});

describe("Dates per parameter", () => {
  it("writes a Date as local time wherever the schema lets one through", async () => {
    const at = new Date(Date.UTC(2026, 2, 1, 8, 30));
    const local = formatLocalDateTime(at);
    await client.things.getThing(at, {
      any: at,
      filter: { from: at, n: 1 },
      days: [at, "2026-03-02"],
      loose: [at],
      "X-At": at,
      at,
    });
    const seen = server.requests.at(-1);
    expect(seen?.path).toBe(`/things/${encodeURIComponent(local)}`);
    expect(seen?.query.get("any")).toBe(local);
    expect(seen?.query.get("filter[from]")).toBe(local);
    expect(seen?.query.get("filter[n]")).toBe("1");
    expect(seen?.query.get("days")).toBe(`${formatLocalDate(at)},2026-03-02`);
    expect(seen?.query.get("loose")).toBe(local);
    expect(seen?.headers["x-at"]).toBe(local);
    expect(seen?.headers.cookie).toBe(`at=${encodeURIComponent(local)}`);
  });

  it("still refuses a Date where the schema asks for a plain string, naming the parameter", async () => {
    const error = await client.things.getThing("t", { label: new Date(0) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidRequestError", param: "label" });
    expect((error as Error).message).toContain("`label` must be a string, got Date 1970-01-01T00:00:00.000Z");
  });
});

describe("a bundle of one operation", () => {
  /** An esbuild bundle (not minified, so names survive) of a consumer of `usersGetUserDetails` imported from `from`. */
  async function bundle(core: string, functions: string): Promise<{ code: string; inputs: string[] }> {
    const esbuild = await import("esbuild");
    const dir = mkdtempSync(join(tmpdir(), "traces-one-operation-"));
    try {
      const entry = join(dir, "consumer.ts");
      writeFileSync(
        entry,
        `import { createTracesCore } from ${JSON.stringify(core)};
import { usersGetUserDetails } from ${JSON.stringify(functions)};
console.log(await usersGetUserDetails(createTracesCore({ baseUrl: "https://engine.example.com" }), "u", { task_ids: ["t"] }));`,
      );
      const out = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        format: "esm",
        platform: "neutral",
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      // The modules that put code in the bundle (the metafile's inputs also list modules read and dropped).
      const used = Object.values(out.metafile.outputs).flatMap((o) =>
        Object.entries(o.inputs).flatMap(([file, { bytesInOutput }]) => (bytesInOutput > 0 ? [file] : [])),
      );
      return {
        code: out.outputFiles[0]?.text ?? "",
        inputs: used.map((file) => file.replace(/^.*\/src\//, "")),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** What a bundle of getUserDetails alone must leave out: the other operation, its date checks, unused styles. */
  function expectOnlyGetUserDetails(code: string): void {
    for (const dropped of [
      "list_users_metadata_api_v1_traces_users_get",
      "ENGINE_DATE_TIME",
      "function calendarProblem",
      "function encodeBody",
      "function queryDeepObject",
      "function pathStyle",
      "function cookieForm",
      "function headerSimple",
      "function formatLocalDateTime",
      "checkNumber",
      "checkDate",
    ]) {
      expect(code).not.toContain(dropped);
    }
    for (const kept of ["function pathSimple", "function queryForm", "checkArray", "checkPlainString"]) {
      expect(code).toContain(kept);
    }
  }

  it("carries only the writers and checks that operation uses", async () => {
    const src = join(here, "../src");
    const { code, inputs } = await bundle(join(src, "client.ts"), join(src, "generated/functions.ts"));
    // The date-time grammar and calendar are for date parameters; getUserDetails has none.
    expect(inputs).not.toContain("engine-datetime.ts");
    expect(inputs).not.toContain("local-date-time.ts");
    expectOnlyGetUserDetails(code);
  });

  it("does so from the built package too, which shares its modules with the testing entry", async () => {
    // Built by the global setup when src/ is newer than dist/.
    const entry = join(here, "../dist/index.js");
    expectOnlyGetUserDetails((await bundle(entry, entry)).code);
  });
});
