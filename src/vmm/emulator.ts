// An instruction emulator for the trap-and-emulate monitor: each trapped instruction runs the machine's own semantics against the virtual CPU.
//
// This is the demonstration monitor of the CLI and the notebooks, and deliberately not lab 01's answer.
// Lab 01 asks for one handler per sensitive instruction, written against the VirtualCpu API. Real
// monitors often do something else: they hand a trapped instruction to a general instruction emulator
// (KVM's x86 emulator, for one) that interprets it against the virtual CPU's state. Here that emulator is
// the machine itself: the instruction's semantics template from the instruction table runs with `m`
// bound to a view of the VirtualCpu whose prototype is Machine.prototype, so IRET, POPF, SYSRET and
// interrupt delivery through the IDT use exactly the code the bare machine uses — only the state they
// read and write is the guest's virtual state (virtual CPL, IF, IOPL, control registers, IDT base,
// guest-virtual memory with the virtual CPL's rights, virtual devices).
import { CR_INDEX, STATUS_MASK, VECTOR } from "../isa/arch.js";
import { BY_NAME, type InstructionSpec, type Profile } from "../isa/table.js";
import { Counters } from "../machine/counters.js";
import { CpuEvent, Machine } from "../machine/machine.js";
import { NO_EXITS } from "../machine/exit-policy.js";
import { ControlRegisters } from "../machine/control-registers.js";
import { HANDLER_NAMES, type GuestEvent, type HandlerName, type TrapHandlers, type VirtualCpu } from "./api.js";

/** One form's semantics as a function: runs the template with `m` and `R`, returns the next pc. */
type Semantics = (m: unknown, R: Int32Array, a: number, b: number, c: number, imm: number, pc: number, next: number, STRICT: boolean) => number;

const compiled = new Map<string, Semantics>();

/** The table's `exec` template of a form as a function (compiled once per form). */
function semanticsOf(spec: InstructionSpec): Semantics {
  let f = compiled.get(spec.name);
  if (!f) {
    const tail = spec.branch ? "return pc;" : "return next;";
    f = new Function("m", "R", "a", "b", "c", "imm", "pc", "next", "STRICT", `"use strict";\n${spec.exec}\n${tail}`) as Semantics;
    compiled.set(spec.name, f);
  }
  return f;
}

/**
 * The machine's control-register file (`m.cr`, and `m.cr0`, `m.ksp`... through it) backed by the VirtualCpu:
 * MOV crN's rules run once, on the monitor's side, which keeps the same register file for its guest and
 * resynchronises its paging itself — so a write asks nothing more of the view.
 */
function controlRegisters(vcpu: VirtualCpu): ControlRegisters {
  const fields: PropertyDescriptorMap = {};
  for (const [name, index] of Object.entries(CR_INDEX)) {
    fields[name] = { get: () => vcpu.cr.get(index), set: (v: number) => vcpu.cr.set(index, v) };
  }
  return Object.create(ControlRegisters.prototype, {
    ...fields,
    read: { value: (index: number) => vcpu.cr.get(index) },
    write: { value: (index: number, v: number) => (vcpu.cr.set(index, v), 0) },
  }) as ControlRegisters;
}

/**
 * A Machine as the templates and helpers see it (`this`), backed by a VirtualCpu: registers are copied in
 * and written back; everything else is read and written through the VirtualCpu as the helper touches it.
 */
