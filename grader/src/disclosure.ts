// What a student may learn about the cases they cannot see: the lab's hidden_feedback policy applied to a result, as of a date.
//
// A result holds everything (instructors read it whole). Before any of it reaches a student — a report
// of any format, the terminal, a step summary — `studentView` turns it into what the lab allows:
//   - visible cases: everything;
//   - every other case, by the lab's `hidden_feedback` (before its date, and after it):
//       none      the cases are not listed and their points not shown (the score shown is the visible part);
//       total     one line per suite with the points the suite earned;
//       per-case  each case with its outcome and points.
//     A listed case keeps its details (the divergence, the messages, cost, metrics and counters, what was run)
//     only once its own visibility allows: after_due_date after the due date, after_published once the
//     instructor publishes, hidden never. Until then nothing derived from the guest is shown: no console
//     text, no register or memory value, no message the submission wrote, no seed a guest could be
//     regenerated from.
// Per-case outcomes are a covert channel (a submission can fail case k when bit k of a hidden guest is
// set), which is why the default is the total until the due date and per case after it.
import { caseHint, hintSentence, type HintLab } from "./hints/hint.js";
import type { CaseResult, GradeResult } from "./result.js";

/** How much a student learns about non-visible cases. */
export type HiddenFeedback = "none" | "total" | "per-case";
export const HIDDEN_FEEDBACK: readonly HiddenFeedback[] = ["none", "total", "per-case"];

/** The lab's policy: `before` until `from` (ISO date-time; the due date by default), `after` from then on. */
export interface HiddenFeedbackPolicy {
  readonly before: HiddenFeedback;
  readonly after: HiddenFeedback;
  readonly from: string | null;
  /** false: a listed case whose details are hidden carries no hint (hints.ts); absent means true. */
  readonly hints?: false;
}

export const DEFAULT_HIDDEN_FEEDBACK = { before: "total", after: "per-case" } as const;

/** When the student reads the feedback, and whether the instructor has published grades. */
export interface DisclosureMoment {
  /** ISO date-time the feedback is rendered for (default: never past any date). */
  readonly asOf?: string;
  readonly published?: boolean;
}

/** What a student view says it left out. */
export interface Withheld {
  /** Cases not listed at all (hidden_feedback none). */
  readonly cases: number;
  /** Points those cases are worth. */
  readonly points: number;
  /** When more is shown (the policy's date), if there is one. */
  readonly until: string | null;
}

const after = (asOf: string | undefined, date: string | null | undefined): boolean =>
  asOf !== undefined && typeof date === "string" && Date.parse(asOf) >= Date.parse(date);

/** The granularity in force for non-visible cases at a moment. */
export function granularity(policy: HiddenFeedbackPolicy, moment: DisclosureMoment): HiddenFeedback {
  return after(moment.asOf, policy.from) ? policy.after : policy.before;
}

/** May a student see this (listed) case's details now? */
export function detailsShown(c: Pick<CaseResult, "visibility">, due: string | null, moment: DisclosureMoment): boolean {
  switch (c.visibility) {
    case "visible":
      return true;
    case "after_due_date":
      return after(moment.asOf, due);
    case "after_published":
      return moment.published === true;
    case "hidden":
      return false;
  }
}

/**
 * A case with everything derived from its guest taken out: outcome and points only, and — for a case that
 * did not pass, when `hints` is given (the lab's hints are on) — a hint: what it exercises and the kind
 * of divergence in fixed words (hints/hint.ts).
 */
export function redactCase(c: CaseResult, verdicts: Verdicts, hints?: HintLab): CaseResult {
  const shown = c.status === "passed" ? verdicts.passed : c.status === "failed" ? verdicts.failed : "did not run to the end";
  const hint = hints !== undefined && c.status !== "passed" ? caseHint(c, hints) : undefined;
  const { metrics: _m, ...rest } = c;
  return {
    ...rest, describe: hint ? `a case on ${hint.category}; its details are not shown yet` : "a case whose details are not shown yet", origin: { kind: "withheld" },
    message: hint ? `${shown}: ${hintSentence(hint)}` : shown, divergence: null,
    cost: null, baseline_cost: null, reference_cost: null, overhead: null, relative: null, counters: {}, redacted: true, ...(hint ? { hint } : {}),
  };
}

/** The harness's words for a passing and a failing case. */
type Verdicts = { readonly passed: string; readonly failed: string };

