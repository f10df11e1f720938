// Results of monitored runs as plain data: how a run ended, what the guest could observe, what it cost.
import type { Engine } from "../engines/engine.js";
import type { Profile } from "../isa/table.js";
import type { CostModel } from "../machine/cost.js";
import type { MemorySource } from "../machine/memory.js";
import type { CpuState, InterruptRecord, IoRecord, Stop } from "../machine/machine.js";

/** Stable codes of monitor verdicts (they never change meaning once published). */
export const VMM_CODES = {
  /** The guest raised an event whose handler slot is empty. */
  VMM_NO_HANDLER: "no handler for an event",
  /** A handler threw something other than a guest exception. */
  VMM_HANDLER_THREW: "a handler threw",
  /** A handler returned without skip(), jump(), waitForInterrupt(), halt() or raise(). */
  VMM_HANDLER_DID_NOT_RESUME: "a handler did not resume the guest",
  /** A handler resumed twice, or resumed in a way its slot does not allow. */
  VMM_HANDLER_BAD_RESUME: "a handler resumed the guest wrongly",
  /** A handler passed a value that is not a number of the right range (a register set to a string, CPL 7). */
  VMM_HANDLER_BAD_VALUE: "a handler produced a nonsense value",
  /** A handler returned a promise: handlers are synchronous. */
  VMM_HANDLER_ASYNC: "a handler returned a promise",
  /** A handler used its VirtualCpu after returning. */
  VMM_HANDLER_STALE: "a VirtualCpu was used after its handler returned",
  /** The monitor kept exiting without the guest retiring an instruction. */
  VMM_NO_PROGRESS: "the guest made no progress",
  /** The run exceeded its wall-clock limit. */
  VMM_TIME_LIMIT: "the run exceeded its time limit",
  /** Bad options to a run (memory size, budget). */
  VMM_BAD_OPTION: "bad run option",
  /** A binary translator's policy answered something it cannot translate (nothing, or INLINE for a form without an inline sequence). */
  VMM_BAD_POLICY: "the translation policy cannot be followed",
  /** The monitor met an event it cannot explain (a bug in vmlab, reported instead of a crash). */
  VMM_INTERNAL: "internal monitor error",
} as const;
export type VmmCode = keyof typeof VMM_CODES;

/**
 * How a monitored run ended: the machine's own stops (an exit never ends a monitored run: the monitor
 * handles it) or one of the monitor's verdicts.
 */
export type MonitorStop =
  | Exclude<Stop, { readonly kind: "exit" }>
  | {
      readonly kind: "no-handler";
      readonly pc: number;
      readonly code: "VMM_NO_HANDLER";
      /** The handler slot that is empty: `popf`, `reflect`, an exit kind. */
      readonly handler: string;
      /** What needed the handler: `POPF at 0x00001234`, `#PF page fault at 0x...`. */
      readonly event: string;
      readonly message: string;
    }
  | {
      readonly kind: "handler-error";
      readonly pc: number;
      readonly code: VmmCode;
      /** The handler slot at fault, when one was running. */
      readonly handler?: string;
      readonly message: string;
    };

/**
 * What the guest can see of its CPU and memory at one instruction boundary: the architectural state
 * (virtual values under a monitor — CPL, FLAGS as PUSHF would show them, the control registers, guest
 * time) plus the interrupt flag and IOPL spelled out, the instructions retired and a memory hash.
 */
export interface GuestState extends CpuState {
  readonly IF: boolean;
  readonly IOPL: number;
  /** Guest instructions retired. */
  readonly retired: number;
  /** FNV-1a hash of guest-physical memory, hex. */
  readonly memoryHash: string;
}

/**
 * Counters every monitor keeps (a native run fills only the machine's part, directInstructions and the
 * device counts). A technique adds its own section: see MonitorCounters.
 */
export interface CoreCounters {
  /** Guest instructions the hardware ran directly. */
  directInstructions: number;
  /** Guest instructions the monitor emulated (each retires once). */
  emulatedInstructions: number;
  /** Exits to the monitor, all causes. */
  exits: number;
  /** Exits by cause: handler name (`cli`, `popf`), `syscall`, `int 0x80`, `#PF hidden`, `#GP reflected`, ... */
  trapsByCause: Record<string, number>;
  /** Virtual device interrupts delivered through the guest IDT. */
  injectedInterrupts: number;
  /** Guest exceptions and software interrupts reflected into the guest (including SYSCALL entries). */
  reflectedEvents: number;
  /** Guest port reads and writes (answered by virtual devices under a monitor). */
  portReads: number;
  portWrites: number;
  /** Guest time skipped while the guest waited in HLT. */
  haltedTime: number;
  /** The real machine's own counters (instruction mix excluded). */
  machine: Record<string, number | Record<string, number>>;
}

