// The student view: what a student may learn of the cases they cannot see, by the lab's hidden_feedback and the date.
import { describe, expect, it } from "vitest";
import { detailsShown, granularity, studentView } from "./disclosure.js";
import { RESULT_FORMAT, type CaseResult, type GradeResult } from "./result.js";

const DUE = "2027-03-01T23:59:00.000Z";
const BEFORE = { asOf: "2027-02-20T12:00:00.000Z" };
const AFTER = { asOf: "2027-03-02T12:00:00.000Z" };

const kase = (id: string, visibility: CaseResult["visibility"], status: CaseResult["status"], score: number): CaseResult => ({
  id, suite: id.split("/")[0]!, group: id, name: id.split("/")[1]!, visibility, describe: `secret description of ${id}`,
  origin: { kind: "generated", generator: "random", seed: 1974, mix: ["cli"] }, status, outcome: "ok",
  message: status === "passed" ? "equivalent to the native run" : "diverged from the native run: console: native 'SECRET', virtualized ''",
  divergence: status === "failed" ? { message: "console: native 'SECRET', virtualized ''", pc: 0x1040, disassembly: "popf", instruction: 12 } : null,
  cost: 1234, baseline_cost: 1000, reference_cost: 1200, overhead: 1.23, relative: 1.03, counters: { exits: 7 }, limit_seconds: 1,
  score, max_score: 10, breakdown: { correctness: score * 0.8, max_correctness: 8, overhead: score * 0.2, max_overhead: 2 },
});

function result(hidden_feedback: GradeResult["lab"]["hidden_feedback"]): GradeResult {
  return {
    format: RESULT_FORMAT, lab: { id: "l", title: "L", harness: "trap", words: { unit: "cycles", baseline: "native", passed: "equivalent to the native run", failed: "diverged from the native run" }, hash: "0".repeat(64), due: DUE, hidden_feedback },
    submission: { name: "alice", kind: "folder", files: {} }, suite: "all", status: "graded", score: 30, max_score: 50,
    breakdown: { correctness: { score: 24, max: 40 }, overhead: { score: 6, max: 10 } }, late: { submitted_at: DUE, due: DUE, days_late: 1, penalty: 3 }, feedback: [],
    cases: [kase("public/a", "visible", "failed", 0), kase("hidden/b", "after_due_date", "passed", 10), kase("hidden/c", "after_due_date", "failed", 0), kase("hidden/d", "hidden", "passed", 10), kase("extra/e", "after_published", "passed", 10)],
    timings: { total_ms: 1, passes: {} },
  };
}

const policy = { before: "total", after: "per-case", from: DUE } as const;

describe("the student view", () => {
  it("shows visible cases in full, always", () => {
    const v = studentView(result(policy), BEFORE);
    expect(v.cases[0]).toEqual(result(policy).cases[0]);
  });

  it("shows only a total per suite before the date under 'total', with no case of it named and nothing of its guests", () => {
    const v = studentView(result(policy), BEFORE);
    expect(v.cases.map((c) => [c.id, c.status, c.score, c.max_score])).toEqual([
      ["public/a", "failed", 0, 10],
      ["hidden/*", "failed", 20, 30],
      ["extra/*", "passed", 10, 10],
    ]);
    const text = JSON.stringify(v.cases.slice(1));
    expect(text).not.toMatch(/SECRET|secret description|1974|hidden\/b|hidden\/c/);
    expect(v.score).toBe(30);
  });

  it("lists every case after the date under 'per-case', with details only where the case's own visibility allows", () => {
    const v = studentView(result(policy), AFTER);
    expect(v.cases.map((c) => [c.id, c.status, c.redacted ?? false])).toEqual([
      ["public/a", "failed", false],
      ["hidden/b", "passed", false],
      ["hidden/c", "failed", false],
      ["hidden/d", "passed", true],
      ["extra/e", "passed", true],
    ]);
    expect(v.cases[2]!.divergence?.message).toContain("SECRET"); // after the due date an after_due_date case is shown in full
    expect(JSON.stringify(v.cases[3])).not.toMatch(/SECRET|secret description|1974|1234/);
    expect(studentView(result(policy), { ...AFTER, published: true }).cases[4]!.redacted).toBeUndefined();
  });

  it("redacts a listed case before the due date even under 'per-case': outcome and points, nothing derived from the guest", () => {
    const v = studentView(result({ before: "per-case", after: "per-case", from: DUE }), BEFORE);
    const c = v.cases.find((x) => x.id === "hidden/c")!;
    expect(c).toMatchObject({ status: "failed", score: 0, divergence: null, cost: null, counters: {}, origin: { kind: "withheld" }, redacted: true });
    // What it exercises and how it diverged, in fixed words: the hint (hints/hint.ts), unless the lab turns hints off.
    expect(c.message).toBe("diverged from the native run: this case exercises random guests of the lab's generator (CLI); the guest's console output differs");
    const off = studentView(result({ before: "per-case", after: "per-case", from: DUE, hints: false }), BEFORE);
    expect(off.cases.find((x) => x.id === "hidden/c")).toMatchObject({ message: "diverged from the native run" });
    expect(off.cases.find((x) => x.id === "hidden/c")!.hint).toBeUndefined();
  });

  it("leaves the non-visible cases out altogether under 'none': the score shown is the visible part, and says what was left out", () => {
    const v = studentView(result({ before: "none", after: "per-case", from: DUE }), BEFORE);
    expect(v.cases.map((c) => c.id)).toEqual(["public/a"]);
    expect([v.score, v.max_score, v.late]).toEqual([0, 10, null]);
    expect(v.view?.withheld).toEqual({ cases: 4, points: 40, until: DUE });
  });

  it("switches granularity at the policy's date, and treats a missing date as never reached", () => {
    expect(granularity(policy, BEFORE)).toBe("total");
    expect(granularity(policy, AFTER)).toBe("per-case");
    expect(granularity({ ...policy, from: null }, AFTER)).toBe("total");
    expect(granularity(policy, {})).toBe("total");
    expect(detailsShown({ visibility: "after_due_date" }, null, AFTER)).toBe(false);
  });
});
