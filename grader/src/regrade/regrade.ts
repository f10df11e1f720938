// `vmlab regrade OLD --lab LAB --out NEW`: grade a finished batch again (after a rubric change, a broken case), and say per student what moved — every drop flagged.
//
// Each submission is graded as it was the first time: the same student id (so the same variant), the same
// submission time, extension and grace days (from its old result's late record), so only what changed —
// the lab, the grader, --force-full — moves a score.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { didYouMean } from "../../../src/core/suggest.js";
import { gradeBatch, readResult, readShardRecord, type BatchOptions } from "../batch.js";
import { csvLine } from "../csv.js";
import { deadlineOfRecord } from "../deadlines/late.js";
import { GraderError } from "../errors.js";
import type { GraderDeps, PreparedLab } from "../grade.js";
import { writeAtomic } from "../write-atomic.js";
import type { GradeResult } from "../result.js";

export interface RegradeRow {
  readonly submission: string;
  /** The first grading's score (null: a submission that was not graded before). */
  readonly old: number | null;
  /** null: the submission is gone from the folder (kept out of the new gradebook). */
  readonly new: number | null;
  readonly dropped: boolean;
  readonly notes: readonly string[];
}

export interface RegradeReport {
  readonly rows: readonly RegradeRow[];
  readonly dropped: number;
  readonly raised: number;
  readonly unchanged: number;
  /** What changed for everyone: the lab's version, forced cases. */
  readonly changes: readonly string[];
  readonly results: readonly GradeResult[];
}

export interface RegradeOptions extends Pick<BatchOptions, "jobs" | "gradebook" | "feedback" | "onResult" | "deadline" | "student"> {
  /** Case ids or groups (`hidden/flags-003`, `hidden/flags`) given full marks. */
  readonly forceFull?: readonly string[];
  /** The folder of submissions (default: the one OLD/shard.json records). */
  readonly submissions?: string;
}

/** Check --force-full names against the lab's cases and groups; an unknown one is an error with a suggestion. */
export function forcedCases(prepared: PreparedLab, names: readonly string[]): Set<string> {
  const known = [...new Set(prepared.cases.flatMap((c) => [c.id, c.group]))];
  for (const n of names) {
    if (!known.includes(n)) {
      throw new GraderError("GRADE_UNKNOWN_CASE", `--force-full ${n}: lab ${prepared.lab.id} has no such case or group in the ${prepared.suite} suite${prepared.suite === "all" ? "s" : ""}`, {
        hint: didYouMean(n, known) ?? "name a case as suite/name (hidden/flags-003) or a generated set as suite/set (hidden/flags)",
      });
    }
  }
  return new Set(names);
}

const pts = (x: number): string => String(Math.round(x * 100) / 100);

