// One batch holding every threat fixture beside honest submissions: it finishes, grades everyone, and no student's feedback carries a secret.
//
// The batch runs through the real CLI, compile workers and sandbox on a small copy of lab 01 (the public
// guests hello and popf-irq; a hidden suite of the real hidden guest tick-count, ring-check and
// fault-divide), so attacks that cost a case's time limit stay affordable. Staging attacks that git
// cannot hold (links out of the submission, a FIFO, a folder named handlers.ts, notebooks that are a link,
// too big or nested too deep) are made here. Then every file of every student's feedback, in every
// format, is searched for the hidden guests (source lines and machine-code words), the solution's
// regions, the grader's environment and its absolute paths.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { buildGuest } from "../../src/guests/index.js";
import { assemble } from "../../src/isa/assembler.js";
import { regionBodies } from "./lab/regions.js";
import { packageRoot } from "./paths.js";
import type { GradeResult } from "./result.js";
import { ensureChildBuilt } from "./sandbox/built.js";
import { MAX_NOTEBOOK_BYTES } from "./passes/stage.js";
import { distinctiveLines, walkFiles } from "./test-helpers.js";

const root = packageRoot();
const LAB = "01-trap-and-emulate";
const SOLUTION = join(root, "solutions", LAB, "handlers.ts");
const HIDDEN_GUEST = join(root, "grader/labs", LAB, "hidden/tick-count.s");
const THREATS = join(root, "grader/fixtures/threats");

/** Submissions that must get full marks. */
const HONEST = ["alice", "bob", "honest-comments", "float-arrays"];

let work: string;
let out: string;
let run: { code: number; stdout: string; stderr: string };
let results: Map<string, GradeResult>;
let submissions: string[];

/** Lab 01 cut down to five cases; the hidden ones are after_due_date, so a student sees only their total now. */
function writeLab(dir: string): void {
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "exercises", LAB, "handlers.ts"), join(dir, "handlers.ts"));
  writeFileSync(
    join(dir, "lab.yaml"),
    `id: ${LAB}
title: Trap-and-emulate (threat batch)
harness: trap
profile: strict
student_files: [handlers.ts]
limits: { case_seconds: 3, compile_seconds: 8, memory_mb: 128, max_steps: 2000000 }
suites:
  public:
    guests: [{ builtin: hello }, { builtin: popf-irq, timer_period: 300 }]
  hidden:
    visibility: after_due_date
    guests: [{ path: ${HIDDEN_GUEST} }, { builtin: ring-check }, { builtin: fault-divide }]
rubric:
  correctness: { points: 80, per: case }
  overhead: { points: 20, full_at: 1.1, zero_at: 3.0 }
due: 2027-03-01T23:59:00Z
`,
  );
}

/** A submission folder holding one handlers.ts. */
function submit(name: string, handlers: string): void {
  const dir = join(work, "subs", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "handlers.ts"), handlers);
}

/**
 * A fixture as one file (the lab grades handlers.ts alone): the reference solution's handlers as `correct`,
 * then the fixture without its imports (the solution's own imports cover the types the fixtures use).
 */
function withCorrectInline(fixture: string, solution: string): string {
  const correct = solution.replace("export const handlers: TrapHandlers", "const correct: TrapHandlers").replace(/^export default handlers;$/m, "");
  return correct + "\n" + fixture.replace(/^import .* from "(vmlab|\.\/correct\.js)";$/gm, "");
}

function linked(name: string, target: string): void {
  const dir = join(work, "subs", name);
  mkdirSync(dir, { recursive: true });
  symlinkSync(target, join(dir, "handlers.ts"));
}

