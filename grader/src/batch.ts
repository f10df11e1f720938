// Batch grading: every submission of a folder through a worker pool, each result written atomically as soon as known, then grades.csv and a summary.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { GraderError } from "./errors.js";
import { writeReports } from "./cli-support.js";
import type { DeadlineInput } from "./deadlines/late.js";
import type { DisclosureMoment } from "./disclosure.js";
import { graderErrorResult, gradeSubmission, type GraderDeps, type PreparedLab } from "./grade.js";
import { writeGradebooks, type GradebookOptions } from "./gradebook/gradebooks.js";
import type { RosterMatch } from "./gradebook/roster.js";
import { writeAtomic } from "./write-atomic.js";
import { RESULT_FORMAT, withoutTimings, type GradeResult } from "./result.js";
import { prepareVariant } from "./variants/prepare.js";

export { csvField } from "./csv.js";
export { gradesCsv } from "./gradebook/gradebooks.js";

/** `K/N`: this run grades the K-th of N equal parts (1-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new GraderError("GRADE_BAD_OPTION", `--shard expects K/N with 1 ≤ K ≤ N, got '${text}'`, { hint: "e.g. --shard 1/4 on the first of four machines" });
  }
  return { index, count };
}

/** Submissions in a folder: sub-folders and .ipynb notebooks, sorted by name (so shards agree). */
export function listSubmissions(dir: string): { name: string; path: string }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new GraderError("GRADE_NO_SUBMISSION", `${dir} is not a folder of submissions`, { hint: "pass a folder holding one sub-folder or .ipynb per student" });
  return readdirSync(dir)
    .filter((n) => !n.startsWith("."))
    .filter((n) => n.endsWith(".ipynb") || isFolderEntry(join(dir, n)))
    .sort()
    .map((n) => ({ name: n.replace(/\.ipynb$/, ""), path: join(dir, n) }));
}

/** A folder, or a link (staging refuses links with a result of their own rather than following them). */
function isFolderEntry(path: string): boolean {
  try {
    const s = lstatSync(path);
    return s.isDirectory() || s.isSymbolicLink();
  } catch {
    return false;
  }
}

/** Which submissions a shard owns: every N-th by sorted position. */
export function inShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  return shard ? items.filter((_, i) => i % shard.count === shard.index - 1) : [...items];
}

/** Result files live in OUT/results/<name>.json. */
export function resultPath(out: string, name: string): string {
  return join(out, "results", `${name}.json`);
}

/** Read a result file, or undefined when it is missing, torn or of another lab or suite (then it is graded again). */
export function readResult(path: string, expect?: { hash: string; suite: string }): GradeResult | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const r = JSON.parse(readFileSync(path, "utf8")) as GradeResult;
    if (r.format !== RESULT_FORMAT) return undefined;
    if (expect && (r.lab.hash !== expect.hash || r.suite !== expect.suite)) return undefined;
    return r;
  } catch {
    return undefined;
  }
}

/** A result --resume keeps: complete, of this lab and suite, and not one the grader failed on. */
function keptOnResume(path: string, expect: { hash: string; suite: string }): boolean {
  const r = readResult(path, expect);
  return r !== undefined && r.status !== "grader-error";
}

/** What one submission of a batch is graded with besides the lab: whose it is, when it was made, which cases are forced. */
interface OneInput {
  readonly student: string;
  readonly submittedAt?: string;
  readonly deadline?: DeadlineInput;
  readonly forceFull?: ReadonlySet<string>;
}

/** Grade one submission (its own variant of the lab); whatever goes wrong becomes that submission's result, never the batch's end. */
async function gradeOne(s: { name: string; path: string }, base: PreparedLab, deps: GraderDeps, input: OneInput): Promise<GradeResult> {
  let prepared = base;
  try {
    prepared = await prepareVariant(base, input.student, deps);
    return await gradeSubmission(s.path, prepared, deps, {
      name: s.name, ...(input.submittedAt ? { submittedAt: input.submittedAt } : {}), ...(input.deadline ? { deadline: input.deadline } : {}), ...(input.forceFull ? { forceFull: input.forceFull } : {}),
    });
  } catch (e) {
    return graderErrorResult(prepared, s.name, s.path.endsWith(".ipynb") ? "notebook" : "folder", e);
  }
}

