// What a CLI command may use: output streams, the working directory and the environment, injected so tests run commands in-process.
import type { CliCode } from "./codes.js";
import { VmlabError } from "../src/core/errors.js";
import { MAX_MEMORY } from "../src/machine/memory.js";

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
  declare readonly code: CliCode;

  constructor(code: CliCode, message: string, readonly exitCode: number = EXIT.USAGE, hint?: string) {
    super(code, message, hint === undefined ? {} : { hint });
  }
}

/** Parse a physical-memory size option: whole 4 KiB pages, from one page to the machine's 1 GiB. */
export function parseMemory(value: string, option: string): number {
  const n = parseCount(value, option);
  if (n < 4096 || n > MAX_MEMORY || n % 4096 !== 0) {
    const what = n < 4096 ? "is less than one 4 KiB page" : n > MAX_MEMORY ? "is more than the 1 GiB (1073741824 bytes) a machine can have" : "is not a whole number of 4 KiB pages";
    const near = Math.min(MAX_MEMORY, Math.max(4096, Math.ceil(n / 4096) * 4096));
    throw new CliError("CLI_BAD_MEMORY", `${option} ${value} ${what}`, EXIT.USAGE, `memory is a multiple of 4096 from 4096 to 1073741824 bytes, e.g. ${option} ${near}`);
  }
  return n;
}

/** Parse a 32-bit address option, decimal or 0x hex, or throw a CliError naming the option. */
export function parseAddress(value: string, option: string): number {
  const text = value.replace(/_/g, "");
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text.slice(2), 16) : /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n)) throw new CliError("CLI_BAD_NUMBER", `${option} expects an address (decimal or 0x hex), got '${value}'`, EXIT.USAGE, `e.g. ${option} 0x1000`);
  if (n >= 2 ** 32) throw new CliError("CLI_BAD_ADDRESS", `${option} ${value} is beyond the 32-bit address space (at most 0xffffffff)`, EXIT.USAGE);
  return n;
}

/** Parse a whole non-negative integer option, or throw a CliError naming the option. */
export function parseCount(value: string, option: string): number {
  const n = Number(value.replace(/_/g, ""));
  if (!/^[0-9_]+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new CliError("CLI_BAD_NUMBER", `${option} expects a whole number, got '${value}'`, EXIT.USAGE, `e.g. ${option} 100000`);
  }
  return n;
}