/** Regrade OLD (a grade-batch or grade-merge --out folder) into NEW and compare. */
export async function regrade(oldDir: string, newDir: string, prepared: PreparedLab, deps: GraderDeps, options: RegradeOptions): Promise<RegradeReport> {
  const record = readShardRecord(oldDir);
  const source = options.submissions ?? record.source;
  if (!source || !existsSync(source)) {
    throw new GraderError("GRADE_NO_SUBMISSION", source ? `the submissions ${oldDir} was graded from (${source}) are not there any more` : `${oldDir}/shard.json does not say which folder was graded`, {
      hint: "pass the folder of submissions: --submissions DIR",
    });
  }
  const old = new Map<string, GradeResult>();
  const rdir = join(oldDir, "results");
  for (const f of existsSync(rdir) ? readdirSync(rdir).filter((n) => n.endsWith(".json")).sort() : []) {
    const r = readResult(join(rdir, f));
    if (!r) throw new GraderError("GRADE_BAD_RESULT", `${join(rdir, f)} is not a vmlab grade result`, { hint: "pass the --out folder of a finished grade-batch or grade-merge" });
    old.set(r.submission.name, r);
  }
  const forced = forcedCases(prepared, options.forceFull ?? []);
  const batch = await gradeBatch(source, newDir, prepared, deps, {
    jobs: options.jobs, resume: false,
    ...(forced.size ? { forceFull: forced } : {}),
    ...(options.gradebook ? { gradebook: options.gradebook } : {}), ...(options.feedback ? { feedback: options.feedback } : {}), ...(options.onResult ? { onResult: options.onResult } : {}),
    student: (name) => old.get(name)?.variant?.key ?? options.student?.(name) ?? name,
    deadline: (s, student) => {
      const late = old.get(s.name)?.late;
      return late ? deadlineOfRecord(late) : options.deadline?.(s, student);
    },
  });
  const rows: RegradeRow[] = [];
  const fresh = new Map(batch.results.map((r) => [r.submission.name, r]));
  for (const name of [...new Set([...old.keys(), ...fresh.keys()])].sort()) {
    const a = old.get(name);
    const b = fresh.get(name);
    const notes: string[] = [];
    if (!a) notes.push("not graded before");
    if (!b) notes.push(`no longer in ${source}`);
    if (a && b) {
      if (JSON.stringify(a.submission.files) !== JSON.stringify(b.submission.files)) notes.push("its files changed since the first grading");
      if (JSON.stringify(a.variant?.seeds ?? null) !== JSON.stringify(b.variant?.seeds ?? null)) notes.push("its variant's guests changed (the lab's seeds changed)");
      if (a.status !== b.status) notes.push(`${a.status} → ${b.status}`);
      const lost = b.cases.filter((c) => c.status !== "passed" && a.cases.find((x) => x.id === c.id)?.status === "passed").map((c) => c.id);
      if (lost.length) notes.push(`now fails ${lost.slice(0, 5).join(", ")}${lost.length > 5 ? ` and ${lost.length - 5} more` : ""}`);
    }
    const dropped = a !== undefined && b !== undefined && b.score < a.score - 1e-9;
    rows.push({ submission: name, old: a?.score ?? null, new: b?.score ?? null, dropped, notes });
  }
  const changes: string[] = [];
  if (record.hash !== prepared.lab.hash) changes.push(`lab ${prepared.lab.id} changed since the first grading (another lab.yaml, suite or guest)`);
  if (forced.size) changes.push(`given full marks: ${[...forced].join(", ")}`);
  const both = rows.filter((r) => r.old !== null && r.new !== null);
  const report: RegradeReport = {
    rows, dropped: rows.filter((r) => r.dropped).length, raised: both.filter((r) => r.new! > r.old! + 1e-9).length,
    unchanged: both.filter((r) => Math.abs(r.new! - r.old!) <= 1e-9).length, changes, results: batch.results,
  };
  writeAtomic(join(newDir, "regrade.csv"), [csvLine(["submission", "old_score", "new_score", "change", "dropped", "notes"]), ...rows.map((r) => csvLine([
    r.submission, r.old === null ? "" : pts(r.old), r.new === null ? "" : pts(r.new), r.old !== null && r.new !== null ? pts(r.new - r.old) : "", r.dropped ? "yes" : "", r.notes.join("; "),
  ]))].join("\n") + "\n");
  writeAtomic(join(newDir, "regrade.md"), regradeMarkdown(report));
  return report;
}

/** Per student, old → new, drops flagged; what changed for everyone first. */
export function regradeText(report: RegradeReport): string {
  const width = Math.max(10, ...report.rows.map((r) => r.submission.length));
  const lines = report.changes.map((c) => `${c}`);
  for (const r of report.rows) {
    const move = `${r.old === null ? "—" : pts(r.old)} → ${r.new === null ? "—" : pts(r.new)}`;
    const flag = r.dropped ? `  DROPPED by ${pts(r.old! - r.new!)}` : r.old !== null && r.new !== null && r.new > r.old + 1e-9 ? `  raised by ${pts(r.new - r.old)}` : "";
    lines.push(`${r.submission.padEnd(width)}  ${move.padStart(17)}${flag}${r.notes.length ? `  (${r.notes.join("; ")})` : ""}`);
  }
  lines.push(`${report.dropped} score${report.dropped === 1 ? "" : "s"} dropped, ${report.raised} raised, ${report.unchanged} unchanged`);
  return lines.join("\n") + "\n";
}

function regradeMarkdown(report: RegradeReport): string {
  const out = ["# Regrade", "", ...report.changes.map((c) => `- ${c}`), ...(report.changes.length ? [""] : []), `${report.dropped} dropped, ${report.raised} raised, ${report.unchanged} unchanged.`, "", "| submission | old | new | | notes |", "| --- | ---: | ---: | --- | --- |"];
  for (const r of report.rows) out.push(`| ${r.submission} | ${r.old === null ? "—" : pts(r.old)} | ${r.new === null ? "—" : pts(r.new)} | ${r.dropped ? "**dropped**" : ""} | ${r.notes.join("; ")} |`);
  return out.join("\n") + "\n";
}
