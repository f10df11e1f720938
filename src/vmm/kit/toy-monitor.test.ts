// A toy monitor built on the kit in a few dozen lines — CLI, STI, HLT and OUT emulated for a tiny timer kernel — checked by the equivalence checker through its session factory.
import { describe, expect, it } from "vitest";
import { checkEquivalence } from "../../analysis/equivalence.js";
import { assemble } from "../../isa/assembler.js";
import { timerTicksKernel } from "../../machine/asm-snippets.js";
import { VECTOR } from "../../isa/arch.js";
import type { EventExit } from "../../machine/events.js";
import { EVERY_EVENT_EXITS } from "../../machine/exit-policy.js";
import type { Loadable } from "../../machine/machine.js";
import type { GuestEvent, TrappedInstruction, VirtualCpu } from "../api.js";
import { emulateInstruction } from "../emulator.js";
import { hex8, type RunOptions } from "../types.js";
import type { GuestFault } from "./guest-fault.js";
import { HandlerRegistry } from "./registry.js";
import type { SessionFactory } from "./session.js";
import { VirtualMachine, type ExitHandlers } from "./vm.js";

/** The toy's emulation, by instruction form: four written out, IRET left to the machine's own semantics. */
const TOY_HANDLERS: Record<string, (vcpu: VirtualCpu) => void> = {
  CLI: (vcpu) => { vcpu.flags.IF = false; vcpu.skip(); },
  STI: (vcpu) => { vcpu.flags.IF = true; vcpu.skip(); },
  HLT: (vcpu) => (vcpu.flags.IF ? vcpu.waitForInterrupt() : vcpu.halt()),
  OUT: (vcpu) => { vcpu.io.out(vcpu.insn.imm, vcpu.regs.get(vcpu.insn.a)); vcpu.skip(); },
  LIDT: (vcpu) => { vcpu.idtBase = vcpu.regs.get(vcpu.insn.a); vcpu.skip(); },
  IRET: (vcpu) => emulateInstruction(vcpu, "strict"),
};

/** The guest kernel runs deprivileged; each #GP of a form the toy knows is emulated, any other fault is the guest's own. */
class ToyMonitor extends VirtualMachine {
  readonly monitor = "toy";
  protected readonly paging = this.shadowPaging();
  private readonly handlers = new HandlerRegistry<string, (vcpu: VirtualCpu) => void>(TOY_HANDLERS);
  protected readonly exitHandlers: ExitHandlers = {
    fault: (e) => (e.vector === VECTOR.PAGE_FAULT ? void this.pageFaultExit(e) : this.privileged(e)),
    trap: (e) => this.trapExit(e),
  };

  constructor(loadable: Loadable, options: RunOptions) {
    super(loadable, options, { exits: EVERY_EVENT_EXITS, monitorFrames: 8, counters: {} });
    this.deprivilege(this.paging);
  }

  private privileged(e: EventExit): void {
    const insn = this.decodeAt(e.pc);
    if (!insn || e.vector !== VECTOR.GENERAL_PROTECTION) return this.reflectException(e.vector, e.error, e.pc, insn);
    this.cause(insn.mnemonic);
    const handler = this.handlers.lookup(insn.name, `${insn.text} at 0x${hex8(insn.pc)}`, insn.pc);
    this.emulate(insn.mnemonic, insn, handler);
  }

  protected deliverOnce(event: GuestEvent, insn: TrappedInstruction): GuestFault | undefined {
    return this.deliverNatively(event, insn);
  }

  protected sectionCycles(): number {
    return this.counters.exits * this.cost.monitorTrap + this.counters.emulatedInstructions * this.cost.emulate;
  }
}

const toy: SessionFactory = (loadable, options) => new ToyMonitor(loadable, options);

/** A kernel that sets up a timer gate, idles in STI; HLT; CLI until three ticks have come, prints the count and powers off. */
const TICKS = timerTicksKernel(41, 3);

const SMALL = { memoryBytes: 16384 };

describe("a toy monitor on the kit", () => {
  it("runs a timer kernel exactly as the bare machine does: the same output, interrupts at the same guest instructions, halts woken alike", () => {
    const report = checkEquivalence(assemble(TICKS), toy, SMALL);
    expect(report.differences).toEqual([]);
    expect(report.equivalent).toBe(true);
    expect(report.virtualized.monitor).toBe("toy");
    expect(report.virtualized.console).toBe("3");
    expect(report.virtualized.interrupts).toEqual(report.native.interrupts);
    expect(report.virtualized.counters.trapsByCause).toMatchObject({ lidt: 1, sti: 3, hlt: 3, cli: 3, out: 3, iret: 3 });
    expect(report.virtualized.counters.haltedTime).toBeGreaterThan(0);
    expect(report.overhead).toBeGreaterThan(1);
  });

  it("stops loudly at an instruction it has no handler for, and the checker names that instruction", () => {
    const report = checkEquivalence(assemble("_start:\n  cli\n  mov r1, cr0\n  out 0xF0, r0\n"), toy, SMALL);
    expect(report.virtualized.verdict).toBe("no handler for 'MOV_R_CR' (mov r1, cr0 at 0x00000004)");
    expect(report.divergence).toMatchObject({ what: "stop", disassembly: "mov r1, cr0", guestInstruction: 2 });
  });

  it("stops loudly at an exit it has no handler for: SYSCALL leaves the guest, and the toy handles no system calls", () => {
    const report = checkEquivalence(assemble("_start:\n  syscall\n"), toy, { ...SMALL, maxSteps: 1000 });
    expect(report.virtualized.stop).toMatchObject({ kind: "no-handler", handler: "syscall" });
    expect(report.virtualized.verdict).toMatch(/^no handler for 'syscall' \(syscall INT 0x80 system call at 0x00000000\)$/);
  });
});
