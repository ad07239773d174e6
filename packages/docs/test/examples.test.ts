import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CodeBlock,
  generatedDir,
  packageDir,
  repoRoot,
  scratchDir,
  typecheckBlocks,
  typescriptBlocks,
} from "./helpers.js";

const work = join(scratchDir, `examples-${process.pid}`);

/** Type-checks the blocks against the built @traces-sdk/client; returns tsc's output, blocks named by source. */
function typecheck(blocks: CodeBlock[], dir: string): { code: number | null; output: string } {
  rmSync(dir, { recursive: true, force: true });
  return typecheckBlocks(blocks, dir, { compilerOptions: { noUncheckedIndexedAccess: true } });
}

beforeAll(() => {
  // The examples compile against the client's published types (dist/), as a user would see them.
  if (!existsSync(join(repoRoot, "packages/client/dist/index.d.ts"))) {
    const built = spawnSync("pnpm", ["--filter", "@traces-sdk/client", "build"], { cwd: repoRoot, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the TypeScript examples in the generated docs", () => {
  const blocks = typescriptBlocks(generatedDir);

  it("are there: a resource call and a raw call for every operation, in markdown and HTML", () => {
    const md = blocks.filter((b) => b.source.endsWith(".md") || b.source.includes(".md#"));
    const html = blocks.filter((b) => b.source.includes(".html#"));
    expect(md.some((b) => b.code.includes("await client.users.getUserDetails("))).toBe(true);
    expect(md.some((b) => b.code.includes("for await (const item of client.users.listUsersMetadata("))).toBe(true);
    expect(md.filter((b) => b.code.includes("await client.raw.GET(")).length).toBe(2);
    expect(md.some((b) => b.code.includes("instanceof NotFoundError"))).toBe(true);
    // Validation failures arrive as 400s; response times without an offset are turned into Dates.
    expect(md.filter((b) => b.code.includes("instanceof BadRequestError")).length).toBe(2);
    expect(md.some((b) => b.code.includes("instanceof UnprocessableEntityError"))).toBe(false);
    expect(md.filter((b) => b.code.includes("= parseLocalDateTime(result.earliest_start_time")).length).toBe(1);
    expect(md.filter((b) => b.code.includes("= parseLocalDateTime(item.earliest_start_time")).length).toBe(1);
    // The HTML page shows the same examples.
    expect(new Set(html.map((b) => b.code.trimEnd()))).toEqual(new Set(md.map((b) => b.code.trimEnd())));
  });

  it("all type-check against the built @traces-sdk/client", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const result = typecheck(blocks, work);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("would fail the check if an example called a method the client does not have", () => {
    const broken = blocks
      .filter((b) => b.code.includes("client.users.getUserDetails("))
      .map((b) => ({ ...b, code: b.code.replace("getUserDetails(", "getUserDetail(") }));
    expect(broken.length).toBeGreaterThan(0);
    const result = typecheck(broken, `${work}-broken`);
    rmSync(`${work}-broken`, { recursive: true, force: true });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Property 'getUserDetail' does not exist/);
  });
});

void packageDir;
