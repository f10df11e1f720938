// The capability a monitor hands one handler call: a VirtualCpu over the monitor's virtual CPU, checked on every use, revoked when the call returns.
//
// Integrity rules (the grader's threat tests hold the monitor to them): every verb checks the
// capability is live (a VirtualCpu kept for later is stale) and every value is a number of the right
// range; a second resume is refused; whatever the monitor raises while serving a verb — a guest fault, a
// stop signal, a machine check, one of its own errors — is recorded as it leaves the monitor (the first
// guest fault on the capability, any stop in the host's `callStop`), so what a handler catches, alters
// or throws in its place changes nothing: the record decides the outcome.
import { SP } from "../../isa/arch.js";
import { VmlabError } from "../../core/errors.js";
import { MachineCheck } from "../../machine/memory.js";
import type { Machine } from "../../machine/machine.js";
import type { TrappedInstruction, VirtualControlRegisters, VirtualCpu, VirtualFlags, VirtualIo, VirtualRegisters } from "../api.js";
import type { MonitorStop, VmmCode } from "../types.js";
import { GuestFault } from "./guest-fault.js";
import { StopSignal, handlerError } from "./stop-signal.js";
import type { VirtualCpuState } from "./virtual-cpu-state.js";

/** How a handler call resumed the guest, or the guest fault it came to. */
export type Outcome =
  | { readonly kind: "skip" }
  | { readonly kind: "jump"; readonly target: number }
  | { readonly kind: "wait" }
  | { readonly kind: "halt" }
  | { readonly kind: "fault"; readonly fault: GuestFault };

/** What a capability acts on: the monitor's services for its virtual CPU (the kit's VirtualMachine provides them). */
export interface VirtualCpuHost {
  readonly machine: Machine;
  readonly vcpu: VirtualCpuState;
  /** The first stop the monitor raised during the running handler call, recorded as it left. */
  callStop: MonitorStop | undefined;
  setCpl(cpl: number): void;
  flagsWord(): number;
  setFlagsWordRaw(v: number): void;
  readCr(index: number): number;
  writeCr(index: number, v: number): void;
  portIn(port: number): number;
  portOut(port: number, value: number): void;
  readGuest32(va: number, cpl: number): number;
  writeGuest32(va: number, v: number, cpl: number): void;
  invalidatePage(va: number): void;
}

export function checkNumber(what: string, value: unknown, handler: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new VmlabError("VMM_HANDLER_BAD_VALUE", `handler '${handler}' passed ${describe(value)} as ${what}; it must be a finite number`);
  }
  return value;
}

export function checkIndex(what: string, value: unknown, limit: number, handler: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= limit) {
    throw new VmlabError("VMM_HANDLER_BAD_VALUE", `handler '${handler}' used ${describe(value)} as ${what}; it must be an integer 0..${limit - 1}`);
  }
  return value;
}

/** A value in a message, without calling anything on it. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

/**
 * The VirtualCpu handed to one handler call: a narrow capability over the monitor, checked on every use,
 * revoked when the handler returns. It records how the handler resumed and the first guest fault raised.
 *
 * The verbs live on frozen prototypes (CapabilityCpu and its parts below), and an instance holds its
 * capability in a private field. Object literals with getters made per call cost far more than they look:
 * V8 keeps an accessor in the object's hidden class, so each call's fresh getters made a fresh hidden class
 * for each part, allocated where only a full collection frees it. At about 4,200 handler calls a grade that
 * was some 35-50 ms of a sandbox child's CPU (measured inside the child), most of it garbage collection.
 */
export class Capability {
  live = true;
  outcome: Outcome | undefined;
  fault: GuestFault | undefined;
  readonly vcpu: VirtualCpu;

  /**
   * `slot` names the handler (for messages); `insn` is what it emulates. A delivering call (an event
   * entering the guest's IDT) keeps `pc` at the instruction until it jumps: there is no next instruction.
   */
  constructor(
    readonly host: VirtualCpuHost,
    readonly slot: string,
    readonly insn: TrappedInstruction,
    readonly delivering: boolean,
  ) {
    this.vcpu = new CapabilityCpu(this, Object.freeze({ ...insn }));
  }

