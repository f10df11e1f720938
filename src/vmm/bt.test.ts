// The binary-translation monitor: the x86 guests that break trap-and-emulate run equivalently under the reference policy, inline CLI/STI cost less than callouts, and a policy that copies POPF or classifies nothing is caught.
import { describe, expect, it } from "vitest";
import { checkEquivalence } from "../analysis/equivalence.js";
import { FEATURES, generateGuest } from "../analysis/generator.js";
import { assemble } from "../isa/assembler.js";
import { buildGuest, listGuests } from "../guests/index.js";
import { emulatingHandlers } from "./emulator.js";
import { allCalloutPolicy, BinaryTranslationMonitor, btSession, referencePolicy, runBinaryTranslation, SENSITIVE_FORMS, type BtCounters, type TranslationPolicy } from "./bt.js";

const options = (memoryBytes: number) => ({ profile: "x86" as const, memoryBytes });
const x86 = emulatingHandlers("x86");

describe("the binary-translation monitor", () => {
  it("calls out exactly the x86 profile's sensitive-but-unprivileged forms, inlines CLI and STI, and calls out the privileged ones", () => {
    expect([...SENSITIVE_FORMS].sort()).toEqual(["IRET", "MOV_R_CS", "POPF", "PUSHF", "PUSH_CS", "SIDT", "SMSW"]);
    const ask = (name: string, privilege: "innocuous" | "privileged" | "sensitive") => referencePolicy({ name, mnemonic: "", pc: 0, size: 4, a: 0, b: 0, c: 0, imm: 0, text: "", privilege });
    expect([ask("POPF", "sensitive"), ask("CLI", "privileged"), ask("STI", "privileged"), ask("OUT", "privileged"), ask("ADD", "innocuous")]).toEqual(["CALLOUT", "INLINE", "INLINE", "CALLOUT", "IDENT"]);
  });

  it("runs popf-irq and ring-check equivalently on the x86 profile, where trap-and-emulate diverges", () => {
    for (const name of ["popf-irq", "ring-check"]) {
      const build = buildGuest(name);
      expect(checkEquivalence(build, x86, options(build.memoryBytes)).equivalent, `${name} under trap-and-emulate`).toBe(false);
      const report = checkEquivalence(build, btSession(x86), options(build.memoryBytes));
      expect(report.equivalent, `${name} under BT: ${JSON.stringify(report.differences)}`).toBe(true);
    }
  });

  it("runs every bundled guest equivalently on the x86 profile under the reference policy (and the interrupt-heavy ones under all callouts), most of the kernel's code translated", () => {
    for (const info of listGuests()) {
      const build = buildGuest(info.name);
      for (const policy of ["popf-irq", "sleep"].includes(info.name) ? [referencePolicy, allCalloutPolicy] : [referencePolicy]) {
        const report = checkEquivalence(build, btSession(x86, policy), options(build.memoryBytes));
        expect(report.equivalent, `${info.name} (${policy.name}): ${JSON.stringify(report.differences)}`).toBe(true);
      }
    }
    const build = buildGuest("popf-irq");
    const vm = new BinaryTranslationMonitor(build, x86, options(build.memoryBytes));
    vm.advance(1_000_000);
    const s = vm.translation();
    expect(s.translatedInstructions).toBeGreaterThan(s.interpretedInstructions);
    expect(s.regions).toBeGreaterThan(0);
  });

  it("delivers timer interrupts at the same instruction as the bare machine when STI is inline, on generated kernels", () => {
    for (let seed = 0; seed < 12; seed++) {
      const g = generateGuest({ seed: `bt-inline-${seed}`, size: 1 + (seed % 4), mix: seed % 2 ? ["cli", "sti", "timer", "popf", "pushf"] : FEATURES });
      const report = checkEquivalence(g.loadable!, btSession(x86), { profile: "x86", maxSteps: 400_000 });
      expect(report.equivalent, `seed ${seed}: ${report.divergence?.message ?? report.differences.join("; ")}`).toBe(true);
    }
  });

  it("holds a virtual interrupt back for one instruction after an inline STI (its shadow), as the bare machine does", () => {
    // Timer periods at which a tick falls due just after an STI the kernel runs with no interrupt waiting.
    for (const [name, timerPeriod] of [["sleep", 97], ["sleep", 111], ["primes", 27], ["primes", 76]] as const) {
      const build = buildGuest(name, { timerPeriod });
      const report = checkEquivalence(build, btSession(x86), { ...options(build.memoryBytes), maxSteps: 400_000 });
      expect(report.equivalent, `${name} every ${timerPeriod}: ${report.divergence?.message ?? report.differences.join("; ")}`).toBe(true);
    }
  });

  it("inlines CLI and STI without entering the monitor, so the all-callout policy costs visibly more cycles", () => {
    const build = buildGuest("popf-irq");
    const inline = runBinaryTranslation(build, x86, options(build.memoryBytes));
    const callout = runBinaryTranslation(build, x86, options(build.memoryBytes), { policy: allCalloutPolicy });
    const c = (r: typeof inline) => r.counters as unknown as BtCounters & typeof r.counters;
    expect(c(inline).inlineSequences).toBeGreaterThan(0);
    expect(c(inline).trapsByCause["cli callout"] ?? 0).toBe(0);
    expect(c(callout).inlineSequences).toBe(0);
    expect(c(callout).trapsByCause["cli callout"]).toBeGreaterThan(0);
    expect(c(callout).callouts).toBeGreaterThan(c(inline).callouts);
    expect(callout.cycles).toBeGreaterThan(inline.cycles * 1.2);
    // The translation's statistics travel with the counters.
    expect(c(inline).translation.instructions).toBeGreaterThan(0);
  });

  it("diverges on popf-irq with a policy that copies POPF (IDENT) instead of calling out", () => {
    const build = buildGuest("popf-irq");
    const identPopf: TranslationPolicy = (insn) => (insn.name === "POPF" ? "IDENT" : referencePolicy(insn));
    expect(checkEquivalence(build, btSession(x86, identPopf), options(build.memoryBytes)).equivalent).toBe(false);
  });

  it("stops the run naming the instruction and its address when the policy leaves one unclassified", () => {
    const guest = assemble("_start:\n  mov r1, 1\n  pushf\n  hlt\n", { file: "t.s" });
    const policy = ((insn) => (insn.name === "PUSHF" ? undefined : "IDENT")) as TranslationPolicy;
    const run = runBinaryTranslation(guest, x86, { profile: "x86" }, { policy });
    expect(run.stop).toMatchObject({ kind: "handler-error", code: "VMM_BAD_POLICY", pc: 8 });
    expect(run.verdict).toBe('the translation policy did not classify PUSHF (pushf) at 0x00000008: return "IDENT", "INLINE" or "CALLOUT" for it (a sensitive instruction)');
  });

  it("refuses INLINE for a form without an inline sequence, and CALLOUT for one without a callout", () => {
    const guest = assemble("_start:\n  pushf\n  add r1, r1, 1\n  hlt\n", { file: "t.s" });
    const inlinePushf = runBinaryTranslation(guest, x86, { profile: "x86" }, { policy: (i) => (i.name === "PUSHF" ? "INLINE" : "IDENT") });
    expect(inlinePushf.verdict).toMatch(/chose INLINE for PUSHF \(pushf\) at 0x00000000, which has no inline sequence \(only CLI and STI do\)/);
    const calloutAdd = runBinaryTranslation(guest, x86, { profile: "x86" }, { policy: (i) => (i.mnemonic === "add" ? "CALLOUT" : referencePolicy(i)) });
    expect(calloutAdd.verdict).toMatch(/chose CALLOUT for ADD\w* \(add r1, r1, 1\) at 0x00000004, which has no callout/);
  });

  it("runs a callout the callouts object lacks on the trap handlers, and stops naming it when neither has it", () => {
    const guest = assemble("_start:\n  pushf\n  pop r1\n  hlt\n", { file: "t.s" });
    const { pushf: _pushf, ...withoutPushf } = x86;
    const served = runBinaryTranslation(guest, x86, { profile: "x86" }, { callouts: {} });
    expect(served.stop.kind).toBe("halted");
    const missing = runBinaryTranslation(guest, withoutPushf, { profile: "x86" }, { callouts: {} });
    expect(missing.stop).toMatchObject({ kind: "no-handler", handler: "pushf" });
    expect(missing.verdict).toContain("the callout of PUSHF at 0x00000000");
  });
});