export interface BatchOptions {
  readonly jobs: number;
  readonly shard?: Shard;
  readonly resume: boolean;
  /** Called after each submission (for a progress bar). */
  readonly onResult?: (name: string, result: GradeResult, done: number, total: number) => void;
  readonly submittedAt?: (name: string) => string | undefined;
  /** The student id of a submission (the roster's; default its name): what variants, extensions and grace days are keyed by. */
  readonly student?: (name: string) => string;
  /** The late policy's input for a submission (deadlines/resolve.ts); wins over submittedAt. */
  readonly deadline?: (submission: { readonly name: string; readonly path: string }, student: string) => DeadlineInput | undefined;
  /** Cases or groups given full marks (vmlab regrade --force-full). */
  readonly forceFull?: ReadonlySet<string>;
  /** Also write each submission's student feedback into OUT/feedback/<name>/ (the student view as of `moment`). */
  readonly feedback?: { readonly formats: readonly string[]; readonly moment: DisclosureMoment };
  /** The roster and the LMS gradebooks to write beside grades.csv. */
  readonly gradebook?: GradebookOptions;
}

export interface BatchReport {
  readonly graded: number;
  readonly skipped: number;
  readonly results: GradeResult[];
  /** How the submissions matched the roster, when there is one. */
  readonly roster?: RosterMatch;
}

/** Grade a folder of submissions into OUT. Results already present are kept with --resume; nothing is lost on interruption. */
export async function gradeBatch(dir: string, out: string, prepared: PreparedLab, deps: GraderDeps, options: BatchOptions): Promise<BatchReport> {
  const all = inShard(listSubmissions(dir), options.shard);
  mkdirSync(join(out, "results"), { recursive: true });
  const expect = { hash: prepared.lab.hash, suite: prepared.suite };
  const todo = options.resume ? all.filter((s) => !keptOnResume(resultPath(out, s.name), expect)) : all;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const s = todo[next++]!;
      const student = options.student?.(s.name) ?? s.name;
      const submittedAt = options.submittedAt?.(s.name);
      const deadline = options.deadline?.(s, student);
      const r = await gradeOne(s, prepared, deps, { student, ...(submittedAt ? { submittedAt } : {}), ...(deadline ? { deadline } : {}), ...(options.forceFull ? { forceFull: options.forceFull } : {}) });
      writeAtomic(resultPath(out, s.name), JSON.stringify(r, null, 2) + "\n");
      if (options.feedback) writeReports(r, join(out, "feedback", s.name), options.feedback.formats, "student", options.feedback.moment);
      done++;
      options.onResult?.(s.name, r, done, todo.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, todo.length || 1)) }, worker));
  const results = all.map((s) => readResult(resultPath(out, s.name), expect)).filter((r): r is GradeResult => r !== undefined);
  const roster = writeSummaries(out, results, options.gradebook).roster;
  writeShardRecord(out, { lab: prepared.lab.id, hash: prepared.lab.hash, suite: prepared.suite, shard: options.shard ?? { index: 1, count: 1 }, submissions: all.map((s) => s.name), source: dir });
  return { graded: todo.length, skipped: all.length - todo.length, results, ...(roster ? { roster } : {}) };
}

export interface BatchSummary {
  readonly submissions: number;
  readonly mean: number;
  readonly median: number;
  /** Ten buckets of the score as a percentage of the maximum: [0,10), …, [90,100]. */
  readonly histogram: readonly { readonly from: number; readonly to: number; readonly count: number }[];
  /** Cases that fail most often, most first. */
  readonly failing: readonly { readonly case: string; readonly failures: number }[];
}