  /** Every verb runs through here: checked live, and whatever the monitor raises is recorded before it leaves. */
  use<T>(fn: () => T): T {
    try {
      if (!this.live) throw this.recorded(new VmlabError("VMM_HANDLER_STALE", `a VirtualCpu from handler '${this.slot}' was used after that handler returned`));
      return fn();
    } catch (e) {
      throw this.recorded(e);
    }
  }

  /** Record what the monitor raises as it leaves for the handler (see VirtualMachine.invoke): the record is the verdict, not what comes back. */
  recorded(e: unknown): unknown {
    const host = this.host;
    if (e instanceof GuestFault) {
      if (this.live) this.fault ??= e;
    } else if (e instanceof StopSignal) host.callStop ??= e.stop;
    else if (e instanceof MachineCheck) host.callStop ??= { kind: "machine-check", pc: this.insn.pc, message: String(e.message) };
    else if (e instanceof VmlabError && e.code.startsWith("VMM_")) host.callStop ??= handlerError(e.code as VmmCode, e.message, this.insn.pc, this.slot);
    return e;
  }

  resume(o: Outcome): void {
    if (this.outcome) {
      throw this.recorded(new VmlabError("VMM_HANDLER_BAD_RESUME", `handler '${this.slot}' resumed the guest twice (${this.outcome.kind}() then ${o.kind}())`));
    }
    this.outcome = o;
  }

  guestFault(f: GuestFault): never {
    this.fault ??= f;
    throw f;
  }

  /** The pc a handler sees: where it jumped, past the instruction once it resumed otherwise (unless delivering), else the instruction's. */
  pc(): number {
    const o = this.outcome;
    if (o?.kind === "jump") return o.target;
    if (o && !this.delivering) return (this.insn.pc + this.insn.size) >>> 0;
    return this.insn.pc;
  }
}

/** A handler call's VirtualCpu. Its parts are made when first read: most handlers use one or two. */
class CapabilityCpu implements VirtualCpu {
  readonly #cap: Capability;
  #flags: VirtualFlags | undefined;
  #regs: VirtualRegisters | undefined;
  #cr: VirtualControlRegisters | undefined;
  #io: VirtualIo | undefined;
  readonly insn: TrappedInstruction;

  constructor(cap: Capability, insn: TrappedInstruction) {
    this.#cap = cap;
    this.insn = insn;
  }

