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
import type { TrappedInstruction, VirtualCpu } from "../api.js";
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
  constructor(host: VirtualCpuHost, slot: string, insn: TrappedInstruction, delivering: boolean) {
    const self = this;
    const v = host.vcpu;
    const m = host.machine;
    const guard = (): void => {
      if (!self.live) throw recorded(new VmlabError("VMM_HANDLER_STALE", `a VirtualCpu from handler '${slot}' was used after that handler returned`));
    };
    const guestFault = (f: GuestFault): never => {
      self.fault ??= f;
      throw f;
    };
    /** Record what the monitor raises as it leaves for the handler (see VirtualMachine.invoke): the record is the verdict, not what comes back. */
    const recorded = (e: unknown): unknown => {
      if (e instanceof GuestFault) {
        if (self.live) self.fault ??= e;
      } else if (e instanceof StopSignal) host.callStop ??= e.stop;
      else if (e instanceof MachineCheck) host.callStop ??= { kind: "machine-check", pc: insn.pc, message: String(e.message) };
      else if (e instanceof VmlabError && e.code.startsWith("VMM_")) host.callStop ??= handlerError(e.code as VmmCode, e.message, insn.pc, slot);
      return e;
    };
    const resume = (o: Outcome): void => {
      if (self.outcome) {
        throw recorded(new VmlabError("VMM_HANDLER_BAD_RESUME", `handler '${slot}' resumed the guest twice (${self.outcome.kind}() then ${o.kind}())`));
      }
      self.outcome = o;
    };
    /** Every verb runs through here: checked live, and whatever the monitor raises is recorded before it leaves. */
    const use = <T>(fn: () => T): T => {
      try {
        guard();
        return fn();
      } catch (e) {
        throw recorded(e);
      }
    };
    const flags = {
      get IF(): boolean {
        return v.iflag;
      },
      set IF(on: boolean) {
        use(() => void (v.iflag = Boolean(on)));
      },
      get IOPL(): number {
        return v.iopl;
      },
      set IOPL(value: number) {
        use(() => void (v.iopl = checkIndex("IOPL", value, 4, slot)));
      },
      get word(): number {
        return host.flagsWord();
      },
      set word(value: number) {
        use(() => host.setFlagsWordRaw(checkNumber("the FLAGS word", value, slot) | 0));
      },
    };
    const regs = {
      get(index: number): number {
        return use(() => m.R[checkIndex("a register index", index, 16, slot)]!);
      },
      set(index: number, value: number): void {
        use(() => {
          const i = checkIndex("a register index", index, 16, slot);
          m.R[i] = checkNumber(`the value of r${i}`, value, slot);
        });
      },
    };
    const cr = {
      get(index: number): number {
        return use(() => host.readCr(checkNumber("a control-register index", index, slot)));
      },
      set(index: number, value: number): void {
        use(() => {
          const x = checkNumber("a control-register value", value, slot);
          host.writeCr(checkNumber("a control-register index", index, slot), x);
        });
      },
    };
    const io = {
      in(port: number): number {
        return use(() => host.portIn(checkIndex("a port", port, 65536, slot)));
      },
      out(port: number, value: number): void {
        use(() => host.portOut(checkIndex("a port", port, 65536, slot), checkNumber("a port value", value, slot)));
      },
    };
    const frozenInsn = Object.freeze({ ...insn });
    this.vcpu = {
      get cpl(): number {
        return v.cpl;
      },
      set cpl(value: number) {
        use(() => host.setCpl(checkIndex("the CPL", value, 4, slot)));
      },
      flags,
      regs,
      cr,
      get idtBase(): number {
        return v.idtr;
      },
      set idtBase(value: number) {
        use(() => void (v.idtr = checkNumber("the IDT base", value, slot) >>> 0));
      },
      io,
      insn: frozenInsn,
      get pc(): number {
        const o = self.outcome;
        if (o?.kind === "jump") return o.target;
        if (o && !delivering) return (insn.pc + insn.size) >>> 0;
        return insn.pc;
      },
      skip(): void {
        use(() => resume({ kind: "skip" }));
      },
      jump(address: number): void {
        use(() => resume({ kind: "jump", target: checkNumber("a jump target", address, slot) >>> 0 }));
      },
      push(value: number): void {
        use(() => {
          const x = checkNumber("a value to push", value, slot);
          const sp = (m.R[SP]! - 4) >>> 0;
          host.writeGuest32(sp, x, v.cpl);
          m.R[SP] = sp;
        });
      },
      pop(): number {
        return use(() => {
          const sp = m.R[SP]! >>> 0;
          const x = host.readGuest32(sp, v.cpl);
          m.R[SP] = (sp + 4) | 0;
          return x;
        });
      },
      read32(address: number): number {
        return use(() => host.readGuest32(checkNumber("an address", address, slot), v.cpl));
      },
      write32(address: number, value: number): void {
        use(() => {
          const a = checkNumber("an address", address, slot);
          host.writeGuest32(a, checkNumber("a value to write", value, slot), v.cpl);
        });
      },
      invalidatePage(address: number): void {
        use(() => host.invalidatePage(checkNumber("an address", address, slot)));
      },
      waitForInterrupt(): void {
        use(() => resume({ kind: "wait" }));
      },
      halt(): void {
        use(() => resume({ kind: "halt" }));
      },
      raise(vector: number, error = 0): never {
        return use(() => {
          const x = checkIndex("a vector", vector, 256, slot);
          return guestFault(new GuestFault(x, checkNumber("an error code", error, slot) | 0));
        });
      },
    };
  }
}
