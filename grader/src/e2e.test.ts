// End to end: the grader's commands through the real sandbox (a locked-down child process built in dist/) and the real CLI.
//
// Unit tests elsewhere fake the sandbox; here every submission is compiled, run case by case in the child
// and scored exactly as `vmlab grade` does for a course. Commands run in-process through `main` (same
// parser, same exit codes); a few are spawned through bin/vmlab.js to prove the installed binary.
// Submissions are derived at run time from the lab's reference solution, so they follow it when it changes.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { loadLab } from "./lab/load.js";
import { realDeps } from "./deps.js";
import { studentImports } from "./lab/regions.js";
import { releaseLab } from "./lab/release.js";
import { studentSecrets } from "./lab/secrets.js";
import { packageRoot } from "./paths.js";
import type { GradeResult } from "./result.js";
import { ensureChildBuilt } from "./sandbox/built.js";
import { distinctiveLines as sharedDistinctiveLines, goldenMismatch, inHandout, installOffline, vitestIn, walkFiles } from "./test-helpers.js";
import { schemaProblems } from "./validate-report.js";

const root = packageRoot();
const LAB = "01-trap-and-emulate";
const REFERENCE_DIR = join(root, "solutions", LAB);
const STARTER_DIR = join(root, "exercises", LAB);
const reference = readFileSync(join(REFERENCE_DIR, "handlers.ts"), "utf8");
const REPORT_FILES = ["result.json", "results.json", "junit.xml", "feedback.md", "feedback.html"];
const HIDDEN_GUEST = join(root, "grader/labs", LAB, "hidden/tick-count.s");

let work: string;

// --- helpers ---------------------------------------------------------------------------------------

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `vmlab ARGS` in-process, from the package root unless told otherwise; both streams captured. */
async function vmlab(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd: options.cwd ?? root,
    env: { CI: "1", ...options.env },
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { code, stdout, stderr };
}

/** `node bin/vmlab.js ARGS` as a real process: the exit code the shell sees. */
function spawnVmlab(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, "bin/vmlab.js"), ...args], { cwd: root, env: { ...process.env, CI: "1" } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A stack frame line such as `    at gradeSubmission (/x/grade.ts:12:3)`: never shown to a user. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function expectOneCleanMessage(r: Run, code: number, words: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(words);
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toContain("internal error");
}

const readJson = <T = unknown>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const resultIn = (dir: string): GradeResult => readJson<GradeResult>(join(dir, "result.json"));

/** The reference solution with the region of one handler replaced (a student who got that handler wrong). */
function withHandlerBody(source: string, handler: string, body: string): string {
  const re = new RegExp(`(\\n  ${handler}\\(vcpu[^\\n]*\\n(?:.*\\n)*?\\s*// BEGIN SOLUTION\\n)(?:.*\\n)*?(\\s*// END SOLUTION)`);
  const out = source.replace(re, `$1    ${body}\n$2`);
  if (out === source) throw new Error(`no solution region for ${handler} in the reference: update the e2e test`);
  return out;
}

function writeSubmission(dir: string, handlers: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "handlers.ts"), handlers);
  return dir;
}

