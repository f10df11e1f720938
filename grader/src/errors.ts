// The grader's error codes: every failure an instructor can act on has a stable code, the cause and the fix.
import { VmlabError, type VmlabErrorOptions } from "../../src/core/errors.js";

/**
 * Codes raised by the grader. `LAB_` codes are problems in a lab folder, `GRADE_` codes problems with
 * a submission or a grading run; the CLI turns both into one message and exit code 2.
 */
export const GRADER_CODES = {
  LAB_NOT_FOUND: "no lab with that id or path",
  LAB_INVALID: "lab.yaml does not follow grader/schema/lab.schema.json",
  LAB_YAML_SYNTAX: "lab.yaml is not valid YAML",
  LAB_MISSING_FILE: "a file the lab names does not exist",
  LAB_BAD_CASE: "a case file of a suite is not valid for the lab's harness",
  LAB_EXISTS: "lab new would overwrite an existing lab",
  LAB_LEAK: "the handout would carry a solution region or a hidden suite",
  LAB_REGIONS: "BEGIN SOLUTION / END SOLUTION markers do not pair up",
  GRADE_NO_SUBMISSION: "the submission path does not exist or holds nothing gradable",
  GRADE_BAD_NOTEBOOK: "the notebook is not valid JSON or has no vmlab:submission cell",
  GRADE_BAD_OPTION: "an option has a value the grader does not know",
  GRADE_SANDBOX_MISSING: "the sandbox (grader/src/sandbox) is not built",
  GRADE_BAD_RESULT: "a results file is not a vmlab grade result",
  GRADE_BAD_SHARDS: "the shard folders given to grade-merge do not make one whole batch",
  GRADE_INTERNAL: "the grader itself failed on a submission",
  GRADE_MISSING_FILE: "a file the lab grades is missing from the submission",
  GRADE_FILE_OUTSIDE: "a submission file is a link that leaves the submission",
  GRADE_NOT_A_FILE: "a submission file is a folder, device, FIFO or socket",
  GRADE_FILE_TOO_LARGE: "a submission file is over the size cap",
  GRADE_UNREADABLE_FILE: "a submission file cannot be read",
  GRADE_UNKNOWN_FILE: "a notebook cell names a file the lab does not grade",
  // Feedback codes: what a result's compile feedback says went wrong with a submission.
  GRADE_COMPILE_FAILED: "the submission did not compile",
  GRADE_COMPILER_FAILED: "the compiler itself failed on the submission (a bug in the grader or a type-level bomb)",
  SUBMISSION_BAD_NAME: "a submitted file's name is not a plain relative path",
  SUBMISSION_TOO_LARGE: "a submitted file, or the whole submission, is over the size cap",
  SUBMISSION_NO_ENTRY: "the submission lacks the file the lab's export is read from",
  SANDBOX_SYNTAX: "the submission uses syntax the sandbox (SES) refuses: an HTML comment sequence, dynamic import(), direct eval()",
  GRADE_BAD_INPUT_FILE: "a roster, extensions, timestamps or grace-day file cannot be read or has a bad line",
  GRADE_UNKNOWN_CASE: "an option names a case the lab does not have",
  PLATFORM_BAD_LAYOUT: "a grading platform's folder layout (Gradescope's /autograder, PrairieLearn's /grade) is not as expected",
} as const;
export type GraderCode = keyof typeof GRADER_CODES;

/** An error of the grader, with one of GRADER_CODES. */
export class GraderError extends VmlabError {
  constructor(code: GraderCode, message: string, options: VmlabErrorOptions = {}) {
    super(code, message, options);
  }
}

/** One problem in a lab: a path into lab.yaml (`rubric.overhead.full_at`), what is wrong, and how to fix it. */
export interface LabProblem {
  readonly code: GraderCode;
  /** Dotted path into the YAML document, or a file path for file problems. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** Every problem of a lab at once (loaders collect, never stop at the first). */
export class LabInvalidError extends GraderError {
  constructor(readonly problems: readonly LabProblem[], file: string) {
    super(problems[0]?.code ?? "LAB_INVALID", `${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` + problems.map(formatProblem).join("\n"), {
      hint: problems.length > 1 ? "fix them all; vmlab lab validate re-checks every one" : problems[0]?.hint,
    });
  }

  override format(): string {
    return `error: ${this.message}`;
  }
}

/** `lab.yaml:12:5: rubric.overhead.full_at: must be ≥ 1 (fix: ...)` */
export function formatProblem(p: LabProblem): string {
  const where = p.line ? `${p.file}:${p.line}${p.column ? `:${p.column}` : ""}` : p.file;
  return `  ${where}: ${p.path ? `${p.path}: ` : ""}${p.message}${p.hint ? `\n    fix: ${p.hint}` : ""}`;
}
