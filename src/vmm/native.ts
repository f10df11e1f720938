// The native "monitor": the guest kernel runs at CPL 0 on the bare machine — the reference behaviour every monitor is compared with.
import type { Profile } from "../isa/table.js";
import { type Loadable, Machine } from "../machine/machine.js";
import { MachineCheck } from "../machine/memory.js";
import { createCounters } from "./kit/counters.js";
import { guestMemoryBytes, type GuestSession, type ResultOptions, type SessionFactory } from "./kit/session.js";
import { internalError } from "./kit/stop-signal.js";
import {
  MONITOR_MAX_STEPS, describeStop, hashMemory, withLazyMemoryHash, type GuestState, type MonitorCounters, type MonitorStop, type MonitoredRun, type RunOptions,
} from "./types.js";

/** A guest on the bare machine (no exits), advanced by exact guest-instruction budgets (for lockstep comparison). */
export class NativeSession implements GuestSession {
  readonly monitor = "native" as const;
  readonly profile: Profile;
  readonly machine: Machine;
  private final: MonitorStop | undefined;

  constructor(loadable: Loadable, options: RunOptions = {}) {
    this.profile = options.profile ?? "strict";
    const memoryBytes = guestMemoryBytes(options);
    this.machine = new Machine({
      profile: this.profile, memoryBytes, cost: options.cost, disk: options.disk?.slice(), ...(options.tlbEntries !== undefined ? { tlbEntries: options.tlbEntries } : {}),
      ...(options.engine ? { engine: options.engine } : {}), ...(options.memory ? { memory: options.memory } : {}),
    });
    try {
      this.machine.load(loadable);
    } catch (e) {
      if (!(e instanceof MachineCheck)) throw e;
      this.final = { kind: "machine-check", pc: loadable.entry >>> 0, message: `loading the guest: ${e.message}` };
    }
  }

  /** Guest instructions retired (machine time less time skipped in HLT). */
  get retired(): number {
    return this.machine.time - this.machine.counters.haltedTime;
  }

  get stopped(): MonitorStop | undefined {
    return this.final;
  }

  /** Run `steps` more guest instructions; undefined when the budget was reached and the run can go on. */
  advance(steps: number): MonitorStop | undefined {
    if (this.final) return this.final;
    const stop = this.machine.run({ maxSteps: steps });
    if (stop.kind === "budget") return undefined;
    // A bare machine has no exit policy: an exit here is a bug, reported as a verdict.
    this.final = stop.kind === "exit" ? internalError("a native machine exited to a monitor", stop.pc) : stop;
    return this.final;
  }

  state(withHash = true): GuestState {
    const m = this.machine;
    return {
      pc: m.pc >>> 0, cpl: m.cpl, registers: Array.from(m.R), flags: m.flagsWord(), IF: m.iflag, IOPL: m.iopl,
      cr0: m.cr0 >>> 0, cr2: m.cr2 >>> 0, cr3: m.cr3 >>> 0, cr8: m.cr8, ksp: m.ksp >>> 0, sep: m.sep >>> 0, idtr: m.idtr >>> 0,
      time: m.time, retired: this.retired, memoryHash: withHash ? hashMemory(m.memory.bytes) : "",
    };
  }

  get memory(): { readonly bytes: Uint8Array } {
    return this.machine.memory;
  }

  consoleText(): string {
    return this.machine.consoleText();
  }

  get ioTrace() {
    return this.machine.ioTrace;
  }

  get interrupts() {
    return this.machine.interrupts;
  }

  cycles(): number {
    return this.machine.cycles();
  }

  result(options: ResultOptions = {}): MonitoredRun {
    const m = this.machine;
    const stop = this.final ?? { kind: "budget", pc: m.pc >>> 0 };
    const c = m.counters;
    const counters: MonitorCounters = {
      ...createCounters({ hiddenPageFaults: 0, shadowFlushes: 0 }),
      directInstructions: this.retired, portReads: c.portReads, portWrites: c.portWrites, haltedTime: c.haltedTime, machine: c.toJSON(),
    };
    return {
      monitor: "native", profile: this.profile, stop, verdict: describeStop(stop), console: m.consoleText(), ioTrace: m.ioTrace.slice(),
      interrupts: m.interrupts.slice(), finalState: options.final ? withLazyMemoryHash(this.state(false), m.memory.bytes) : this.state(),
      memory: options.final ? m.memory.bytes : m.memory.bytes.slice(), counters, cycles: m.cycles(),
    };
  }
}

/** Sessions of the bare machine: the reference every monitor is compared with. */
export const nativeSession: SessionFactory = (loadable, options) => new NativeSession(loadable, options);

/** Run a guest on the bare machine (kernel at CPL 0) until it stops or the budget ends. */
export function runNative(loadable: Loadable, options: RunOptions = {}): MonitoredRun {
  const s = new NativeSession(loadable, options);
  s.advance(options.maxSteps ?? MONITOR_MAX_STEPS);
  return s.result({ final: true });
}
