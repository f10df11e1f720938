// Gradebook files of a batch: grades.csv (raw score, late penalty, final score and max, as nbgrader exports), and the CSVs Canvas and Moodle import.
//
// Canvas's gradebook import reads Student, ID, SIS User ID, SIS Login ID, Section and one column per
// assignment (a "Points Possible" row under the header, as Canvas's own export has); Moodle's "Import
// grades from CSV" maps an identifier column (email address or ID number) and a grade and a feedback
// column. Both need the roster: a student without a submission gets an empty cell (the LMS leaves it
// alone), and a submission without a roster line cannot be placed — it is listed in roster.json.
import { join } from "node:path";
import { didYouMean } from "../../../src/core/suggest.js";
import { csvLine } from "../csv.js";
import { GraderError } from "../errors.js";
import { writeAtomic } from "../write-atomic.js";
import type { GradeResult } from "../result.js";
import { matchRoster, type Roster, type RosterEntry, type RosterMatch } from "./roster.js";

/** LMS gradebook formats grade-batch --format writes beside grades.csv. */
export const GRADEBOOK_FORMATS = ["canvas", "moodle"] as const;
export type GradebookFormat = (typeof GRADEBOOK_FORMATS)[number];

export function parseGradebookFormats(value: string): GradebookFormat[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(GRADEBOOK_FORMATS as readonly string[]).includes(n)) {
      throw new GraderError("GRADE_BAD_OPTION", `unknown gradebook format '${n}'`, { hint: didYouMean(n, GRADEBOOK_FORMATS) ?? `formats: ${GRADEBOOK_FORMATS.join(", ")} (grades.csv is always written)` });
    }
  }
  return names as GradebookFormat[];
}

export interface GradebookOptions {
  readonly roster?: Roster;
  readonly formats?: readonly GradebookFormat[];
  /** The assignment's column name in the LMS (default: the lab's title); Canvas matches an existing assignment by "Name (id)". */
  readonly assignment?: string;
}

const pts = (x: number): string => String(Math.round(x * 100) / 100);

function rawScore(r: GradeResult): number {
  return r.late?.raw_score ?? Math.round((r.score + (r.late?.penalty ?? 0)) * 1e4) / 1e4;
}

/** grades.csv: one row per submission (sorted by name), then one per roster student without a submission. */
export function gradesCsv(results: readonly GradeResult[], match?: RosterMatch): string {
  const head = ["submission", "score", "max_score", "correctness", "overhead", "status", "passed", "failed", "errors", "days_late", "raw_score", "late_penalty", "grace_days_used", "submitted_at", "student_id", "name", "email", "section"];
  const rows = [head.join(",")];
  for (const r of [...results].sort((a, b) => a.submission.name.localeCompare(b.submission.name))) {
    const e = match?.bySubmission.get(r.submission.name);
    rows.push(csvLine([
      r.submission.name, pts(r.score), pts(r.max_score), pts(r.breakdown.correctness.score), pts(r.breakdown.overhead.score), r.status,
      r.cases.filter((c) => c.status === "passed").length, r.cases.filter((c) => c.status === "failed").length, r.cases.filter((c) => c.status === "error").length,
      r.late?.days_late ?? 0, pts(rawScore(r)), pts(r.late?.penalty ?? 0), r.late?.grace_days_used ?? 0, r.late?.submitted_at ?? "",
      e?.id ?? "", e?.name ?? "", e?.email ?? "", e?.section ?? "",
    ]));
  }
  for (const e of match?.missingSubmissions ?? []) rows.push(csvLine(["", "", "", "", "", "missing", "", "", "", "", "", "", "", "", e.id, e.name, e.email, e.section]));
  return rows.join("\n") + "\n";
}

