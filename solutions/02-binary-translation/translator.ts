// Lab 02: a binary translator's policy and callouts for the vmlab binary-translation monitor.
//
// The monitor translates the guest kernel's code before it runs and asks `policy` about every kernel
// instruction: IDENT (copy it), INLINE (operations on the virtual CPU in place: CLI and STI only) or
// CALLOUT (enter the monitor, which runs the callout below for it). The callouts are lab 01's handlers
// for the instructions that are sensitive but do not trap on the x86 profile; everything that still traps
// runs on the monitor's own handlers. The lab's README explains what each choice costs.
import { CR_INDEX, FLAG, IOPL_SHIFT, SP, STATUS_MASK, VECTOR, csSelector } from "../../src/index.js";
import type { BinaryTranslator, KernelInstruction, Translation, VirtualCpu } from "../../src/index.js";

export const translator: BinaryTranslator = {
  // IDENT, INLINE or CALLOUT for one kernel instruction (insn.name is its form, insn.privilege its class on this profile).
  policy(insn: KernelInstruction): Translation {
    // BEGIN SOLUTION
    // CLI and STI become stores to the virtual IF: no monitor entry at all.
    if (insn.name === "CLI" || insn.name === "STI") return "INLINE";
    // Sensitive instructions must not run as they are; privileged ones would trap, and a callout is cheaper than a trap.
    if (insn.privilege !== "innocuous") return "CALLOUT";
    return "IDENT";
    // END SOLUTION
  },

  callouts: {
    // PUSHF: push the FLAGS word the guest believes in (virtual IF and IOPL).
    pushf(vcpu: VirtualCpu) {
      // BEGIN SOLUTION
      vcpu.push(vcpu.flags.word);
      // END SOLUTION
      vcpu.skip();
    },

    // POPF: status bits always; IF only where CPL <= IOPL; IOPL only in ring 0.
    popf(vcpu: VirtualCpu) {
      // BEGIN SOLUTION
      const value = vcpu.pop();
      const IF = vcpu.cpl <= vcpu.flags.IOPL ? (value & FLAG.IF) !== 0 : vcpu.flags.IF;
      const IOPL = vcpu.cpl === 0 ? (value >>> IOPL_SHIFT) & 3 : vcpu.flags.IOPL;
      vcpu.flags.word = (value & STATUS_MASK) | (IF ? FLAG.IF : 0) | (IOPL << IOPL_SHIFT);
      // END SOLUTION
      vcpu.skip();
    },

    // IRET: pop the error slot, PC, CS and FLAGS (and SP when returning to an outer ring).
    iret(vcpu: VirtualCpu) {
      // BEGIN SOLUTION
      const sp = vcpu.regs.get(SP) >>> 0;
      const pc = vcpu.read32(sp + 4) >>> 0;
      const cs = vcpu.read32(sp + 8);
      const flags = vcpu.read32(sp + 12);
      const newCpl = cs & 3;
      if (newCpl < vcpu.cpl) vcpu.raise(VECTOR.GENERAL_PROTECTION, cs & 0xfffc);
      let newSp = (sp + 16) >>> 0;
      if (newCpl > vcpu.cpl) newSp = vcpu.read32(newSp) >>> 0;
      const IF = vcpu.cpl <= vcpu.flags.IOPL ? (flags & FLAG.IF) !== 0 : vcpu.flags.IF;
      const IOPL = vcpu.cpl === 0 ? (flags >>> IOPL_SHIFT) & 3 : vcpu.flags.IOPL;
      vcpu.flags.word = (flags & STATUS_MASK) | (IF ? FLAG.IF : 0) | (IOPL << IOPL_SHIFT);
      vcpu.cpl = newCpl;
      vcpu.regs.set(SP, newSp | 0);
      vcpu.jump(pc);
      // END SOLUTION
    },

    // PUSH CS / MOV rd, CS: the selector shows the virtual CPL, not the real one.
    readCs(vcpu: VirtualCpu) {
      // BEGIN SOLUTION
      const selector = csSelector(vcpu.cpl);
      if (vcpu.insn.name === "PUSH_CS") vcpu.push(selector);
      else vcpu.regs.set(vcpu.insn.a, selector);
      // END SOLUTION
      vcpu.skip();
    },

    // SMSW rd: the low 16 bits of the virtual CR0.
    smsw(vcpu: VirtualCpu) {
      // BEGIN SOLUTION
      vcpu.regs.set(vcpu.insn.a, vcpu.cr.get(CR_INDEX.cr0) & 0xffff);
      // END SOLUTION
      vcpu.skip();
    },

    // SIDT rd: the guest's own IDT base.
    sidt(vcpu: VirtualCpu) {
      // BEGIN SOLUTION
      vcpu.regs.set(vcpu.insn.a, vcpu.idtBase | 0);
      // END SOLUTION
      vcpu.skip();
    },
  },
};
