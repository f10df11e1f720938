// Inside PrairieLearn's external grader (`vmlab autograde prairielearn`): grade /grade/student and write /grade/results/results.json in PrairieLearn's format.
//
// PrairieLearn mounts /grade/{student,tests,data/data.json} and reads /grade/results/results.json: score in
// [0, 1], gradable (false for a submission that does not compile: PrairieLearn then charges no attempt),
// format_errors, message, output and tests[] with name, description, points, max_points, message, output.
// The root moves with --root or VMLAB_GRADE_ROOT. The variant key is data.json's variant_seed, so a
// PrairieLearn variant and vmlab's per-student guests go together. Late credit is PrairieLearn's own.
//
// When the student may see more of the hidden cases (the lab's hidden_feedback after its date) depends on
// the submission's time, and PrairieLearn's data.json carries none: it holds params, correct_answers,
// submitted_answers, format_errors, partial_scores, score, feedback, variant_seed, options,
// raw_submitted_answers and gradable (the data object of the question's server.py, as PrairieLearn's
// externalGraderCommon.ts buildDirectory writes it). So the question's server.py stamps the time in
// parse() — `data["params"]["vmlab_submitted_at"]`, stored with the submission, so a regrade sees the same
// time (the export writes that server.py part). Without it the student view is the one before any date:
// the least a student can be shown.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SandboxCaseResult } from "../contract.js";
import { studentView, type DisclosureMoment } from "../disclosure.js";
import { GraderError } from "../errors.js";
import { gradeSubmission, prepareLab, type GraderDeps } from "../grade.js";
import { loadLab } from "../lab/load.js";
import { writeAtomic } from "../write-atomic.js";
import { caseText, feedbackLine, summaryText, terminalText } from "../reporters/text.js";
import type { GradeResult } from "../result.js";
import { prepareVariant } from "../variants/prepare.js";
import { readPlatformConfig } from "./package.js";
import { partialResult } from "./partial.js";

/** PrairieLearn's results.json, field names as its external-grading reference schema has them. */
export interface PrairieLearnResults {
  gradable: boolean;
  score: number;
  message: string;
  output: string;
  format_errors?: string[];
  tests: { name: string; description: string; points: number; max_points: number; message: string; output: string }[];
}

/** The parts of PrairieLearn's data.json vmlab reads. */
export interface PrairieLearnData {
  readonly variant_seed?: unknown;
  readonly params?: { readonly vmlab_submitted_at?: unknown } | null;
}

/** The params field the question's server.py sets in parse() to the submission's time (ISO 8601). */
export const PRAIRIELEARN_SUBMITTED_AT = "vmlab_submitted_at";

/** The moment a student view is rendered for: the submission's time the question stamped, else none (the view before any date). */
export function prairieLearnMoment(data: PrairieLearnData): DisclosureMoment {
  const at = data.params?.vmlab_submitted_at;
  return typeof at === "string" && !Number.isNaN(Date.parse(at)) ? { asOf: new Date(at).toISOString() } : {};
}

const pts = (x: number): number => Math.round(x * 100) / 100;

/** A result in PrairieLearn's format, from the student view (what a student may read). */
export function toPrairieLearn(full: GradeResult, view: GradeResult): PrairieLearnResults {
  const gradable = full.status !== "ungradable";
  return {
    gradable,
    score: full.max_score ? Math.max(0, Math.min(1, Math.round((full.score / full.max_score) * 1e6) / 1e6)) : 0,
    message: summaryText(view).split("\n")[0]!,
    output: terminalText(view),
    ...(gradable ? {} : { format_errors: full.feedback.map(feedbackLine) }),
    tests: view.cases.map((c) => ({ name: `${c.suite}/${c.name}`, description: c.describe, points: pts(c.score), max_points: pts(c.max_score), message: c.message, output: caseText(c, view.lab.words) })),
  };
}

function write(file: string, r: PrairieLearnResults): void {
  writeAtomic(file, JSON.stringify(r, null, 2) + "\n");
}

/** Grade a PrairieLearn layout (root holds student/, data/data.json; results/ is written). */
export async function runPrairieLearn(root: string, packageRoot: string, deps: GraderDeps): Promise<GradeResult> {
  const results = join(root, "results");
  mkdirSync(results, { recursive: true });
  const file = join(results, "results.json");
  const failed = (message: string): PrairieLearnResults => ({ gradable: true, score: 0, message, output: "", tests: [] });
  write(file, failed("Grading started; if this message stays, grading did not finish in time."));
  try {
    const config = readPlatformConfig(packageRoot);
    const student = join(root, "student");
    if (!existsSync(student)) throw new GraderError("PLATFORM_BAD_LAYOUT", `${student} does not exist`, { hint: "PrairieLearn copies the submitted files there" });
    let data: PrairieLearnData = {};
    const dataFile = join(root, "data", "data.json");
    if (existsSync(dataFile)) {
      try {
        data = JSON.parse(readFileSync(dataFile, "utf8")) as typeof data;
      } catch (e) {
        throw new GraderError("PLATFORM_BAD_LAYOUT", `${dataFile} is not JSON (${(e as Error).message})`);
      }
    }
    const key = data.variant_seed === undefined || data.variant_seed === null ? "variant" : String(data.variant_seed);
    const lab = loadLab(config.lab, { root: packageRoot, cwd: packageRoot });
    const prepared = await prepareVariant(await prepareLab(lab, config.suite, deps), key, deps);
    const moment = prairieLearnMoment(data);
    const done: SandboxCaseResult[] = [];
    const result = await gradeSubmission(student, prepared, deps, {
      name: `variant-${key}`,
      onCaseResult: (r) => {
        done.push(r);
        const partial = partialResult(prepared, `variant-${key}`, done);
        write(file, toPrairieLearn(partial, studentView(partial, moment)));
      },
    });
    write(file, toPrairieLearn(result, studentView(result, moment)));
    return result;
  } catch (e) {
    write(file, failed(`The autograder failed before it could grade this submission (${(e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 400)}). This is not your doing: please tell your instructor.`));
    throw e;
  }
}
