// What leaves the CPU: events raised while executing (faults, traps, system calls, HLT) and the stops that end a run, as data.
/** An address as 0x-prefixed, 8-digit hex. */
export function hex(v: number): string {
  return "0x" + (v >>> 0).toString(16).padStart(8, "0");
}

/**
 * A CPU event raised while executing an instruction: an exception (fault: the instruction did not
 * complete, `returnPc` is undefined) or a trap/system call/halt (the instruction completed, `returnPc`
 * is where execution resumes).
 */
export class CpuEvent {
  constructor(
    readonly kind: "fault" | "trap" | "syscall" | "halt",
    readonly vector: number,
    readonly error: number,
    readonly returnPc?: number,
  ) {}
}

/** Why `run` returned. Every way a run can end is a value, never an exception. */
export type Stop =
  | { readonly kind: "budget"; readonly pc: number }
  | HaltedStop
  | { readonly kind: "poweroff"; readonly pc: number; readonly code: number }
  | { readonly kind: "triple-fault"; readonly pc: number; readonly vector: number; readonly message: string }
  | { readonly kind: "machine-check"; readonly pc: number; readonly message: string }
  | { readonly kind: "exit"; readonly pc: number; readonly event: ExitEvent };

/**
 * HLT that nothing can end: with interrupts disabled (the usual way a guest stops), with no device left
 * to wake it, or with every line that could masked in the PIC or held back by CR8.
 */
export interface HaltedStop {
  readonly kind: "halted";
  readonly pc: number;
  readonly interruptsEnabled: boolean;
  readonly reason: string;
}

/** The stop for a HLT at `pc` that nothing can end; bare machine and monitors alike. */
export function haltedStop(pc: number, interruptsEnabled: boolean, why: "no-device" | "blocked" = "no-device"): HaltedStop {
  return {
    kind: "halted", pc, interruptsEnabled,
    reason: !interruptsEnabled ? "HLT with interrupts disabled (IF = 0)"
      : why === "blocked" ? "HLT with every interrupt line that could wake it masked in the PIC or held back by CR8"
      : "HLT with no device event to wake it",
  };
}

/** No vector: the exit is an intercepted instruction or an interrupt window, not an event. */
export const NO_VECTOR = -1;

/**
 * Why a run left the guest for its monitor: what the machine's exit policy (exit-policy.ts) sends out.
 * Every exit names the pc it happened at and carries `vector` and `error` (NO_VECTOR and 0 for exits that
 * are not events).
 */
export type ExitEvent = EventExit | IoExit | CrExit | HltExit | InterruptWindowExit;

/** An event the CPU raised, exiting instead of entering the IDT. */
export interface EventExit {
  /** fault: the instruction at `pc` did not complete; trap/syscall: it did, resume at `returnPc`; interrupt: a device line. */
  readonly kind: "fault" | "trap" | "syscall" | "interrupt";
  readonly vector: number;
  readonly error: number;
  /** Address of the instruction that raised it (the next one to run, for an interrupt). */
  readonly pc: number;
  readonly returnPc?: number;
  /** CR2 for page faults. */
  readonly address?: number;
}

/** IN or OUT on a port the policy intercepts; the instruction at `pc` has not run. */
export interface IoExit {
  readonly kind: "io";
  readonly vector: typeof NO_VECTOR;
  readonly error: 0;
  readonly pc: number;
  readonly port: number;
  /** OUT (true) or IN (false). */
  readonly write: boolean;
  /** The value OUT would write (0 for IN). */
  readonly value: number;
}

/** MOV to or from a control register the policy intercepts; the instruction at `pc` has not run. */
export interface CrExit {
  readonly kind: "cr";
  readonly vector: typeof NO_VECTOR;
  readonly error: 0;
  readonly pc: number;
  /** Control-register index (CR_INDEX). */
  readonly index: number;
  readonly write: boolean;
  /** The value MOV crN, rs would write (0 for a read). */
  readonly value: number;
}

/** HLT, intercepted before it sleeps; the instruction at `pc` has not run. */
export interface HltExit {
  readonly kind: "hlt";
  readonly vector: typeof NO_VECTOR;
  readonly error: 0;
  readonly pc: number;
}

/** The guest could take an interrupt at this boundary (IF set, no STI shadow): the next instruction is at `pc`. */
export interface InterruptWindowExit {
  readonly kind: "interrupt-window";
  readonly vector: typeof NO_VECTOR;
  readonly error: 0;
  readonly pc: number;
}

/** An instruction exit as a helper raises it: the machine adds the pc where the instruction stands. */
export type InstructionExit = Omit<IoExit, "pc"> | Omit<CrExit, "pc"> | Omit<HltExit, "pc">;

/**
 * Thrown by a machine helper when the exit policy intercepts the instruction that called it. It is not a
 * CpuEvent, so the engine treats it as a fault: the instruction does not retire.
 */
export class ExitRequest {
  constructor(readonly exit: InstructionExit) {}
}