function machineView(vcpu: VirtualCpu, profile: Profile): Machine & { R: Int32Array } {
  const R = new Int32Array(16);
  for (let i = 0; i < 16; i++) R[i] = vcpu.regs.get(i);
  const view = Object.create(Machine.prototype) as Machine;
  const word = vcpu.flags.word;
  Object.defineProperties(view, {
    profile: { value: profile },
    R: { value: R },
    counters: { value: new Counters() }, // the monitor counts for itself; the helpers' counts are dropped
    exits: { value: NO_EXITS },
    checkAt: { value: 0, writable: true },
    time: { value: 0, writable: true },
    // Lazy flags start from the virtual FLAGS' status bits.
    fop: { value: 0, writable: true },
    fres: { value: 0, writable: true },
    fa: { value: 0, writable: true },
    fb: { value: 0, writable: true },
    fstat: { value: word & STATUS_MASK, writable: true },
    cpl: { get: () => vcpu.cpl, set: (v: number) => void (vcpu.cpl = v) },
    iflag: { get: () => vcpu.flags.IF, set: (v: boolean) => void (vcpu.flags.IF = v) },
    iopl: { get: () => vcpu.flags.IOPL, set: (v: number) => void (vcpu.flags.IOPL = v) },
    idtr: { get: () => vcpu.idtBase, set: (v: number) => void (vcpu.idtBase = v >>> 0) },
    cr: { value: controlRegisters(vcpu) },
    rd32: { value: (va: number) => vcpu.read32(va) },
    wr32: { value: (va: number, v: number) => vcpu.write32(va, v) },
    refreshMasks: { value: () => undefined }, // the monitor's shadow paging follows the virtual CPL itself
    invlpg: { value: (va: number) => vcpu.invalidatePage(va) },
    portIn: { value: (port: number) => vcpu.io.in(port) },
    portOut: { value: (port: number, v: number) => vcpu.io.out(port, v) },
    // The interrupt shadow after STI is the monitor's to keep (it injects at instruction boundaries).
    sti: { value: () => void (vcpu.flags.IF = true) },
  });
  return view as Machine & { R: Int32Array };
}

/** Write back the registers a template changed, and the lazy flags' status bits into the virtual FLAGS. */
function writeBack(vcpu: VirtualCpu, view: Machine & { R: Int32Array }): void {
  for (let i = 0; i < 16; i++) if (view.R[i] !== vcpu.regs.get(i)) vcpu.regs.set(i, view.R[i]!);
  const status = view.status();
  const word = vcpu.flags.word;
  if ((word & STATUS_MASK) !== status) vcpu.flags.word = (word & ~STATUS_MASK) | status;
}

/** An event a template raised, turned into what the VirtualCpu does with it. */
function settle(vcpu: VirtualCpu, e: unknown): void {
  if (!(e instanceof CpuEvent)) throw e;
  if (e.kind === "halt") {
    if (vcpu.flags.IF) vcpu.waitForInterrupt();
    else vcpu.halt();
    return;
  }
  if (e.kind === "fault") vcpu.raise(e.vector, e.error);
  // A trap or system call cannot come out of a trapped sensitive instruction's template.
  vcpu.raise(VECTOR.GENERAL_PROTECTION);
}

/** Emulate the trapped instruction `vcpu.insn` with its table semantics on the virtual CPU. */
export function emulateInstruction(vcpu: VirtualCpu, profile: Profile): void {
  const insn = vcpu.insn;
  const spec = BY_NAME.get(insn.name);
  if (!spec) return vcpu.raise(VECTOR.INVALID_OPCODE);
  const view = machineView(vcpu, profile);
  const next = (insn.pc + insn.size) >>> 0;
  let pc: number;
  try {
    pc = semanticsOf(spec)(view, view.R, insn.a, insn.b, insn.c, insn.imm, insn.pc, next, profile === "strict");
  } catch (e) {
    writeBack(vcpu, view);
    return settle(vcpu, e);
  }
  writeBack(vcpu, view);
  if (pc === next && !spec.branch) vcpu.skip();
  else vcpu.jump(pc);
}

/** Deliver an event through the guest's IDT exactly as the bare machine enters a gate. */
export function emulateDelivery(vcpu: VirtualCpu, event: GuestEvent, profile: Profile): void {
  const view = machineView(vcpu, profile);
  try {
    view.enterGate(event.vector, event.error, event.returnPc);
  } catch (e) {
    writeBack(vcpu, view);
    return settle(vcpu, e);
  }
  writeBack(vcpu, view);
  vcpu.jump(view.pc >>> 0);
}

/**
 * Handlers for every trap of the trap-and-emulate monitor, each emulating with the machine's semantics.
 * Equivalent to the bare machine on every bundled guest of the strict profile (a test checks it). The
 * profile only matters for instructions that trap on it; on x86 the holes never reach a handler at all.
 */
export function emulatingHandlers(profile: Profile = "strict"): TrapHandlers {
  const handlers: Partial<Record<HandlerName, (vcpu: VirtualCpu, event?: GuestEvent) => void>> = {};
  for (const name of HANDLER_NAMES) {
    handlers[name] = name === "reflect" ? (vcpu, event) => emulateDelivery(vcpu, event!, profile) : (vcpu) => emulateInstruction(vcpu, profile);
  }
  return handlers as TrapHandlers;
}
