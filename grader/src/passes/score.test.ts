// Scoring: correctness per case or per group, overhead on a curve against the reference, and the late policy.
import { describe, expect, it } from "vitest";
import type { GradeCase } from "../cases.js";
import type { CheckedCase } from "./check.js";
import { caseLimit } from "../reference.js";
import { trapPredictSeconds as predictedSeconds } from "../harnesses/trap-cases.js";
import { daysLate, overheadCurve, scorePass } from "./score.js";

const mk = (id: string, group: string, weight = 1) =>
  ({ id, suite: "public", group, name: id, visibility: "visible", weight, describe: id, origin: { kind: "file", file: `${id}.s` } }) as unknown as GradeCase;
const checked = (id: string, status: CheckedCase["status"], cycles: number | null = 1000): CheckedCase => ({
  id, status, outcome: status === "error" ? "timeout" : "ok", message: status, divergence: null, cost: cycles, baseline: 500, counters: {},
});
const limits = { caseSeconds: 5 };
const rubric = (per: "case" | "group") => ({ correctness: { points: 80, per }, overhead: { points: 20, full_at: 1.1, zero_at: 3 } });

describe("overheadCurve", () => {
  it("gives full points up to full_at, none from zero_at, and a straight line between", () => {
    expect(overheadCurve(0.8, 1.1, 3)).toBe(1);
    expect(overheadCurve(1.1, 1.1, 3)).toBe(1);
    expect(overheadCurve(2.05, 1.1, 3)).toBeCloseTo(0.5);
    expect(overheadCurve(3, 1.1, 3)).toBe(0);
    expect(overheadCurve(Infinity, 1.1, 3)).toBe(0);
  });
});

describe("scorePass", () => {
  const cases = [mk("a", "g1", 1), mk("b", "g1", 3), mk("c", "g2")];
  const reference = new Map([["a", 1000], ["b", 1000], ["c", 500]]);

it("records each case's CPU limit: the trusted numbers' where known, the lab's case_seconds otherwise", () => {
    const s = scorePass({ cases, checked: cases.map((c) => checked(c.id, "passed", 1000)), reference, lab: { rubric: rubric("case"), limits }, limits: new Map([["a", 1]]) });
    expect(s.cases.map((c) => c.limit_seconds)).toEqual([1, 5, 5]);
  });

  it("gives full marks when every case passes at the reference's cycles", () => {
    const s = scorePass({ cases, checked: cases.map((c) => checked(c.id, "passed", reference.get(c.id)!)), reference, lab: { rubric: rubric("case"), limits } });
    expect(s.score).toBe(100);
    expect(s.max_score).toBe(100);
    expect(s.breakdown).toEqual({ correctness: { score: 80, max: 80 }, overhead: { score: 20, max: 20 } });
  });

  it("weights correctness by guest points per case and scores overhead relative to the reference", () => {
    const s = scorePass({ cases, checked: [checked("a", "passed", 2050), checked("b", "failed"), checked("c", "passed", 500)], reference, lab: { rubric: rubric("case"), limits } });
    // a: 80·1/5 = 16 correctness, overhead 20/3 · 0.5; b: nothing; c: 16 + 20/3.
    expect(s.cases[0]!.breakdown).toMatchObject({ correctness: 16, overhead: 3.3333 });
    expect(s.cases[0]!.relative).toBe(2.05);
    expect(s.cases[1]!.score).toBe(0);
    expect(s.score).toBeCloseTo(16 + 10 / 3 + 16 + 20 / 3, 3);
  });

  it("per group, pays a group only when all its cases pass", () => {
    const s = scorePass({ cases, checked: [checked("a", "passed"), checked("b", "error", null), checked("c", "passed", 500)], reference, lab: { rubric: rubric("group"), limits } });
    expect(s.breakdown.correctness.score).toBe(40);
    expect(s.cases[0]!.breakdown.correctness).toBe(0);
  });

  it("applies the late policy from the submission time", () => {
    const lab = { rubric: rubric("case"), limits, due: "2027-03-01T23:59:00Z", late: { perDay: { percent: 10 }, maxDays: 3 } };
    const all = cases.map((c) => checked(c.id, "passed", reference.get(c.id)!));
    const s = scorePass({ cases, checked: all, reference, lab, submittedAt: "2027-03-02T10:00:00Z" });
    expect(s.late).toMatchObject({ submitted_at: "2027-03-02T10:00:00Z", due: "2027-03-01T23:59:00Z", days_late: 1, penalty: 10, raw_score: 100, source: "option" });
    expect(s.score).toBe(90);
    expect(scorePass({ cases, checked: all, reference, lab, submittedAt: "2027-03-01T12:00:00Z" }).score).toBe(100);
  });
});

describe("late policy", () => {
  it("counts a started day as a day", () => {
    expect(daysLate("2027-03-02T00:00:00Z", "2027-03-01T23:59:00Z")).toBe(1);
    expect(daysLate("2027-03-01T00:00:00Z", "2027-03-01T23:59:00Z")).toBe(0);
  });

});

describe("caseLimit", () => {
  it("allows 20 times the reference's predicted CPU time, at least a second, rounded up to whole seconds, never above the lab's limit", () => {
    expect(caseLimit(0.004, 5)).toBe(1);
    expect(caseLimit(0.12, 5)).toBe(3);
    expect(caseLimit(2, 5)).toBe(5);
    expect(caseLimit(undefined, 5)).toBe(5);
  });

  it("predicts the reference's time from its counters, the same on every machine: 25 ms a case, 30 µs an exit, 0.5 µs an instruction", () => {
    expect(predictedSeconds({ exits: 1000, directInstructions: 30_000, emulatedInstructions: 10_000 })).toBeCloseTo(0.025 + 0.03 + 0.02, 10);
    expect(caseLimit(predictedSeconds({ exits: 52, directInstructions: 896 }), 5)).toBe(1);
    expect(caseLimit(predictedSeconds({ exits: 1546, directInstructions: 5742, emulatedInstructions: 1538 }), 5)).toBe(2);
  });
});
