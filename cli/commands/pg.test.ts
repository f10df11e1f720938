// Tests for `vmlab pg`: the classification table, the theorems' verdicts, JSON output and a mistyped profile.
import { describe, expect, it } from "vitest";
import { main } from "../main.js";

async function vmlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

describe("vmlab pg", () => {
  it("prints a table and says the strict profile satisfies both theorems", async () => {
    const r = await vmlab("pg", "--profile", "strict");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/form\s+instruction\s+privileged\s+control-sensitive\s+behaviour-sensitive\s+user-sensitive\s+verdict/);
    expect(r.out).toMatch(/^CLI\s+cli\s+yes\s+yes\s+-\s+-\s+privileged \(sensitive\)$/m);
    expect(r.out).toMatch(/^ADD\s+add r, r, r\s+-\s+-\s+-\s+-\s+innocuous$/m);
    expect(r.out).toContain("Theorem 1 (sensitive ⊆ privileged): holds");
    expect(r.out).toContain("Theorem 3 (user-sensitive ⊆ privileged): holds");
  });

  it("names the x86 profile's violations and groups them as Robin and Irvine do", async () => {
    const r = await vmlab("pg", "--profile", "x86");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^POPF\s+popf\s+-\s+yes\s+-\s+yes\s+SENSITIVE, NOT PRIVILEGED$/m);
    expect(r.out).toMatch(/Theorem 1 \(sensitive ⊆ privileged\): fails — 7 sensitive instructions .*PUSHF, POPF/);
    expect(r.out).toMatch(/sensitive-register: PUSHF, POPF, SIDT, SMSW/);
    expect(r.out).toMatch(/protection-system: +IRET, PUSH_CS, MOV_R_CS/);
  });

  it("prints what each experiment observed with --evidence", async () => {
    const r = await vmlab("pg", "--profile", "x86", "--evidence");
    expect(r.out).toMatch(/behaviour-sensitive: push cs: base@CPL0 vs base@CPL3: word at 0x[0-9a-f]+ = 0x8 vs 0x1b/);
  });

  it("prints exactly one JSON object with --json", async () => {
    const r = await vmlab("pg", "--profile", "x86", "--json");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j).toMatchObject({ profile: "x86", virtualizable: false });
    expect(j.violations).toEqual(expect.arrayContaining(["POPF", "PUSHF", "PUSH_CS", "MOV_R_CS", "SIDT", "SMSW"]));
    const popf = j.instructions.find((i: { name: string }) => i.name === "POPF");
    expect(popf).toMatchObject({ mnemonic: "popf", privileged: false, control_sensitive: true, behavior_sensitive: false });
  });

  it("rejects an unknown profile with a did-you-mean hint and exit code 2", async () => {
    const r = await vmlab("pg", "--profile", "x68");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("unknown profile 'x68'");
    expect(r.err).toContain("did you mean 'x86'?");
  });

  it("lists the profiles when the mistyped one is nothing like them", async () => {
    const r = await vmlab("pg", "--profile", "pentium");
    expect(r.code).toBe(2);
    expect(r.err).toContain("profiles are strict, x86");
  });

  it("counts in words that agree with the number: one violation is one instruction that does not trap", async () => {
    const { classify } = await import("../../src/analysis/pg.js");
    const { spec } = await import("../../src/isa/table.js");
    const { formatClassification } = await import("./pg.js");
    const text = formatClassification(classify("x86", { forms: [spec("ADD"), spec("POPF")] }));
    expect(text).toContain("2 forms: 0 privileged, 1 sensitive.");
    expect(text).toContain("fails — 1 sensitive instruction does not trap in user mode: POPF.");
    expect(text).toContain("fails — 1 instruction is sensitive even in user mode and does not trap: POPF.");
  });
});
