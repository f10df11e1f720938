// The state of `vmlab docker` between commands: a journal of the commands that changed the simulated host, replayed on load.
//
// The simulated host is deterministic, so its state is the result of the commands that built it: each
// invocation replays the journal on a fresh host, runs the new command, and appends it if it changed
// anything. A build's context is stored in its entry, so replay does not depend on the files staying put.
// Simulated time follows the real time between commands, at most MAX_GAP seconds per gap.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CliError, EXIT, type CliContext } from "./context.js";

/** One journaled command: which subcommand, its arguments and options, when, and any input it read. */
export interface JournalEntry {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly opts: Readonly<Record<string, unknown>>;
  /** Wall-clock milliseconds when it ran. */
  readonly at: number;
  /** Files it read (a build context): path → [base64 content, mode, mtime]. */
  readonly inputs?: Readonly<Record<string, readonly [string, number, number]>>;
}

export interface Journal {
  readonly version: 1;
  readonly entries: JournalEntry[];
}

/** The longest pause between two commands that simulated time follows, in seconds. */
export const MAX_GAP = 60;
export const STATE_ENV = "VMLAB_DOCKER_STATE";
export const DEFAULT_STATE = ".vmlab/docker-state.json";

/** Where the state lives: --state, else $VMLAB_DOCKER_STATE, else .vmlab/docker-state.json under the working directory. */
export function statePath(ctx: CliContext, option?: string): string {
  return resolve(ctx.cwd, option ?? ctx.env[STATE_ENV] ?? DEFAULT_STATE);
}

export function loadJournal(path: string): Journal {
  if (!existsSync(path)) return { version: 1, entries: [] };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new CliError("DOCKER_STATE_CORRUPT", `cannot read the docker state file ${path}: it is not JSON`, EXIT.USAGE, "delete it to start from a fresh host");
  }
  const j = data as Partial<Journal>;
  if (j.version !== 1 || !Array.isArray(j.entries)) throw new CliError("DOCKER_STATE_VERSION", `the docker state file ${path} was written by another version of vmlab`, EXIT.USAGE, "delete it to start from a fresh host");
  return j as Journal;
}

export function saveJournal(path: string, journal: Journal): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(journal) + "\n");
}

/** The wall clock in milliseconds ($VMLAB_DOCKER_NOW pins it, for tests and reproducible sessions). */
export function wallClock(ctx: CliContext): number {
  const pinned = ctx.env.VMLAB_DOCKER_NOW;
  return pinned !== undefined && /^\d+$/.test(pinned) ? Number(pinned) : Date.now();
}
