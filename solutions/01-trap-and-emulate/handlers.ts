// Lab 01: trap-and-emulate handlers for the vmlab monitor.
//
// The guest kernel runs at real CPL 3, so every privileged instruction it executes traps here. Each
// handler emulates the instruction against the virtual CPU exactly as the bare machine would run it at
// the virtual CPL, then resumes the guest (the lab's README walks through the virtual CPU's parts).
import { CR_INDEX, FLAG, IOPL_SHIFT, SP, STATUS_MASK, VECTOR, csSelector } from "../../src/index.js";
import type { GuestEvent, TrapHandlers, VirtualCpu } from "../../src/index.js";

export const handlers: TrapHandlers = {
  // CLI at virtual CPL <= IOPL: clear the virtual interrupt flag.
  cli(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.flags.IF = false;
    // END SOLUTION
    vcpu.skip();
  },

  // STI: set the virtual interrupt flag; the monitor holds pending interrupts for one more instruction.
  sti(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.flags.IF = true;
    // END SOLUTION
    vcpu.skip();
  },

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

  // HLT: wait for the next virtual interrupt, or stop the virtual machine when none can arrive.
  hlt(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    if (vcpu.flags.IF) vcpu.waitForInterrupt();
    else vcpu.halt();
    // END SOLUTION
  },

  // IN rd, port: ask the virtual device.
  in(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.regs.set(vcpu.insn.a, vcpu.io.in(vcpu.insn.imm));
    // END SOLUTION
    vcpu.skip();
  },

  // OUT port, rs: tell the virtual device.
  out(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.io.out(vcpu.insn.imm, vcpu.regs.get(vcpu.insn.a));
    // END SOLUTION
    vcpu.skip();
  },

  // MOV crN, rs: the monitor resynchronises its shadow page tables on CR0 and CR3.
  movToCr(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.cr.set(vcpu.insn.b, vcpu.regs.get(vcpu.insn.a));
    // END SOLUTION
    vcpu.skip();
  },

  // MOV rd, crN
  movFromCr(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.regs.set(vcpu.insn.a, vcpu.cr.get(vcpu.insn.b));
    // END SOLUTION
    vcpu.skip();
  },

  // LIDT rs: the guest's IDT base is virtual; the real one belongs to the monitor.
  lidt(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.idtBase = vcpu.regs.get(vcpu.insn.a) >>> 0;
    // END SOLUTION
    vcpu.skip();
  },

  // SIDT rd
  sidt(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.regs.set(vcpu.insn.a, vcpu.idtBase | 0);
    // END SOLUTION
    vcpu.skip();
  },

  // INVLPG rs: drop the shadow mapping of that page.
  invlpg(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.invalidatePage(vcpu.regs.get(vcpu.insn.a) >>> 0);
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

  // PUSH CS / MOV rd, CS: the selector shows the virtual CPL, not the real one.
  readCs(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    const selector = csSelector(vcpu.cpl);
    if (vcpu.insn.name === "PUSH_CS") vcpu.push(selector);
    else vcpu.regs.set(vcpu.insn.a, selector);
    // END SOLUTION
    vcpu.skip();
  },

  // SYSRET: pc ← r13, FLAGS ← r12 (as ring 0 loads them), virtual CPL ← 3.
  sysret(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    const pc = vcpu.regs.get(13) >>> 0;
    const flags = vcpu.regs.get(12);
    vcpu.flags.word = flags & (STATUS_MASK | FLAG.IF | FLAG.IOPL);
    vcpu.cpl = 3;
    vcpu.jump(pc);
    // END SOLUTION
  },

  // VMCALL: lab 01's monitor offers no hypercalls, so the guest gets #UD as on the bare machine.
  vmcall(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.raise(VECTOR.INVALID_OPCODE);
    // END SOLUTION
  },

  // Deliver an event through the guest's IDT, building the frame the hardware would build.
  reflect(vcpu: VirtualCpu, event: GuestEvent) {
    // BEGIN SOLUTION
    const outer = vcpu.cpl;
    vcpu.cpl = 0; // gates and frames are reached with ring-0 rights
    const gate = (vcpu.idtBase + event.vector * 8) >>> 0;
    const handler = vcpu.read32(gate) >>> 0;
    const attributes = vcpu.read32(gate + 4);
    if (!(attributes & 1)) vcpu.raise(VECTOR.GENERAL_PROTECTION, event.vector * 8 + 2);
    const flags = vcpu.flags.word;
    if (outer > 0) {
      const userSp = vcpu.regs.get(SP);
      vcpu.regs.set(SP, vcpu.cr.get(CR_INDEX.ksp));
      vcpu.push(userSp);
    }
    vcpu.push(flags);
    vcpu.push(csSelector(outer));
    vcpu.push(event.returnPc);
    vcpu.push(event.error);
    vcpu.flags.IF = false;
    vcpu.jump(handler);
    // END SOLUTION
  },
};

export default handlers;
