import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsvRecords } from "../csv.js";
import { TRAP_WORDS } from "../harnesses/trap-cases.js";
import type { GradeResult } from "../result.js";
import { writeGradebooks } from "./gradebooks.js";
import { matchRoster, readRoster, rosterReport } from "./roster.js";

const dir = mkdtempSync(join(tmpdir(), "vmlab-gradebook-"));
const rosterFile = join(dir, "roster.csv");
writeFileSync(rosterFile, [
  "id,name,email,section,submission,canvas_id",
  "s001,Alice Martin,alice@uni.edu,A,https://github.com/course/lab01-alice.git,101",
  's002,"Bob O\'Neil, Jr",bob@uni.edu,B,bob,102',
  "s003,Carol Diaz,carol@uni.edu,A,carol,103",
].join("\n") + "\n");

const result = (name: string, score: number, late?: GradeResult["late"]): GradeResult =>
  ({
    format: "vmlab-grade/2", lab: { id: "01-trap-and-emulate", title: "Trap-and-emulate", harness: "trap", words: TRAP_WORDS, hash: "0".repeat(64), due: "2027-03-01T23:59:00Z", hidden_feedback: { before: "total", after: "per-case", from: null } },
    submission: { name, kind: "folder", files: {} }, suite: "all", status: "graded", score, max_score: 100,
    breakdown: { correctness: { score: Math.min(80, score), max: 80 }, overhead: { score: Math.max(0, score - 80), max: 20 } }, late: late ?? null, feedback: [], cases: [], timings: { total_ms: 1, passes: {} },
  }) as GradeResult;

const late = { submitted_at: "2027-03-03T10:00:00.000Z", due: "2027-03-01T23:59:00Z", days_late: 2, penalty: 9, raw_score: 90, grace_days_used: 1, explanation: "submitted 2027-03-03T10:00:00.000Z (the last commit's time), 2 days after the due date; 1 grace day used; 1 day charged at 10% per day: −9 points (raw 90 → 81)" };
const results = [result("lab01-alice", 81, late), result("bob", 100), result("mallory", 55)];

describe("a roster", () => {
  it("matches submissions by folder (a repository's last part) and lists what matched nothing, both ways", () => {
    const m = matchRoster(readRoster(rosterFile), results.map((r) => r.submission.name));
    expect([...m.bySubmission].map(([s, e]) => `${s}=${e.id}`)).toEqual(["bob=s002", "lab01-alice=s001"]);
    expect(m.unmatchedSubmissions).toEqual(["mallory"]);
    expect(m.missingSubmissions.map((e) => e.id)).toEqual(["s003"]);
    expect(rosterReport(m, "roster.csv")).toBe("roster roster.csv: 2 submissions matched\n  1 submission has no roster line: mallory\n  1 student has no submission: s003 (Carol Diaz)\n");
  });

  it("refuses a roster that names a student or a submission twice, with both lines", () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "id,name,submission\ns1,A,x\ns1,B,y\ns2,C,x\n");
    expect(() => readRoster(bad)).toThrow(/bad\.csv:3: student s1 is already on line 2\n {2}.*bad\.csv:4: submission x is already 2's line/);
  });
});

describe("the gradebooks", () => {
  const out = mkdtempSync(join(tmpdir(), "vmlab-gradebook-out-"));
  writeGradebooks(out, results, { roster: readRoster(rosterFile), formats: ["canvas", "moodle"], assignment: "Lab 01 (4242)" });
  const table = (f: string) => parseCsvRecords(readFileSync(join(out, f), "utf8"), f).map((r) => r.fields);

  it("write grades.csv with the raw score, the late penalty and the final score apart, and the students without a submission", () => {
    const rows = table("grades.csv");
    const head = rows[0]!;
    const alice = Object.fromEntries(head.map((h, i) => [h, rows.find((r) => r[0] === "lab01-alice")![i]]));
    expect(alice).toMatchObject({ score: "81", raw_score: "90", late_penalty: "9", max_score: "100", days_late: "2", grace_days_used: "1", student_id: "s001", name: "Alice Martin" });
    expect(rows.find((r) => r.includes("s003"))).toEqual(["", "", "", "", "", "missing", "", "", "", "", "", "", "", "", "s003", "Carol Diaz", "carol@uni.edu", "A"]);
  });

  it("write Canvas's columns in Canvas's order, a Points Possible row, and an empty cell for a student without a submission", () => {
    expect(table("canvas.csv")).toEqual([
      ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 01 (4242)"],
      ["    Points Possible", "", "", "", "", "100"],
      ["Alice Martin", "101", "s001", "alice@uni.edu", "A", "81"],
      ["Bob O'Neil, Jr", "102", "s002", "bob@uni.edu", "B", "100"],
      ["Carol Diaz", "103", "s003", "carol@uni.edu", "A", ""],
    ]);
  });

  it("write Moodle's import columns with the late policy stated in the feedback", () => {
    const rows = table("moodle.csv");
    expect(rows[0]).toEqual(["First name", "Last name", "ID number", "Email address", "Group", "Lab 01 (4242)", "Feedback: Lab 01 (4242)"]);
    expect(rows[1]!.slice(0, 6)).toEqual(["Alice", "Martin", "s001", "alice@uni.edu", "A", "81"]);
    expect(rows[1]![6]).toContain("1 grace day used; 1 day charged at 10% per day: −9 points (raw 90 → 81)");
    expect(rows[3]!.slice(5)).toEqual(["", ""]);
    expect(JSON.parse(readFileSync(join(out, "roster.json"), "utf8"))).toMatchObject({ matched: 2, unmatched_submissions: ["mallory"], missing_submissions: [{ id: "s003" }] });
  });

  it("refuse an LMS format without a roster", () => {
    expect(() => writeGradebooks(out, results, { formats: ["canvas"] })).toThrow(/--format canvas needs --roster/);
  });
});