/** One line standing for all the non-visible cases of a suite (hidden_feedback total). */
function suiteTotal(suite: string, cases: readonly CaseResult[], verdicts: Verdicts): CaseResult {
  const sum = (f: (c: CaseResult) => number) => Math.round(cases.reduce((s, c) => s + f(c), 0) * 1e4) / 1e4;
  const allPassed = cases.every((c) => c.status === "passed");
  return {
    id: `${suite}/*`, suite, group: suite, name: `${suite} suite (${cases.length} case${cases.length === 1 ? "" : "s"})`, visibility: cases[0]!.visibility,
    describe: `the ${suite} cases together`, origin: { kind: "withheld" }, status: allPassed ? "passed" : "failed", outcome: "ok",
    message: allPassed ? `every case passed (${verdicts.passed})` : `not every case passed (${verdicts.passed})`,
    divergence: null, cost: null, baseline_cost: null, reference_cost: null, overhead: null, relative: null, counters: {},
    limit_seconds: Math.max(...cases.map((c) => c.limit_seconds)),
    score: sum((c) => c.score), max_score: sum((c) => c.max_score),
    breakdown: {
      correctness: sum((c) => c.breakdown.correctness), max_correctness: sum((c) => c.breakdown.max_correctness), overhead: sum((c) => c.breakdown.overhead), max_overhead: sum((c) => c.breakdown.max_overhead),
      ...(cases[0]!.breakdown.metrics
        ? { metrics: Object.fromEntries(Object.keys(cases[0]!.breakdown.metrics).map((n) => [n, { score: sum((c) => c.breakdown.metrics?.[n]?.score ?? 0), max: sum((c) => c.breakdown.metrics?.[n]?.max ?? 0) }])) }
        : {}),
    },
    redacted: true,
  };
}

/** The result as a student may read it at `moment` (see the header). Instructors read the result itself. */
export function studentView(result: GradeResult, moment: DisclosureMoment = {}): GradeResult {
  const policy = result.lab.hidden_feedback;
  const level = granularity(policy, moment);
  const unseen = result.cases.filter((c) => c.visibility !== "visible");
  const verdicts = result.lab.words;
  const cases: CaseResult[] = [];
  const totalled = new Set<string>();
  for (const c of result.cases) {
    if (c.visibility === "visible") cases.push(c);
    else if (level === "per-case") cases.push(detailsShown(c, result.lab.due, moment) ? c : redactCase(c, verdicts, policy.hints === false ? undefined : result.lab));
    else if (level === "total" && !totalled.has(c.suite)) {
      totalled.add(c.suite);
      cases.push(suiteTotal(c.suite, unseen.filter((u) => u.suite === c.suite), verdicts));
    }
  }
  const view = { audience: "student" as const, as_of: moment.asOf ?? null, hidden_feedback: level };
  // Whose variant it is, but not the seeds: a hidden guest can be regenerated from its seed.
  const variant = result.variant ? { variant: { key: result.variant.key } } : {};
  if (level !== "none" || !unseen.length) return { ...result, ...variant, cases, view: { ...view, withheld: null } };
  // Nothing of the unseen cases, not even the total they make: the score shown is the visible cases' own,
  // and a late penalty (a share of the whole score) is not shown either.
  const sum = (f: (c: CaseResult) => number, of: readonly CaseResult[] = cases) => Math.round(of.reduce((s, c) => s + f(c), 0) * 1e4) / 1e4;
  const withheld: Withheld = { cases: unseen.length, points: sum((c) => c.max_score, unseen), until: policy.from };
  return {
    ...result, ...variant, cases, score: sum((c) => c.score), max_score: sum((c) => c.max_score), late: null,
    breakdown: {
      correctness: { score: sum((c) => c.breakdown.correctness), max: sum((c) => c.breakdown.max_correctness) },
      overhead: { score: sum((c) => c.breakdown.overhead), max: sum((c) => c.breakdown.max_overhead) },
      ...(result.breakdown.metrics
        ? { metrics: Object.fromEntries(Object.keys(result.breakdown.metrics).map((n) => [n, { score: sum((c) => c.breakdown.metrics?.[n]?.score ?? 0), max: sum((c) => c.breakdown.metrics?.[n]?.max ?? 0) }])) }
        : {}),
    },
    view: { ...view, withheld },
  };
}
