// The virtual CPU's privileged state: what a monitor keeps for its guest while the guest's own instructions run on the real CPU.
//
// General registers, the PC and the status flags stay on the real machine while the guest runs there
// (directly, translated, or in VMX non-root mode); what the monitor must keep apart is the state the
// guest is not allowed to hold for real: its privilege level, IF and IOPL, its control registers (the
// same register file and rules as the bare machine's) and its IDT base.
//
// The interrupt flag lives in a small array of words (VSTATE) the monitor shares with the real machine
// (Machine.vstate), so code a binary translator rewrote can change it without entering the monitor, as
// VMware's translated CLI writes the virtual CPU's IE word in the monitor's memory (Adams & Agesen 2006).
import { ControlRegisters, type ControlRegisterValues } from "../../machine/control-registers.js";

/** The words of VirtualCpuState.words, by index (translated code names them as `m.vstate[i]`). */
export const VSTATE = {
  /** The virtual interrupt flag (1 set, 0 clear): the lecture's CPU_IE. */
  IF: 0,
  /** 1 while a virtual interrupt is waiting in the virtual PIC (set by the monitor before it runs the guest): the lecture's CPU_IRQ. An inline STI calls out when it is set. */
  IRQ: 1,
  /** 1 from a callout's code to the monitor's exit: the #GP that follows is a callout, not a trap. */
  CALLOUT: 2,
  /** Inline sequences run since the monitor last collected them. */
  INLINED: 3,
  /** Machine time of the last inline STI that set IF, or -1: the monitor holds interrupts back one more instruction from there. */
  STI_AT: 4,
} as const;
/** How many words VSTATE has. */
export const VSTATE_WORDS = 5;

export class VirtualCpuState {
  /** Virtual privilege level (0 while the guest kernel runs). */
  cpl = 0;
  /** Shared words (VSTATE): the virtual IF and what translated code tells the monitor. */
  readonly words = new Float64Array(VSTATE_WORDS).fill(-1, VSTATE.STI_AT);
  /** Virtual I/O privilege level. */
  iopl = 0;
  /** The guest's control registers, with the machine's MOV crN rules. */
  readonly cr = new ControlRegisters();
  /** The guest's IDT base (what LIDT set). */
  idtr = 0;

  /** Virtual interrupt flag: virtual interrupts are delivered only while it is set. */
  get iflag(): boolean {
    return this.words[VSTATE.IF] !== 0;
  }
  set iflag(on: boolean) {
    this.words[VSTATE.IF] = on ? 1 : 0;
  }
}

/** Everything a handler may change, saved before it runs so a faulting handler leaves no trace (an instruction faults before it changes state). */
export interface VirtualCpuSnapshot {
  readonly regs: Int32Array;
  readonly status: number;
  readonly pc: number;
  readonly cpl: number;
  readonly iflag: boolean;
  readonly iopl: number;
  readonly cr: ControlRegisterValues;
  readonly idtr: number;
}
