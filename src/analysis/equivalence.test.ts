// Tests of the equivalence checker: the reference monitor is equivalent on the strict profile and the checker names x86's holes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildGuest, listGuests } from "../guests/index.js";
import { assemble } from "../isa/assembler.js";
import { emulatingHandlers } from "../vmm/emulator.js";
import type { TrapHandlers } from "../vmm/api.js";
import { trapSession } from "../vmm/trap.js";
import { checkEquivalence, compareRuns } from "./equivalence.js";

describe("checkEquivalence", () => {
  for (const guest of listGuests()) {
    it(`finds the reference monitor equivalent to the bare machine on '${guest.name}' (strict profile)`, () => {
      const build = buildGuest(guest.name);
      const report = checkEquivalence(build, emulatingHandlers(), { profile: "strict", memoryBytes: build.memoryBytes });
      expect(report.differences).toEqual([]);
      expect(report.equivalent).toBe(true);
      expect(report.native.stop.kind).toBe("poweroff");
      expect(report.overhead).toBeGreaterThan(1);
    });
  }

  it("names the POPF that silently fails to re-enable interrupts on the x86 profile (popf-irq)", () => {
    const build = buildGuest("popf-irq");
    const report = checkEquivalence(build, emulatingHandlers("x86"), { profile: "x86", memoryBytes: build.memoryBytes });
    expect(report.equivalent).toBe(false);
    expect(report.divergence?.disassembly).toBe("popf");
    expect(report.divergence?.what).toBe("flags");
    expect(report.divergence?.message).toMatch(/popf.*IF: native 1, virtualized 0/);
    expect(report.virtualized.console).toBe("ticks 0\n");
  });

  it("names the instruction that reveals the real ring on the x86 profile (ring-check)", () => {
    const build = buildGuest("ring-check");
    const report = checkEquivalence(build, emulatingHandlers("x86"), { profile: "x86", memoryBytes: build.memoryBytes });
    expect(report.equivalent).toBe(false);
    expect(report.divergence?.disassembly).toMatch(/^(mov r\d+, cs|push cs)$/);
    expect(report.native.console).toBe("ring 0\n");
    expect(report.virtualized.console).toBe("ring 3\n");
  });

  it("finds a divergence that shows only in memory (PUSH CS on x86) by narrowing down from a checkpoint", () => {
    const program = assemble(`
      mov sp, 0x3000
      mov r1, 7
      push cs
      mov r2, 9
      out 0xF0, r0
    `);
    const report = checkEquivalence(program, emulatingHandlers("x86"), { profile: "x86", memoryBytes: 16384, memoryCheckpoint: 64 });
    expect(report.divergence?.disassembly).toBe("push cs");
    expect(report.divergence?.guestInstruction).toBe(3);
    expect(report.divergence?.what).toBe("memory");
  });

  it("names the instruction whose handler is missing", () => {
    const { popf: _popf, ...handlers } = emulatingHandlers() as Required<TrapHandlers>;
    const build = buildGuest("popf-irq");
    const report = checkEquivalence(build, handlers, { profile: "strict", memoryBytes: build.memoryBytes });
    expect(report.virtualized.verdict).toMatch(/^no handler for 'popf' \(POPF at 0x[0-9a-f]{8}\)$/);
    expect(report.divergence?.disassembly).toBe("popf");
    expect(report.divergence?.what).toBe("stop");
  });

  it("checks any monitor through a session factory: passing handlers is short for trapSession(handlers)", () => {
    const build = buildGuest("popf-irq");
    const options = { profile: "x86" as const, memoryBytes: build.memoryBytes };
    const byHandlers = checkEquivalence(build, emulatingHandlers("x86"), options);
    const byFactory = checkEquivalence(build, trapSession(emulatingHandlers("x86")), options);
    expect(byFactory.divergence?.message).toBe(byHandlers.divergence?.message);
    expect([byFactory.virtualized.cycles, byFactory.virtualized.console]).toEqual([byHandlers.virtualized.cycles, byHandlers.virtualized.console]);
    expect(byFactory.virtualized.monitor).toBe("trap");
  });

  it("reports identical complete runs as having no differences", () => {
    const build = buildGuest("hello");
    const report = checkEquivalence(build, emulatingHandlers(), { memoryBytes: build.memoryBytes });
    expect(compareRuns(report.native, report.native)).toEqual([]);
  });

  it("finds a loop of trapping CLI and STI equivalent, with one exit for each", () => {
    const program = assemble(`
      mov sp, 0x3000
      mov r1, 100
    loop:
      cli
      sti
      sub r1, r1, 1
      jnz loop
      out 0xF0, r0
    `);
    const report = checkEquivalence(program, emulatingHandlers(), { memoryBytes: 16384 });
    expect(report.equivalent).toBe(true);
    expect(report.virtualized.counters.trapsByCause).toMatchObject({ cli: 100, sti: 100 });
  });

  describe("a guest that relies on a stale TLB entry", () => {
    /** Remaps a cached page without INVLPG, then touches 64 other pages so the 64-entry TLB drops the stale translation. */
    const STALE = readFileSync(new URL("./testdata/stale-tlb.s", import.meta.url), "utf8");

    it.each(["strict", "x86"] as const)("is outside the guarantee on the %s profile: the report says the bare machine's own result depends on the TLB, and names no divergence", (profile) => {
      const report = checkEquivalence(assemble(STALE), emulatingHandlers(), { profile });
      expect(report.native.console).toBe("222");
      expect(report.equivalent).toBe(false);
      expect(report.divergence).toBeUndefined();
      expect(report.tlbDependent?.variants.map((v) => v.tlbEntries)).toEqual([65536]);
      expect(report.tlbDependent?.message).toMatch(/^outside the equivalence guarantee: .*65,536-entry TLB.*console: 64 entries "222"; a 65,536-entry TLB "111".*without INVLPG/);
    });

    it("is equivalent once it invalidates the entry it changed", () => {
      const fixed = STALE.replace("st [r9], r1           ; remap", "st [r9], r1\n  invlpg r7             ; remap");
      expect(fixed).not.toBe(STALE);
      const report = checkEquivalence(assemble(fixed), emulatingHandlers(), {});
      expect(report.native.console).toBe("222");
      expect(report.equivalent).toBe(true);
    });
  });
});
