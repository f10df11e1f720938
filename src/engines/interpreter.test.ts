// The generated interpreter: complete over the table, and its inline fast paths agree with the machine's slow paths.
import { describe, expect, it } from "vitest";
import { INSTRUCTIONS, PROFILES } from "../isa/table.js";
import { caseBody, engineSource, expandIntrinsics } from "./interpreter.js";
import { Machine } from "../machine/machine.js";
import { generateGuest, GUEST_MEMORY } from "../analysis/generator.js";
import { runGuest, buildGuest } from "../guests/index.js";

describe("the generated interpreter", () => {
  it.each(PROFILES)("has one case per table form on the %s profile, and compiles", (profile) => {
    const source = engineSource(profile);
    for (const s of INSTRUCTIONS) expect(source).toContain(`case ${s.op}: { /* ${s.name} */`);
    expect(() => new Function("CpuEvent", "evalCond", source)).not.toThrow();
  });

  it("expands flag, memory and stack helpers inline and leaves slow paths as calls", () => {
    const add = expandIntrinsics("R[a] = m.add(R[b], R[c]);");
    expect(add).toBe("R[a] = (fa = R[b], fb = R[c], fop = 1, fres = (fa + fb) | 0);");
    const load = expandIntrinsics("R[a] = m.rd32((R[b] + imm) >>> 0);");
    expect(load).toContain("te = FAST[(va >>> 12) & 4095]");
    expect(load).toContain("m.rd32.call(m, va)");
    for (const s of INSTRUCTIONS) {
      const body = caseBody(s);
      if (!/m\.(portIn|portOut|iret|sysret|syscall|writeCr|sti|flagsWord|setFlagsWord)\(/.test(s.exec)) {
        expect(body, s.name).not.toMatch(/\bm\.(add|sub|logic|cond|rd32|wr32|rd8|wr8|push|pop)\(/);
      }
    }
  });

  it("runs a pushed value's page fault precisely: the stack pointer is unchanged", () => {
    const m = new Machine();
    m.load({ segments: [{ address: 0, bytes: new Uint8Array(new Int32Array([0x08100000]).buffer) }], entry: 0 }); // push r1
    m.R[15] = 0; // the push would write below address 0: 0xfffffffc, outside memory
    const stop = m.run({ maxSteps: 1 });
    expect(stop.kind).toBe("machine-check");
    expect(m.R[15]).toBe(0);
  });
});

/** Run a loadable to the end with the TLB emptied before every instruction, so every access takes the slow path. */
function slowRun(m: Machine, maxSteps: number) {
  for (let i = 0; i < maxSteps; i++) {
    m.flushTlb();
    const stop = m.step();
    if (stop.kind !== "budget") return stop;
  }
  return { kind: "budget" as const, pc: m.pc };
}

describe("fast paths against slow paths", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("agree on generated guest %i (paging, user mode, interrupts)", (seed) => {
    const g = generateGuest({ seed, size: 12 });
    const fast = new Machine({ memoryBytes: GUEST_MEMORY });
    fast.load(g.loadable!);
    const fastStop = fast.run({ maxSteps: 200_000 });
    const slow = new Machine({ memoryBytes: GUEST_MEMORY });
    slow.load(g.loadable!);
    const slowStop = slowRun(slow, 200_000);
    expect(slowStop).toEqual(fastStop);
    expect(slow.consoleText()).toBe(fast.consoleText());
    expect(slow.state()).toEqual(fast.state());
    expect(slow.interrupts).toEqual(fast.interrupts);
    expect(Buffer.from(slow.memory.bytes).equals(Buffer.from(fast.memory.bytes))).toBe(true);
  });

  it("agree on a bundled user program under the teaching kernel", () => {
    const build = buildGuest("sort");
    const fast = runGuest("sort");
    const slow = new Machine({ memoryBytes: Math.max(1 << 20, build.memoryBytes) });
    slow.load(build);
    slowRun(slow, 1_000_000);
    expect(slow.consoleText()).toBe(fast.console);
    expect(slow.state()).toEqual(fast.state);
  });
});
