// The emulating monitor: trapped instructions run the machine's own semantics on the virtual CPU, and every bundled guest runs as on bare hardware
// (generated guests: analysis/generator.equivalence.test.ts; against lab 01's reference handlers: grader/src/lab/solution01.test.ts).
import { describe, expect, it } from "vitest";
import { checkEquivalence } from "../analysis/equivalence.js";
import { buildGuest, listGuests } from "../guests/index.js";
import { emulatingHandlers } from "./emulator.js";

describe("the emulating monitor", () => {
  it("runs every bundled guest on the strict profile exactly as on the bare machine", () => {
    for (const g of listGuests()) {
      const guest = buildGuest(g.name);
      const report = checkEquivalence(guest, emulatingHandlers("strict"), { profile: "strict", maxSteps: 2_000_000 });
      expect(report.divergence?.message ?? report.differences.join("; "), g.name).toBe("");
    }
  });

  it("reflects a fault the emulated instruction raises into the guest, as the machine would (#GP for CLI at virtual ring 3)", () => {
    const guest = buildGuest("fault-privileged");
    const report = checkEquivalence(guest, emulatingHandlers("strict"), { profile: "strict" });
    expect(report.equivalent).toBe(true);
    expect(report.native.console).toMatch(/general protection|#GP/i);
  });
});