/** A Jupyter notebook holding `source` in two tagged cells, around an untagged scratch cell that would break grading if it were included. */
function notebookOf(source: string): string {
  const split = source.indexOf("export const handlers");
  if (split < 0) throw new Error("the reference no longer exports `handlers`: update the e2e test");
  const lines = (text: string): string[] => text.split(/(?<=\n)/);
  const code = (text: string, tags: string[]) => ({ cell_type: "code", execution_count: null, metadata: tags.length ? { tags } : {}, outputs: [], source: lines(text) });
  return JSON.stringify(
    {
      cells: [
        { cell_type: "markdown", metadata: {}, source: lines("# Lab 01\n\nMy handlers are in the tagged cells below.\n") },
        code(source.slice(0, split), ["vmlab:submission"]),
        code('throw new Error("a scratch cell the student left in: it is not part of the submission");\n', []),
        code(source.slice(split), ["vmlab:submission", "another-tag"]),
      ],
      metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

const walk = walkFiles;

/** Distinctive lines of a hidden guest (test-helpers.ts), at least three so a check over them cannot pass vacuously. */
function distinctiveLines(asm: string): string[] {
  const lines = sharedDistinctiveLines(asm, root);
  expect(lines.length, "distinctive lines of the hidden guest").toBeGreaterThanOrEqual(3);
  return lines;
}

// A minimal XML 1.0 well-formedness check (no XML parser is a dependency): tags balance, attributes are
// quoted and unique, text holds no raw `<` or stray `&`, one root element, no forbidden control characters.
interface XmlNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlNode[];
  text: string;
}

function parseXml(text: string): XmlNode {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at offset ${i}: ${why}`);
  };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text)) fail("a character XML 1.0 cannot carry");
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.exec(text);
  if (!prolog) fail("no XML declaration");
  i = prolog![0].length;
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const stack: XmlNode[] = [];
  let rootNode: XmlNode | undefined;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (!stack.length) {
      if (chunk.trim()) fail("text outside the root element");
    } else {
      if (entity.test(chunk)) fail("a bare & in text");
      stack[stack.length - 1]!.text += chunk;
    }
    if (lt < 0) break;
    i = lt;
    const rest = text.slice(i);
    const end = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(rest);
    if (end) {
      const open = stack.pop();
      if (!open || open.name !== end[1]) fail(`</${end[1]}> closes <${open?.name ?? "nothing"}>`);
      i += end[0].length;
      continue;
    }
    const start = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (!start) fail("a malformed tag");
    const attrs: Record<string, string> = {};
    for (const a of start![2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"<]*)"/g)) {
      if (a[1]! in attrs) fail(`attribute ${a[1]} twice`);
      if (entity.test(a[2]!)) fail("a bare & in an attribute");
      attrs[a[1]!] = a[2]!;
    }
    const node: XmlNode = { name: start![1]!, attrs, children: [], text: "" };
    if (stack.length) stack[stack.length - 1]!.children.push(node);
    else if (rootNode) fail("a second root element");
    else rootNode = node;
    if (!start![3]) stack.push(node);
    i += start![0].length;
  }
  if (stack.length) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  return rootNode ?? fail("no root element");
}

const unescapeXml = (s: string): string => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

// --- shared gradings -------------------------------------------------------------------------------

/** Output folders of the gradings most tests look at. */
const out = { reference: "", starter: "", popf: "", popfStudent: "", popfLate: "" };
let graded: { reference: Run; starter: Run; popf: Run; popfStudent: Run };
/** A day after lab 01's due date: student feedback then shows hidden cases one by one, with their details. */
const AFTER_DUE = "2027-03-02T12:00:00Z";
let popfDir: string;
let brokenDir: string;
let brokenLine: number;
let stepSummary: string;

beforeAll(async () => {
  await ensureChildBuilt(root);
  work = mkdtempSync(join(tmpdir(), "vmlab-e2e-"));
  for (const k of Object.keys(out) as (keyof typeof out)[]) out[k] = join(work, "out", k);

  // A student who restores FLAGS wrongly in POPF (pops the word and drops it) and one whose code does not type-check.
  popfDir = writeSubmission(join(work, "subs/popf"), withHandlerBody(reference, "popf", "vcpu.pop(); // forgets to load FLAGS"));
  const broken = reference.replace("vcpu.flags.IF = false;", 'vcpu.flags.IF = "off";');
  expect(broken).not.toBe(reference);
  brokenLine = broken.split("\n").findIndex((l) => l.includes('vcpu.flags.IF = "off"')) + 1;
  brokenDir = writeSubmission(join(work, "subs/broken"), broken);

  stepSummary = join(work, "step-summary.md");
  writeFileSync(stepSummary, "## an earlier step\n\n");

  const formats = ["--format", "json,gradescope,junit,md,html"];
  // The reference first: it fills the trusted-numbers cache the two others then read.
  // Instructors' reports hold every detail; the student's are rendered now (before the due date) and after it.
  const teacher = ["--audience", "instructor"];
  const ref = await vmlab(["grade", `solutions/${LAB}`, "--lab", LAB, "--suite", "all", ...formats, ...teacher, "--out", out.reference]);
  const [starter, popf, popfStudent] = await Promise.all([
    vmlab(["grade", `exercises/${LAB}`, "--lab", LAB, ...formats, ...teacher, "--out", out.starter], { env: { GITHUB_STEP_SUMMARY: stepSummary } }),
    vmlab(["grade", popfDir, "--lab", LAB, ...formats, ...teacher, "--out", out.popf]),
    vmlab(["grade", popfDir, "--lab", LAB, ...formats, "--out", out.popfStudent]),
    vmlab(["grade", popfDir, "--lab", LAB, ...formats, "--as-of", AFTER_DUE, "--out", out.popfLate]),
  ]);
  graded = { reference: ref, starter, popf, popfStudent };
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// --- 1. the reference solution --------------------------------------------------------------------

describe("vmlab grade on the reference solution with every report format", () => {
  it("exits 0, prints the score and writes every report it names", () => {
    expect(graded.reference.stderr).toBe("");
    expect(graded.reference.code).toBe(0);
    expect(graded.reference.stdout).toMatch(/^Trap-and-emulate \(01-trap-and-emulate\), all suites: 100 \/ 100 points$/m);
    for (const f of REPORT_FILES) {
      expect(graded.reference.stdout).toContain(`wrote ${join(out.reference, f)}`);
      expect(statSync(join(out.reference, f)).size, f).toBeGreaterThan(100);
    }
    expect(readdirSync(out.reference).sort()).toEqual([...REPORT_FILES].sort());
  });

  it("scores 100 with every public and hidden case equivalent to the native run", () => {
    const r = resultIn(out.reference);
    expect(r).toMatchObject({ status: "graded", score: 100, max_score: 100, suite: "all", feedback: [] });
    expect(r.breakdown).toEqual({ correctness: { score: 80, max: 80 }, overhead: { score: 20, max: 20 } });
    expect(new Set(r.cases.map((c) => c.suite))).toEqual(new Set(["public", "hidden"]));
    expect(r.cases.filter((c) => c.status !== "passed")).toEqual([]);
    expect(r.cases.every((c) => c.relative === 1)).toBe(true);
  });

  it("writes a result.json that follows grader/schema/result.schema.json", () => {
    expect(schemaProblems("result", resultIn(out.reference))).toEqual([]);
  });

  it("grades the reference and the starter exactly as the golden results say (timings aside; VMLAB_ACCEPT=1 to accept a change)", () => {
    for (const who of ["reference", "starter"] as const) {
      const { timings: _t, ...stable } = resultIn(out[who]);
      const mismatch = goldenMismatch(join(root, "grader/testdata/golden", `${LAB}.${who}.result.json`), JSON.stringify(stable, null, 2) + "\n");
      expect(mismatch?.actual, who).toBe(mismatch?.expected);
    }
  });

  it("writes a Gradescope results.json that follows its schema, with Gradescope's field names exactly", () => {
    const gs = readJson<Record<string, unknown> & { tests: Record<string, unknown>[] }>(join(out.reference, "results.json"));
    expect(schemaProblems("gradescope", gs)).toEqual([]);
    const r = resultIn(out.reference);
    expect(gs.score).toBe(100);
    expect(typeof gs.execution_time).toBe("number");
    expect(gs.execution_time).toBeGreaterThan(0);
    expect(gs.execution_time).toBeLessThan(600);
    expect(gs.output).toContain("100 / 100 points");
    expect(gs.tests).toHaveLength(r.cases.length);
    for (const [i, t] of gs.tests.entries()) {
      const c = r.cases[i]!;
      expect(Object.keys(t)).toEqual(expect.arrayContaining(["name", "score", "max_score", "status", "output", "visibility"]));
      expect(t).toMatchObject({ name: `${c.suite}: ${c.name}`, status: "passed", visibility: c.visibility });
      // Points are printed to two places, apportioned so that the tests add up to the score exactly.
      expect(Number(t.max_score)).toBeCloseTo(c.max_score, 1);
      expect(t.output).toMatch(/^PASSED: equivalent to the native run/);
    }
    // Gradescope withholds what is not "visible": hidden cases are never shown before the due date.
    expect(gs.tests.filter((t) => String(t.name).startsWith("hidden: ")).every((t) => t.visibility !== "visible")).toBe(true);
    expect(Math.round(gs.tests.reduce((s, t) => s + Number(t.score), 0) * 100) / 100).toBe(100);
    expect(Math.round(gs.tests.reduce((s, t) => s + Number(t.max_score), 0) * 100) / 100).toBe(100);
  });

  it("writes JUnit XML that is well-formed, with one testsuite per lab suite and counts that match the cases", () => {
    const r = resultIn(out.reference);
    const doc = parseXml(readFileSync(join(out.reference, "junit.xml"), "utf8"));
    expect(doc.name).toBe("testsuites");
    expect(doc.attrs).toMatchObject({ name: LAB, tests: String(r.cases.length), failures: "0", errors: "0" });
    expect(doc.children.map((s) => s.attrs.name)).toEqual([`${LAB}.public`, `${LAB}.hidden`]);
    for (const s of doc.children) {
      const suite = s.attrs.name!.split(".").pop()!;
      const cases = s.children.filter((c) => c.name === "testcase");
      expect(s.attrs.tests).toBe(String(cases.length));
      expect(cases.map((c) => c.attrs.name)).toEqual(r.cases.filter((c) => c.suite === suite).map((c) => c.name));
      expect(cases.every((c) => c.children.every((x) => x.name === "system-out"))).toBe(true);
    }
  });

  it("gives a student, before the due date, only the hidden suite's total: no hidden case named, described, located or shown", () => {
    const hiddenSource = readFileSync(HIDDEN_GUEST, "utf8");
    const hiddenDescribe = hiddenSource.split("\n")[0]!.replace(/^;\s*/, "");
    // The popf submission fails hidden cases too: the place where details would show if they leaked.
    for (const f of REPORT_FILES) {
      const text = readFileSync(join(out.popfStudent, f), "utf8");
      expect(text, f).not.toContain("tick-count");
      expect(text, f).not.toMatch(/hidden\/flags-\d+|hidden: flags-\d+/);
      expect(text, f).not.toContain(hiddenDescribe);
      expect(text, f).not.toContain("grader/labs");
      for (const line of distinctiveLines(hiddenSource)) expect(text, `${f}: ${line}`).not.toContain(line);
      expect(text, f).not.toMatch(/seed 1974|seed 2006|"seed"/);
    }
    const md = readFileSync(join(out.popfStudent, "feedback.md"), "utf8");
    expect(md).toMatch(/\| hidden\/hidden suite \(26 cases\) \| FAIL \| shown later \| [\d.]+ \/ [\d.]+ \|/);
    expect(graded.popfStudent.stdout).toMatch(/FAIL +hidden\/hidden suite \(26 cases\)/);
  });

  it("gives a student, after the due date, every hidden case with its outcome and details (the suite is after_due_date)", () => {
    const md = readFileSync(join(out.popfLate, "feedback.md"), "utf8");
    expect(md).toContain("| hidden/tick-count | PASS |");
    expect(md).toMatch(/### FAIL hidden\/flags-\d+ — 0 \/ [\d.]+\n\n- \*\*What was run:\*\*/);
  });

  it("never puts a hidden guest's code into any report, whatever its audience", () => {
    const code = distinctiveLines(readFileSync(HIDDEN_GUEST, "utf8"));
    for (const dir of [out.reference, out.popf, out.popfStudent, out.popfLate]) {
      for (const f of REPORT_FILES) {
        const text = readFileSync(join(dir, f), "utf8");
        for (const line of code) expect(text, `${f}: ${line}`).not.toContain(line);
      }
    }
  });
});

// --- 2. unfinished and half-correct work ----------------------------------------------------------

describe("feedback on unfinished and half-correct work", () => {
  it("scores the starter 0 for correctness and names the handler it has not implemented", () => {
    expect(graded.starter.code).toBe(0);
    const r = resultIn(out.starter);
    expect(r.status).toBe("graded");
    expect(r.breakdown.correctness.score).toBe(0);
    expect(r.score).toBe(0);
    const hello = r.cases.find((c) => c.id === "public/hello")!;
    expect(hello).toMatchObject({ status: "error", outcome: "handler-error" });
    expect(hello.message).toMatch(/Your `cli` handler threw Error: not implemented: cli at handlers\.ts:\d+/);
    expect(readFileSync(join(out.starter, "feedback.md"), "utf8")).toMatch(/not implemented: cli/);
  });

  it("gives partial credit to a submission with a wrong popf", () => {
    expect(graded.popf.code).toBe(0);
    const r = resultIn(out.popf);
    expect(r.status).toBe("graded");
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThan(100);
    expect(r.breakdown.correctness.score).toBeGreaterThan(0);
    expect(r.breakdown.correctness.score).toBeLessThan(80);
    // Cases that never pop FLAGS still pass.
    expect(r.cases.find((c) => c.id === "public/hello")!.status).toBe("passed");
    expect(graded.popf.stdout).toMatch(/all suites: [\d.]+ \/ 100 points/);
  });

  it("names the first divergent instruction, popf, in words", () => {
    const r = resultIn(out.popf);
    const c = r.cases.find((x) => x.id === "public/popf-irq")!;
    expect(c.status).toBe("failed");
    expect(c.divergence).toMatchObject({ disassembly: "popf" });
    expect(c.message).toMatch(/^diverged from the native run at guest instruction \d+, pc 0x[0-9a-f]{8} \(popf\): IF: native 1, virtualized 0$/);
    const md = readFileSync(join(out.popf, "feedback.md"), "utf8");
    // Said once: where, then what.
    expect(md).toMatch(/\*\*First divergence at guest instruction \d+, pc 0x[0-9a-f]{8} \(`popf`\):\*\* IF: native 1, virtualized 0\n/);
    const gs = readJson<{ tests: { name: string; status: string; output: string }[] }>(join(out.popf, "results.json"));
    expect(gs.tests.find((t) => t.name === "public: popf-irq")).toMatchObject({ status: "failed", output: expect.stringMatching(/first divergence at guest instruction \d+, pc 0x[0-9a-f]{8} \(popf\): IF: native 1, virtualized 0/) });
  });

  it("reports the failures in JUnit XML as <failure> elements whose counts match the result", () => {
    const r = resultIn(out.popf);
    const failed = r.cases.filter((c) => c.status === "failed");
    expect(failed.length).toBeGreaterThan(0);
    const doc = parseXml(readFileSync(join(out.popf, "junit.xml"), "utf8"));
    expect(doc.attrs).toMatchObject({ tests: String(r.cases.length), failures: String(failed.length), errors: "0" });
    const failures = doc.children.flatMap((s) => s.children).flatMap((tc) => tc.children.filter((x) => x.name === "failure").map((f) => ({ tc, f })));
    expect(failures.map(({ tc }) => tc.attrs.name).sort()).toEqual(failed.map((c) => c.name).sort());
    const popf = failures.find(({ tc }) => tc.attrs.name === "popf-irq")!;
    expect(unescapeXml(popf.f.attrs.message!)).toMatch(/\(popf\): IF: native 1, virtualized 0/);
  });

  it("gives the starter's failures as JUnit <error> elements", () => {
    const r = resultIn(out.starter);
    const doc = parseXml(readFileSync(join(out.starter, "junit.xml"), "utf8"));
    expect(doc.attrs).toMatchObject({ tests: String(r.cases.length), failures: "0", errors: String(r.cases.length) });
  });
});

// --- 3. notebooks ---------------------------------------------------------------------------------

describe("a notebook submission", () => {
  it("grades the code cells tagged vmlab:submission exactly like the same code in a folder", async () => {
    const nb = join(work, "subs/alice-notebook.ipynb");
    writeFileSync(nb, notebookOf(reference));
    const dir = join(work, "out/notebook");
    const r = await vmlab(["grade", nb, "--lab", LAB, "--format", "json", "--audience", "instructor", "--out", dir]);
    expect(r.code).toBe(0);
    const fromNotebook = resultIn(dir);
    const fromFolder = resultIn(out.reference);
    expect(fromNotebook.submission).toMatchObject({ name: "alice-notebook", kind: "notebook" });
    expect(fromNotebook.feedback).toEqual([]);
    expect(fromNotebook.score).toBe(100);
    expect(fromNotebook.cases).toEqual(fromFolder.cases);
  });
});

// --- 4. bad input ---------------------------------------------------------------------------------

describe("bad input gets one clear message, no stack trace", () => {
  it("a missing submission path: exit 2 and where it looked", async () => {
    const r = await vmlab(["grade", join(work, "nobody"), "--lab", LAB]);
    expectOneCleanMessage(r, 2, /no submission at .*nobody\nhint: pass a folder holding the lab's files or a \.ipynb notebook/);
    expect(r.stdout).toBe("");
  });

  it("an unknown lab id: exit 2 and a did-you-mean", async () => {
    const r = await vmlab(["grade", `solutions/${LAB}`, "--lab", "01-trap-and-emulat"]);
    expectOneCleanMessage(r, 2, /no lab '01-trap-and-emulat'.*\nhint: did you mean '01-trap-and-emulate'\?/);
  });

  it("an unknown --format: exit 2, the formats it knows, and nothing written", async () => {
    const dir = join(work, "out/bad-format");
    const r = await vmlab(["grade", `solutions/${LAB}`, "--lab", LAB, "--format", "json,xlsx", "--out", dir]);
    expectOneCleanMessage(r, 2, /unknown report format 'xlsx'\nhint: formats: json, gradescope, junit, md, html/);
    expect(existsSync(dir)).toBe(false);
    const typo = await vmlab(["grade", `solutions/${LAB}`, "--lab", LAB, "--format", "jsn"]);
    expectOneCleanMessage(typo, 2, /unknown report format 'jsn'\nhint: did you mean 'json'\?/);
  });

  it("a submission that does not compile: the TypeScript error with file:line as feedback, score 0, exit 0 (exit 1 only under --min-score)", async () => {
    const dir = join(work, "out/broken");
    const r = await vmlab(["grade", brokenDir, "--lab", LAB, "--format", "json,md", "--out", dir]);
    // Grading worked; the submission is what failed. The CLI's exit code says so only when asked to gate on a score.
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("the submission could not be run:");
    expect(r.stdout).toMatch(new RegExp(`handlers\\.ts:${brokenLine}:\\d+: Type 'string' is not assignable to type 'boolean'\\. \\(TS2322\\)`));
    const result = resultIn(dir);
    expect(result).toMatchObject({ status: "ungradable", score: 0 });
    expect(result.feedback).toEqual([expect.objectContaining({ kind: "compile", code: "TS2322", file: "handlers.ts", line: brokenLine })]);
    expect(result.cases.every((c) => c.score === 0 && c.status !== "passed")).toBe(true);
    expect(schemaProblems("result", result)).toEqual([]);
    const md = readFileSync(join(dir, "feedback.md"), "utf8");
    expect(md).toContain("## Your submission could not be run");
    expect(md).toContain(`handlers.ts:${brokenLine}:`);
    expect(`${r.stdout}${md}`).not.toMatch(STACK_FRAME);
  });
});

// --- 5. determinism -------------------------------------------------------------------------------

describe("determinism", () => {
  it("grades the same submission twice to byte-identical result.json once the timings are removed", async () => {
    const dir = join(work, "out/reference-again");
    const r = await vmlab(["grade", `solutions/${LAB}`, "--lab", LAB, "--suite", "all", "--format", "json", "--audience", "instructor", "--out", dir]);
    expect(r.code).toBe(0);
    const strip = (text: string): string => {
      const stripped = text.replace(/,\n {2}"timings": \{\n[\s\S]*?\n {2}\}\n\}\n$/, "\n}\n");
      expect(stripped, "result.json ends with its timings").not.toBe(text);
      return stripped;
    };
    const first = readFileSync(join(out.reference, "result.json"), "utf8");
    const second = readFileSync(join(dir, "result.json"), "utf8");
    expect(strip(second)).toBe(strip(first));
  });
});

// --- 6. batches -----------------------------------------------------------------------------------

describe("grade-batch, --resume, --shard and grade-merge", () => {
  // The public suite keeps the batch quick; it still holds popf-irq, which the popf submission fails.
  const batchArgs = (subs: string, dest: string, ...more: string[]) => ["grade-batch", subs, "--lab", LAB, "--suite", "public", "--out", dest, ...more];
  let subs: string;
  let full: string;
  let run: Run;

  beforeAll(async () => {
    subs = join(work, "batch-subs");
    cpSync(REFERENCE_DIR, join(subs, "alice"), { recursive: true });
    cpSync(REFERENCE_DIR, join(subs, "bob"), { recursive: true });
    cpSync(STARTER_DIR, join(subs, "carol"), { recursive: true });
    writeSubmission(join(subs, "dave"), readFileSync(join(popfDir, "handlers.ts"), "utf8"));
    full = join(work, "batch");
    run = await vmlab(batchArgs(subs, full, "--jobs", "2"));
  }, 120_000);

  it("grades the four submissions with two jobs and writes one result per submission", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^graded 4 submissions in [\d.]+ s/m);
    expect(run.stdout.match(/^\[\d\/4\] \w+: [\d.]+ \/ 100$/gm)).toHaveLength(4);
    expect(readdirSync(join(full, "results")).sort()).toEqual(["alice.json", "bob.json", "carol.json", "dave.json"]);
    for (const f of readdirSync(join(full, "results"))) expect(schemaProblems("result", readJson(join(full, "results", f))), f).toEqual([]);
  });

  it("writes grades.csv with the right score for each submission", () => {
    const rows = readFileSync(join(full, "grades.csv"), "utf8").trimEnd().split("\n");
    expect(rows[0]).toBe("submission,score,max_score,correctness,overhead,status,passed,failed,errors,days_late,raw_score,late_penalty,grace_days_used,submitted_at,student_id,name,email,section");
    const by = Object.fromEntries(rows.slice(1).map((l) => [l.split(",")[0], l.split(",")]));
    expect(Object.keys(by)).toEqual(["alice", "bob", "carol", "dave"]);
    expect(rows[1]).toBe("alice,100,100,80,20,graded,5,0,0,0,100,0,0,,,,,");
    expect(rows[2]).toBe("bob,100,100,80,20,graded,5,0,0,0,100,0,0,,,,,");
    expect(rows[3]).toBe("carol,0,100,0,0,graded,0,0,5,0,0,0,0,,,,,");
    const dave = by.dave!;
    expect(Number(dave[1])).toBeGreaterThan(0);
    expect(Number(dave[1])).toBeLessThan(100);
    expect(dave.slice(5, 10)).toEqual(["graded", "4", "1", "0", "0"]);
    // The gradebook prints points to two decimals, as every report does.
    expect(Number(dave[1])).toBe(Math.round(readJson<GradeResult>(join(full, "results/dave.json")).score * 100) / 100);
  });

  it("summarises the batch with a score histogram and the most common failing cases", () => {
    const s = readJson<{ submissions: number; histogram: { from: number; count: number }[]; failing: { case: string; failures: number }[] }>(join(full, "summary.json"));
    expect(s.submissions).toBe(4);
    expect(s.histogram[9]!.count).toBe(2); // alice and bob
    expect(s.histogram[0]!.count).toBe(1); // carol
    expect(s.histogram.reduce((n, h) => n + h.count, 0)).toBe(4);
    // popf-irq fails for the starter and for dave: the most common failing case.
    expect(s.failing[0]).toEqual({ case: "public/popf-irq", failures: 2 });
    expect(s.failing.slice(1).every((f) => f.failures === 1)).toBe(true);
    const md = readFileSync(join(full, "summary.md"), "utf8");
    expect(md).toContain("4 submissions;");
    expect(md).toMatch(/## Scores\n\n```\n {2}0–10 %\s+1 █+\n/);
    expect(md).toMatch(/ 90–100%\s+2 █+\n/);
    expect(md).toMatch(/## Most common failing cases\n\n\| case \| failing submissions \|\n\| --- \| ---: \|\n\| public\/popf-irq \| 2 \|/);
  });

  it("with --resume after a result was deleted, grades only that submission and keeps the others untouched", async () => {
    const kept = ["alice", "bob", "dave"].map((n) => join(full, "results", `${n}.json`));
    const before = kept.map((p) => [statSync(p).mtimeMs, readFileSync(p, "utf8")] as const);
    const csvBefore = readFileSync(join(full, "grades.csv"), "utf8");
    rmSync(join(full, "results/carol.json"));
    const r = await vmlab(batchArgs(subs, full, "--resume"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[1\/1\] carol: 0 \/ 100$/m);
    expect(r.stdout).toMatch(/^graded 1 submission, kept 3 earlier results in /m);
    expect(kept.map((p) => [statSync(p).mtimeMs, readFileSync(p, "utf8")] as const)).toEqual(before);
    expect(existsSync(join(full, "results/carol.json"))).toBe(true);
    expect(readFileSync(join(full, "grades.csv"), "utf8")).toBe(csvBefore);
  });

  it("grades shards 1/2 and 2/2 apart, and grade-merge reproduces the same grades.csv", async () => {
    const [one, two] = [join(work, "shard1"), join(work, "shard2")];
    const [a, b] = await Promise.all([vmlab(batchArgs(subs, one, "--shard", "1/2", "--jobs", "1")), vmlab(batchArgs(subs, two, "--shard", "2/2", "--jobs", "1"))]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const names = (d: string) => readdirSync(join(d, "results")).sort();
    expect(names(one)).toEqual(["alice.json", "carol.json"]);
    expect(names(two)).toEqual(["bob.json", "dave.json"]);
    const merged = join(work, "merged");
    const m = await vmlab(["grade-merge", one, two, "--out", merged]);
    expect(m.code).toBe(0);
    expect(m.stdout).toBe(`merged 4 results from 2 shards into ${merged}\n`);
    expect(readFileSync(join(merged, "grades.csv"), "utf8")).toBe(readFileSync(join(full, "grades.csv"), "utf8"));
    expect(readJson(join(merged, "summary.json"))).toEqual(readJson(join(full, "summary.json")));
  });
});

// --- 7. GitHub Actions ----------------------------------------------------------------------------

describe("$GITHUB_STEP_SUMMARY", () => {
  it("gets the grade's Markdown summary appended after what earlier steps wrote", () => {
    const text = readFileSync(stepSummary, "utf8");
    expect(text.startsWith("## an earlier step\n\n### Trap-and-emulate — 01-trap-and-emulate: 0 / 100\n")).toBe(true);
    expect(text).toContain("| correctness | 0 / 80 |");
    expect(text).toMatch(/\| public\/hello \| ERROR \| — \| 0 \/ [\d.]+ \|/);
    // A step summary is a student's view: the hidden suite as one total before the due date.
    expect(text).toMatch(/\| hidden\/hidden suite \(26 cases\) \| FAIL \| shown later \| 0 \/ [\d.]+ \|/);
    expect(text).not.toContain("tick-count");
  });

  it("gets exactly one summary per grading: none from the gradings run without the variable", () => {
    const text = readFileSync(stepSummary, "utf8");
    expect(text.match(/^### /gm)).toHaveLength(1);
  });
});

// --- 8. lab release -------------------------------------------------------------------------------

describe("vmlab lab release", () => {
  let handout: string;
  let run: Run;

  beforeAll(async () => {
    handout = join(work, "handout");
    run = await vmlab(["lab", "release", LAB, "--out", handout]);
  }, 60_000);

  it("writes the starter, the public tests, README.html and a package.json that runs them", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const files = walk(handout);
    expect(run.stdout).toBe(`wrote ${files.length} files to ${handout}\nstudents run: npm install && npm test (public tests), npx vmlab grade . --suite public, npx vmlab check GUEST --handlers handlers.ts\n`);
    expect(readFileSync(join(handout, "handlers.ts"), "utf8")).toBe(readFileSync(join(STARTER_DIR, "handlers.ts"), "utf8"));
    expect(files).toContain("tests/public.lab.ts");
    expect(readFileSync(join(handout, "README.html"), "utf8")).toMatch(/<html[\s\S]*Trap-and-emulate[\s\S]*<\/html>/);
    const pkg = readJson<{ scripts: Record<string, string>; dependencies: Record<string, string> }>(join(handout, "package.json"));
    expect(pkg.scripts.test).toBe("vitest run");
    expect(pkg.dependencies.vmlab).toBe("file:vendor/vmlab");
    expect(files).toEqual(expect.arrayContaining(["vendor/vmlab/dist/src/index.js", "vendor/vmlab/bin/vmlab.js", "vendor/vmlab/dist/cli/main.js", "lab.yaml", ".vmlab/reference.json"]));
    // The same export map and command as the repository's package.
    const vendored = readJson<{ exports: unknown; bin: unknown }>(join(handout, "vendor/vmlab/package.json"));
    const own = readJson<{ exports: unknown; bin: unknown }>(join(root, "package.json"));
    expect([vendored.exports, vendored.bin]).toEqual([own.exports, own.bin]);
    expect(readFileSync(join(handout, "lab.yaml"), "utf8")).not.toMatch(/hidden/);
  });

  it("runs the student commands in the handout: grade on the public suite and check with the student's handlers", async () => {
    const mine = join(work, "handout-commands");
    cpSync(handout, mine, { recursive: true });
    installOffline(mine);
    const inHandoutOf = (args: string[]) => inHandout(mine, args);
    const starter = await inHandoutOf(["grade", ".", "--suite", "public"]);
    expect(starter.stderr).toBe("");
    expect(starter.code).toBe(0);
    expect(starter.stdout).toMatch(/^Trap-and-emulate \(01-trap-and-emulate\), public suite: 0 \/ 100 points$/m);
    expect(starter.stdout).toMatch(/^ {2}ERROR public\/hello +0 \/ [\d.]+ +a handler failed: Your `cli` handler threw Error: not implemented: cli at handlers\.ts:\d+:\d+/m);
    const check = await inHandoutOf(["check", "sleep", "--handlers", "handlers.ts"]);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/not implemented: cli/);
    // The student finishes the lab: the same commands now say so.
    writeFileSync(join(mine, "handlers.ts"), studentImports(reference));
    const done = await inHandoutOf(["grade", ".", "--suite", "public"]);
    expect(done.stdout).toMatch(/public suite: 100 \/ 100 points$/m);
    expect((await inHandoutOf(["check", "sleep", "--handlers", "handlers.ts"])).code).toBe(0);
  }, 180_000);

  it("has public tests that fail on the starter with the monitor's words and pass on a finished lab", async () => {
    // A copy of the handout released above, as a second student gets it (the first test showed what release writes).
    const fresh = join(work, "handout-tests");
    cpSync(handout, fresh, { recursive: true });
    installOffline(fresh);
    const starter = await vitestIn(fresh);
    expect(starter.code).not.toBe(0);
    expect(starter.stdout).toMatch(/Tests +5 failed/);
    expect(starter.stdout + starter.stderr).toMatch(/hello: handler 'cli' threw Error: not implemented: cli/);
    writeFileSync(join(fresh, "handlers.ts"), studentImports(reference));
    const done = await vitestIn(fresh);
    expect(done.stdout).toMatch(/Tests +5 passed/);
    expect(done.code).toBe(0);
  }, 180_000);

  it("carries no solution region, no hidden suite and no path under grader/labs", () => {
    const hiddenYaml = readFileSync(join(root, "grader/labs", LAB, "hidden.yaml"), "utf8");
    const hiddenCode = distinctiveLines(readFileSync(HIDDEN_GUEST, "utf8"));
    const popfBody = "const IF = vcpu.cpl <= vcpu.flags.IOPL ? (value & FLAG.IF) !== 0 : vcpu.flags.IF;";
    expect(reference).toContain(popfBody);
    const files = walk(handout);
    expect(files.filter((f) => /solution|vmm\/reference/.test(f))).toEqual([]);
    for (const f of files) {
      const text = readFileSync(join(handout, f), "utf8");
      // The vendored package's grader code names markers and grader/labs/ as code; the lab's own files never do.
      if (!f.startsWith("vendor/vmlab/")) {
        expect(text, f).not.toMatch(/^\s*\/\/\s*(BEGIN|END) SOLUTION\s*$/m);
        expect(text, f).not.toContain("grader/labs");
      }
      expect(text, f).not.toContain(popfBody);
      expect(text, f).not.toContain("tick-count");
      expect(text, f).not.toContain(hiddenYaml.trim());
      for (const line of hiddenCode) expect(text, `${f}: ${line}`).not.toContain(line);
    }
    // Line by line too: every solution line, hidden guest line and notebook answer of every lab (secrets.ts).
    const secrets = studentSecrets(root);
    const leaks = files.flatMap((f) => {
      const text = readFileSync(join(handout, f), "utf8");
      return secrets.filter((x) => text.includes(x.text)).map((x) => `${f}: ${x.what}`);
    });
    expect(leaks).toEqual([]);
  });

  it("refuses with LAB_LEAK a lab whose starter holds a solution region, and writes nothing", async () => {
    // A copy of the lab outside the repository (a lab path resolves like an id; its solution stays the real one).
    const copy = join(work, "labs", LAB);
    cpSync(STARTER_DIR, copy, { recursive: true });
    writeFileSync(join(copy, "handlers.ts"), reference);
    const dest = join(work, "leaky-handout");
    const r = await vmlab(["lab", "release", copy, "--out", dest], { cwd: work });
    expectOneCleanMessage(r, 2, /the handout of 01-trap-and-emulate would leak:\n {2}handlers\.ts carries a BEGIN\/END SOLUTION marker/);
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(work).filter((n) => n.startsWith("leaky-handout"))).toEqual([]);
    await expect(releaseLab(loadLab(copy, { cwd: work }), dest, realDeps())).rejects.toMatchObject({ code: "LAB_LEAK" });
  });

  it("refuses with LAB_LEAK a starter that holds the solution's code with its markers stripped", async () => {
    const copy = join(work, "labs-stripped", LAB);
    cpSync(STARTER_DIR, copy, { recursive: true });
    writeFileSync(join(copy, "handlers.ts"), reference.replace(/^\s*\/\/ (BEGIN|END) SOLUTION\n/gm, ""));
    const dest = join(work, "stripped-handout");
    let error: unknown;
    try {
      await releaseLab(loadLab(copy, { cwd: work }), dest, realDeps());
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "LAB_LEAK", message: expect.stringContaining("handlers.ts carries a solution region of handlers.ts") });
    expect(existsSync(dest)).toBe(false);
  });
});

