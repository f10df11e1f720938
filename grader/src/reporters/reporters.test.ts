// Reporters: every format renders the same result; Gradescope's and our JSON follow their schemas; untrusted text stays text.
import { describe, expect, it } from "vitest";
import { packageRoot } from "../paths.js";
import { RESULT_FORMAT, type CaseResult, type GradeResult } from "../result.js";
import { schemaProblems } from "../validate-report.js";
import { toGradescope } from "./gradescope.js";
import { render, viewFor } from "./index.js";
import { renderSummaryMarkdown } from "./markdown.js";

const base: CaseResult = {
  id: "public/cli-sti", suite: "public", group: "public/cli-sti", name: "cli-sti", visibility: "visible", describe: "CLI and STI around a timer tick",
  origin: { kind: "file", file: "exercises/01/guests/cli-sti.s" }, status: "passed", outcome: "ok", message: "equivalent to the native run", divergence: null,
  cost: 2100, baseline_cost: 1000, reference_cost: 2000, overhead: 2.1, relative: 1.05, counters: { exits: 4 }, limit_seconds: 1, score: 50, max_score: 50,
  breakdown: { correctness: 40, max_correctness: 40, overhead: 10, max_overhead: 10 },
};
const result: GradeResult = {
  format: RESULT_FORMAT, lab: {
    id: "01-trap-and-emulate", title: "Trap-and-emulate", harness: "trap", words: { unit: "cycles", baseline: "native", passed: "equivalent to the native run", failed: "diverged from the native run" }, hash: "a".repeat(64), due: "2027-03-01T23:59:00.000Z",
    hidden_feedback: { before: "per-case", after: "per-case", from: "2027-03-01T23:59:00.000Z" },
  },
  submission: { name: "alice", kind: "folder", files: { "handlers.ts": "b".repeat(64) } }, suite: "all", status: "graded", score: 50, max_score: 100,
  breakdown: { correctness: { score: 40, max: 80 }, overhead: { score: 10, max: 20 } }, late: null, feedback: [],
  cases: [
    base,
    {
      ...base, id: "hidden/popf", suite: "hidden", group: "hidden/popf", name: "popf", visibility: "hidden", status: "failed", describe: "POPF <script>alert(1)</script>",
      message: "diverged from the native run: console differs", divergence: { message: "console: native '<b>x</b>', virtualized ''", pc: 0x1040, disassembly: "popf", instruction: 12 },
      score: 0, breakdown: { correctness: 0, max_correctness: 40, overhead: 0, max_overhead: 10 },
    },
  ],
  timings: { total_ms: 1234.5, passes: { compile: 20 } },
};

