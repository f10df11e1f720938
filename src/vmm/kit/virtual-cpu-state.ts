// The virtual CPU's privileged state: what a monitor keeps for its guest while the guest's own instructions run on the real CPU.
//
// General registers, the PC and the status flags stay on the real machine while the guest runs there
// (directly, translated, or in VMX non-root mode); what the monitor must keep apart is the state the
// guest is not allowed to hold for real: its privilege level, IF and IOPL, its control registers (the
// same register file and rules as the bare machine's) and its IDT base.
import { ControlRegisters, type ControlRegisterValues } from "../../machine/control-registers.js";

export class VirtualCpuState {
  /** Virtual privilege level (0 while the guest kernel runs). */
  cpl = 0;
  /** Virtual interrupt flag: virtual interrupts are delivered only while it is set. */
  iflag = false;
  /** Virtual I/O privilege level. */
  iopl = 0;
  /** The guest's control registers, with the machine's MOV crN rules. */
  readonly cr = new ControlRegisters();
  /** The guest's IDT base (what LIDT set). */
  idtr = 0;
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
