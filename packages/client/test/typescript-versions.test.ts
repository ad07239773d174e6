/**
 * Consumers compile against the built package on the oldest supported TypeScript (5.4) and the
 * newest 5.x, with and without skipLibCheck and exactOptionalPropertyTypes, by package name
 * (ES module and CommonJS under nodenext, and a bundler setup), including `./testing`.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const requireHere = createRequire(join(pkg, "package.json"));
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));

/** The TypeScript versions the README states: the oldest supported one and the current one. */
const COMPILERS = [
  { name: "5.4", module: "typescript-5.4" },
  { name: "5.9", module: "typescript" },
];

/** Uses the public API the way an app does: options, both methods, pagination, errors, the testing entry. */
const consumer = `import {
  createTracesClient,
  APIError,
  NotFoundError,
  type TraceUserListResponse,
  type TraceUserMetadataResponse,
  type TracesClient,
} from "@traces-sdk/client";
import { createFakeClient, fakeAPIError, fakePage, fakeResult } from "@traces-sdk/client/testing";

export async function report(client: TracesClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const user of client.users.listUsersMetadata({ task_ids: ["t"], start_time: new Date(), sort: "desc" })) {
    ids.push(user.user_id);
  }
  const page: TraceUserListResponse = await client.users.listUsersMetadata({ task_ids: ["t"], page: 1 });
  ids.push(String(page.count));
  try {
    const user: TraceUserMetadataResponse = await client.users.getUserDetails("u", { task_ids: ["t"] }, { timeout: 5_000 });
    ids.push(user.user_id);
  } catch (error) {
    if (error instanceof NotFoundError) return ids;
    if (error instanceof APIError) ids.push(String(error.status), error.requestId ?? "");
    throw error;
  }
  return ids;
}

export const real = createTracesClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k", maxRetries: 0 });
export const fake = createFakeClient({
  users: {
    listUsersMetadata: (query) => ({ count: 1, users: [{ user_id: query.task_ids[0] ?? "" } as TraceUserMetadataResponse] }),
    getUserDetails: () => {
      throw fakeAPIError({ status: 404 });
    },
  },
});
export const pages = fakePage({ count: 0, users: [] as TraceUserMetadataResponse[] });
export const result = fakeResult({ user_id: "u" } as TraceUserMetadataResponse, { requestId: "r", status: undefined });
export const id: Promise<string | undefined> = result.withResponse().then((r) => r.requestId);
`;

/**
 * Optional values that may be undefined, as apps pass them: under exactOptionalPropertyTypes the
 * parameter and option types must say \`| undefined\` for this to compile.
 */
const optionalUndefined = `import { createTracesClient } from "@traces-sdk/client";
import { createFakeClient, fakeAPIError } from "@traces-sdk/client/testing";

export function list(pageSize: number | undefined, signal: AbortSignal | undefined, start: Date | undefined) {
  const client = createTracesClient({ baseUrl: process.env.TRACES_BASE_URL, apiKey: undefined, timeout: undefined });
  return client.users.listUsersMetadata(
    { task_ids: ["t"], page_size: pageSize, page: undefined, start_time: start, sort: undefined },
    { signal, timeout: undefined, maxRetries: undefined, headers: undefined },
  );
}
export const fake = createFakeClient({ users: { getUserDetails: undefined } });
export const error = fakeAPIError({ status: 500, requestId: undefined, headers: undefined });
declare const process: { env: Record<string, string | undefined> };
`;

let dir: string;
beforeAll(() => {
  mkdirSync(join(pkg, ".tmp"), { recursive: true });
  // Inside the package, "@traces-sdk/client" resolves through its own exports map (self-reference).
  dir = mkdtempSync(join(pkg, ".tmp/typescript-"));
  for (const ext of ["mts", "cts", "ts"]) {
    writeFileSync(join(dir, `consumer.${ext}`), consumer);
    writeFileSync(join(dir, `optional-undefined.${ext}`), optionalUndefined);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles `files` with `compilerOptions` on `compiler`; resolves to tsc's diagnostics ("" when clean). */
async function compile(compiler: string, files: string[], compilerOptions: Record<string, unknown>): Promise<string> {
  const name = `tsconfig.${Math.random().toString(36).slice(2)}.json`;
  writeFileSync(
    join(dir, name),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "es2022",
        lib: ["es2022", "dom"],
        noEmit: true,
        types: [],
        ...compilerOptions,
      },
      files,
    }),
  );
  const tsc = join(dirname(requireHere.resolve(`${compiler}/package.json`)), "bin/tsc");
  try {
    await run(process.execPath, [tsc, "-p", join(dir, name)], { encoding: "utf8" });
    return "";
  } catch (error) {
    return (error as { stdout?: string }).stdout || String(error);
  }
}

const nodenext = { module: "nodenext", moduleResolution: "nodenext" };
const bundler = { module: "esnext", moduleResolution: "bundler" };

describe("consumer compile tests", { timeout: 120_000 }, () => {
  it("states the oldest supported TypeScript in the README and as an optional peer dependency", () => {
    const readme = readFileSync(join(pkg, "README.md"), "utf8");
    expect(readme).toContain("TypeScript 5.4 or newer");
    expect(manifest.peerDependencies?.typescript).toBe(">=5.4");
    expect(manifest.peerDependenciesMeta?.typescript?.optional).toBe(true);
    expect(requireHere("typescript-5.4/package.json").version).toMatch(/^5\.4\./);
  });

  for (const { name, module } of COMPILERS) {
    for (const skipLibCheck of [false, true]) {
      for (const exactOptionalPropertyTypes of [false, true]) {
        // One program per setting: the declarations (the costly part) are checked once for all files.
        // Diagnostics name the file: optional-undefined.* holds the `| undefined` cases.
        it(`TypeScript ${name}, skipLibCheck ${skipLibCheck}, exactOptionalPropertyTypes ${exactOptionalPropertyTypes}: ES module and CommonJS consumers (nodenext)`, async () => {
          const options = { ...nodenext, skipLibCheck, exactOptionalPropertyTypes };
          const files = ["consumer.mts", "consumer.cts", "optional-undefined.mts", "optional-undefined.cts"];
          expect(await compile(module, files, options)).toBe("");
        });
      }
    }
    it(`TypeScript ${name}: a bundler setup (moduleResolution bundler), strictest options`, async () => {
      const options = {
        ...bundler,
        skipLibCheck: false,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
      };
      expect(await compile(module, ["consumer.ts", "optional-undefined.ts"], options)).toBe("");
    });
  }
});