describe("reporters", () => {
  const instructor = (name: string) => render(name, result, "instructor");
  const student = (name: string) => render(name, result, "student", { asOf: "2027-02-01T00:00:00Z" });

  it("write Gradescope's results.json with its exact field names and visibility per test", () => {
    const gs = toGradescope(result, viewFor(result, "student"));
    expect(schemaProblems("gradescope", gs, packageRoot())).toEqual([]);
    expect(Object.keys(gs)).toEqual(["score", "execution_time", "output", "output_format", "test_output_format", "visibility", "stdout_visibility", "tests"]);
    expect(gs.execution_time).toBe(1.235);
    expect(gs.tests.map((t) => [t.name, t.score, t.max_score, t.status, t.visibility])).toEqual([
      ["public: cli-sti", 50, 50, "passed", "visible"],
      ["hidden: popf", 0, 50, "failed", "hidden"],
    ]);
    expect(gs.tests[0]!.output).toMatch(/overhead: 2,100 cycles/);
    // The hint names the kind of divergence in fixed words; nothing of the guest's console text, message or instruction.
    expect(gs.tests[1]!.output).not.toMatch(/console differs|console:|<b>|x<\/b>|POPF|popf|0x00001040/);
  });

  it("write our own JSON that follows result.schema.json, for both audiences", () => {
    expect(schemaProblems("result", JSON.parse(instructor("json")), packageRoot())).toEqual([]);
    expect(schemaProblems("result", JSON.parse(student("json")), packageRoot())).toEqual([]);
  });

  it("write JUnit XML with a failure per diverged case and escaped text", () => {
    const xml = instructor("junit");
    expect(xml).toContain(`<testsuites name="01-trap-and-emulate" tests="2" failures="1" errors="0"`);
    expect(xml).toContain(`<testcase classname="01-trap-and-emulate.hidden" name="popf">`);
    expect(xml).toContain(`<failure message="diverged from the native run: console differs" type="ok">`);
    expect(xml).not.toContain("<script>");
    expect(student("junit")).not.toMatch(/console differs|<b>/);
  });

  it("write Markdown feedback that says what ran, the first divergence and the overhead, and hides hidden cases from students", () => {
    const teacher = instructor("md");
    expect(teacher).toContain("**What was run:** CLI and STI around a timer tick — exercises/01/guests/cli\\_sti.s".replace("cli\\_sti", "cli-sti"));
    expect(teacher).toContain("**First divergence at guest instruction 12, pc 0x00001040 (`popf`):** console: native");
    expect(teacher).toContain("1.05× the reference solution (2,000 cycles)");
    expect(teacher).not.toContain("<script>");
    const md = student("md");
    expect(md).toContain("Diverged from the native run: this case exercises a hand-written guest; the guest's console output differs; its details are shown only to instructors.");
    expect(md).not.toContain("POPF");
    for (const detail of ["console differs", "console:", "<b>", "0x00001040", "instruction 12"]) expect(md).not.toContain(detail);
  });

  it("write HTML feedback from the Markdown, with no live markup from untrusted text", () => {
    const html = instructor("html");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<table>");
    expect(html).not.toMatch(/<script>|<b>x<\/b>/);
  });

  it("keep the step summary short: the score table and one row per case, in words rather than emoji", () => {
    const s = renderSummaryMarkdown(viewFor(result, "student"));
    expect(s.split("\n")[0]).toBe("### Trap-and-emulate — alice: 50 / 100");
    expect(s).toContain("| public/cli-sti | PASS | 1.05× | 50 / 50 |");
    expect(s).toContain("| hidden/popf | FAIL | shown later | 0 / 50 |");
    expect(s).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  it("print per-case points that add up to the total they print", () => {
    const share = (i: number): CaseResult => ({ ...base, id: `public/c${i}`, name: `c${i}`, score: 100 / 31, max_score: 100 / 31 });
    const many: GradeResult = { ...result, score: 100, cases: Array.from({ length: 31 }, (_, i) => share(i)) };
    const rows = renderSummaryMarkdown(many).split("\n").filter((l) => l.startsWith("| public/c"));
    const sum = rows.reduce((s, l) => s + Number(/\| ([\d.]+) \/ [\d.]+ \|$/.exec(l)![1]), 0);
    expect(Math.round(sum * 100) / 100).toBe(100);
    const gs = toGradescope(many, many);
    expect(Math.round(gs.tests.reduce((s, t) => s + t.max_score, 0) * 100) / 100).toBe(100);
  });
});

describe("Gradescope output of cases that are not visible", () => {
  it("withholds the error message a submission wrote, which could smuggle out a hidden guest's bytes", () => {
    const hiddenError = { ...result.cases[1]!, status: "error" as const, message: "Your `cli` handler threw Error: 0x12345678 0x9abcdef0" };
    const visibleError = { ...result.cases[0]!, status: "error" as const, message: "Your `cli` handler threw Error: not implemented" };
    const both = { ...result, cases: [visibleError, hiddenError] };
    const gs = toGradescope(both, viewFor(both, "student"));
    expect(gs.tests[0]!.output).toContain("not implemented");
    expect(gs.tests[1]!.output).not.toContain("0x12345678");
  });

  it("withholds a failed case's divergence too: guest console text and register values are the guest's", () => {
    const gs = JSON.stringify(toGradescope(result, viewFor(result, "student")));
    expect(gs).not.toContain("<b>x</b>");
    expect(gs).not.toContain("0x00001040");
  });
});