/** The trap-and-emulate monitor's section: its shadow paging. */
export interface TrapCounters {
  /** Page faults the guest never saw: the monitor filled its shadow page tables. */
  hiddenPageFaults: number;
  /** Times the shadow page tables were thrown away (guest CR3/CR0 writes, pool exhaustion). */
  shadowFlushes: number;
}

/** Counters of a trap-and-emulate (or native) run: the core and the trap section, in the order results print them. */
export type MonitorCounters = CoreCounters & TrapCounters;

/** Which monitor produced a run: `native`, `trap`, and whatever later monitors call themselves. */
export type MonitorKind = "native" | "trap" | (string & {});

/** Everything one monitored run produced, as data (`C`: the counters of its technique). */
export interface MonitoredRun<C extends CoreCounters = MonitorCounters> {
  readonly monitor: MonitorKind;
  readonly profile: Profile;
  readonly stop: MonitorStop;
  /** One line for humans: `powered off with code 0`, `no handler for 'popf' (POPF at 0x00001234)`. */
  readonly verdict: string;
  readonly console: string;
  /** Port accesses with guest time. */
  readonly ioTrace: readonly IoRecord[];
  /** Interrupt deliveries with guest time (native: hardware deliveries; trap: virtual injections). */
  readonly interrupts: readonly InterruptRecord[];
  readonly finalState: GuestState;
  /** Guest-physical memory at the end (a copy). */
  readonly memory: Uint8Array;
  readonly counters: C;
  /** Cycles from the cost model. */
  readonly cycles: number;
}

/** Options shared by every monitor. */
export interface RunOptions {
  readonly profile?: Profile;
  /** Guest-physical memory in bytes (multiple of 4096). Default 1 MiB, as the bare machine. */
  readonly memoryBytes?: number;
  /** Guest-instruction budget. Default 5 000 000. */
  readonly maxSteps?: number;
  readonly cost?: CostModel;
  /** Disk image for the (virtual) block device; copied, so both runs of a comparison start alike. */
  readonly disk?: Uint8Array;
  /** Wall-clock limit for a monitored run in milliseconds (checked between exits). Default none. */
  readonly timeLimitMs?: number;
  /** TLB capacity of the bare machine in a native run (default 64; the checker varies it to find guests that rely on stale translations). */
  readonly tlbEntries?: number;
  /** The engine the real machine runs on, natively and under trap-and-emulate (default: the interpreter); a binary-translation monitor always runs on its own translator. */
  readonly engine?: Engine;
  /** Where the machines get their memory (default: fresh zeroed arrays; the grader's sandbox reuses the last case's, memory-recycler.ts). */
  readonly memory?: MemorySource;
}

/** Default guest-instruction budget. */
export const MONITOR_MAX_STEPS = 5_000_000;

/** One line describing a stop. */
export function describeStop(stop: MonitorStop): string {
  switch (stop.kind) {
    case "budget": return `instruction budget exhausted at pc 0x${hex8(stop.pc)}`;
    case "halted": return `halted at pc 0x${hex8(stop.pc)}: ${stop.reason}`;
    case "poweroff": return `powered off with code ${stop.code}`;
    case "triple-fault": return stop.message;
    case "machine-check": return `machine check: ${stop.message}`;
    case "no-handler": return stop.message;
    case "handler-error": return stop.message;
  }
}

/** Eight hex digits. */
export function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, "0");
}

/**
 * A state whose memory hash is computed when first read (an enumerable getter, so JSON and copies see the
 * same fields): for results whose memory nobody changes any more, most of which are compared and dropped unhashed.
 */
export function withLazyMemoryHash(state: GuestState, bytes: Uint8Array): GuestState {
  let hash: string | undefined;
  return Object.defineProperty(state, "memoryHash", { get: () => (hash ??= hashMemory(bytes)), enumerable: true, configurable: false });
}

/** FNV-1a over 32-bit words of a byte range, as 8 hex digits. */
export function hashMemory(bytes: Uint8Array): string {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    h = Math.imul(h ^ words[i]!, 0x01000193);
  }
  return hex8(h);
}
