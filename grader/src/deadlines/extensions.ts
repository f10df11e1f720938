// Per-student extensions from a file: `student,lab,due` (a new due date) or `student,lab,days` (days added), lab `*` for every lab.
import { readFileSync } from "node:fs";
import { parseCsv } from "../csv.js";
import { GraderError } from "../errors.js";
import type { Extension } from "./late.js";

/** Extensions by student, then lab id (`*`: every lab). */
export type Extensions = ReadonlyMap<string, ReadonlyMap<string, { readonly due?: string; readonly days?: number; readonly note?: string }>>;

/** Read an extensions file; every bad line is reported with its line number. */
export function readExtensions(file: string): Extensions {
  const rows = parseCsv(readFileSync(file, "utf8"), file, { student: ["id", "student_id", "submission"], lab: ["assignment"], due: ["until", "new_due"], days: ["extra_days"], note: ["reason", "comment"] }, ["student"]);
  const out = new Map<string, Map<string, { due?: string; days?: number; note?: string }>>();
  const problems: string[] = [];
  for (const r of rows) {
    const { student, lab = "", due = "", days = "", note = "" } = r.fields as Record<string, string>;
    const where = `${file}:${r.line}`;
    if (!student) problems.push(`${where}: no student`);
    if (!due === !days) {
      problems.push(`${where}: give either due (a date-time) or days (whole days added), not ${due ? "both" : "neither"}`);
      continue;
    }
    if (due && (!/^\d{4}-\d{2}-\d{2}T/.test(due) || Number.isNaN(Date.parse(due)))) {
      problems.push(`${where}: due '${due}' is not an ISO 8601 date-time`);
      continue;
    }
    if (days && !/^\d+$/.test(days)) {
      problems.push(`${where}: days '${days}' is not a whole number`);
      continue;
    }
    const key = lab || "*";
    const byLab = out.get(student) ?? new Map();
    if (byLab.has(key)) problems.push(`${where}: ${student} has a second extension for ${key === "*" ? "every lab" : key}`);
    byLab.set(key, { ...(due ? { due: new Date(due).toISOString() } : { days: Number(days) }), ...(note ? { note } : {}) });
    out.set(student, byLab);
  }
  if (problems.length) throw new GraderError("GRADE_BAD_INPUT_FILE", `${file} has ${problems.length} bad line${problems.length === 1 ? "" : "s"}:\n  ${problems.join("\n  ")}`, { hint: "each line is student,lab,due or student,lab,days (lab * for every lab)" });
  return out;
}

/** A student's extension for a lab (its own line first, then `*`), as a due date; undefined when there is none. */
export function extensionFor(extensions: Extensions | undefined, student: string, lab: { readonly id: string; readonly due?: string }): Extension | undefined {
  const e = extensions?.get(student)?.get(lab.id) ?? extensions?.get(student)?.get("*");
  if (!e || !lab.due) return undefined;
  const due = e.due ?? new Date(Date.parse(lab.due) + (e.days ?? 0) * 86_400_000).toISOString();
  return { due, note: e.note ?? (e.days !== undefined ? `extension of ${e.days} day${e.days === 1 ? "" : "s"}` : "extension") };
}

/** Students with an extension who are not among `known` (a typo in the file, or a student who did not submit). */
export function unknownStudents(extensions: Extensions, known: ReadonlySet<string>): string[] {
  return [...extensions.keys()].filter((s) => !known.has(s)).sort();
}