/** Roster entries in roster order, each with its result (undefined: no submission). */
function byStudent(results: readonly GradeResult[], roster: Roster, match: RosterMatch): { entry: RosterEntry; result?: GradeResult }[] {
  const of = new Map<RosterEntry, GradeResult>();
  for (const r of results) {
    const e = match.bySubmission.get(r.submission.name);
    if (e) of.set(e, r);
  }
  return roster.entries.map((entry) => ({ entry, ...(of.has(entry) ? { result: of.get(entry)! } : {}) }));
}

/** Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment. */
export function canvasCsv(results: readonly GradeResult[], roster: Roster, match: RosterMatch, assignment: string, maxScore: number): string {
  const rows = [csvLine(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment]), csvLine(["    Points Possible", "", "", "", "", pts(maxScore)])];
  for (const { entry: e, result } of byStudent(results, roster, match)) rows.push(csvLine([e.name, e.lmsId, e.id, e.login || e.email, e.section, result ? pts(result.score) : ""]));
  return rows.join("\n") + "\n";
}

function splitName(name: string): [string, string] {
  const at = name.trim().lastIndexOf(" ");
  return at < 0 ? [name.trim(), ""] : [name.trim().slice(0, at), name.trim().slice(at + 1)];
}

/** What the LMS's feedback column says: the score with its parts, the late policy when it applied. */
function feedbackOf(r: GradeResult): string {
  const parts = [`${pts(r.score)} / ${pts(r.max_score)} (correctness ${pts(r.breakdown.correctness.score)}, overhead ${pts(r.breakdown.overhead.score)})`];
  if (r.late && (r.late.days_late > 0 || r.late.extended_due)) parts.push(r.late.explanation ?? `${r.late.days_late} days late: -${pts(r.late.penalty)}`);
  if (r.status !== "graded") parts.push(r.status === "ungradable" ? "the submission could not be run" : "not graded yet (the grader failed; it will be graded again)");
  return parts.join("; ");
}

/** Moodle's "Import grades from CSV": names, ID number and email address to map by, the grade and its feedback. */
export function moodleCsv(results: readonly GradeResult[], roster: Roster, match: RosterMatch, assignment: string): string {
  const rows = [csvLine(["First name", "Last name", "ID number", "Email address", "Group", assignment, `Feedback: ${assignment}`])];
  for (const { entry: e, result } of byStudent(results, roster, match)) {
    const [first, last] = splitName(e.name);
    rows.push(csvLine([first, last, e.id, e.email, e.section, result ? pts(result.score) : "", result ? feedbackOf(result) : ""]));
  }
  return rows.join("\n") + "\n";
}

/** Write grades.csv, roster.json and the chosen LMS files into OUT; returns the roster match (when there is a roster). */
export function writeGradebooks(out: string, results: readonly GradeResult[], options: GradebookOptions = {}): RosterMatch | undefined {
  const formats = options.formats ?? [];
  if (formats.length && !options.roster) {
    throw new GraderError("GRADE_BAD_OPTION", `--format ${formats.join(",")} needs --roster: the LMS's columns (ids, names, sections) come from it`, { hint: "add --roster roster.csv (columns id,name,email,section,submission)" });
  }
  const match = options.roster ? matchRoster(options.roster, results.map((r) => r.submission.name)) : undefined;
  writeAtomic(join(out, "grades.csv"), gradesCsv(results, match));
  if (!options.roster || !match) return undefined;
  writeAtomic(join(out, "roster.json"), JSON.stringify({
    roster: options.roster.file, matched: match.bySubmission.size,
    unmatched_submissions: match.unmatchedSubmissions, missing_submissions: match.missingSubmissions.map((e) => ({ id: e.id, name: e.name, line: e.line })),
  }, null, 2) + "\n");
  const first = results[0];
  const assignment = options.assignment ?? first?.lab.title ?? "vmlab lab";
  const maxScore = first?.max_score ?? 0;
  if (formats.includes("canvas")) writeAtomic(join(out, "canvas.csv"), canvasCsv(results, options.roster, match, assignment, maxScore));
  if (formats.includes("moodle")) writeAtomic(join(out, "moodle.csv"), moodleCsv(results, options.roster, match, assignment));
  return match;
}
