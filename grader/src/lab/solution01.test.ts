// Lab 01's reference solution: every handler slot filled and marked up for the starter, and equivalent on generated guests.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkEquivalence } from "../../../src/analysis/equivalence.js";
import { GUEST_MEMORY, generateGuest } from "../../../src/analysis/generator.js";
import { HANDLER_NAMES } from "../../../src/vmm/api.js";
import { handlers as referenceHandlers } from "../../../solutions/01-trap-and-emulate/handlers.js";
import { buildGuest } from "../../../src/guests/index.js";
import { emulatingHandlers } from "../../../src/vmm/emulator.js";
import { runTrapAndEmulate } from "../../../src/vmm/trap.js";

const SOLUTION = new URL("../../../solutions/01-trap-and-emulate/handlers.ts", import.meta.url);

describe("the reference handlers", () => {
  it("fill every handler slot", () => {
    for (const name of HANDLER_NAMES) expect(typeof referenceHandlers[name], name).toBe("function");
  });

  it("mark the student's part of every handler with balanced BEGIN/END SOLUTION lines", () => {
    const lines = readFileSync(SOLUTION, "utf8").split("\n").map((l) => l.trim());
    let open = false;
    let blocks = 0;
    for (const line of lines) {
      if (line === "// BEGIN SOLUTION") {
        expect(open).toBe(false);
        open = true;
      } else if (line === "// END SOLUTION") {
        expect(open).toBe(true);
        open = false;
        blocks++;
      }
    }
    expect(open).toBe(false);
    expect(blocks).toBe(HANDLER_NAMES.length);
  });

  it("is equivalent to the native run on 250 generated guests with every feature (strict)", () => {
    const failures: string[] = [];
    for (let seed = 0; seed < 250; seed++) {
      const guest = generateGuest({ seed });
      const report = checkEquivalence(guest.loadable!, referenceHandlers, { memoryBytes: GUEST_MEMORY, maxSteps: 200_000, profile: "strict" });
      if (!report.equivalent) failures.push(`seed ${seed}: ${report.divergence?.message ?? report.differences.join("; ")}`);
    }
    expect(failures).toEqual([]);
  });

  it("agree with the monitor's instruction emulator, run for run, on the x86 profile too — including where both diverge", () => {
    for (const name of ["popf-irq", "ring-check", "primes", "syscalls"]) {
      for (const profile of ["strict", "x86"] as const) {
        const guest = buildGuest(name);
        const a = runTrapAndEmulate(guest, emulatingHandlers(profile), { profile, memoryBytes: guest.memoryBytes });
        const b = runTrapAndEmulate(guest, referenceHandlers, { profile, memoryBytes: guest.memoryBytes });
        expect([a.verdict, a.console, a.cycles, a.interrupts], `${name} on ${profile}`).toEqual([b.verdict, b.console, b.cycles, b.interrupts]);
      }
    }
  });
});
