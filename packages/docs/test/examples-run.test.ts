/**
 * The generated TypeScript examples, run as a user would run them (TRACES_BASE_URL and
 * TRACES_API_KEY set) against the simulated engine, which answers as a real engine 2.1.686 and
 * whose every response is checked against spec/openapi.yaml.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { ENGINE_KEYS, type EngineTrace, useEngine } from "../../client/test/engine.js";
import { generatedDir, scratchDir, typescriptBlocks } from "./helpers.js";

const TASK = "0b5f8a5e-6a43-4f62-9f1e-2d7f0e4c9a11"; // the spec's example task id
const traces: EngineTrace[] = [
  {
    trace_id: "trace-1",
    task_id: TASK,
    user_id: "user-1",
    session_id: "session-1",
    start: "2026-03-01T06:00:00",
    end: "2026-03-01T06:20:00",
    spans: 9,
    prompt_tokens: 1000,
    completion_tokens: 300,
    prompt_cost: 0.003,
    completion_cost: 0.0018,
  },
  {
    trace_id: "trace-2",
    task_id: TASK,
    user_id: "user-1",
    session_id: "session-2",
    start: "2026-03-01T06:30:00",
    end: "2026-03-01T06:42:17.250000",
    spans: 8,
  },
];
const engine = useEngine();
const work = join(scratchDir, `run-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the TypeScript examples of the generated docs, run against the simulated engine", () => {
  const blocks = typescriptBlocks(join(generatedDir, "markdown"));

  it("all run to completion and turn the response times into the right instants", async () => {
    const server = await engine(traces);
    mkdirSync(work, { recursive: true });
    const outputs = new Map<string, string>();
    for (const [i, block] of blocks.entries()) {
      const file = join(work, `block-${i}.mjs`);
      const js = ts.transpileModule(block.code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(file, js);
      // Run from the docs package, where @traces-sdk/client resolves; a caller far from UTC.
      // Asynchronously: the engine answers from this process.
      const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [file],
          {
            cwd: join(generatedDir, ".."),
            encoding: "utf8",
            env: { ...process.env, TRACES_BASE_URL: server.url, TRACES_API_KEY: ENGINE_KEYS.read, TZ: "Asia/Kolkata" },
            timeout: 60_000,
          },
          (error, stdout, stderr) =>
            resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
        );
      });
      expect(`${run.status} ${run.stderr}`, block.source).toBe("0 ");
      outputs.set(block.source, run.stdout);
    }
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    const all = [...outputs.values()].join("\n");
    // getUserDetails and the list's iteration print the earliest start as the UTC instant.
    expect(all.match(/^2026-03-01T06:00:00\.000Z$/gm)?.length ?? 0).toBeGreaterThanOrEqual(3);
    // The README's example, with the engine in Europe/Berlin.
    expect(all).toContain("2026-03-01T05:00:00.000Z");
    expect(server.responses.length).toBeGreaterThanOrEqual(5);
    expect(new Set(server.responses.map((r) => r.status))).toEqual(new Set([200]));
  });
});
