// Pass 6, score: correctness points for passing cases, overhead (and metric) points on a curve relative to the reference solution, and the late policy.
import type { GradeCase } from "../cases.js";
import { daysLate, lateRecord, type DeadlineInput } from "../deadlines/late.js";
import type { Lab } from "../lab/load.js";
import { round, type CaseMetric, type CaseResult, type GradeResult } from "../result.js";
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

export { daysLate };

/**
 * A cost or metric value's share of its points: the overhead curve on its ratio to the reference's
 * value, with the zero at a ratio or at the case's baseline (`zero_at: baseline`). A baseline no worse
 * than full_at × the reference makes the curve a step. null when there is no reference value to compare with.
 */
export function curveShare(value: number, reference: number | null, baseline: number | null, fullAt: number, zeroAt: number | "baseline"): number | null {
  if (!reference) return null;
  const ratio = value / reference;
  if (zeroAt !== "baseline") return overheadCurve(ratio, fullAt, zeroAt);
  const zero = baseline === null ? fullAt : baseline / reference;
  return zero <= fullAt ? (ratio <= fullAt ? 1 : 0) : overheadCurve(ratio, fullAt, zero);
}

/** A rubric curve: points, full at a ratio, zero at a ratio or at the baseline. */
interface MetricCurve {
  readonly points: number;
  readonly full_at: number;
  readonly zero_at: number | "baseline";
}

