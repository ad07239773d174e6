/**
 * The compile gate's child process (see compile-gate.mjs): `tsc --noEmit -p <tsconfig>` through
 * TypeScript's API, in two steps. At start it loads TypeScript and parses and binds every file
 * already there (the standard library, the runtime), then prints `ready`; on a line on stdin it
 * builds the program again over what the folder holds by then, reusing those files, and prints
 * one JSON line: `{ "errors": number, "output": string }`, the diagnostics formatted as
 * `tsc --pretty false` prints them (paths relative to the tsconfig's folder).
 *
 *   node scripts/lib/typecheck-child.mjs <tsconfig.json>
 */
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";

const require = createRequire(import.meta.url);
const ts = require("typescript");

const configPath = resolve(process.argv[2] ?? "tsconfig.json");
const cwd = dirname(configPath);
const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => cwd,
  getNewLine: () => "\n",
};

/** Parsed source files by path, reused while their text is unchanged (as tsc --watch does). */
const cache = new Map();
let host;
let program;

function build() {
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.formatDiagnostics([d], formatHost));
      },
    },
  );
  if (!host) {
    host = ts.createCompilerHost(config.options);
    const readSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const text = ts.sys.readFile(fileName);
      const cached = cache.get(fileName);
      if (cached && text !== undefined && cached.text === text) return cached;
      const file = readSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file) cache.set(fileName, file);
      return file;
    };
  }
  program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    host,
    oldProgram: program,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
  return program;
}

/** What `tsc --noEmit` reports: config and option problems, then syntax, then types. */
function diagnostics(p) {
  const all = [...p.getConfigFileParsingDiagnostics(), ...p.getOptionsDiagnostics(), ...p.getSyntacticDiagnostics()];
  if (all.length === 0) all.push(...p.getGlobalDiagnostics(), ...p.getSemanticDiagnostics());
  return ts.sortAndDeduplicateDiagnostics(all);
}

// Warm up: the files already in the folder are parsed and bound now (their errors do not matter yet).
build().getTypeChecker();
process.stdout.write("ready\n");

let started = false;
// The parent went away (or closed the gate) without asking for a check.
process.stdin.on("end", () => {
  if (!started) process.exit(0);
});
process.stdin.setEncoding("utf8").on("data", () => {
  if (started) return;
  started = true;
  const found = diagnostics(build());
  const errors = found.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  process.stdout.write(`${JSON.stringify({ errors, output: ts.formatDiagnostics(found, formatHost) })}\n`, () =>
    process.exit(0),
  );
});
