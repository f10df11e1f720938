// A course's inputs to a grading run, read once from the command line's files: the roster, the gradebooks to write, submission times, extensions and grace days.
import { resolve } from "node:path";
import type { BatchOptions } from "./batch.js";
import { readExtensions, unknownStudents } from "./deadlines/extensions.js";
import { graceUsed, readLedger, recordGrace, writeLedger } from "./deadlines/grace.js";
import { deadlineFor, type DeadlineSetup } from "./deadlines/resolve.js";
import { readTimestamps } from "./deadlines/timestamp.js";
import { GraderError } from "./errors.js";
import { parseGradebookFormats, type GradebookOptions } from "./gradebook/gradebooks.js";
import { matchRoster, readRoster, type Roster } from "./gradebook/roster.js";
import type { Lab } from "./lab/load.js";
import type { GradeResult } from "./result.js";

/** The options as the CLI takes them (all optional). */
export interface CourseFlags {
  readonly roster?: string;
  readonly format?: string;
  readonly assignment?: string;
  readonly timestamps?: string;
  readonly extensions?: string;
  readonly graceDays?: string;
  readonly graceLedger?: string;
}

export interface CourseInputs {
  readonly roster?: Roster;
  readonly gradebook: GradebookOptions;
  readonly setup: DeadlineSetup;
  readonly graceLedger?: string;
  /** Warnings to print (an extension for a student the roster does not have). */
  readonly warnings: readonly string[];
}

/** Read the files the flags name (relative to `cwd`); each bad file is one clear error. */
export function readCourse(flags: CourseFlags, cwd: string): CourseInputs {
  const at = (p: string) => resolve(cwd, p);
  const roster = flags.roster ? readRoster(at(flags.roster)) : undefined;
  const formats = flags.format ? parseGradebookFormats(flags.format) : [];
  const extensions = flags.extensions ? readExtensions(at(flags.extensions)) : undefined;
  let grace: DeadlineSetup["grace"];
  if (flags.graceDays !== undefined) {
    if (!/^\d+$/.test(flags.graceDays)) throw new GraderError("GRADE_BAD_OPTION", `--grace-days expects a whole number of days, got '${flags.graceDays}'`, { hint: "e.g. --grace-days 3" });
    if (!flags.graceLedger) throw new GraderError("GRADE_BAD_OPTION", "--grace-days needs --grace-ledger FILE: where each lab records the grace days it used", { hint: "e.g. --grace-ledger course/grace.json (one file for the whole course)" });
    grace = { total: Number(flags.graceDays), ledger: readLedger(at(flags.graceLedger)) };
  }
  const warnings: string[] = [];
  if (extensions && roster) {
    const unknown = unknownStudents(extensions, new Set(roster.entries.map((e) => e.id)));
    if (unknown.length) warnings.push(`warning: the extensions file names student${unknown.length === 1 ? "" : "s"} the roster does not have: ${unknown.join(", ")}`);
  }
  return {
    ...(roster ? { roster } : {}),
    gradebook: { ...(roster ? { roster } : {}), formats, ...(flags.assignment ? { assignment: flags.assignment } : {}) },
    setup: { ...(flags.timestamps ? { timestamps: readTimestamps(at(flags.timestamps)) } : {}), ...(extensions ? { extensions } : {}), ...(grace ? { grace } : {}) },
    ...(flags.graceLedger ? { graceLedger: at(flags.graceLedger) } : {}),
    warnings,
  };
}

/** The student id of each submission: the roster's id where it matches, else the submission's name. */
export function studentIds(course: CourseInputs, submissions: readonly string[]): (name: string) => string {
  const match = course.roster ? matchRoster(course.roster, submissions) : undefined;
  return (name) => match?.bySubmission.get(name)?.id ?? name;
}

/** Batch options for a course: whose each submission is, and its late policy input. */
export function courseBatchOptions(course: CourseInputs, lab: Lab, submissions: readonly string[]): Pick<BatchOptions, "student" | "deadline" | "gradebook"> {
  return { student: studentIds(course, submissions), deadline: (s, student) => deadlineFor(course.setup, lab, s, student), gradebook: course.gradebook };
}

/** Record the grace days this lab's results used in the course's ledger (when there is one). */
export function recordCourseGrace(course: CourseInputs, lab: Lab, results: readonly GradeResult[], student: (name: string) => string): boolean {
  if (!course.graceLedger || !lab.due) return false;
  writeLedger(course.graceLedger, recordGrace(readLedger(course.graceLedger), { id: lab.id, due: lab.due }, graceUsed(results, student)));
  return true;
}
