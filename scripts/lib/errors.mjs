/**
 * Errors of the generation pipeline. Each one is printed without a stack trace: it says what is
 * wrong and how to fix it. Anything else that escapes is our bug and is printed with its stack.
 */

/** A problem the user can fix: bad arguments, a broken spec, a missing tool. */
export class PipelineError extends Error {
  /**
   * @param {string} message what is wrong and how to fix it
   * @param {{ cause?: unknown }} [options]
   */
  constructor(message, options) {
    super(message, options);
    this.name = "PipelineError";
  }
}

/** A bad command-line argument. */
export class UsageError extends PipelineError {
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
}

/** The spec is broken: a list of `file:line:col: problem` entries. */
export class SpecError extends PipelineError {
  /**
   * @param {string} file the spec file, as the user named it
   * @param {Array<{ location: string, message: string, rule?: string }>} problems
   */
  constructor(file, problems) {
    const lines = problems.map((p) => `  ${p.location}: ${p.message}${p.rule ? ` [${p.rule}]` : ""}`);
    super(
      `The spec ${file} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}\n` +
        "Fix the spec and run the command again. Nothing was written.",
    );
    this.name = "SpecError";
    this.file = file;
    this.problems = problems;
  }
}

/** A tool the pipeline needs (Java, the generator jar) is missing or broken. */
export class SetupError extends PipelineError {
  constructor(message, options) {
    super(message, options);
    this.name = "SetupError";
  }
}

/** The run was stopped by a signal (Ctrl-C, `kill`): exits with 128 + the signal's number, as shells do. */
export class StoppedError extends PipelineError {
  /** @param {string} signalName e.g. SIGINT @param {number} exitCode */
  constructor(signalName, exitCode) {
    super(`stopped by ${signalName}. Nothing was written; the previous output is unchanged.`);
    this.name = "StoppedError";
    this.exitCode = exitCode;
  }
}

/**
 * Prints an error for a person and returns the exit code.
 * @param {unknown} error
 * @returns {number}
 */
export function reportError(error) {
  if (error instanceof PipelineError) {
    process.stderr.write(`\nerror: ${error.message}\n`);
    if (error instanceof StoppedError) return error.exitCode;
    return error instanceof UsageError ? 2 : 1;
  }
  process.stderr.write(
    `\ninternal error: the generator crashed. This is a bug in traces-sdk, not in your spec; please report it with the output below.\n${
      error instanceof Error ? error.stack : String(error)
    }\n`,
  );
  return 70;
}
