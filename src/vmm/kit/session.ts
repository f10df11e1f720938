// The guest session: what the equivalence checker, the overhead figures and the grader drive — any monitor, or the bare machine, behind one interface.
import { VmlabError } from "../../core/errors.js";
import type { Profile } from "../../isa/table.js";
import type { InterruptRecord, IoRecord, Loadable } from "../../machine/machine.js";
import type { CoreCounters, GuestState, MonitorKind, MonitorStop, MonitoredRun, RunOptions } from "../types.js";

/** One guest running under one monitor (or natively), advanced by exact guest-instruction budgets. */
export interface GuestSession {
  /** Which monitor runs the guest: `native`, `trap`, ... */
  readonly monitor: MonitorKind;
  readonly profile: Profile;
  /** The stop that ended the run, once it has ended. */
  readonly stopped: MonitorStop | undefined;
  /**
   * Run until `steps` more guest instructions have retired (undefined: the budget was reached and the
   * run can go on) or the run ends (its stop). Exact, so two sessions can be driven in lockstep.
   */
  advance(steps: number): MonitorStop | undefined;
  /** What the guest can see of its CPU right now (virtual values under a monitor), with a memory hash unless `withHash` is false. */
  state(withHash?: boolean): GuestState;
  /**
   * End the run (a budget stop if it has not ended) and collect everything as data. `final`: the session
   * is not used again, so its memory is handed over instead of copied and hashed only if the hash is read.
   */
  result(options?: ResultOptions): MonitoredRun<CoreCounters>;
  /** What the guest has observed so far, for a lockstep comparison between results. */
  readonly memory: { readonly bytes: Uint8Array };
  readonly ioTrace: readonly IoRecord[];
  readonly interrupts: readonly InterruptRecord[];
  consoleText(): string;
}

export interface ResultOptions {
  readonly final?: boolean;
}

/** Makes a session for a guest: how the checker and the grader get any monitor without knowing which it is. */
export type SessionFactory = (loadable: Loadable, options: RunOptions) => GuestSession;

/** Guest memory a session accepts: a multiple of 4096 between 4 KiB and 512 MiB (default 1 MiB, as the bare machine). */
export function guestMemoryBytes(options: RunOptions): number {
  const bytes = options.memoryBytes ?? DEFAULT_GUEST_MEMORY;
  if (!Number.isInteger(bytes) || bytes < 4096 || bytes % 4096 !== 0 || bytes > MAX_GUEST_MEMORY) {
    throw new VmlabError("VMM_BAD_OPTION", `guest memory must be a multiple of 4096 between 4 KiB and 512 MiB, got ${bytes}`);
  }
  return bytes;
}

/** Guest-physical memory when the options do not say: 1 MiB, the bare machine's default. */
export const DEFAULT_GUEST_MEMORY = 1 << 20;
/** The largest guest a session runs: 512 MiB. */
export const MAX_GUEST_MEMORY = 1 << 29;
