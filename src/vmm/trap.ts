// The trap-and-emulate monitor: the guest kernel runs deprivileged, every trap reaches a handler that emulates it on a virtual CPU.
//
// Built on the monitor kit (kit/vm.ts): the machine sends every event out (EVERY_EVENT_EXITS), the guest
// runs at real CPL 3 with IOPL 0 and paging on through the kit's shadow page tables, guest-physical memory
// is a window of host memory above the monitor's own frames. What is this monitor's own is how it
// classifies exits (rule per branch below): privileged instructions are decoded through the guest's own
// translation and dispatched to the student's handler for that instruction; hidden page faults fill the
// shadow; guest faults, INT n and device interrupts are reflected into the guest through its IDT by the
// `reflect` handler; SYSCALL is entered by the framework.
import type { Engine } from "../engines/engine.js";
import { VECTOR, vectorName } from "../isa/arch.js";
import { EVERY_EVENT_EXITS } from "../machine/exit-policy.js";
import type { EventExit } from "../machine/events.js";
import type { Loadable } from "../machine/machine.js";
import type { GuestEvent, HandlerName, TrapHandlers, TrappedInstruction, VirtualCpu } from "./api.js";
import { GuestFault } from "./kit/guest-fault.js";
import { HandlerRegistry } from "./kit/registry.js";
import type { SessionFactory } from "./kit/session.js";
import { internalError } from "./kit/stop-signal.js";
import { VirtualMachine, type ExitHandlers } from "./kit/vm.js";
import { MONITOR_MAX_STEPS, hex8, type MonitoredRun, type RunOptions, type TrapCounters } from "./types.js";

export { NO_PROGRESS_LIMIT } from "./kit/vm.js";

/** Frames of monitor memory below the guest window (shadow page-table pool). */
export const MONITOR_FRAMES = 64;

/** The handler slot for each trapping instruction form. */
export const HANDLER_FOR_FORM: Readonly<Record<string, HandlerName>> = {
  CLI: "cli", STI: "sti", PUSHF: "pushf", POPF: "popf", IRET: "iret", HLT: "hlt", IN: "in", OUT: "out",
  MOV_CR_R: "movToCr", MOV_R_CR: "movFromCr", LIDT: "lidt", SIDT: "sidt", INVLPG: "invlpg", SMSW: "smsw",
  PUSH_CS: "readCs", MOV_R_CS: "readCs", SYSRET: "sysret", VMCALL: "vmcall",
};

/** Forms gated by IOPL rather than CPL 0 (POPF only traps on the strict profile, where it faults at CPL > IOPL). */
const IOPL_FORMS = new Set(["CLI", "STI", "IN", "OUT", "POPF"]);

/** A trap-and-emulate virtual machine: create, advance by guest instructions, inspect, collect the result. */
export class TrapAndEmulateMonitor extends VirtualMachine<TrapCounters> {
  readonly monitor: "trap" | "bt" = "trap";
  protected readonly paging = this.shadowPaging();
  private readonly handlers: HandlerRegistry<HandlerName, (vcpu: VirtualCpu, event?: GuestEvent) => unknown>;

  protected readonly exitHandlers: ExitHandlers = {
    // A real page fault: the shadow lacks the mapping (hidden) or the guest itself would fault.
    fault: (e) => (e.vector === VECTOR.PAGE_FAULT ? this.hiddenPageFault(e) : this.onFault(e)),
    trap: (e) => this.trapExit(e),
    syscall: (e) => this.syscallExit(e),
    interrupt: (e) => this.stop(internalError(`a real device interrupt (vector ${e.vector}) reached the monitor`, e.pc)),
  };

  /** `engine`: what the real machine runs on, `section`: more counters after trap-and-emulate's (the binary-translation monitor passes its translator and its own). */
  constructor(loadable: Loadable, handlers: TrapHandlers, options: RunOptions = {}, engine?: Engine, section: object = {}) {
    super(loadable, options, { exits: EVERY_EVENT_EXITS, monitorFrames: MONITOR_FRAMES, counters: { hiddenPageFaults: 0, shadowFlushes: 0, ...section }, ...(engine ? { engine } : {}) });
    this.handlers = new HandlerRegistry(handlers);
    this.deprivilege(this.paging);
  }

  /** #GP / #UD / #DE ...: a privileged instruction the guest may run in its virtual ring is emulated; anything else is the guest's own fault. */
  protected onFault(e: EventExit): void {
    const insn = this.decodeAt(e.pc);
    if (insn) {
      const slot = HANDLER_FOR_FORM[insn.name];
      const trapped = e.vector === VECTOR.GENERAL_PROTECTION || (insn.name === "VMCALL" && e.vector === VECTOR.INVALID_OPCODE);
      if (slot && trapped) {
        // Rule: the instruction faults natively too when the virtual ring is not allowed to run it.
        const allowed = insn.name === "VMCALL" || (IOPL_FORMS.has(insn.name) ? this.vcpu.cpl <= this.vcpu.iopl : this.vcpu.cpl === 0);
        if (allowed) return this.dispatch(slot, insn);
      }
    }
    this.reflectException(e.vector, e.error, e.pc, insn);
  }

  private hiddenPageFault(e: EventExit): void {
    if (this.pageFaultExit(e)) this.counters.hiddenPageFaults++;
  }

  /** Dispatch a trapped instruction to the student's handler for its slot (none: the run stops naming it). */
  protected dispatch(slot: HandlerName, insn: TrappedInstruction): void {
    this.cause(slot);
    const handler = this.handlers.lookup(slot, () => `${insn.name} at 0x${hex8(insn.pc)}`, insn.pc);
    this.emulate(slot, insn, (vcpu) => handler.call(this.handlers.table, vcpu));
  }

  /** Deliver an event into the guest with the student's `reflect` handler. */
  protected deliverOnce(event: GuestEvent, insn: TrappedInstruction): GuestFault | undefined {
    const handler = this.handlers.lookup("reflect", () => `${vectorName(event.vector)} at 0x${hex8(insn.pc)}`, insn.pc);
    return this.deliverVia("reflect", event, insn, (vcpu, frozen) => handler.call(this.handlers.table, vcpu, frozen));
  }

  /** Exits, emulation and injection at the trap section's prices (virtual device I/O is the shell's). */
  protected sectionCycles(): number {
    const c = this.counters;
    const cost = this.cost;
    return c.exits * cost.monitorTrap + c.emulatedInstructions * cost.emulate + (c.injectedInterrupts + c.reflectedEvents) * cost.inject;
  }

  protected override settleCounters(): void {
    this.counters.shadowFlushes = this.paging.tables.flushes;
  }
}

/** Run a guest under the trap-and-emulate monitor with the given handlers until it stops or the budget ends. */
export function runTrapAndEmulate(loadable: Loadable, handlers: TrapHandlers, options: RunOptions = {}): MonitoredRun {
  const vm = new TrapAndEmulateMonitor(loadable, handlers, options);
  vm.advance(options.maxSteps ?? MONITOR_MAX_STEPS);
  return vm.result({ final: true });
}

/** Sessions of the trap-and-emulate monitor with `handlers`, for the equivalence checker and the grader. */
export function trapSession(handlers: TrapHandlers): SessionFactory {
  return (loadable, options) => new TrapAndEmulateMonitor(loadable, handlers, options);
}
