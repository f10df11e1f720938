// Lab 01: trap-and-emulate handlers for the vmlab monitor.
//
// The guest kernel runs at real CPL 3, so every privileged instruction it executes traps here. Each
// handler emulates the instruction against the virtual CPU exactly as the bare machine would run it at
// the virtual CPL, then resumes the guest (the lab's README walks through the virtual CPU's parts).
import { CR_INDEX, FLAG, IOPL_SHIFT, SP, STATUS_MASK, VECTOR, csSelector } from "vmlab";
import type { GuestEvent, TrapHandlers, VirtualCpu } from "vmlab";

export const handlers: TrapHandlers = {
  // CLI at virtual CPL <= IOPL: clear the virtual interrupt flag.
  cli(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: cli");
    vcpu.skip();
  },

  // STI: set the virtual interrupt flag; the monitor holds pending interrupts for one more instruction.
  sti(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: sti");
    vcpu.skip();
  },

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

  // HLT: wait for the next virtual interrupt, or stop the virtual machine when none can arrive.
  hlt(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: hlt");
  },

  // IN rd, port: ask the virtual device.
  in(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: in");
    vcpu.skip();
  },

  // OUT port, rs: tell the virtual device.
  out(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: out");
    vcpu.skip();
  },

  // MOV crN, rs: the monitor resynchronises its shadow page tables on CR0 and CR3.
  movToCr(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: movToCr");
    vcpu.skip();
  },

  // MOV rd, crN
  movFromCr(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: movFromCr");
    vcpu.skip();
  },

  // LIDT rs: the guest's IDT base is virtual; the real one belongs to the monitor.
  lidt(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: lidt");
    vcpu.skip();
  },

  // SIDT rd
  sidt(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: sidt");
    vcpu.skip();
  },

  // INVLPG rs: drop the shadow mapping of that page.
  invlpg(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: invlpg");
    vcpu.skip();
  },

  // SMSW rd: the low 16 bits of the virtual CR0.
  smsw(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: smsw");
    vcpu.skip();
  },

  // PUSH CS / MOV rd, CS: the selector shows the virtual CPL, not the real one.
  readCs(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: readCs");
    vcpu.skip();
  },

  // SYSRET: pc ← r13, FLAGS ← r12 (as ring 0 loads them), virtual CPL ← 3.
  sysret(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: sysret");
  },

  // VMCALL: lab 01's monitor offers no hypercalls, so the guest gets #UD as on the bare machine.
  vmcall(vcpu: VirtualCpu) {
    // YOUR CODE HERE
    throw new Error("not implemented: vmcall");
  },

  // Deliver an event through the guest's IDT, building the frame the hardware would build.
  reflect(vcpu: VirtualCpu, event: GuestEvent) {
    // YOUR CODE HERE
    throw new Error("not implemented: reflect");
  },
};

export default handlers;
