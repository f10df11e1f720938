// Lab 02: a binary translator's policy and callouts for the vmlab binary-translation monitor.
//
// The monitor translates the guest kernel's code before it runs and asks `policy` about every kernel
// instruction: IDENT (copy it), INLINE (operations on the virtual CPU in place: CLI and STI only) or
// CALLOUT (enter the monitor, which runs the callout below for it). The callouts are lab 01's handlers
// for the instructions that are sensitive but do not trap on the x86 profile; everything that still traps
// runs on the monitor's own handlers. The lab's README explains what each choice costs.
import { CR_INDEX, FLAG, IOPL_SHIFT, SP, STATUS_MASK, VECTOR, csSelector } from "vmlab";
import type { BinaryTranslator, KernelInstruction, Translation, VirtualCpu } from "vmlab";

export const translator: BinaryTranslator = {
  // IDENT, INLINE or CALLOUT for one kernel instruction (insn.name is its form, insn.privilege its class on this profile).
  policy(insn: KernelInstruction): Translation {
    // YOUR CODE HERE
    throw new Error("not implemented: policy");
  },

  callouts: {
    // PUSHF: push the FLAGS word the guest believes in (virtual IF and IOPL).
    pushf(vcpu: VirtualCpu) {
      // YOUR CODE HERE
      throw new Error("not implemented: pushf");
      vcpu.skip();
    },

    // POPF: status bits always; IF only where CPL <= IOPL; IOPL only in ring 0.
    popf(vcpu: VirtualCpu) {
      // YOUR CODE HERE
      throw new Error("not implemented: popf");
      vcpu.skip();
    },

    // IRET: pop the error slot, PC, CS and FLAGS (and SP when returning to an outer ring).
    iret(vcpu: VirtualCpu) {
      // YOUR CODE HERE
      throw new Error("not implemented: iret");
    },

    // PUSH CS / MOV rd, CS: the selector shows the virtual CPL, not the real one.
    readCs(vcpu: VirtualCpu) {
      // YOUR CODE HERE
      throw new Error("not implemented: readCs");
      vcpu.skip();
    },

    // SMSW rd: the low 16 bits of the virtual CR0.
    smsw(vcpu: VirtualCpu) {
      // YOUR CODE HERE
      throw new Error("not implemented: smsw");
      vcpu.skip();
    },

    // SIDT rd: the guest's own IDT base.
    sidt(vcpu: VirtualCpu) {
      // YOUR CODE HERE
      throw new Error("not implemented: sidt");
      vcpu.skip();
    },
  },
};