export function summarize(results: readonly GradeResult[]): BatchSummary {
  const pct = results.map((r) => (r.max_score ? (100 * r.score) / r.max_score : 0)).sort((a, b) => a - b);
  const histogram = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: 0 }));
  for (const p of pct) histogram[Math.min(9, Math.floor(p / 10))]!.count++;
  const fails = new Map<string, number>();
  for (const r of results) for (const c of r.cases) if (c.status !== "passed") fails.set(c.id, (fails.get(c.id) ?? 0) + 1);
  const failing = [...fails].map(([k, n]) => ({ case: k, failures: n })).sort((a, b) => b.failures - a.failures || a.case.localeCompare(b.case)).slice(0, 10);
  const mid = pct.length ? (pct.length % 2 ? pct[(pct.length - 1) / 2]! : (pct[pct.length / 2 - 1]! + pct[pct.length / 2]!) / 2) : 0;
  return {
    submissions: results.length,
    mean: Math.round((pct.reduce((s, x) => s + x, 0) / Math.max(1, pct.length)) * 100) / 100,
    median: Math.round(mid * 100) / 100,
    histogram,
    failing,
  };
}

export function summaryMarkdown(s: BatchSummary): string {
  const bar = (n: number): string => "█".repeat(Math.round((n / Math.max(1, s.submissions)) * 40));
  const out = [`# Batch summary`, "", `${s.submissions} submissions; mean ${s.mean}%, median ${s.median}% of the maximum.`, "", "## Scores", "", "```"];
  for (const h of s.histogram) out.push(`${String(h.from).padStart(3)}–${String(h.to).padEnd(3)}% ${String(h.count).padStart(4)} ${bar(h.count)}`);
  out.push("```", "", "## Most common failing cases", "");
  if (!s.failing.length) out.push("Every case passed in every submission.");
  else out.push("| case | failing submissions |", "| --- | ---: |", ...s.failing.map((f) => `| ${f.case} | ${f.failures} |`));
  return out.join("\n") + "\n";
}

/** grades.csv (and the roster's LMS gradebooks), summary.json and summary.md from the results. */
export function writeSummaries(out: string, results: readonly GradeResult[], gradebook: GradebookOptions = {}): BatchSummary & { roster?: RosterMatch } {
  const s = summarize(results);
  const roster = writeGradebooks(out, results, gradebook);
  writeAtomic(join(out, "summary.json"), JSON.stringify(s, null, 2) + "\n");
  writeAtomic(join(out, "summary.md"), summaryMarkdown(s));
  return { ...s, ...(roster ? { roster } : {}) };
}

/** What a grade-batch output folder is: which lab, suite and shard, over which submissions (OUT/shard.json). */
export interface ShardRecord {
  readonly lab: string;
  readonly hash: string;
  readonly suite: string;
  readonly shard: Shard;
  readonly submissions: readonly string[];
  /** The folder of submissions that was graded (absolute), for vmlab regrade. */
  readonly source?: string;
}

const SHARD_FILE = "shard.json";

function writeShardRecord(out: string, record: ShardRecord): void {
  writeAtomic(join(out, SHARD_FILE), JSON.stringify(record, null, 2) + "\n");
}

export function readShardRecord(dir: string): ShardRecord {
  const file = join(dir, SHARD_FILE);
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as ShardRecord;
    if (typeof r.hash === "string" && typeof r.shard?.index === "number" && typeof r.shard.count === "number") return r;
  } catch {
    // reported below
  }
  throw new GraderError("GRADE_BAD_RESULT", `${dir} has no readable ${SHARD_FILE}: it is not the --out folder of a finished vmlab grade-batch run`, {
    hint: "pass the --out folders of vmlab grade-batch --shard K/N runs (re-run a shard with --resume to finish it)",
  });
}

/**
 * Check that shard folders make one whole batch: the same lab version and suite, every K of N exactly once.
 * Returns the problems (empty when whole); with `allowPartial` missing shards are allowed, duplicates never.
 */
