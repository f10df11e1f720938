// The trap harness's facade: one handler call's view of the monitor's VirtualCpu, revoked when the call returns, passing only primitives.
import type { GuestEvent, TrappedInstruction, VirtualControlRegisters, VirtualCpu, VirtualFlags, VirtualIo, VirtualRegisters } from "../../../../src/vmm/api.js";
import type { CaseState } from "../compartment.js";
import { facadeErrors, prim } from "../guarded-call.js";

export interface Facade {
  readonly vcpu: VirtualCpu;
  open(): void;
  close(): void;
}

/** Reach into a facade's private state: assigned inside the class body, so student code can never get it. */
let invoke!: <T>(cpu: FacadeCpu, what: string, fn: (real: VirtualCpu) => T) => T;
let setOpen!: (cpu: FacadeCpu, open: boolean) => void;

/**
 * One handler call's view of the monitor's VirtualCpu. The methods live on prototypes hardened once;
 * an instance holds only private fields (the real vcpu, whether the call is still running, its parts),
 * so a shallow freeze per call is enough: much cheaper than `harden` on a fresh closure graph. The four
 * parts (flags, regs, cr, io) are made, and frozen, when the handler first asks for one: most handlers
 * use one or two, and a grade makes some 4,000 of these views.
 */
class FacadeCpu implements VirtualCpu {
  readonly #real: VirtualCpu;
  readonly #state: () => CaseState;
  #open = false;
  #flags: VirtualFlags | undefined;
  #regs: VirtualRegisters | undefined;
  #cr: VirtualControlRegisters | undefined;
  #io: VirtualIo | undefined;

  constructor(real: VirtualCpu, state: () => CaseState) {
    this.#real = real;
    this.#state = state;
    Object.freeze(this);
  }

