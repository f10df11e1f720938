// A grading result as plain data: what every reporter renders and what grader/schema/result.schema.json publishes.
import type { CaseOrigin, SuiteSelection } from "./cases.js";
import type { LateRecord } from "./deadlines/late.js";
import type { HiddenFeedback, HiddenFeedbackPolicy, Withheld } from "./disclosure.js";
import type { CaseWords } from "./harnesses/harness.js";
import type { Harness, Visibility } from "./lab/load.js";

/** Version tag of the JSON result format; bump on incompatible change. */
export const RESULT_FORMAT = "vmlab-grade/2";

/** A message for the student that is not tied to one case: a missing file, a type error. */
export interface Feedback {
  readonly kind: "stage" | "compile";
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** How a case ended in the sandbox (`ok` means it ran to the end and was compared). */
export type CaseOutcome = "ok" | "timeout" | "crashed" | "memory" | "output" | "load-error" | "handler-error" | "missing-export" | "not-run" | "integrity";

/** The first divergence of a case, as the checker found it. */
export interface CaseDivergence {
  /** What the guest could observe differently, first: `IF: native 1, virtualized 0`. */
  readonly message: string;
  readonly pc: number | null;
  readonly disassembly: string | null;
  /** 1-based number of the guest instruction after which the states differ, when the checker located it. */
  readonly instruction: number | null;
}

/** `at guest instruction 12, pc 0x00001040 (popf)` — where a divergence was found, once, for every report. */
export function divergencePlace(d: CaseDivergence): string {
  const parts = [d.instruction !== null ? `at guest instruction ${d.instruction}` : "", d.pc !== null ? `pc 0x${(d.pc >>> 0).toString(16).padStart(8, "0")}` : ""].filter(Boolean);
  return `${parts.join(", ")}${d.disassembly ? ` (${d.disassembly})` : ""}`;
}

export interface CaseResult {
  readonly id: string;
  readonly suite: string;
  readonly group: string;
  readonly name: string;
  readonly visibility: Visibility;
  /** What was run, in words. */
  readonly describe: string;
  /** Where the case came from; `withheld` in a student view of a case whose details are not shown yet. */
  readonly origin: CaseOrigin | { readonly kind: "withheld" };
  /** passed: as the harness requires (trap: equivalent to the native run); failed: it diverged; error: it did not run to the end. */
  readonly status: "passed" | "failed" | "error";
  readonly outcome: CaseOutcome;
  /** One sentence for the student: the first divergence, the crash, the timeout. */
  readonly message: string;
  readonly divergence: CaseDivergence | null;
  /**
   * The cost in the lab's unit (`lab.words.unit`; trap: cycles) of the student's run, of the trusted baseline
   * (trap: the native run, recomputed by the grader) and of the reference solution.
   */
  readonly cost: number | null;
  readonly baseline_cost: number | null;
  readonly reference_cost: number | null;
  /** cost / baseline_cost. */
  readonly overhead: number | null;
  /** cost / reference_cost: what the overhead points are scored on. */
  readonly relative: number | null;
  readonly counters: Readonly<Record<string, unknown>>;
  /** What the lab's harness measures besides its cost (serverless: p50_ms, p99_ms), by name; absent when it measures its cost only. */
  readonly metrics?: Readonly<Record<string, CaseMetric>>;
  /** CPU seconds the case was allowed: 20 × the reference solution's time on it (predicted from its counters), at least 1 s, at most the lab's case_seconds. */
  readonly limit_seconds: number;
  readonly score: number;
  readonly max_score: number;
  readonly breakdown: {
    readonly correctness: number; readonly max_correctness: number; readonly overhead: number; readonly max_overhead: number;
    /** Points of each rubric metric, when the rubric names metrics. */
    readonly metrics?: Readonly<Record<string, Points>>;
  };
  /** Set in a student view: this line holds no detail of its guest (see disclosure.ts). */
  readonly redacted?: true;
  /** What the case exercises, in words a student may read (lab.yaml category/features), when the lab gives them. */
  readonly category?: string;
  readonly features?: readonly string[];
  /** On a student view of a case whose details are hidden: what it exercises and how it diverged, never the guest's code or data (hints.ts). */
  readonly hint?: CaseHint;
  /** Given full marks whatever it did, because the case was found broken (vmlab regrade --force-full). */
  readonly forced?: true;
}

/** A hint for a hidden case: its category and features, and the kind of divergence in fixed words. */
export interface CaseHint {
  readonly category: string;
  readonly features: readonly string[];
  readonly divergence: string;
}

/** A metric of a case: the student's value, the baseline's and the reference's, and the ratio to the reference. */
export interface CaseMetric {
  readonly value: number | null;
  readonly baseline: number | null;
  readonly reference: number | null;
  readonly relative: number | null;
}

export interface Points {
  readonly score: number;
  readonly max: number;
}

/** Present on a student view of a result (disclosure.ts): what was applied and what was left out. */
export interface StudentViewInfo {
  readonly audience: "student";
  readonly as_of: string | null;
  readonly hidden_feedback: HiddenFeedback;
  readonly withheld: Withheld | null;
}

export interface GradeResult {
  readonly format: typeof RESULT_FORMAT;
  readonly lab: {
    readonly id: string;
    readonly title: string;
    readonly harness: Harness;
    /** How reports speak of this lab's cases: the cost's unit, the baseline, what passing and failing mean (trap: cycles, native, equivalent to the native run …). */
    readonly words: CaseWords;
    readonly hash: string;
    readonly due: string | null;
    /** What students may learn of non-visible cases, and from when (lab.yaml hidden_feedback). */
    readonly hidden_feedback: HiddenFeedbackPolicy;
  };
  readonly submission: { readonly name: string; readonly kind: "folder" | "notebook"; readonly files: Readonly<Record<string, string>> };
  /** Present when the lab gives each student their own generated guests: whose variant, and each such set's seed (a student view keeps the key only). */
  readonly variant?: { readonly key: string; readonly seeds?: Readonly<Record<string, number>> };
  readonly suite: SuiteSelection;
  /**
   * graded: every case ran (some may have failed); ungradable: the submission did not stage or compile, every
   * case scores 0; grader-error: the grader itself failed on this submission (not the student's doing) —
   * it scores 0 for now, and grade-batch --resume grades it again.
   */
  readonly status: "graded" | "ungradable" | "grader-error";
  readonly score: number;
  readonly max_score: number;
  readonly breakdown: {
    readonly correctness: Points;
    readonly overhead: Points;
    /** Each rubric metric's points, when the rubric names metrics. */
    readonly metrics?: Readonly<Record<string, Points>>;
  };
  /** The late policy's record (deadlines/late.ts): null when the submission's time is not known or the lab has no due date. */
  readonly late: LateRecord | null;
  readonly feedback: readonly Feedback[];
  readonly cases: readonly CaseResult[];
  /** Wall-clock measurements; the only part of a result that differs between two runs. Strip it to compare. */
  readonly timings: { readonly total_ms: number; readonly passes: Readonly<Record<string, number>> };
  /** Only on a student view (disclosure.ts studentView); a stored result never has it. */
  readonly view?: StudentViewInfo;
}

/** A result without its timings: two runs of the same submission and lab give byte-identical JSON of this. */
export function withoutTimings(r: GradeResult): Omit<GradeResult, "timings"> {
  const { timings: _t, ...rest } = r;
  return rest;
}

/** Round to 4 decimals so scores print and compare stably. */
export function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