export function shardProblems(records: readonly { dir: string; record: ShardRecord }[], allowPartial: boolean): string[] {
  const problems: string[] = [];
  const first = records[0]!.record;
  for (const { dir, record } of records) {
    if (record.hash !== first.hash) problems.push(`${dir} graded another version of lab ${record.lab} than ${records[0]!.dir}`);
    if (record.suite !== first.suite) problems.push(`${dir} graded the ${record.suite} suite, ${records[0]!.dir} the ${first.suite} suite`);
    if (record.shard.count !== first.shard.count) problems.push(`${dir} is shard ${record.shard.index}/${record.shard.count}, ${records[0]!.dir} is of ${first.shard.count} shards`);
  }
  const seen = new Map<number, string>();
  for (const { dir, record } of records) {
    const other = seen.get(record.shard.index);
    if (other) problems.push(`shard ${record.shard.index}/${record.shard.count} is given twice (${other} and ${dir})`);
    seen.set(record.shard.index, dir);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length && !allowPartial) problems.push(`shard${missing.length === 1 ? "" : "s"} ${missing.map((k) => `${k}/${first.shard.count}`).join(", ")} ${missing.length === 1 ? "is" : "are"} missing`);
  return problems;
}

/** Join shard outputs into one: every K of N once (unless allowPartial), every result once; the same submission graded differently in two shards is an error. */
export function mergeShards(inputs: readonly string[], out: string, options: { readonly allowPartial?: boolean; readonly gradebook?: GradebookOptions } = {}): { merged: number; missingShards: number; roster?: RosterMatch } {
  const records = inputs.map((dir) => ({ dir, record: readShardRecord(dir) }));
  const problems = records.length ? shardProblems(records, options.allowPartial === true) : ["no shard folders were given"];
  if (problems.length) {
    throw new GraderError("GRADE_BAD_SHARDS", `the shards do not make one whole batch:\n  ${problems.join("\n  ")}`, {
      hint: problems.some((p) => p.includes("missing")) ? "pass every shard's --out folder, or --allow-partial to merge what is there" : "pass each shard of one grading run once",
    });
  }
  const byName = new Map<string, { result: GradeResult; from: string }>();
  for (const dir of inputs) {
    const rdir = join(dir, "results");
    if (!existsSync(rdir)) throw new GraderError("GRADE_BAD_RESULT", `${dir} has no results/ folder`, { hint: "pass the --out folders of vmlab grade-batch --shard runs" });
    for (const f of readdirSync(rdir).filter((n) => n.endsWith(".json")).sort()) {
      const r = readResult(join(rdir, f));
      if (!r) throw new GraderError("GRADE_BAD_RESULT", `${join(rdir, f)} is not a vmlab grade result`, { hint: "re-run that shard with --resume" });
      const prev = byName.get(r.submission.name);
      if (prev) {
        if (prev.result.lab.hash !== r.lab.hash) throw new GraderError("GRADE_BAD_RESULT", `${r.submission.name} was graded against different versions of the lab in ${prev.from} and ${dir}`);
        if (JSON.stringify(withoutTimings(prev.result)) !== JSON.stringify(withoutTimings(r))) {
          throw new GraderError("GRADE_BAD_RESULT", `${r.submission.name} has different results in ${prev.from} and ${dir}`, { hint: "grade it again in one shard" });
        }
        continue;
      }
      byName.set(r.submission.name, { result: r, from: dir });
    }
  }
  mkdirSync(join(out, "results"), { recursive: true });
  const results = [...byName.values()].map((v) => v.result).sort((a, b) => a.submission.name.localeCompare(b.submission.name));
  for (const r of results) writeAtomic(resultPath(out, r.submission.name), JSON.stringify(r, null, 2) + "\n");
  const roster = writeSummaries(out, results, options.gradebook).roster;
  const first = records[0]!.record;
  const missingShards = first.shard.count - records.length;
  writeShardRecord(out, {
    lab: first.lab, hash: first.hash, suite: first.suite, shard: { index: 1, count: 1 }, submissions: records.flatMap((r) => r.record.submissions).sort(),
    ...(first.source ? { source: first.source } : {}),
  });
  return { merged: results.length, missingShards, ...(roster ? { roster } : {}) };
}
