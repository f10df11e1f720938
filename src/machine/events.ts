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

/** In intercept mode (a monitor owns ring 0), every event leaves the machine as one of these. */
export interface ExitEvent {
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
