// A monitor trace names the instructions that really ran, in the order the bare machine runs them, with each injected interrupt as its own row.
import { describe, expect, it } from "vitest";
import { assemble } from "../isa/assembler.js";
import { Machine } from "../machine/machine.js";
import { emulatingHandlers } from "../vmm/emulator.js";
import { traceMonitor } from "./monitor-trace.js";

/** Notebook 5's guest, smaller: CLI/STI sections, a timer every 40 instructions whose handler counts ticks. */
const GUEST = assemble(`
_start:
    cli
    mov sp, 0x3000
    mov r1, idt + 32 * 8
    mov r2, tick
    st [r1], r2
    mov r2, 1
    st [r1 + 4], r2
    mov r1, idt
    lidt r1
    mov r1, 40
    out 0x40, r1
    mov r8, 12
section:
    cli
    add r3, r3, 1
    add r4, r4, r3
    sti
    add r5, r5, 1
    sub r8, r8, 1
    jnz section
    cli
    hlt
tick:
    push r1
    add r9, r9, 1
    pop r1
    iret
    .align 8
idt: .space 256 * 8
`, { file: "sections.s" });
const OPTIONS = { profile: "strict" as const, memoryBytes: 16384 };

/** The addresses of the instructions the bare machine retires, in order. */
function nativeRetired(steps: number): number[] {
  const m = new Machine({ memoryBytes: OPTIONS.memoryBytes });
  m.load(GUEST);
  const pcs: number[] = [];
  while (pcs.length < steps) {
    const pc = m.pc;
    const before = m.retired();
    const stop = m.step();
    if (m.retired() > before) pcs.push(pc);
    if (stop.kind !== "budget") break;
  }
  return pcs;
}

describe("traceMonitor", () => {
  const trace = traceMonitor(GUEST, emulatingHandlers(), OPTIONS, 1000);
  const instructions = trace.rows.filter((r) => r.kind === "instruction");

  it("lists the instructions that retired, in the order the bare machine retires them, and ends with the stop", () => {
    expect(instructions.map((r) => r.pc)).toEqual(nativeRetired(1000));
    expect(trace.rows.at(-1)).toMatchObject({ kind: "event", text: "(stop)", note: expect.stringMatching(/^halted at pc/) });
    expect(trace.stop?.kind).toBe("halted");
  });

  it("shows each injected interrupt as its own row, followed by the handler's first instruction", () => {
    const injected = trace.rows.flatMap((r, i) => (r.text === "(interrupt)" ? [i] : []));
    expect(injected.length).toBeGreaterThanOrEqual(2);
    for (const i of injected) {
      expect(trace.rows[i]).toMatchObject({ text: "(interrupt)", note: expect.stringMatching(/^virtual IRQ0 timer interrupt injected; the guest's handler at 0x[0-9a-f]+ runs next$/) });
      expect(trace.rows[i + 1]).toMatchObject({ kind: "instruction", pc: GUEST.symbols.get("tick"), virtualCpl: 0, virtualIF: false });
      expect(trace.rows[i + 1]!.text).toMatch(/^push r1 {3}\(guest CPL 0, IF 0\)$/);
    }
  });

  it("notes each exit with the handler and the virtual IF it left", () => {
    const cli = instructions.find((r) => r.text.startsWith("cli") && r.virtualIF);
    expect(cli?.note).toBe("exit → cli handler, virtual IF 1→0");
    expect(instructions.every((r) => r.cpl === 3)).toBe(true);
  });
});
