// Tests for the adapters that feed machine snapshots to the display helpers.
import { describe, expect, it } from "vitest";
import { FLAG } from "../isa/arch.js";
import { createMachine, type CpuState } from "../machine/machine.js";
import { counterValues, flagRecord, registerValues, stateData, stopText } from "./from-machine.js";

const base: CpuState = {
  pc: 0x100, cpl: 3, registers: Array.from({ length: 16 }, (_, i) => i), flags: FLAG.IF | FLAG.ZF | (2 << 12),
  cr0: 1, cr2: 0, cr3: 0, cr8: 0, ksp: 0, sep: 0, idtr: 0, time: 0,
};

describe("machine adapters", () => {
  it("names the registers r0..r14 and sp", () => {
    const names = registerValues(base.registers).map((r) => r.name);
    expect(names[0]).toBe("r0");
    expect(names[14]).toBe("r14");
    expect(names[15]).toBe("sp");
  });

  it("decodes IF, IOPL and the status flags from a FLAGS word", () => {
    expect(flagRecord(base.flags)).toEqual({ IF: true, IOPL: 2, ZF: true, SF: false, CF: false, OF: false });
  });

  it("marks the registers that differ from the previous snapshot", () => {
    const after = { ...base, registers: base.registers.map((v, i) => (i === 3 ? 99 : v)) };
    expect(stateData(after, { previous: base }).changed).toEqual(["r3"]);
  });

  it("describes a real machine's snapshot and stop reason", () => {
    const m = createMachine({ profile: "strict", memoryBytes: 64 * 1024 });
    const stop = m.run({ maxSteps: 1 });
    const data = stateData(m.state(), { profile: m.profile, stop });
    expect(data.cpl).toBe(0);
    expect(data.profile).toBe("strict");
    expect(data.registers).toHaveLength(16);
    expect(typeof data.status).toBe("string");
    expect(stopText({ kind: "halted", pc: 4, interruptsEnabled: false, reason: "HLT with interrupts disabled (IF = 0)" })).toBe("halted (HLT with interrupts disabled (IF = 0))");
  });

  it("flattens counters, naming exception vectors and leaving zeros out", () => {
    const values = counterValues({ events: { "13": 2 }, modeSwitches: 4, tlbHits: 0 });
    expect(values).toEqual([
      { name: "events: #GP general protection", value: 2 },
      { name: "modeSwitches", value: 4 },
    ]);
  });
});
