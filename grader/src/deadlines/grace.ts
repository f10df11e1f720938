// Grace days across a course: each student has a number of them, spent lab by lab in order of due date, recorded in a ledger file so each lab knows what earlier labs used.
//
// A lab's grading reads the ledger, gives each student what is left after the labs due before it (a regrade
// of a lab sees the same earlier labs, so it spends the same days), and writes back what this lab used.
import { existsSync, readFileSync } from "node:fs";
import { GraderError } from "../errors.js";
import { writeAtomic } from "../write-atomic.js";

export const GRACE_FORMAT = "vmlab-grace/1";

/** The ledger: per lab, its due date and the grace days each student spent on it. */
export interface GraceLedger {
  readonly format: typeof GRACE_FORMAT;
  readonly labs: Readonly<Record<string, { readonly due: string; readonly used: Readonly<Record<string, number>> }>>;
}

export function emptyLedger(): GraceLedger {
  return { format: GRACE_FORMAT, labs: {} };
}

/** Read a ledger (a missing file is an empty ledger: the first lab of a course). */
export function readLedger(file: string): GraceLedger {
  if (!existsSync(file)) return emptyLedger();
  try {
    const l = JSON.parse(readFileSync(file, "utf8")) as GraceLedger;
    if (l.format === GRACE_FORMAT && typeof l.labs === "object" && l.labs !== null) return l;
  } catch {
    // reported below
  }
  throw new GraderError("GRADE_BAD_INPUT_FILE", `${file} is not a vmlab grace-day ledger (${GRACE_FORMAT})`, { hint: "pass the file earlier grade-batch --grace-ledger runs wrote, or a new path to start one" });
}

/** Labs that come before `lab` in the course: due earlier, or on the same date with a smaller id. */
function before(a: { id: string; due: string }, b: { id: string; due: string }): boolean {
  const da = Date.parse(a.due), db = Date.parse(b.due);
  return da < db || (da === db && a.id < b.id);
}

/** Grace days a student has left for `lab`: the course's total less what labs due before it used. */
export function graceLeft(ledger: GraceLedger, total: number, lab: { id: string; due: string }, student: string): number {
  let spent = 0;
  for (const [id, entry] of Object.entries(ledger.labs)) if (id !== lab.id && before({ id, due: entry.due }, lab)) spent += entry.used[student] ?? 0;
  return Math.max(0, total - spent);
}

/** The ledger with this lab's entry replaced by what its students used now (students who used none are left out). */
export function recordGrace(ledger: GraceLedger, lab: { id: string; due: string }, used: ReadonlyMap<string, number>): GraceLedger {
  const entries = Object.fromEntries([...used].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
  return { format: GRACE_FORMAT, labs: { ...ledger.labs, [lab.id]: { due: lab.due, used: entries } } };
}

export function writeLedger(file: string, ledger: GraceLedger): void {
  const labs = Object.fromEntries(Object.entries(ledger.labs).sort(([a], [b]) => a.localeCompare(b)));
  writeAtomic(file, JSON.stringify({ format: GRACE_FORMAT, labs }, null, 2) + "\n");
}

/** Grace days each student used in a lab's results (student id by submission name). */
export function graceUsed(results: readonly { readonly submission: { readonly name: string }; readonly late: { readonly grace_days_used?: number } | null }[], studentOf: (name: string) => string): Map<string, number> {
  const used = new Map<string, number>();
  for (const r of results) used.set(studentOf(r.submission.name), r.late?.grace_days_used ?? 0);
  return used;
}
