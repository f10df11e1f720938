// The grading pipeline: load lab → stage submission → compile → run cases in the sandbox → check → score; each pass is a small function in passes/.
import { createHash } from "node:crypto";
import { cachedCases } from "./case-cache.js";
import type { CaseOptions, GradeCase, SuiteSelection } from "./cases.js";
import type { SandboxCaseResult, SandboxPort } from "./contract.js";
import type { DeadlineInput } from "./deadlines/late.js";
import type { HarnessDeps } from "./harnesses/harness.js";
import { harnessOf } from "./harnesses/index.js";
import type { Lab } from "./lab/load.js";
import { checkPass } from "./passes/check.js";
import { compilePass, type CompiledSubmission } from "./passes/compile.js";
import { runPass, sandboxRequest } from "./passes/run.js";
import { scorePass } from "./passes/score.js";
import { stageSubmission } from "./passes/stage.js";
import { engineHash } from "./engine-hash.js";
import { trustedNumbers, type TrustedNumbers } from "./reference.js";
import { RESULT_FORMAT, type GradeResult } from "./result.js";

/** Everything the pipeline needs from outside, injected (tests pass fakes); `factory` and `trusted` are the machine's services harnesses use. */
export interface GraderDeps extends HarnessDeps {
  readonly sandbox: SandboxPort;
  /** Monotonic milliseconds, for timings only. */
  readonly now: () => number;
  /** Where reference cycles are cached (default out/grader-cache/<lab>). */
  readonly cacheDir?: string;
  readonly useCache?: boolean;
  /** The engine the machines run on (a name in src/engines/registry.ts; default GRADER_ENGINE): same results, other speed. */
  readonly engine?: string;
  /** The digest of the sources under a root (default engineHash; realDeps remembers it for the process, engine-hash.ts sourcesHasher). */
  readonly hashSources?: (root: string) => string;
}

/** A lab ready to grade many submissions: its cases built and its trusted numbers known. */
export interface PreparedLab {
  readonly lab: Lab;
  readonly suite: SuiteSelection;
  readonly cases: readonly GradeCase[];
  readonly numbers: TrustedNumbers;
  /** Milliseconds spent preparing (building cases, reference run). */
  readonly prepareMs: number;
  /** Whose variant the cases are (the student id), when the lab has `variant: student` sets. */
  readonly variant?: string;
}

/** Build the cases of a suite selection (one student's variant, when given; or read them from the cache), their baselines and the reference solution's numbers. */
export async function prepareLab(lab: Lab, suite: SuiteSelection, deps: GraderDeps, options: CaseOptions = {}): Promise<PreparedLab> {
  const t0 = deps.now();
  // Both caches are keyed by the engine's sources: hashed once (a walk over src/ and grader/src/).
  const keyed = { ...deps, sourcesHash: (deps.hashSources ?? engineHash)(lab.root) };
  const cases = await cachedCases(lab, suite, keyed, options);
  const numbers = await trustedNumbers(lab, cases, keyed);
  return { lab, suite, cases, numbers, prepareMs: deps.now() - t0, ...(options.variant !== undefined ? { variant: options.variant } : {}) };
}

/** The result's variant record: the student id and the base seed of each per-student set (absent for a lab without such sets). */
export function variantRecord(prepared: PreparedLab): GradeResult["variant"] {
  const seeds: Record<string, number> = {};
  for (const c of prepared.cases) if (c.variantSeed !== undefined) seeds[c.group] = c.variantSeed;
  return prepared.variant !== undefined && Object.keys(seeds).length ? { key: prepared.variant, seeds } : undefined;
}

export interface GradeOptions {
  /** When the submission was handed in (ISO 8601), for the late policy. */
  readonly submittedAt?: string;
  /** The submission's time with its source, an extension and grace days (wins over submittedAt). */
  readonly deadline?: DeadlineInput;
  /** Cases or groups given full marks (vmlab regrade --force-full). */
  readonly forceFull?: ReadonlySet<string>;
  /** Hears each case's sandbox result as soon as it is known (platforms/partial.ts writes partial results from it). */
  readonly onCaseResult?: (result: SandboxCaseResult) => void;
  readonly signal?: AbortSignal;
  /** Name to record (default: the folder or notebook name). */
  readonly name?: string;
}