  get flags(): VirtualFlags {
    return (this.#flags ??= new CapabilityFlags(this.#cap));
  }
  get regs(): VirtualRegisters {
    return (this.#regs ??= new CapabilityRegisters(this.#cap));
  }
  get cr(): VirtualControlRegisters {
    return (this.#cr ??= new CapabilityControlRegisters(this.#cap));
  }
  get io(): VirtualIo {
    return (this.#io ??= new CapabilityIo(this.#cap));
  }

  get cpl(): number {
    return this.#cap.host.vcpu.cpl;
  }
  set cpl(value: number) {
    const c = this.#cap;
    c.use(() => c.host.setCpl(checkIndex("the CPL", value, 4, c.slot)));
  }
  get idtBase(): number {
    return this.#cap.host.vcpu.idtr;
  }
  set idtBase(value: number) {
    const c = this.#cap;
    c.use(() => void (c.host.vcpu.idtr = checkNumber("the IDT base", value, c.slot) >>> 0));
  }
  get pc(): number {
    return this.#cap.pc();
  }
  skip(): void {
    const c = this.#cap;
    c.use(() => c.resume({ kind: "skip" }));
  }
  jump(address: number): void {
    const c = this.#cap;
    c.use(() => c.resume({ kind: "jump", target: checkNumber("a jump target", address, c.slot) >>> 0 }));
  }
  push(value: number): void {
    const c = this.#cap;
    c.use(() => {
      const m = c.host.machine;
      const x = checkNumber("a value to push", value, c.slot);
      const sp = (m.R[SP]! - 4) >>> 0;
      c.host.writeGuest32(sp, x, c.host.vcpu.cpl);
      m.R[SP] = sp;
    });
  }
  pop(): number {
    const c = this.#cap;
    return c.use(() => {
      const m = c.host.machine;
      const sp = m.R[SP]! >>> 0;
      const x = c.host.readGuest32(sp, c.host.vcpu.cpl);
      m.R[SP] = (sp + 4) | 0;
      return x;
    });
  }
  read32(address: number): number {
    const c = this.#cap;
    return c.use(() => c.host.readGuest32(checkNumber("an address", address, c.slot), c.host.vcpu.cpl));
  }
  write32(address: number, value: number): void {
    const c = this.#cap;
    c.use(() => {
      const a = checkNumber("an address", address, c.slot);
      c.host.writeGuest32(a, checkNumber("a value to write", value, c.slot), c.host.vcpu.cpl);
    });
  }
  invalidatePage(address: number): void {
    const c = this.#cap;
    c.use(() => c.host.invalidatePage(checkNumber("an address", address, c.slot)));
  }
  waitForInterrupt(): void {
    const c = this.#cap;
    c.use(() => c.resume({ kind: "wait" }));
  }
  halt(): void {
    const c = this.#cap;
    c.use(() => c.resume({ kind: "halt" }));
  }
  raise(vector: number, error = 0): never {
    const c = this.#cap;
    return c.use(() => {
      const x = checkIndex("a vector", vector, 256, c.slot);
      return c.guestFault(new GuestFault(x, checkNumber("an error code", error, c.slot) | 0));
    });
  }
}

class CapabilityFlags implements VirtualFlags {
  readonly #cap: Capability;
  constructor(cap: Capability) {
    this.#cap = cap;
  }
  get IF(): boolean {
    return this.#cap.host.vcpu.iflag;
  }
  set IF(on: boolean) {
    const c = this.#cap;
    c.use(() => void (c.host.vcpu.iflag = Boolean(on)));
  }
  get IOPL(): number {
    return this.#cap.host.vcpu.iopl;
  }
  set IOPL(value: number) {
    const c = this.#cap;
    c.use(() => void (c.host.vcpu.iopl = checkIndex("IOPL", value, 4, c.slot)));
  }
  get word(): number {
    return this.#cap.host.flagsWord();
  }
  set word(value: number) {
    const c = this.#cap;
    c.use(() => c.host.setFlagsWordRaw(checkNumber("the FLAGS word", value, c.slot) | 0));
  }
}

class CapabilityRegisters implements VirtualRegisters {
  readonly #cap: Capability;
  constructor(cap: Capability) {
    this.#cap = cap;
  }
  get(index: number): number {
    const c = this.#cap;
    return c.use(() => c.host.machine.R[checkIndex("a register index", index, 16, c.slot)]!);
  }
  set(index: number, value: number): void {
    const c = this.#cap;
    c.use(() => {
      const i = checkIndex("a register index", index, 16, c.slot);
      c.host.machine.R[i] = checkNumber(`the value of r${i}`, value, c.slot);
    });
  }
}

class CapabilityControlRegisters implements VirtualControlRegisters {
  readonly #cap: Capability;
  constructor(cap: Capability) {
    this.#cap = cap;
  }
  get(index: number): number {
    const c = this.#cap;
    return c.use(() => c.host.readCr(checkNumber("a control-register index", index, c.slot)));
  }
  set(index: number, value: number): void {
    const c = this.#cap;
    c.use(() => {
      const x = checkNumber("a control-register value", value, c.slot);
      c.host.writeCr(checkNumber("a control-register index", index, c.slot), x);
    });
  }
}

class CapabilityIo implements VirtualIo {
  readonly #cap: Capability;
  constructor(cap: Capability) {
    this.#cap = cap;
  }
  in(port: number): number {
    const c = this.#cap;
    return c.use(() => c.host.portIn(checkIndex("a port", port, 65536, c.slot)));
  }
  out(port: number, value: number): void {
    const c = this.#cap;
    c.use(() => c.host.portOut(checkIndex("a port", port, 65536, c.slot), checkNumber("a port value", value, c.slot)));
  }
}

// The verbs are shared by every call's VirtualCpu: frozen, so a handler cannot change them for the calls after it.
for (const c of [CapabilityCpu, CapabilityFlags, CapabilityRegisters, CapabilityControlRegisters, CapabilityIo]) {
  for (const d of Object.values(Object.getOwnPropertyDescriptors(c.prototype))) {
    for (const f of [d.value, d.get, d.set]) if (typeof f === "function") Object.freeze(f);
  }
  Object.freeze(c.prototype);
  Object.freeze(c);
}
