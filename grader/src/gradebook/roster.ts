// A course roster (student id, name, email, section, submission folder or repository) and its match against the submissions of a batch — unmatched both ways listed, never dropped.
import { readFileSync } from "node:fs";
import { parseCsv } from "../csv.js";
import { GraderError } from "../errors.js";

export interface RosterEntry {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly section: string;
  /** The submission folder, or a repository (a URL or owner/name: its last part names the folder). */
  readonly submission: string;
  /** The LMS's own ids when the roster has them: Canvas's user ID, the SIS login. */
  readonly lmsId: string;
  readonly login: string;
  readonly line: number;
}

export interface Roster {
  readonly file: string;
  readonly entries: readonly RosterEntry[];
}

const COLUMNS = {
  id: ["student_id", "sis_user_id", "sid", "student_number", "id_number"],
  name: ["student", "full_name", "student_name"],
  email: ["email_address", "mail"],
  section: ["group", "class"],
  submission: ["folder", "repository", "repo", "submission_folder", "github", "github_username"],
  lms_id: ["canvas_id", "canvas_user_id", "user_id"],
  login: ["sis_login_id", "login_id", "username"],
};

/** The folder a repository URL or `owner/name` is cloned into (its last part, without .git). */
export function folderOf(submission: string): string {
  return submission.replace(/\.git$/, "").replace(/\/+$/, "").split(/[/:]/).pop() ?? submission;
}

/** Read a roster CSV; a duplicate id or submission is an error with its lines. */
export function readRoster(file: string): Roster {
  const rows = parseCsv(readFileSync(file, "utf8"), file, COLUMNS, ["id"]);
  const problems: string[] = [];
  const ids = new Map<string, number>();
  const folders = new Map<string, number>();
  const entries = rows.map((r): RosterEntry => {
    const f = r.fields;
    const e = {
      id: f.id ?? "", name: f.name ?? "", email: f.email ?? "", section: f.section ?? "", submission: f.submission ?? "", lmsId: f.lms_id ?? "", login: f.login ?? "", line: r.line,
    };
    if (!e.id) problems.push(`${file}:${r.line}: no student id`);
    else if (ids.has(e.id)) problems.push(`${file}:${r.line}: student ${e.id} is already on line ${ids.get(e.id)}`);
    else ids.set(e.id, r.line);
    const folder = e.submission ? folderOf(e.submission) : "";
    if (folder && folders.has(folder)) problems.push(`${file}:${r.line}: submission ${folder} is already ${folders.get(folder)}'s line`);
    else if (folder) folders.set(folder, r.line);
    return e;
  });
  if (problems.length) throw new GraderError("GRADE_BAD_INPUT_FILE", `${file} has ${problems.length} bad line${problems.length === 1 ? "" : "s"}:\n  ${problems.join("\n  ")}`, { hint: "one line per student, each id and submission once" });
  return { file, entries };
}

/** Which roster entry each submission is, and what matched nothing. */
export interface RosterMatch {
  /** Submission name → entry. */
  readonly bySubmission: ReadonlyMap<string, RosterEntry>;
  /** Submissions no roster line claims (a student who dropped, a folder misnamed). */
  readonly unmatchedSubmissions: readonly string[];
  /** Roster lines with no submission (a student who did not hand in). */
  readonly missingSubmissions: readonly RosterEntry[];
}

/**
 * Match submissions to the roster: by the entry's submission folder (a repository's last part; GitHub
 * Classroom's `<assignment>-<username>` folders match a username), else by the student id.
 */
export function matchRoster(roster: Roster, submissions: readonly string[]): RosterMatch {
  const byFolder = new Map(roster.entries.filter((e) => e.submission).map((e) => [folderOf(e.submission), e]));
  const byId = new Map(roster.entries.map((e) => [e.id, e]));
  const bySubmission = new Map<string, RosterEntry>();
  const claimed = new Set<RosterEntry>();
  for (const name of [...submissions].sort()) {
    let e = byFolder.get(name) ?? byId.get(name);
    if (!e) e = roster.entries.find((x) => x.submission && !claimed.has(x) && name.endsWith(`-${folderOf(x.submission)}`));
    if (e && !claimed.has(e)) {
      bySubmission.set(name, e);
      claimed.add(e);
    }
  }
  return {
    bySubmission,
    unmatchedSubmissions: submissions.filter((s) => !bySubmission.has(s)).sort(),
    missingSubmissions: roster.entries.filter((e) => !claimed.has(e)),
  };
}

/** The match in words for the terminal: what matched nothing, both ways. */
export function rosterReport(m: RosterMatch, file: string): string {
  const lines = [`roster ${file}: ${m.bySubmission.size} submission${m.bySubmission.size === 1 ? "" : "s"} matched`];
  if (m.unmatchedSubmissions.length) lines.push(`  ${m.unmatchedSubmissions.length} submission${m.unmatchedSubmissions.length === 1 ? " has" : "s have"} no roster line: ${m.unmatchedSubmissions.join(", ")}`);
  if (m.missingSubmissions.length) lines.push(`  ${m.missingSubmissions.length} student${m.missingSubmissions.length === 1 ? " has" : "s have"} no submission: ${m.missingSubmissions.map((e) => `${e.id}${e.name ? ` (${e.name})` : ""}`).join(", ")}`);
  return lines.join("\n") + "\n";
}
