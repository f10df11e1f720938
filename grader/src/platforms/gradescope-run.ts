// Inside Gradescope's container (`vmlab autograde gradescope`): grade /autograder/submission and keep /autograder/results/results.json valid at every moment.
//
// Gradescope lays out /autograder/{source,submission,results,submission_metadata.json}; the root moves with
// --root or VMLAB_AUTOGRADER_ROOT (the tests lay out a fake one). results.json is written atomically first
// as a zero result that says grading started, then after every case, then whole — so Gradescope's own time
// limit still leaves per-case feedback, and any failure leaves a valid zero result with the reason. The late
// policy and the rate limit read submission_metadata.json (created_at, the due date, previous_submissions),
// never the clock, so a regrade on Gradescope gives the same score.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SandboxCaseResult } from "../contract.js";
import { studentView } from "../disclosure.js";
import type { DeadlineInput } from "../deadlines/late.js";
import { GraderError } from "../errors.js";
import { gradeSubmission, prepareLab, type GraderDeps } from "../grade.js";
import { loadLab } from "../lab/load.js";
import { writeAtomic } from "../write-atomic.js";
import { renderGradescope, type GradescopeResults } from "../reporters/gradescope.js";
import type { GradeResult } from "../result.js";
import { prepareVariant } from "../variants/prepare.js";
import { readPlatformConfig } from "./package.js";
import { partialResult } from "./partial.js";

/** The parts of Gradescope's submission_metadata.json vmlab reads. */
export interface GradescopeMetadata {
  readonly id?: number;
  readonly created_at?: string;
  readonly assignment?: { readonly due_date?: string | null; readonly late_due_date?: string | null; readonly title?: string };
  readonly users?: readonly { readonly email?: string; readonly id?: number; readonly name?: string; readonly sid?: string; readonly assignment?: { readonly due_date?: string | null } }[];
  readonly previous_submissions?: readonly { readonly submission_time?: string; readonly score?: number | string }[];
}

function readMetadata(file: string): GradescopeMetadata {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as GradescopeMetadata;
  } catch (e) {
    throw new GraderError("PLATFORM_BAD_LAYOUT", `${file} is not JSON (${(e as Error).message})`, { hint: "Gradescope writes it; in a test, write valid JSON" });
  }
}

const iso = (s: string | null | undefined): string | undefined => (s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined);

/** Whose submission it is: the first user's student id, else email, else Gradescope id (groups: the first member). */
export function gradescopeStudent(m: GradescopeMetadata): string {
  const u = m.users?.[0];
  return u?.sid || u?.email?.toLowerCase() || (u?.id !== undefined ? String(u.id) : "submission");
}

/** The late policy's input from the metadata: created_at against the student's Gradescope due date (an extension there moves it). */
export function gradescopeDeadline(m: GradescopeMetadata, labDue: string | undefined): DeadlineInput | undefined {
  const at = iso(m.created_at);
  if (!at || !labDue) return undefined;
  const theirs = iso(m.users?.[0]?.assignment?.due_date) ?? iso(m.assignment?.due_date);
  const extension = theirs && Date.parse(theirs) !== Date.parse(labDue) ? { due: theirs, note: "the due date Gradescope gives you" } : undefined;
  return { submittedAt: at, source: "gradescope", ...(extension ? { extension } : {}) };
}

/** Submissions in the 24 hours before this one (by their own times); over the limit, this one is not graded. */
export function rateLimited(m: GradescopeMetadata, maxPerDay: number | undefined): { readonly count: number; readonly keep: number; readonly next: string } | undefined {
  const at = iso(m.created_at);
  if (maxPerDay === undefined || !at) return undefined;
  const t = Date.parse(at);
  const recent = (m.previous_submissions ?? []).map((p) => Date.parse(iso(p.submission_time) ?? "")).filter((x) => Number.isFinite(x) && x <= t && t - x < 86_400_000).sort((a, b) => a - b);
  if (recent.length < maxPerDay) return undefined;
  const last = [...(m.previous_submissions ?? [])].sort((a, b) => Date.parse(a.submission_time ?? "") - Date.parse(b.submission_time ?? "")).pop();
  return { count: recent.length, keep: Number(last?.score ?? 0) || 0, next: new Date(recent[recent.length - maxPerDay]! + 86_400_000).toISOString() };
}

function zero(output: string): string {
  const r: GradescopeResults = { score: 0, execution_time: 0, output, output_format: "text", test_output_format: "text", visibility: "visible", stdout_visibility: "hidden", tests: [] };
  return JSON.stringify(r, null, 2) + "\n";
}

/** Grade the submission in a Gradescope layout; returns the result (undefined when the rate limit kept it from being graded). */
export async function runGradescope(root: string, packageRoot: string, deps: GraderDeps): Promise<GradeResult | undefined> {
  const results = join(root, "results");
  mkdirSync(results, { recursive: true });
  const file = join(results, "results.json");
  writeAtomic(file, zero("Grading started. If this message stays, grading did not finish in time: submit again, or tell your instructor."));
  try {
    const config = readPlatformConfig(packageRoot);
    const meta = readMetadata(join(root, "submission_metadata.json"));
    const limit = rateLimited(meta, config.max_per_day);
    if (limit) {
      const text = `You have made ${limit.count} submissions in the 24 hours before this one; the limit is ${config.max_per_day}. This one was not graded and your score stays at ${limit.keep}. You can submit again from ${limit.next}.`;
      writeAtomic(file, JSON.stringify({ ...JSON.parse(zero(text)), score: limit.keep }, null, 2) + "\n");
      return undefined;
    }
    const submission = join(root, "submission");
    if (!existsSync(submission)) throw new GraderError("PLATFORM_BAD_LAYOUT", `${submission} does not exist`, { hint: "Gradescope puts the student's files there" });
    const lab = loadLab(config.lab, { root: packageRoot, cwd: packageRoot });
    const student = gradescopeStudent(meta);
    const prepared = await prepareVariant(await prepareLab(lab, config.suite, deps), student, deps);
    const deadline = gradescopeDeadline(meta, lab.due);
    const moment = { ...(iso(meta.created_at) ? { asOf: iso(meta.created_at)! } : {}) };
    const done: SandboxCaseResult[] = [];
    const result = await gradeSubmission(submission, prepared, deps, {
      name: student, ...(deadline ? { deadline } : {}),
      onCaseResult: (r) => {
        done.push(r);
        const partial = partialResult(prepared, student, done, deadline);
        writeAtomic(file, renderGradescope(partial, studentView(partial, moment)));
      },
    });
    writeAtomic(file, renderGradescope(result, studentView(result, moment)));
    return result;
  } catch (e) {
    const why = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    writeAtomic(file, zero(`The autograder failed before it could grade this submission (${why.slice(0, 400)}). This is not your doing: please tell your instructor.`));
    throw e;
  }
}
