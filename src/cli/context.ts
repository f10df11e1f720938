// What a CLI command may use: output streams, the working directory and the environment, injected so tests run commands in-process.
import { VmlabError } from "../isa/errors.js";

export interface CliContext {
  /** Write to standard output (text is written as given; add your own newline). */
  readonly stdout: (text: string) => void;
  /** Write to standard error. */
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Wall-clock time in ms since the epoch (the date student feedback is rendered for); injected so tests fix it. */
  readonly now: () => number;
  /** Set the process exit code for this invocation (commands that succeed leave it at 0). */
  setExitCode(code: number): void;
}

/** Exit codes: 0 success, 1 the run or check did not succeed, 2 usage or input error, 70 internal error. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, INTERNAL: 70 } as const;

/** A usage or input error from a command: printed as one message, exit code 2. */
export class CliError extends VmlabError {
  constructor(code: string, message: string, readonly exitCode: number = EXIT.USAGE, hint?: string) {
    super(code, message, hint === undefined ? {} : { hint });
  }
}

/** Parse a whole non-negative integer option, or throw a CliError naming the option. */
export function parseCount(value: string, option: string): number {
  const n = Number(value.replace(/_/g, ""));
  if (!/^[0-9_]+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new CliError("CLI_BAD_NUMBER", `${option} expects a whole number, got '${value}'`, EXIT.USAGE, `e.g. ${option} 100000`);
  }
  return n;
}
