// When a submission was made, from the submission's own record — a timestamps file, Gradescope's metadata, a declared time, the last commit — never the clock.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "../csv.js";
import { GraderError } from "../errors.js";
import type { TimestampSource } from "./late.js";

/** A submission's time and where it came from. */
export interface SubmissionTime {
  readonly at: string;
  readonly source: TimestampSource;
}

/** The committer time of HEAD of a git work tree (ISO 8601), or undefined; injected so tests need no repository. */
export type CommitTime = (dir: string) => string | undefined;

/** `git log -1 --format=%cI` in a folder that is a git work tree. */
export const gitCommitTime: CommitTime = (dir) => {
  try {
    const out = execFileSync("git", ["-C", dir, "log", "-1", "--format=%cI"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"], env: { PATH: process.env.PATH ?? "/usr/bin:/bin", GIT_CONFIG_NOSYSTEM: "1" } });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
};

/** A submission folder's declared time: vmlab-submission.json `{ "submitted_at": "..." }`. */
export const DECLARED_FILE = "vmlab-submission.json";
/** Gradescope's metadata, as its exports and its autograder lay it out. */
export const GRADESCOPE_METADATA = "submission_metadata.json";

function isoOrThrow(value: unknown, where: string): string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraderError("GRADE_BAD_INPUT_FILE", `${where}: '${String(value)}' is not an ISO 8601 date-time`, { hint: "write it as 2027-03-02T10:00:00Z" });
  }
  return new Date(value).toISOString();
}

function jsonField(file: string, field: string): string | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new GraderError("GRADE_BAD_INPUT_FILE", `${file} is not JSON (${(e as Error).message})`, { hint: `fix it or remove it; it only gives the submission's time (${field})` });
  }
  const value = (parsed as Record<string, unknown> | null)?.[field];
  return value === undefined || value === null ? undefined : isoOrThrow(value, `${file}: ${field}`);
}

/**
 * The time of the submission at `path` (a folder or a notebook), first found of: `table` (a timestamps file,
 * by submission name), Gradescope's submission_metadata.json `created_at`, the declared time
 * (vmlab-submission.json, or a notebook's metadata.vmlab.submitted_at), the last commit of a git work tree.
 */
export function submissionTime(path: string, name: string, options: { table?: ReadonlyMap<string, string>; commitTime?: CommitTime } = {}): SubmissionTime | undefined {
  const listed = options.table?.get(name);
  if (listed) return { at: listed, source: "timestamps" };
  if (path.endsWith(".ipynb")) {
    try {
      const nb = JSON.parse(readFileSync(path, "utf8")) as { metadata?: { vmlab?: { submitted_at?: unknown } } };
      const declared = nb.metadata?.vmlab?.submitted_at;
      if (declared !== undefined) return { at: isoOrThrow(declared, `${path}: metadata.vmlab.submitted_at`), source: "declared" };
    } catch (e) {
      if (e instanceof GraderError) throw e;
      // an unreadable notebook is the grader's to report, not the clock's
    }
    return undefined;
  }
  if (!existsSync(path) || !statSync(path).isDirectory()) return undefined;
  const created = jsonField(join(path, GRADESCOPE_METADATA), "created_at");
  if (created) return { at: created, source: "gradescope" };
  const declared = jsonField(join(path, DECLARED_FILE), "submitted_at");
  if (declared) return { at: declared, source: "declared" };
  if (existsSync(join(path, ".git"))) {
    const at = (options.commitTime ?? gitCommitTime)(path);
    if (at) return { at: new Date(at).toISOString(), source: "git" };
  }
  return undefined;
}

/** A timestamps file: `submission,submitted_at` per line (an LMS's export of hand-in times). */
export function readTimestamps(file: string): Map<string, string> {
  const rows = parseCsv(readFileSync(file, "utf8"), file, { submission: ["name", "student", "folder"], submitted_at: ["time", "timestamp", "created_at"] }, ["submission", "submitted_at"]);
  const out = new Map<string, string>();
  for (const r of rows) {
    const name = r.fields.submission!;
    if (out.has(name)) throw new GraderError("GRADE_BAD_INPUT_FILE", `${file}:${r.line}: ${name} is listed twice`, { hint: "keep one line per submission" });
    out.set(name, isoOrThrow(r.fields.submitted_at, `${file}:${r.line}`));
  }
  return out;
}
