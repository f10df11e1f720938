// Results that are valid at every moment of a platform run: the cases graded so far scored, the rest "not graded yet", and a zero result with the reason when anything fails.
import type { SandboxCaseResult } from "../contract.js";
import type { DeadlineInput } from "../deadlines/late.js";
import { labHeader, scoreNumbers, withVariant, type PreparedLab } from "../grade.js";
import { harnessOf } from "../harnesses/index.js";
import { checkPass } from "../passes/check.js";
import { scorePass } from "../passes/score.js";
import { RESULT_FORMAT, type GradeResult } from "../result.js";

const NOT_YET = "not graded yet: grading stopped before this case (a platform time limit?); submit again or ask your instructor";

/** A result from the cases whose sandbox results are in; the others score 0 as not graded yet. */
export function partialResult(prepared: PreparedLab, name: string, done: readonly SandboxCaseResult[], deadline?: DeadlineInput): GradeResult {
  const { lab, cases } = prepared;
  const checked = checkPass(done, cases, prepared.numbers.baseline, harnessOf(lab.harness).words).map((c) => (c.outcome === "not-run" ? { ...c, message: NOT_YET } : c));
  const scored = scorePass({ ...scoreNumbers(prepared), checked, lab, ...(deadline ? { deadline } : {}) });
  return {
    format: RESULT_FORMAT,
    lab: labHeader(lab),
    submission: { name, kind: "folder", files: {} },
    ...withVariant(prepared),
    suite: prepared.suite,
    status: "graded",
    score: scored.score, max_score: scored.max_score, breakdown: scored.breakdown, late: scored.late,
    feedback: [{ kind: "stage", code: "GRADE_INTERNAL", message: `grading is not finished: ${done.length} of ${cases.length} cases graded so far` }],
    cases: scored.cases,
    timings: { total_ms: 0, passes: {} },
  };
}
