/**
 * The generated types under the strictest settings apps use: `exactOptionalPropertyTypes` (optional
 * parameters and options accept `undefined`), and results named by their models in messages.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(dirname(createRequire(join(pkg, "package.json")).resolve("typescript/package.json")), "bin/tsc");
mkdirSync(join(pkg, ".tmp"), { recursive: true });
const dir = mkdtempSync(join(pkg, ".tmp/strict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compile(source: string): string {
  writeFileSync(join(dir, "consumer.ts"), source);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: relative(dir, join(pkg, "../../tsconfig.base.json")),
      compilerOptions: { noEmit: true, exactOptionalPropertyTypes: true, types: [] },
      files: ["consumer.ts"],
    }),
  );
  try {
    execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { stdio: "pipe", encoding: "utf8" });
    return "";
  } catch (error) {
    return (error as { stdout?: string }).stdout ?? String(error);
  }
}

// What consumers compile against: the published declarations.
const src = relative(dir, join(pkg, "dist/index.js")).replace(/\\/g, "/");

it("accepts undefined for every optional parameter and option under exactOptionalPropertyTypes", () => {
  expect(
    compile(`import { createTracesClient, createTracesCore, usersListUsersMetadata } from "${src}";
declare const size: number | undefined;
declare const signal: AbortSignal | undefined;
declare const key: string | undefined;
const client = createTracesClient({ baseUrl: undefined, apiKey: key, timeout: undefined, logLevel: undefined });
export const page = client.users.listUsersMetadata(
  { task_ids: ["t"], page_size: size, page: undefined, sort: undefined, start_time: undefined },
  { signal, timeout: undefined, maxRetries: undefined, headers: undefined, middleware: undefined },
);
export const fn = usersListUsersMetadata(createTracesCore(), { task_ids: ["t"], page_size: size });
`),
  ).toBe("");
}, 120_000);

it("names the model in type errors, not an object literal", () => {
  const out = compile(`import { createTracesClient } from "${src}";
const client = createTracesClient();
export async function f(): Promise<number> {
  return await client.users.getUserDetails("u", { task_ids: ["t"] });
}
`);
  expect(out).toContain("Type 'TraceUserDetailsResponse' is not assignable to type 'number'");
}, 120_000);
