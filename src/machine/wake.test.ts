// HLT ends only for an interrupt the CPU would take, on the bare machine and under the monitor alike.
import { describe, expect, it } from "vitest";
import { assemble } from "../isa/assembler.js";
import { checkEquivalence } from "../analysis/equivalence.js";
import { emulatingHandlers } from "../vmm/emulator.js";
import { kernelEntry } from "./asm-snippets.js";
import { bootAssembly } from "./boot.js";
import { createDevices } from "./devices.js";
import { wakeLines, wakeTime } from "./wake.js";

/** A kernel that counts timer ticks in r9, sets up the timer every 10 instructions, runs `setup`, enables interrupts and executes 100 HLTs, counting them in r8. */
const halts = (setup: string) => `
${kernelEntry({ 32: "tick", 33: "tick" })}  mov r1, 10
  out 0x40, r1
${setup}
  sti
  mov r8, 0
.again:
  hlt
  add r8, r8, 1
  cmp r8, 100
  jnz .again
  out 0x11, r8
  mov r1, 0
  out 0xf0, r1
tick:
  add r9, r9, 1
  mov r1, 0
  out 0x20, r1          ; acknowledge IRQ0 (IRQ1 is acknowledged by delivery)
  iret`;

function runNative(source: string) {
  const m = bootAssembly(source);
  const stop = m.run({ maxSteps: 100_000 });
  return { m, stop };
}

describe("HLT", () => {
  it("halts for good when the only device that could wake it has its line masked in the PIC", () => {
    const { m, stop } = runNative(halts("  mov r1, 1\n  out 0x21, r1        ; mask IRQ0"));
    expect(stop).toMatchObject({ kind: "halted", interruptsEnabled: true, reason: expect.stringMatching(/masked in the PIC or held back by CR8/) });
    expect([m.R[8], m.R[9]]).toEqual([0, 0]);
    expect(m.time).toBeLessThan(100);
  });

  it("halts for good while CR8 holds every line back, even with the timer's line pending", () => {
    const { m, stop } = runNative(halts("  mov r1, 2\n  mov cr8, r1\n  mov r1, 1\n  out 0x40, r1\n  nop\n  nop"));
    expect(m.pic.pending & 1).toBe(1);
    expect(stop).toMatchObject({ kind: "halted", interruptsEnabled: true });
    expect(m.R[8]).toBe(0);
  });

  it("still wakes for an unmasked line while another is masked: the block device's completion ends it", () => {
    const { m, stop } = runNative(halts("  mov r1, 1\n  out 0x21, r1\n  mov r1, 0x20000\n  out 0x32, r1\n  mov r1, 1\n  out 0x31, r1   ; read sector 0, done after 50"));
    expect(stop.kind).toBe("halted");
    expect([m.R[8], m.R[9]]).toEqual([1, 1]);
    expect(m.interrupts.map((i) => i.vector)).toEqual([33]);
  });

  it("wakes at every timer interrupt when nothing is masked, as before", () => {
    const { m, stop } = runNative(halts(""));
    expect(stop).toMatchObject({ kind: "poweroff", code: 0 });
    expect(m.R[8]).toBe(100);
    expect(m.R[9]).toBe(100);
  });

  it.each([
    ["a masked timer line", "  mov r1, 1\n  out 0x21, r1"],
    ["CR8 holding the line back", "  mov r1, 2\n  mov cr8, r1"],
  ])("halts the same way under trap-and-emulate with %s, so check finds the runs equivalent", (_what, setup) => {
    const report = checkEquivalence(assemble(halts(setup)), emulatingHandlers(), { maxSteps: 100_000 });
    expect(report.native.stop).toMatchObject({ kind: "halted", interruptsEnabled: true });
    expect(report.virtualized.stop).toEqual(report.native.stop);
    expect(report.equivalent).toBe(true);
  });
});

describe("the lines that can wake a HLT", () => {
  const devices = () => createDevices({ now: () => 0, raise: () => {}, wake: () => {}, memory: undefined as never, powerOff: () => {} });

  it("are the lines unmasked in the PIC whose priority class (vector / 16) is above CR8", () => {
    expect(wakeLines({ mask: 0 }, 0)).toBe(0xffff);
    expect(wakeLines({ mask: 0b101 }, 1)).toBe(0xffff & ~0b101);
    expect(wakeLines({ mask: 0 }, 2)).toBe(0);
  });

  it("say when: now for a pending line, at the device's next event, or never", () => {
    const d = devices();
    d.timer.write(0x40, 25);
    expect(wakeTime(d.bus, d.pic, 0, 3)).toEqual({ kind: "at", time: 25 });
    expect(wakeTime(d.bus, { mask: 1, pending: 0 }, 0, 3)).toEqual({ kind: "never", reason: "blocked" });
    expect(wakeTime(d.bus, { mask: 0, pending: 2 }, 0, 3)).toEqual({ kind: "at", time: 3 });
    d.timer.write(0x40, 0);
    expect(wakeTime(d.bus, { mask: 0, pending: 0 }, 0, 3)).toEqual({ kind: "never", reason: "no-device" });
  });
});
