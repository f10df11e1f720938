// Differential test: generated guests run natively and under the trap-and-emulate monitor with its instruction emulator must be indistinguishable on the strict profile.
import { describe, expect, it } from "vitest";
import { emulatingHandlers } from "../vmm/emulator.js";
import { checkEquivalence } from "./equivalence.js";
import { GUEST_MEMORY, generateGuest } from "./generator.js";

const OPTIONS = { memoryBytes: GUEST_MEMORY, maxSteps: 200_000 } as const;

describe("generated guests under the emulating monitor", () => {
  it("are equivalent to their native runs on the strict profile, for 250 seeds with every feature", () => {
    const failures: string[] = [];
    for (let seed = 0; seed < 250; seed++) {
      const guest = generateGuest({ seed });
      const report = checkEquivalence(guest.loadable!, emulatingHandlers(), { ...OPTIONS, profile: "strict" });
      expect(report.native.stop, `seed ${seed}`).toMatchObject({ kind: "poweroff", code: 0 });
      if (!report.equivalent) failures.push(`seed ${seed}: ${report.divergence?.message ?? report.differences.join("; ")}`);
    }
    expect(failures).toEqual([]);
  });

  it("catch the same monitor on the x86 profile at a sensitive instruction that does not trap (POPF or PUSHF)", () => {
    const caught: string[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const guest = generateGuest({ seed, mix: ["pushf", "popf", "cli", "sti", "timer"] });
      const report = checkEquivalence(guest.loadable!, emulatingHandlers("x86"), { ...OPTIONS, profile: "x86" });
      if (!report.equivalent) caught.push(report.divergence!.disassembly.split(/\s/)[0]!);
    }
    expect(caught.length).toBeGreaterThan(0);
    for (const mnemonic of caught) expect(["popf", "pushf"]).toContain(mnemonic);
  });
});
