// The late policy applied to one submission: its own timestamp against the due date (moved by an extension), grace days spent first, then a penalty per day, capped.
//
// Order, as the README states it: an extension moves the student's due date; the days after it (a started
// day counts as a day) are paid with the student's grace days while they last; the days left are charged
// at the lab's per_day rate, the penalty capped at max_penalty; more charged days than max_days and the
// submission is not accepted (0 points). The time is the submission's own (a commit, Gradescope's
// created_at, a declared time) — never the clock — so a regrade gives the same score.
import { counted as plural } from "../../../src/core/plural.js";
import type { Lab } from "../lab/load.js";
import { round } from "../result.js";

/** Where a submission's time came from. */
export type TimestampSource = "option" | "timestamps" | "gradescope" | "declared" | "git" | "regrade";

/** The late policy's input that reproduces a recorded late record exactly (a regrade: same time, same extension, the same grace days). */
export function deadlineOfRecord(late: LateRecord): DeadlineInput {
  return {
    submittedAt: late.submitted_at, source: late.source ?? "regrade",
    ...(late.extended_due ? { extension: { due: late.extended_due, ...(late.extension_note ? { note: late.extension_note } : {}) } } : {}),
    graceAvailable: late.grace_days_used ?? 0,
  };
}

export const SOURCE_WORDS: Readonly<Record<TimestampSource, string>> = {
  option: "as given on the command line",
  timestamps: "from the timestamps file",
  gradescope: "Gradescope's submission time",
  declared: "the time the submission declares",
  git: "the last commit's time",
  regrade: "the time recorded when it was first graded",
};

/** A share of the score or a number of points. */
export type Amount = { readonly percent: number } | { readonly points: number };

/** The lab's late policy (lab.yaml `late:`). */
export interface LatePolicy {
  readonly perDay: Amount;
  readonly maxDays: number;
  /** The most a late submission loses, whatever its days (lab.yaml `max_penalty`). */
  readonly maxPenalty?: Amount;
}

/** A student's extension: their own due date for this lab. */
export interface Extension {
  readonly due: string;
  readonly note?: string;
}

/** What the late policy needs to know about one submission. */
export interface DeadlineInput {
  readonly submittedAt: string;
  readonly source: TimestampSource;
  readonly extension?: Extension;
  /** Grace days the student may still spend (the course's, less those spent on earlier labs); none when absent. */
  readonly graceAvailable?: number;
}

/** The late record of a result: what was charged and why, apart from the raw score. */
export interface LateRecord {
  readonly submitted_at: string;
  /** The lab's due date. */
  readonly due: string;
  /** Whole days after the student's due date (a started day counts), before grace days. */
  readonly days_late: number;
  /** Points taken off the raw score. */
  readonly penalty: number;
  readonly source?: TimestampSource;
  /** The student's own due date when an extension moved it. */
  readonly extended_due?: string | null;
  /** Why the due date moved (the extensions file's note). */
  readonly extension_note?: string;
  readonly grace_days_used?: number;
  /** Days the per-day rate was charged for (days late less grace days). */
  readonly days_charged?: number;
  /** The score before the late policy. */
  readonly raw_score?: number;
  /** The penalty hit max_penalty. */
  readonly capped?: boolean;
  /** False when more days were charged than max_days: the submission scores 0. */
  readonly accepted?: boolean;
  /** The whole computation in one sentence, for the student. */
  readonly explanation?: string;
}

/** Whole days from `due` to `at`, counting a started day as a day (0 when on time). */
export function daysLate(at: string, due: string): number {
  const late = Date.parse(at) - Date.parse(due);
  return late > 0 ? Math.ceil(late / 86_400_000) : 0;
}

function amountOf(a: Amount, raw: number): number {
  return "percent" in a ? (raw * a.percent) / 100 : a.points;
}

function amountWords(a: Amount): string {
  return "percent" in a ? `${a.percent}%` : plural(a.points, "point");
}

/** Apply the late policy to a raw score (see the header for the order of the steps). */
export function lateRecord(raw: number, lab: { readonly due: string; readonly late?: LatePolicy }, input: DeadlineInput): LateRecord {
  const due = input.extension?.due ?? lab.due;
  const days = daysLate(input.submittedAt, due);
  const grace = Math.max(0, Math.min(days, Math.floor(input.graceAvailable ?? 0)));
  const charged = days - grace;
  const policy = lab.late;
  let penalty = 0;
  let capped = false;
  let accepted = true;
  if (policy && charged > 0) {
    if (charged > policy.maxDays) {
      accepted = false;
      penalty = raw;
    } else {
      penalty = Math.min(raw, amountOf(policy.perDay, raw) * charged);
      if (policy.maxPenalty) {
        const cap = amountOf(policy.maxPenalty, raw);
        if (penalty > cap) {
          penalty = cap;
          capped = true;
        }
      }
    }
  }
  penalty = round(Math.max(0, penalty));
  const when = `submitted ${input.submittedAt} (${SOURCE_WORDS[input.source]})`;
  const against = input.extension ? `the extended due date ${due}${input.extension.note ? ` (${input.extension.note})` : ""}` : `the due date ${due}`;
  let explanation: string;
  if (days === 0) explanation = `${when}, on time for ${against}`;
  else {
    const parts = [`${when}, ${plural(days, "day")} after ${against}`];
    if (grace) parts.push(`${plural(grace, "grace day")} used`);
    if (!charged) parts.push("no penalty");
    else if (!policy) parts.push("the lab has no late policy: no penalty");
    else if (!accepted) parts.push(`${plural(charged, "day")} charged, more than the ${plural(policy.maxDays, "day")} accepted: not accepted, 0 points`);
    else {
      parts.push(`${plural(charged, "day")} charged at ${amountWords(policy.perDay)} per day${capped ? `, capped at ${amountWords(policy.maxPenalty!)}` : ""}: −${pts(penalty)} points (raw ${pts(raw)} → ${pts(round(raw - penalty))})`);
    }
    explanation = parts.join("; ");
  }
  return {
    submitted_at: input.submittedAt, due: lab.due, days_late: days, penalty, source: input.source, extended_due: input.extension?.due ?? null,
    ...(input.extension?.note ? { extension_note: input.extension.note } : {}),
    grace_days_used: grace, days_charged: charged, raw_score: round(raw), capped, accepted, explanation,
  };
}

function pts(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** The lab's late policy as the loader reads it from lab.yaml. */
export type LabDeadline = Pick<Lab, "due" | "late">;