beforeAll(async () => {
  await ensureChildBuilt(root);
  work = mkdtempSync(join(tmpdir(), "vmlab-threat-batch-"));
  writeLab(join(work, "labs", LAB));
  const solution = readFileSync(SOLUTION, "utf8");
  submit("alice", solution);
  submit("bob", solution);
  for (const f of readdirSync(THREATS, { withFileTypes: true })) {
    if (f.isDirectory()) submit(f.name, withCorrectInline(readFileSync(join(THREATS, f.name, "handlers.ts"), "utf8"), solution));
  }
  linked("link-solution", SOLUTION);
  linked("link-proc-cwd", `/proc/self/cwd/solutions/${LAB}/handlers.ts`);
  linked("link-hidden-guest", HIDDEN_GUEST);
  linked("link-environ", "/proc/self/environ");
  linked("link-dev-zero", "/dev/zero");
  mkdirSync(join(work, "subs/fifo"));
  execFileSync("mkfifo", [join(work, "subs/fifo/handlers.ts")]);
  mkdirSync(join(work, "subs/folder-as-file/handlers.ts"), { recursive: true });
  symlinkSync("/dev/null", join(work, "subs/notebook-dev-null.ipynb"));
  writeFileSync(join(work, "subs/notebook-huge.ipynb"), " ".repeat(MAX_NOTEBOOK_BYTES + 1));
  writeFileSync(join(work, "subs/notebook-deep.ipynb"), "[".repeat(2_000_000) + "]".repeat(2_000_000));
  submissions = readdirSync(join(work, "subs")).map((n) => n.replace(/\.ipynb$/, "")).sort();

  out = join(work, "out");
  let stdout = "";
  let stderr = "";
  const code = await main(
    ["grade-batch", join(work, "subs"), "--lab", join(work, "labs", LAB), "--out", out, "--jobs", "2", "--feedback", "json,gradescope,junit,md,html", "--as-of", "2027-02-01T00:00:00Z"],
    { cwd: root, env: { CI: "1" }, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), now: () => Date.parse("2027-02-01T00:00:00Z") },
  );
  run = { code, stdout, stderr };
  results = new Map(readdirSync(join(out, "results")).map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(join(out, "results", f), "utf8")) as GradeResult]));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("a batch of every threat fixture with honest submissions", () => {
  it("finishes with exit 0 and a result and a gradebook row for every submission", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect([...results.keys()].sort()).toEqual(submissions);
    const rows = readFileSync(join(out, "grades.csv"), "utf8").trimEnd().split("\n").slice(1).map((l) => l.split(",")[0]);
    expect(rows).toEqual(submissions);
  });

  it("gives every honest submission full marks", () => {
    for (const name of HONEST) expect(results.get(name), name).toMatchObject({ status: "graded", score: 100 });
  });

  it("makes every staging attack an ungradable result that names the file and the rule", () => {
    const expected: Record<string, [string, RegExp]> = {
      "link-solution": ["GRADE_FILE_OUTSIDE", /symbolic link that leads outside the submission/],
      "link-proc-cwd": ["GRADE_FILE_OUTSIDE", /outside the submission/],
      "link-hidden-guest": ["GRADE_FILE_OUTSIDE", /outside the submission/],
      "link-environ": ["GRADE_FILE_OUTSIDE", /outside the submission/],
      "link-dev-zero": ["GRADE_FILE_OUTSIDE", /outside the submission/],
      fifo: ["GRADE_NOT_A_FILE", /named pipe/],
      "folder-as-file": ["GRADE_NOT_A_FILE", /is a folder/],
      "notebook-dev-null": ["GRADE_FILE_OUTSIDE", /is a symbolic link/],
      "notebook-huge": ["GRADE_FILE_TOO_LARGE", /larger than 8 MiB/],
      "notebook-deep": ["GRADE_BAD_NOTEBOOK", /nests arrays and objects/],
    };
    for (const [name, [code, words]] of Object.entries(expected)) {
      const r = results.get(name)!;
      expect(r.status, name).toBe("ungradable");
      expect(r.score, name).toBe(0);
      expect(r.feedback[0], name).toMatchObject({ code, message: expect.stringMatching(words) });
    }
  });

  it("fails the type bomb's compile alone, in words, and compiles everyone else", () => {
    const r = results.get("type-bomb")!;
    expect(r.status).toBe("ungradable");
    expect(r.feedback[0]!.message).toMatch(/type-checking (took longer than 8 s|used more than \d+ MB)/);
    for (const name of HONEST) expect(results.get(name)!.feedback, name).toEqual([]);
  });

  it("lets no student's feedback, in any format, carry a hidden guest, a solution line, the grader's environment or its paths", () => {
    const secrets: { what: string; text: string }[] = [];
    const hiddenSource = readFileSync(HIDDEN_GUEST, "utf8");
    const lines = distinctiveLines(hiddenSource, root);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) secrets.push({ what: "a line of the hidden guest tick-count", text: l });
    // Machine-code words of every hidden guest, as a handler would print them (8 hex digits) — skipping words
    // that are common in any program (zero, small constants).
    const images = [assemble(hiddenSource, { file: "tick-count.s" }), buildGuest("ring-check"), buildGuest("fault-divide")];
    for (const g of images) {
      for (const s of g.segments) {
        const view = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
        for (let i = 0; i + 4 <= s.bytes.length; i += 4) {
          const w = view.getUint32(i, true);
          if (w > 0xffff) secrets.push({ what: "a machine-code word of a hidden guest", text: w.toString(16).padStart(8, "0") });
        }
      }
    }
    for (const body of regionBodies(readFileSync(SOLUTION, "utf8"), "handlers.ts")) {
      for (const line of body.split("\n").map((l) => l.trim()).filter((l) => l.length >= 25)) secrets.push({ what: "a line of the solution", text: line });
    }
    for (const [k, v] of Object.entries(process.env)) if (v && v.length >= 12 && !/^(true|false|\d+)$/.test(v)) secrets.push({ what: `the environment's ${k}`, text: v });
    secrets.push({ what: "the grader's installation path", text: root }, { what: "a marker the exfiltration fixtures print", text: "EXFIL" });

    const feedback = join(out, "feedback");
    const files = walkFiles(feedback);
    expect(files.length).toBe(submissions.length * 5);
    const leaks: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(feedback, f), "utf8");
      for (const s of secrets) if (text.includes(s.text)) leaks.push(`${f} carries ${s.what} (${s.text.slice(0, 40)})`);
    }
    expect(leaks).toEqual([]);
  });
});
