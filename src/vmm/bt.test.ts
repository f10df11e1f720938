// The binary-translation monitor: the x86 guests that break trap-and-emulate run equivalently once the kernel's sensitive instructions are callouts, and a policy that copies POPF diverges.
import { describe, expect, it } from "vitest";
import { checkEquivalence } from "../analysis/equivalence.js";
import { buildGuest, listGuests } from "../guests/index.js";
import { emulatingHandlers } from "./emulator.js";
import { BinaryTranslationMonitor, btSession, referencePolicy, SENSITIVE_FORMS } from "./bt.js";

const options = (memoryBytes: number) => ({ profile: "x86" as const, memoryBytes });

describe("the binary-translation monitor", () => {
  it("rewrites exactly the x86 profile's sensitive-but-unprivileged forms", () => {
    expect([...SENSITIVE_FORMS].sort()).toEqual(["IRET", "MOV_R_CS", "POPF", "PUSHF", "PUSH_CS", "SIDT", "SMSW"]);
  });

  it("runs popf-irq and ring-check equivalently on the x86 profile, where trap-and-emulate diverges", () => {
    for (const name of ["popf-irq", "ring-check"]) {
      const build = buildGuest(name);
      expect(checkEquivalence(build, emulatingHandlers("x86"), options(build.memoryBytes)).equivalent, `${name} under trap-and-emulate`).toBe(false);
      const report = checkEquivalence(build, btSession(emulatingHandlers("x86")), options(build.memoryBytes));
      expect(report.equivalent, `${name} under BT: ${JSON.stringify(report.differences)}`).toBe(true);
    }
  });

  it("runs every bundled guest equivalently on the x86 profile, most of the kernel's code translated", () => {
    for (const info of listGuests()) {
      const build = buildGuest(info.name);
      const report = checkEquivalence(build, btSession(emulatingHandlers("x86")), options(build.memoryBytes));
      expect(report.equivalent, `${info.name}: ${JSON.stringify(report.differences)}`).toBe(true);
    }
    const build = buildGuest("popf-irq");
    const vm = new BinaryTranslationMonitor(build, emulatingHandlers("x86"), options(build.memoryBytes));
    vm.advance(1_000_000);
    const s = vm.translation();
    expect(s.translatedInstructions).toBeGreaterThan(s.interpretedInstructions);
    expect(s.regions).toBeGreaterThan(0);
  });

  it("diverges on popf-irq with a policy that copies POPF (IDENT) instead of calling out", () => {
    const build = buildGuest("popf-irq");
    const identPopf = btSession(emulatingHandlers("x86"), (spec) => (spec.name === "POPF" ? "IDENT" : referencePolicy(spec)));
    expect(checkEquivalence(build, identPopf, options(build.memoryBytes)).equivalent).toBe(false);
  });
});