/** Grade one submission against a prepared lab. Never throws for anything the student did; throws GraderError only for a missing path. */
export async function gradeSubmission(path: string, prepared: PreparedLab, deps: GraderDeps, options: GradeOptions = {}): Promise<GradeResult> {
  const { lab, cases } = prepared;
  const passes: Record<string, number> = {};
  const t0 = deps.now();
  const timed = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const t = deps.now();
    try {
      return await f();
    } finally {
      passes[name] = round1(deps.now() - t);
    }
  };
  const staged = await timed("stage", () => stageSubmission(path, lab));
  // The child starts (node, SES, the monitor, lockdown) while the submission is type-checked.
  const release = deps.sandbox.prepare?.(sandboxRequest({}, cases, lab, prepared.numbers.limits, deps.engine));
  let raw: SandboxCaseResult[];
  let compiled: CompiledSubmission;
  try {
    compiled = await timed("compile", () => compilePass(staged, lab, deps.sandbox.compileSubmission.bind(deps.sandbox)));
    raw = await timed("run", () =>
      runPass(compiled, cases, lab, deps.sandbox.runInSandbox.bind(deps.sandbox), {
        limits: prepared.numbers.limits, engine: deps.engine, ...(options.signal ? { signal: options.signal } : {}), ...(options.onCaseResult ? { onResult: options.onCaseResult } : {}),
      }),
    );
  } finally {
    release?.();
  }
  const harness = harnessOf(lab.harness);
  const checked = await timed("check", () => checkPass(raw, cases, prepared.numbers.baseline, harness.words));
  const scored = await timed("score", () =>
    scorePass({
      ...scoreNumbers(prepared), checked, lab,
      ...(options.submittedAt ? { submittedAt: options.submittedAt } : {}), ...(options.deadline ? { deadline: options.deadline } : {}), ...(options.forceFull ? { forceFull: options.forceFull } : {}),
    }),
  );
  const files: Record<string, string> = {};
  for (const [f, s] of Object.entries(staged.files).sort(([a], [b]) => a.localeCompare(b))) files[f] = createHash("sha256").update(s).digest("hex");
  return {
    format: RESULT_FORMAT,
    lab: labHeader(lab),
    submission: { name: options.name ?? staged.name, kind: staged.kind, files },
    ...withVariant(prepared),
    suite: prepared.suite,
    status: compiled.ok ? "graded" : "ungradable",
    score: scored.score,
    max_score: scored.max_score,
    breakdown: scored.breakdown,
    late: scored.late,
    feedback: compiled.feedback,
    cases: scored.cases,
    timings: { total_ms: round1(deps.now() - t0), passes },
  };
}

/**
 * The result for a submission the grader itself failed on (an exception that is not the student's doing):
 * status grader-error, every case unscored, the reason in words. grade-batch --resume grades it again.
 */
export function graderErrorResult(prepared: PreparedLab, name: string, kind: "folder" | "notebook", error: unknown): GradeResult {
  const { lab, cases } = prepared;
  const scored = scorePass({
    ...scoreNumbers(prepared), lab,
    checked: cases.map((c) => ({ id: c.id, status: "error", outcome: "not-run", message: "not run: the grader failed on this submission", divergence: null, cost: null, baseline: prepared.numbers.baseline.get(c.id) ?? null, counters: {} })),
  });
  const why = error instanceof Error ? error.message : String(error);
  return {
    format: RESULT_FORMAT,
    lab: labHeader(lab),
    submission: { name, kind, files: {} },
    ...withVariant(prepared),
    suite: prepared.suite,
    status: "grader-error",
    score: scored.score, max_score: scored.max_score, breakdown: scored.breakdown, late: null,
    feedback: [{ kind: "stage", code: "GRADE_INTERNAL", message: `the grader failed on this submission (${why.split("\n")[0]!.slice(0, 300)}); this is not the student's doing, and it will be graded again` }],
    cases: scored.cases,
    timings: { total_ms: 0, passes: {} },
  };
}

/** The variant record as a result's field (nothing for a lab without per-student sets). */
export function withVariant(prepared: PreparedLab): { variant?: NonNullable<GradeResult["variant"]> } {
  const v = variantRecord(prepared);
  return v ? { variant: v } : {};
}

/** What scoring reads of a prepared lab: its cases and trusted numbers. */
export function scoreNumbers(prepared: PreparedLab) {
  const n = prepared.numbers;
  return { cases: prepared.cases, reference: n.reference, referenceMetrics: n.referenceMetrics, baselineMetrics: n.baselineMetrics, limits: n.limits };
}

/** The result's lab block. */
export function labHeader(lab: Lab): GradeResult["lab"] {
  return { id: lab.id, title: lab.title, harness: lab.harness, words: harnessOf(lab.harness).words, hash: lab.hash, due: lab.due ?? null, hidden_feedback: lab.hiddenFeedback };
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
