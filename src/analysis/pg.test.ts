// Tests for the Popek–Goldberg classifier: the verdicts it finds by experiment on both profiles.
import { describe, expect, it } from "vitest";
import { INSTRUCTIONS, PROFILES, spec } from "../isa/table.js";
import { CONFIGURATIONS, classify, classifyForm, runOnce, variantsOf, type Classification, type InstructionVerdict } from "./pg.js";

const results: Record<string, Classification> = { strict: classify("strict"), x86: classify("x86") };

function verdict(profile: string, name: string): InstructionVerdict {
  const v = results[profile]!.instructions.find((i) => i.name === name);
  if (!v) throw new Error(`no verdict for ${name}`);
  return v;
}

/** The forms the table documents differently from what the experiment finds (none: the table was corrected where they differed). */
const KNOWN_DISAGREEMENTS: Record<string, string> = {};

describe("Popek–Goldberg classification by experiment", () => {
  it("finds the strict profile virtualizable: every sensitive instruction is privileged", () => {
    const r = results.strict!;
    expect(r.virtualizable).toBe(true);
    expect(r.violations).toEqual([]);
    expect(r.hybridVirtualizable).toBe(true);
    expect(r.hybridViolations).toEqual([]);
  });

  it("finds the x86 profile not virtualizable, with the Pentium's sensitive-unprivileged instructions as violations", () => {
    const r = results.x86!;
    expect(r.virtualizable).toBe(false);
    expect(r.violations).toEqual(expect.arrayContaining(["POPF", "PUSHF", "PUSH_CS", "MOV_R_CS", "SIDT", "SMSW", "IRET"]));
    for (const name of r.violations) expect(verdict("x86", name)).toMatchObject({ sensitive: true, privileged: false });
  });

  it("groups the x86 violations as Robin and Irvine do, with at least one in each group", () => {
    const g = results.x86!.groups;
    expect(g["sensitive-register"]).toEqual(expect.arrayContaining(["PUSHF", "POPF", "SIDT", "SMSW"]));
    expect(g["protection-system"]).toEqual(expect.arrayContaining(["PUSH_CS", "MOV_R_CS"]));
    expect(g.ungrouped).toEqual([]);
  });

  it("sees that the x86 instructions that only reveal the mode are forgiven by a hybrid monitor (Theorem 3), but not those that reveal IF, IDTR or CR0", () => {
    const r = results.x86!;
    expect(r.hybridVirtualizable).toBe(false);
    expect(r.hybridViolations).toEqual(expect.arrayContaining(["PUSHF", "POPF", "SIDT", "SMSW"]));
    expect(r.hybridViolations).not.toContain("PUSH_CS");
    expect(r.hybridViolations).not.toContain("MOV_R_CS");
  });

  it.each(PROFILES)("finds CLI, STI, IN, OUT, HLT, MOV to and from CRn, LIDT, INVLPG and SYSRET privileged and sensitive on the %s profile", (profile) => {
    for (const name of ["CLI", "STI", "IN", "OUT", "HLT", "MOV_CR_R", "MOV_R_CR", "LIDT", "INVLPG", "SYSRET"]) {
      expect(verdict(profile, name), name).toMatchObject({ privileged: true, sensitive: true });
    }
  });

  it.each(PROFILES)("finds the user ISA innocuous on the %s profile: it completes in user mode and nothing privileged shows", (profile) => {
    for (const s of INSTRUCTIONS.filter((s) => s.op < 0x50)) {
      expect(verdict(profile, s.name), s.name).toMatchObject({ privileged: false, control_sensitive: false, behavior_sensitive: false, user_sensitive: false });
    }
  });

  it("treats INT n, SYSCALL and BRK as traps in both modes: never completed, so neither privileged nor sensitive", () => {
    for (const name of ["INT", "SYSCALL", "BRK"]) expect(verdict("x86", name), name).toMatchObject({ always_traps: true, privileged: false, sensitive: false });
  });

  it("explains PUSH CS on x86 with the mode pair: 0x8 pushed at CPL 0, 0x1b at CPL 3", () => {
    const v = verdict("x86", "PUSH_CS");
    expect(v).toMatchObject({ behavior_sensitive: true, control_sensitive: false, user_sensitive: false });
    expect(v.evidence.join("\n")).toMatch(/CPL0 vs .*CPL3: .*0x8 vs 0x1b/);
  });

  it("sees INVLPG and a CR3 reload change the mapping through a stale TLB entry", () => {
    expect(verdict("strict", "INVLPG").evidence.join("\n")).toMatch(/TLB view of the stale page 0x22222222→0x11111111/);
    expect(verdict("strict", "MOV_CR_R").evidence.join("\n")).toMatch(/TLB view of the stale page/);
  });

  it.each(PROFILES)("agrees with the table's documented privilege class for every form on the %s profile ", (profile) => {
    const disagreements: Record<string, string> = {};
    for (const s of INSTRUCTIONS) {
      const found = verdict(profile, s.name).class;
      if (found !== s.privilege[profile]) disagreements[s.name] = found;
    }
    expect(disagreements).toEqual(KNOWN_DISAGREEMENTS);
  });

  it("runs a configuration whose machine time differs, and finds RDTSC innocuous because the guest's clock hides it (the TSC offset)", () => {
    const clock = CONFIGURATIONS.filter((c) => c.monitorTime > 0);
    expect(clock.map((c) => c.cpl).sort()).toEqual([0, 3]);
    const [rdtsc] = variantsOf(spec("RDTSC"));
    const base = CONFIGURATIONS.find((c) => c.name === "base" && c.cpl === 3)!;
    const [plain, ahead] = [runOnce("strict", rdtsc!, base), runOnce("strict", rdtsc!, clock.find((c) => c.cpl === 3)!)];
    expect(ahead.visible!.registers[5]).toBe(plain.visible!.registers[5]);
    for (const profile of PROFILES) expect(verdict(profile, "RDTSC"), profile).toMatchObject({ class: "innocuous", sensitive: false });
  });

  it("never reads the documented privilege class: relabelling the table changes no verdict", () => {
    for (const name of ["POPF", "PUSH_CS", "CLI", "ADD"]) {
      const s = spec(name);
      const relabelled = { ...s, privilege: { strict: "innocuous", x86: "privileged" } as const };
      const { evidence: _a, ...real } = classifyForm("x86", s);
      const { evidence: _b, ...fake } = classifyForm("x86", relabelled);
      expect(fake, name).toEqual(real);
    }
  });

  it("gives the same answer every time", () => {
    expect(classify("x86", { forms: [spec("ADD"), spec("POPF"), spec("SIDT")] }).instructions)
      .toEqual(results.x86!.instructions.filter((i) => ["POPF", "SIDT", "ADD"].includes(i.name)));
  });
});
