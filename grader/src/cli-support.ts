// Helpers shared by the grader's CLI commands (grade, grade-batch, grade-merge, lab, demo): option parsing and report writing.
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { didYouMean } from "../../src/core/suggest.js";
import { SUITE_SELECTIONS, type SuiteSelection } from "./cases.js";
import { GraderError } from "./errors.js";
import { writeAtomic } from "./write-atomic.js";
import type { DisclosureMoment } from "./disclosure.js";
import { REPORTER_NAMES, REPORTERS, renderSummaryMarkdown, viewFor, type Audience } from "./reporters/index.js";
import type { GradeResult } from "./result.js";

export function parseSuite(value: string): SuiteSelection {
  if ((SUITE_SELECTIONS as readonly string[]).includes(value)) return value as SuiteSelection;
  throw new GraderError("GRADE_BAD_OPTION", `--suite must be public, hidden or all, not '${value}'`, { hint: didYouMean(value, SUITE_SELECTIONS) ?? "e.g. --suite all" });
}

export function parseFormats(value: string): string[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!REPORTERS[n]) throw new GraderError("GRADE_BAD_OPTION", `unknown report format '${n}'`, { hint: didYouMean(n, REPORTER_NAMES) ?? `formats: ${REPORTER_NAMES.join(", ")}` });
  }
  if (!names.length) throw new GraderError("GRADE_BAD_OPTION", "--format names no format", { hint: `formats: ${REPORTER_NAMES.join(", ")}` });
  return names;
}

export function parseAudience(value: string): Audience {
  if (value === "student" || value === "instructor") return value;
  throw new GraderError("GRADE_BAD_OPTION", `--audience must be student or instructor, not '${value}'`);
}

export function parseDate(value: string, option: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraderError("GRADE_BAD_OPTION", `${option} expects an ISO 8601 date-time, got '${value}'`, { hint: `e.g. ${option} 2027-03-02T10:00:00Z` });
  }
  return new Date(value).toISOString();
}

/** Write the chosen reports into a folder, each as `audience` may read it at `moment`; returns the paths written. */
export function writeReports(result: GradeResult, out: string, formats: readonly string[], audience: Audience, moment: DisclosureMoment = {}): string[] {
  mkdirSync(out, { recursive: true });
  const view = viewFor(result, audience, moment);
  return formats.map((f) => {
    const r = REPORTERS[f]!;
    const path = join(out, r.file);
    writeAtomic(path, r.render(result, view));
    return path;
  });
}

/** Append the Markdown summary (the student view: a step summary is often public) to $GITHUB_STEP_SUMMARY when GitHub Actions set it. */
export function appendStepSummary(env: Readonly<Record<string, string | undefined>>, result: GradeResult, moment: DisclosureMoment = {}): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, renderSummaryMarkdown(viewFor(result, "student", moment)) + "\n");
  return true;
}

/** A fixed-width score table for the terminal. */
export function scoreTable(rows: readonly { label: string; result: GradeResult }[]): string {
  const head = ["submission", "score", "correctness", "overhead", "passed"];
  const body = rows.map(({ label, result: r }) => [
    label, `${fmt(r.score)} / ${fmt(r.max_score)}`, `${fmt(r.breakdown.correctness.score)} / ${fmt(r.breakdown.correctness.max)}`,
    `${fmt(r.breakdown.overhead.score)} / ${fmt(r.breakdown.overhead.max)}`, `${r.cases.filter((c) => c.status === "passed").length}/${r.cases.length}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n") + "\n";
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}
