/**
 * Runs the docs' examples for real against a recording HTTP server on 127.0.0.1: the curl examples
 * with the `curl` binary through `sh`, the TypeScript examples (transpiled, then run by Node.js
 * against the built @traces-sdk/client). Each request is normalised so that two clients that send
 * the same request compare equal: method, path, decoded query pairs, the headers an API reads, and
 * the parsed body.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";

const execFileAsync = promisify(execFile);

/** One request as an API server would read it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** Decoded `key=value` pairs, sorted by key (the order of repeated keys kept). */
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: unknown;
}

const HEADERS_READ = ["authorization", "accept", "content-type"];

/**
 * A server that records every request and answers with `respond(method, path)` (status and JSON
 * body). `GET /__example/N` marks the start of example N: requests are grouped by it.
 */
export async function recordingServer(
  respond: (method: string, path: string) => { status: number; body?: unknown },
  headerParams: string[] = [],
) {
  const groups = new Map<string, SeenRequest[]>();
  let current = "";
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname.startsWith("/__example/")) {
        current = decodeURIComponent(url.pathname.slice("/__example/".length));
        res.writeHead(204).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of [...HEADERS_READ, ...headerParams.map((h) => h.toLowerCase())]) {
        const value = req.headers[name];
        if (value !== undefined) headers[name] = String(value).split(";")[0]?.trim() ?? "";
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      if (raw !== "") {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const query = [...url.searchParams].map(([k, v]) => [k, v] as [string, string]);
      query.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const seen: SeenRequest = { method: req.method ?? "", path: url.pathname, query, headers };
      if (body !== undefined) seen.body = body;
      groups.set(current, [...(groups.get(current) ?? []), seen]);
      const answer = respond(seen.method, seen.path);
      if (answer.body === undefined) res.writeHead(answer.status).end();
      else res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    groups,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** Runs one curl example (as printed in the docs) with `sh`; `label` groups its requests. */
export async function runCurl(command: string, label: string, env: Record<string, string>): Promise<void> {
  // Files the example uploads (`@./name`) are the reader's own: here, small stand-ins in a scratch folder.
  const cwd = mkdtempSync(join(tmpdir(), "traces-curl-"));
  for (const m of command.matchAll(/@\.\/([\w.-]+)/g)) writeFileSync(join(cwd, m[1] as string), "file content\n");
  const script = `curl --silent --show-error --output /dev/null "$TRACES_BASE_URL/__example/${label}"\n${command.replace(/^curl /, "curl --silent --show-error --output /dev/null ")}\n`;
  try {
    await execFileAsync("sh", ["-c", script], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * Runs TypeScript examples in one Node.js process, in order, each after a marker request; errors an
 * example throws are caught and reported, so one failure does not hide the others.
 * @param dir a folder from which `@traces-sdk/client` resolves
 */
export async function runTypescript(
  examples: Array<{ label: string; code: string }>,
  dir: string,
  env: Record<string, string>,
): Promise<Record<string, string>> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  examples.forEach(({ code }, i) => {
    const js = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(dir, `example-${i}.mjs`), js);
  });
  writeFileSync(
    join(dir, "run.mjs"),
    `const labels = ${JSON.stringify(examples.map((e) => e.label))};
const failures = {};
console.log = () => {};
console.error = () => {};
for (const [i, label] of labels.entries()) {
  await fetch(process.env.TRACES_BASE_URL + "/__example/" + encodeURIComponent(label));
  try {
    await import("./example-" + i + ".mjs");
  } catch (error) {
    failures[label] = String(error && error.stack || error);
  }
}
process.stdout.write(JSON.stringify(failures));
`,
  );
  const { stdout } = await execFileAsync(process.execPath, [join(dir, "run.mjs")], {
    cwd: dir,
    env: { ...process.env, ...env },
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, string>;
}

/** Every ```sh block of a markdown text that runs curl. */
export function curlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n(curl[\s\S]*?)^```$/gm)].map((m) => (m[1] as string).trimEnd());
}
