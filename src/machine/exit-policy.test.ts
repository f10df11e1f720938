// The exit policy: the machine sends out exactly what its policy names — events by vector, device interrupts, SYSCALL, HLT, ports, control registers and the interrupt window — and runs everything else itself.
import { describe, expect, it } from "vitest";
import { CR_INDEX, PORT, VECTOR } from "../isa/arch.js";
import { assemble } from "../isa/assembler.js";
import { Machine } from "./machine.js";
import { kernelEntry } from "./asm-snippets.js";
import { describeExit, EVERY_EVENT_EXITS, exitPolicy, NO_EXITS, type ExitPolicySpec } from "./exit-policy.js";
import type { Stop } from "./events.js";

/** A ring-0 kernel with gates for #DE, the timer and INT 0x80 running `body`, under a machine with this policy. */
function runWith(spec: ExitPolicySpec, body: string, maxSteps = 10_000) {
  const program = assemble(`${kernelEntry({ 0: "handler", 32: "tick", 0x80: "handler" })}${body}\nhandler:\n  out 0x11, r0\n  out 0xf0, r0\ntick:\n  iret\n`);
  const m = new Machine({ exits: exitPolicy(spec) });
  m.load(program);
  return { m, stop: m.run({ maxSteps }), symbols: program.symbols };
}

const exitOf = (stop: Stop) => (stop.kind === "exit" ? stop.event : undefined);

describe("the exit policy", () => {
  it("exits on nothing on a bare machine, and on every event (not on instructions) for a deprivileged guest", () => {
    expect(NO_EXITS.exitsAnything).toBe(false);
    expect([EVERY_EVENT_EXITS.vector(0), EVERY_EVENT_EXITS.vector(0x80), EVERY_EVENT_EXITS.interrupts, EVERY_EVENT_EXITS.syscall]).toEqual([true, true, true, true]);
    expect([EVERY_EVENT_EXITS.hlt, EVERY_EVENT_EXITS.port(PORT.CONSOLE_DEC), EVERY_EVENT_EXITS.crWrite(CR_INDEX.cr3), EVERY_EVENT_EXITS.interruptWindow]).toEqual([false, false, false, false]);
    expect(EVERY_EVENT_EXITS.describe()).toEqual(["vectors: all", "device interrupts", "syscall"]);
  });

  it("sends out an exception whose vector it names, and delivers the others through the IDT", () => {
    const divide = "  mov r1, 0\n  div r2, r1, r1\n";
    expect(exitOf(runWith({ vectors: [VECTOR.DIVIDE_ERROR] }, divide).stop)).toMatchObject({ kind: "fault", vector: VECTOR.DIVIDE_ERROR });
    const native = runWith({ vectors: [VECTOR.PAGE_FAULT] }, divide);
    expect(native.stop.kind).toBe("poweroff");
    expect(native.m.consoleText()).toBe("0");
  });

  it("sends out INT n before its gate check when its vector exits: the monitor checks its guest's own gate", () => {
    const { stop } = runWith({ vectors: [0x41] }, "  int 0x41\n");
    expect(exitOf(stop)).toMatchObject({ kind: "trap", vector: 0x41 });
  });

  it("stops OUT to an intercepted port before the device sees it, with the port and value, and lets other ports through", () => {
    const { m, stop } = runWith({ ioPorts: [PORT.CONSOLE_CHAR] }, "  mov r1, 7\n  out 0x11, r1\n  mov r1, 65\n  out 0x10, r1\n  nop\n");
    expect(exitOf(stop)).toEqual({ kind: "io", vector: -1, error: 0, port: PORT.CONSOLE_CHAR, write: true, value: 65, pc: stop.pc });
    expect(describeExit(exitOf(stop)!)).toBe("io out 0x10 ← 65");
    expect(m.consoleText()).toBe("7");
    expect(m.counters.portWrites).toBe(1);
    expect(m.pc).toBe(stop.pc);
  });

  it("stops MOV to an intercepted control register before it changes, and still raises #UD for a register the machine lacks", () => {
    const { m, stop } = runWith({ crWrites: ["cr3"] }, "  mov r1, 0x5000\n  mov cr3, r1\n");
    expect(exitOf(stop)).toMatchObject({ kind: "cr", index: CR_INDEX.cr3, write: true, value: 0x5000 });
    expect(m.cr3).toBe(0);
    const reads = runWith({ crReads: "all" }, "  mov r1, cr8\n");
    expect(exitOf(reads.stop)).toMatchObject({ kind: "cr", index: CR_INDEX.cr8, write: false });
    expect(() => exitPolicy({ crWrites: ["cr5" as "cr0"] })).toThrow(/control registers/);
  });

  it("stops HLT before it sleeps when HLT exits; the instruction has not retired", () => {
    const { m, stop } = runWith({ hlt: true }, "  sti\n  hlt\n");
    expect(exitOf(stop)).toMatchObject({ kind: "hlt", pc: stop.pc });
    expect(m.retired()).toBe(m.time);
    expect(m.counters.haltedTime).toBe(0);
  });

  it("stops at the first boundary where the guest could take an interrupt: after STI and the instruction it shields", () => {
    const { m, stop, symbols } = runWith({ interruptWindow: true }, "  nop\n  sti\nshadowed:\n  nop\nwindow:\n  nop\n");
    expect(exitOf(stop)).toEqual({ kind: "interrupt-window", vector: -1, error: 0, pc: symbols.get("window") });
    expect(m.iflag).toBe(true);
  });

  it("sends out a device interrupt the CPU would take, and SYSCALL, instead of entering the guest", () => {
    const irq = runWith({ interrupts: true }, "  mov r1, 5\n  out 0x40, r1\n  sti\nspin:\n  jmp spin\n");
    expect(exitOf(irq.stop)).toMatchObject({ kind: "interrupt", vector: VECTOR.IRQ_BASE });
    expect(irq.m.interrupts).toEqual([]);
    expect(exitOf(runWith({ syscall: true }, "  syscall\n").stop)).toMatchObject({ kind: "syscall", vector: VECTOR.SYSCALL });
  });
});
