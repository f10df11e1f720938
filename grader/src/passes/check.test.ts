// Checking: equivalent cases pass, divergent ones fail with the first divergence, and numbers the grader can recompute are re-verified.
import { describe, expect, it } from "vitest";
import type { GradeCase } from "../cases.js";
import type { SandboxCaseResult } from "../contract.js";
import { checkPass } from "./check.js";

const cases = ["a", "b", "c", "d"].map((id) => ({ id }) as GradeCase);
const ok = (id: string, extra: Partial<Extract<SandboxCaseResult, { status: "ok" }>> = {}): SandboxCaseResult => ({
  id, status: "ok", equivalent: true, cost: 1500, baseline: 1000, counters: { exits: 2 }, ...extra,
});
const native = new Map([["a", 1000], ["b", 1000], ["c", 1000], ["d", 1000]]);

describe("checkPass", () => {
  it("passes an equivalent case and keeps its cost, baseline and counters", () => {
    const [a] = checkPass([ok("a")], [cases[0]!], native);
    expect(a).toEqual({ id: "a", status: "passed", outcome: "ok", message: "equivalent to the native run", divergence: null, cost: 1500, baseline: 1000, counters: { exits: 2 } });
  });

  it("fails a divergent case with the first divergence in words", () => {
    const [b] = checkPass([ok("b", { equivalent: false, divergence: { message: "console differs at character 3", pc: 0x2000, disassembly: "out 0x10, r1", instruction: 7 } })], [cases[1]!], native);
    expect(b).toMatchObject({
      status: "failed", message: "diverged from the native run at guest instruction 7, pc 0x00002000 (out 0x10, r1): console differs at character 3",
      divergence: { message: "console differs at character 3", pc: 0x2000, disassembly: "out 0x10, r1", instruction: 7 },
    });
  });

  it("turns a timeout or crash into an error with the sandbox's message", () => {
    const [c] = checkPass([{ id: "c", status: "timeout", message: "case exceeded 2 s" }], [cases[2]!], native);
    expect(c).toMatchObject({ status: "error", outcome: "timeout", message: "ran out of time: case exceeded 2 s", cost: null });
  });

  it("refuses a result whose baseline (native cycles) disagrees with the grader's own native run", () => {
    const [d] = checkPass([ok("d", { baseline: 1 })], [cases[3]!], native);
    expect(d).toMatchObject({ status: "error", outcome: "integrity" });
    expect(d!.message).toMatch(/cannot be trusted/);
  });
});