// --- 9. lab new and lab validate ------------------------------------------------------------------

describe("vmlab lab new and lab validate", () => {
  it("lab new refuses an id that is not two digits, a dash and lowercase words, and creates nothing", async () => {
    const r = await vmlab(["lab", "new", "2-Bad_Lab"]);
    expectOneCleanMessage(r, 2, /lab id '2-Bad_Lab' is not two digits, a dash and lowercase words\nhint: e\.g\. vmlab lab new 02-binary-translation/);
    for (const d of ["exercises", "solutions", "grader/labs"]) expect(existsSync(join(root, d, "2-Bad_Lab"))).toBe(false);
  });

  it("lab new refuses to overwrite an existing lab and leaves its files as they were", async () => {
    const files = [join(STARTER_DIR, "lab.yaml"), join(STARTER_DIR, "handlers.ts"), join(REFERENCE_DIR, "handlers.ts")];
    const before = files.map((f) => readFileSync(f, "utf8"));
    const r = await vmlab(["lab", "new", LAB]);
    expectOneCleanMessage(r, 2, /lab 01-trap-and-emulate already exists: .*exercises\/01-trap-and-emulate/);
    expect(r.stdout).toBe("");
    expect(files.map((f) => readFileSync(f, "utf8"))).toEqual(before);
  });

  it("lab validate 01-trap-and-emulate passes every check and exits 0", async () => {
    const r = await vmlab(["lab", "validate", LAB]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.pop()).toBe("lab is ready");
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const l of lines) expect(l).toMatch(/^✓ /);
    expect(r.stdout).toMatch(/^✓ reference solution scores full marks on every suite: 100 \/ 100 over \d+ cases$/m);
    expect(r.stdout).toMatch(/^✓ starter scores 0 for correctness: 0 \/ 80$/m);
    expect(r.stdout).toMatch(/^✓ two runs give identical results/m);
  }, 120_000);
});