export interface ScoreInput {
  readonly cases: readonly GradeCase[];
  readonly checked: readonly CheckedCase[];
  /** Reference-solution cost per case id (trap: cycles). */
  readonly reference: ReadonlyMap<string, number>;
  /** Reference-solution metrics per case id, for the rubric's metrics. */
  readonly referenceMetrics?: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Trusted baseline metrics per case id (zero_at: baseline). */
  readonly baselineMetrics?: ReadonlyMap<string, Readonly<Record<string, number>>>;
  readonly lab: Pick<Lab, "rubric" | "late" | "due"> & { readonly limits: Pick<Lab["limits"], "caseSeconds"> };
  readonly submittedAt?: string;
  /** The submission's time with where it came from, an extension and grace days (deadlines/late.ts); wins over submittedAt. */
  readonly deadline?: DeadlineInput;
  /** Cases (ids, or groups) given full marks whatever they did: found broken after grading (vmlab regrade --force-full). */
  readonly forceFull?: ReadonlySet<string>;
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
 * - overhead: each case earns points / cases × curve(cost / reference cost) when it passes;
 * - each rubric metric: each case earns points / cases × curve(value / reference value) when it passes.
 */
export function scorePass(input: ScoreInput): Scored {
  const { cases, checked, reference, lab } = input;
  const { correctness, overhead } = lab.rubric;
  const metricRubric = Object.entries(lab.rubric.metrics ?? {}).filter((e): e is [string, MetricCurve] => e[1] !== undefined);
  const byId = new Map(checked.map((c) => [c.id, c]));
  const totalWeight = cases.reduce((s, c) => s + c.weight, 0);
  const groups = [...new Set(cases.map((c) => c.group))];
  const groupSize = new Map<string, number>();
  for (const c of cases) groupSize.set(c.group, (groupSize.get(c.group) ?? 0) + 1);
  const isForced = (c: GradeCase) => input.forceFull?.has(c.id) === true || input.forceFull?.has(c.group) === true;
  const groupPassed = new Map(groups.map((g) => [g, cases.filter((c) => c.group === g).every((c) => isForced(c) || byId.get(c.id)?.status === "passed")]));

  let rawCorrectness = 0;
  let rawOverhead = 0;
  const rawMetrics = new Map(metricRubric.map(([name]) => [name, 0]));
  const results: CaseResult[] = cases.map((c) => {
    const forced = input.forceFull?.has(c.id) === true || input.forceFull?.has(c.group) === true;
    const k = forced ? forcedCase(byId.get(c.id)!) : byId.get(c.id)!;
    const passed = k.status === "passed";
    const maxCorrectness =
      correctness.per === "case" ? (correctness.points * c.weight) / totalWeight : correctness.points / groups.length / groupSize.get(c.group)!;
    const earnedCorrectness = correctness.per === "case" ? (passed ? maxCorrectness : 0) : groupPassed.get(c.group) ? maxCorrectness : 0;
    const maxOverhead = overhead.points / cases.length;
    const ref = reference.get(c.id) ?? null;
    const relative = passed && !forced && k.cost !== null && ref ? k.cost / ref : null;
    const share = passed && !forced && k.cost !== null ? curveShare(k.cost, ref, k.baseline, overhead.full_at, overhead.zero_at) : null;
    const earnedOverhead = passed ? maxOverhead * (share ?? 1) : 0;
    rawCorrectness += earnedCorrectness;
    rawOverhead += earnedOverhead;
    const metrics: Record<string, CaseMetric> = {};
    const metricPoints: Record<string, { score: number; max: number }> = {};
    for (const [name, m] of metricRubric) {
      const value = k.metrics?.[name] ?? null;
      const refValue = input.referenceMetrics?.get(c.id)?.[name] ?? null;
      const base = input.baselineMetrics?.get(c.id)?.[name] ?? null;
      const max = m.points / cases.length;
      const got = forced ? max : passed && value !== null ? max * (curveShare(value, refValue, base, m.full_at, m.zero_at) ?? 1) : 0;
      rawMetrics.set(name, rawMetrics.get(name)! + got);
      metrics[name] = { value, baseline: base, reference: refValue, relative: value !== null && refValue ? round(value / refValue) : null };
      metricPoints[name] = { score: round(got), max: round(max) };
    }
    const earnedMetrics = Object.values(metricPoints).reduce((s, p) => s + p.score, 0);
    const maxMetrics = Object.values(metricPoints).reduce((s, p) => s + p.max, 0);
    const message = forced ? k.message : passed && ref === null ? `${k.message} (no reference cost for this case: overhead given in full)` : k.message;
    return {
      id: c.id, suite: c.suite, group: c.group, name: c.name, visibility: c.visibility, describe: c.describe, origin: c.origin,
      status: k.status, outcome: k.outcome, message, divergence: k.divergence,
      cost: k.cost, baseline_cost: k.baseline, reference_cost: ref,
      overhead: k.cost !== null && k.baseline ? round(k.cost / k.baseline) : null,
      relative: relative === null ? null : round(relative),
      counters: k.counters,
      ...(metricRubric.length ? { metrics } : k.metrics ? { metrics: Object.fromEntries(Object.entries(k.metrics).map(([n, v]) => [n, { value: v, baseline: null, reference: null, relative: null }])) } : {}),
      ...(c.category ? { category: c.category } : {}), ...(c.features ? { features: [...c.features] } : {}),
      limit_seconds: input.limits?.get(c.id) ?? lab.limits.caseSeconds,
      score: round(earnedCorrectness + earnedOverhead + earnedMetrics), max_score: round(maxCorrectness + maxOverhead + maxMetrics),
      breakdown: {
        correctness: round(earnedCorrectness), max_correctness: round(maxCorrectness), overhead: round(earnedOverhead), max_overhead: round(maxOverhead),
        ...(metricRubric.length ? { metrics: metricPoints } : {}),
      },
      ...(forced ? { forced: true as const } : {}),
    };
  });
  // Sums of unrounded shares, so 3 × 33.33… adds up to 100, not 99.9999.
  const correctnessScore = round(rawCorrectness);
  const overheadScore = round(rawOverhead);
  const metricsTotal = [...rawMetrics.values()].reduce((s, v) => s + v, 0);
  const raw = round(rawCorrectness + rawOverhead + metricsTotal);
  const deadline = input.deadline ?? (input.submittedAt ? { submittedAt: input.submittedAt, source: "option" as const } : undefined);
  const late: GradeResult["late"] = deadline && lab.due ? lateRecord(raw, { due: lab.due, ...(lab.late ? { late: lab.late } : {}) }, deadline) : null;
  const score = late ? round(raw - late.penalty) : raw;
  const metricsMax = (metricRubric).reduce((s, [, m]) => s + m.points, 0);
  return {
    score,
    max_score: round(correctness.points + overhead.points + metricsMax),
    breakdown: {
      correctness: { score: correctnessScore, max: correctness.points }, overhead: { score: overheadScore, max: overhead.points },
      ...(metricRubric.length ? { metrics: Object.fromEntries((metricRubric).map(([name, m]) => [name, { score: round(rawMetrics.get(name)!), max: m.points }])) } : {}),
    },
    late,
    cases: results,
  };
}

/** A case given full marks: passed, whatever the run said (its cycles are not scored against the reference). */
function forcedCase(k: CheckedCase): CheckedCase {
  return { ...k, status: "passed", message: `given full marks: this case was found broken after grading (what the run said: ${k.message})` };
}