  get flags(): VirtualFlags {
    return (this.#flags ??= Object.freeze(new FacadeFlags(this)));
  }
  get regs(): VirtualRegisters {
    return (this.#regs ??= Object.freeze(new FacadeRegisters(this, "regs")));
  }
  get cr(): VirtualControlRegisters {
    return (this.#cr ??= Object.freeze(new FacadeRegisters(this, "cr")));
  }
  get io(): VirtualIo {
    return (this.#io ??= Object.freeze(new FacadeIo(this)));
  }

  static {
    /** Call into the monitor; a throw from there is the monitor's signal, unless the stack ran out inside it. */
    invoke = <T>(cpu: FacadeCpu, what: string, fn: (real: VirtualCpu) => T): T => {
      if (!cpu.#open) throw new Error(`vcpu.${what} was used after the handler returned; use the vcpu only while your handler runs`);
      try {
        return fn(cpu.#real);
      } catch (e) {
        const s = cpu.#state();
        if (e instanceof RangeError && /call stack/i.test(String(e.message))) {
          s.failure ??= { status: "handler-error", message: `The call stack ran out inside vcpu.${what}: your handlers nest calls too deeply (a function that calls itself without end?).` };
        }
        if (typeof e === "object" && e !== null && !facadeErrors.has(e)) s.signal ??= e;
        throw e;
      }
    };
    setOpen = (cpu, open) => {
      cpu.#open = open;
    };
  }

  get cpl() { return invoke(this, "cpl", (r) => r.cpl); }
  set cpl(v: number) { invoke(this, "cpl", (r) => { r.cpl = prim(v, "vcpu.cpl"); }); }
  get idtBase() { return invoke(this, "idtBase", (r) => r.idtBase); }
  set idtBase(v: number) { invoke(this, "idtBase", (r) => { r.idtBase = prim(v, "vcpu.idtBase"); }); }
  get insn() { return invoke(this, "insn", (r) => copyInsn(r.insn)); }
  get pc() { return invoke(this, "pc", (r) => r.pc); }
  skip() { invoke(this, "skip", (r) => r.skip()); }
  jump(address: number) { invoke(this, "jump", (r) => r.jump(prim(address, "vcpu.jump"))); }
  push(value: number) { invoke(this, "push", (r) => r.push(prim(value, "vcpu.push"))); }
  pop() { return invoke(this, "pop", (r) => r.pop()); }
  read32(address: number) { return invoke(this, "read32", (r) => r.read32(prim(address, "vcpu.read32"))); }
  write32(address: number, value: number) { invoke(this, "write32", (r) => r.write32(prim(address, "vcpu.write32"), prim(value, "vcpu.write32"))); }
  invalidatePage(address: number) { invoke(this, "invalidatePage", (r) => r.invalidatePage(prim(address, "vcpu.invalidatePage"))); }
  waitForInterrupt() { invoke(this, "waitForInterrupt", (r) => r.waitForInterrupt()); }
  halt() { invoke(this, "halt", (r) => r.halt()); }
  raise(vector: number, error?: number): never {
    return invoke(this, "raise", (r) => r.raise(prim(vector, "vcpu.raise"), error === undefined ? undefined : prim(error, "vcpu.raise")));
  }
}

class FacadeFlags implements VirtualFlags {
  readonly #cpu: FacadeCpu;
  constructor(cpu: FacadeCpu) { this.#cpu = cpu; }
  get IF() { return invoke(this.#cpu, "flags.IF", (r) => r.flags.IF); }
  set IF(v: boolean) { invoke(this.#cpu, "flags.IF", (r) => { r.flags.IF = Boolean(v); }); }
  get IOPL() { return invoke(this.#cpu, "flags.IOPL", (r) => r.flags.IOPL); }
  set IOPL(v: number) { invoke(this.#cpu, "flags.IOPL", (r) => { r.flags.IOPL = prim(v, "vcpu.flags.IOPL"); }); }
  get word() { return invoke(this.#cpu, "flags.word", (r) => r.flags.word); }
  set word(v: number) { invoke(this.#cpu, "flags.word", (r) => { r.flags.word = prim(v, "vcpu.flags.word"); }); }
}

class FacadeRegisters implements VirtualRegisters, VirtualControlRegisters {
  readonly #cpu: FacadeCpu;
  readonly #part: "regs" | "cr";
  constructor(cpu: FacadeCpu, part: "regs" | "cr") {
    this.#cpu = cpu;
    this.#part = part;
  }
  get(index: number) {
    const part = this.#part;
    return invoke(this.#cpu, `${part}.get`, (r) => r[part].get(prim(index, `vcpu.${part}.get`)));
  }
  set(index: number, value: number) {
    const part = this.#part;
    invoke(this.#cpu, `${part}.set`, (r) => r[part].set(prim(index, `vcpu.${part}.set`), prim(value, `vcpu.${part}.set`)));
  }
}

class FacadeIo implements VirtualIo {
  readonly #cpu: FacadeCpu;
  constructor(cpu: FacadeCpu) { this.#cpu = cpu; }
  in(port: number) { return invoke(this.#cpu, "io.in", (r) => r.io.in(prim(port, "vcpu.io.in"))); }
  out(port: number, value: number) { invoke(this.#cpu, "io.out", (r) => r.io.out(prim(port, "vcpu.io.out"), prim(value, "vcpu.io.out"))); }
}

let facadeClassesHardened = false;

/** The revocable view of one real VirtualCpu (the classes are hardened on first use, after lockdown). */
export function makeFacade(real: VirtualCpu, state: () => CaseState): Facade {
  if (!facadeClassesHardened) {
    for (const c of [FacadeCpu, FacadeFlags, FacadeRegisters, FacadeIo]) {
      // Hide the constructors: student code has no use for them.
      Object.defineProperty(c.prototype, "constructor", { value: undefined, writable: false, enumerable: false, configurable: false });
      harden(c);
      harden(c.prototype);
    }
    facadeClassesHardened = true;
  }
  const vcpu = new FacadeCpu(real, state);
  return {
    vcpu,
    open: () => setOpen(vcpu, true),
    close: () => setOpen(vcpu, false),
  };
}

/** A frozen copy of the trapped instruction, primitives only. */
function copyInsn(insn: TrappedInstruction): TrappedInstruction {
  return Object.freeze({
    name: String(insn.name), mnemonic: String(insn.mnemonic), pc: Number(insn.pc), size: Number(insn.size),
    a: Number(insn.a), b: Number(insn.b), c: Number(insn.c), imm: Number(insn.imm), text: String(insn.text),
  });
}

export function copyEvent(event: GuestEvent | undefined): GuestEvent | undefined {
  if (event === undefined) return undefined;
  return Object.freeze({ kind: event.kind, vector: Number(event.vector), error: Number(event.error), returnPc: Number(event.returnPc) });
}