// --- 10. demo -------------------------------------------------------------------------------------

describe("vmlab demo (npm start)", () => {
  it("prints the score table with the reference at 100 and the starter at 0, and writes the reports to out/demo/", async () => {
    const started = Date.now() - 1000;
    const r = await vmlab(["demo"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^submission\s+score\s+correctness\s+overhead\s+passed$/m);
    expect(r.stdout).toMatch(/^01-trap-and-emulate reference\s+100 \/ 100\s+80 \/ 80\s+20 \/ 20\s+(\d+)\/\1$/m);
    expect(r.stdout).toMatch(/^01-trap-and-emulate starter\s+0 \/ 100\s+0 \/ 80\s+0 \/ 20\s+0\/\d+$/m);
    const demo = join(root, "out/demo", LAB);
    expect(r.stdout).toContain(`reports (for instructors): ${join(root, "out/demo")}/<lab>/<reference|starter>/ — ${REPORT_FILES.join(", ")}`);
    for (const who of ["reference", "starter"]) {
      for (const f of REPORT_FILES) expect(statSync(join(demo, who, f)).mtimeMs, `${who}/${f}`).toBeGreaterThanOrEqual(started);
    }
    expect(resultIn(join(demo, "reference")).score).toBe(100);
    expect(resultIn(join(demo, "starter")).breakdown.correctness.score).toBe(0);
    // The demo's reports are for instructors: hidden cases are explained in full.
    expect(readFileSync(join(demo, "starter", "feedback.md"), "utf8")).toContain("grader/labs/01-trap-and-emulate/hidden/tick-count.s");
  }, 120_000);

  it("writes the reports to an absolute --out folder when given one", async () => {
    const dest = join(work, "demo-abs");
    const r = await vmlab(["demo", "--out", dest]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`reports (for instructors): ${dest}/`);
    expect(existsSync(join(dest, LAB, "reference", "result.json"))).toBe(true);
  }, 120_000);
});

// --- 11. the installed binary ---------------------------------------------------------------------

describe("node bin/vmlab.js", () => {
  it("exits 0 for an ungradable submission, 1 when it falls under --min-score, and 2 for a missing one", async () => {
    const rel = relative(root, brokenDir);
    const [graded0, gated, missing] = await Promise.all([
      spawnVmlab(["grade", rel, "--lab", LAB, "--suite", "public"]),
      spawnVmlab(["grade", rel, "--lab", LAB, "--suite", "public", "--min-score", "1"]),
      spawnVmlab(["grade", join(work, "nobody"), "--lab", LAB]),
    ]);
    expect(graded0.code).toBe(0);
    expect(graded0.stdout).toMatch(/public suite: 0 \/ 100 points\n[\s\S]*the submission could not be run:\n {2}handlers\.ts:\d+:\d+: Type 'string' is not assignable/);
    expect(gated.code).toBe(1);
    expect(gated.stdout).toBe(graded0.stdout);
    expectOneCleanMessage(missing, 2, /^error: no submission at .*nobody$/m);
    expect(missing.stdout).toBe("");
  }, 60_000);
});
