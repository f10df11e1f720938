// Pass 6, score: correctness points for equivalent cases, overhead points on a curve relative to the reference solution, and the late policy.
import type { GradeCase } from "../cases.js";
import type { Lab } from "../lab/load.js";
import { round, type CaseResult, type GradeResult } from "../result.js";
import type { CheckedCase } from "./check.js";

/**
 * The overhead curve: 1 (full points) at a ratio to the reference of at most `fullAt`, 0 at `zeroAt` or
 * above, linear between. A submission faster than the reference gets full points, no bonus.
 */
export function overheadCurve(ratio: number, fullAt: number, zeroAt: number): number {
  if (!Number.isFinite(ratio)) return 0;
  if (ratio <= fullAt) return 1;
  if (ratio >= zeroAt) return 0;
  return (zeroAt - ratio) / (zeroAt - fullAt);
}

/** Whole days late, counting a started day as a day (0 when on time). */
export function daysLate(submittedAt: string, due: string): number {
  const late = Date.parse(submittedAt) - Date.parse(due);
  return late > 0 ? Math.ceil(late / 86_400_000) : 0;
}

/** The score after the late policy. */
export function applyLate(score: number, days: number, late: NonNullable<Lab["late"]>): number {
  if (days <= 0) return score;
  if (days > late.maxDays) return 0;
  const after = "percent" in late.perDay ? score * (1 - (late.perDay.percent * days) / 100) : score - late.perDay.points * days;
  return Math.max(0, after);
}

export interface ScoreInput {
  readonly cases: readonly GradeCase[];
  readonly checked: readonly CheckedCase[];
  /** Reference-solution cycles per case id. */
  readonly reference: ReadonlyMap<string, number>;
  readonly lab: Pick<Lab, "rubric" | "late" | "due"> & { readonly limits: Pick<Lab["limits"], "caseSeconds"> };
  readonly submittedAt?: string;
  /** Each case's CPU limit (the trusted numbers'); the lab's case_seconds where absent. */
  readonly limits?: ReadonlyMap<string, number>;
}

export type Scored = Pick<GradeResult, "score" | "max_score" | "breakdown" | "late" | "cases">;

/**
 * Score the checked cases. The rubric's points are spread over the cases of the graded selection, so
 * grading only the public suite is also out of the full points.
 *
 * - correctness, per case: each case earns points × weight / Σ weights when it passes;
 * - correctness, per group: each group (a guest, or a generated set) earns points / groups when all its cases pass;
 * - overhead: each case earns points / cases × curve(cycles / reference cycles) when it passes.
 */
export function scorePass(input: ScoreInput): Scored {
  const { cases, checked, reference, lab } = input;
  const { correctness, overhead } = lab.rubric;
  const byId = new Map(checked.map((c) => [c.id, c]));
  const totalWeight = cases.reduce((s, c) => s + c.weight, 0);
  const groups = [...new Set(cases.map((c) => c.group))];
  const groupSize = new Map<string, number>();
  for (const c of cases) groupSize.set(c.group, (groupSize.get(c.group) ?? 0) + 1);
  const groupPassed = new Map(groups.map((g) => [g, cases.filter((c) => c.group === g).every((c) => byId.get(c.id)?.status === "passed")]));

  let rawCorrectness = 0;
  let rawOverhead = 0;
  const results: CaseResult[] = cases.map((c) => {
    const k = byId.get(c.id)!;
    const passed = k.status === "passed";
    const maxCorrectness =
      correctness.per === "case" ? (correctness.points * c.weight) / totalWeight : correctness.points / groups.length / groupSize.get(c.group)!;
    const earnedCorrectness = correctness.per === "case" ? (passed ? maxCorrectness : 0) : groupPassed.get(c.group) ? maxCorrectness : 0;
    const maxOverhead = overhead.points / cases.length;
    const ref = reference.get(c.id) ?? null;
    const relative = passed && k.cycles !== null && ref ? k.cycles / ref : null;
    const earnedOverhead = passed ? (relative === null ? maxOverhead : maxOverhead * overheadCurve(relative, overhead.full_at, overhead.zero_at)) : 0;
    rawCorrectness += earnedCorrectness;
    rawOverhead += earnedOverhead;
    const message = passed && ref === null ? `${k.message} (no reference cycles for this case: overhead given in full)` : k.message;
    return {
      id: c.id, suite: c.suite, group: c.group, name: c.name, visibility: c.visibility, describe: c.describe, origin: c.origin,
      status: k.status, outcome: k.outcome, message, divergence: k.divergence,
      cycles: k.cycles, native_cycles: k.nativeCycles, reference_cycles: ref,
      overhead: k.cycles !== null && k.nativeCycles ? round(k.cycles / k.nativeCycles) : null,
      relative: relative === null ? null : round(relative),
      counters: k.counters,
      ...(k.metrics ? { metrics: k.metrics } : {}),
      limit_seconds: input.limits?.get(c.id) ?? lab.limits.caseSeconds,
      score: round(earnedCorrectness + earnedOverhead), max_score: round(maxCorrectness + maxOverhead),
      breakdown: { correctness: round(earnedCorrectness), max_correctness: round(maxCorrectness), overhead: round(earnedOverhead), max_overhead: round(maxOverhead) },
    };
  });
  // Sums of unrounded shares, so 3 × 33.33… adds up to 100, not 99.9999.
  const correctnessScore = round(rawCorrectness);
  const overheadScore = round(rawOverhead);
  const raw = round(rawCorrectness + rawOverhead);
  let late: GradeResult["late"] = null;
  let score = raw;
  if (input.submittedAt && lab.due) {
    const days = daysLate(input.submittedAt, lab.due);
    score = lab.late ? round(applyLate(raw, days, lab.late)) : raw;
    late = { submitted_at: input.submittedAt, due: lab.due, days_late: days, penalty: round(raw - score) };
  }
  return {
    score,
    max_score: round(correctness.points + overhead.points),
    breakdown: { correctness: { score: correctnessScore, max: correctness.points }, overhead: { score: overheadScore, max: overhead.points } },
    late,
    cases: results,
  };
}
