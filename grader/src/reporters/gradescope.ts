// Gradescope's autograder results.json: score, execution_time, output, tests[] with name, score, max_score, status, output, visibility.
//
// results.json is what Gradescope shows students, so it is rendered from the student view (disclosure.ts):
// cases the view lists become tests (a suite shown as a total is one test); when the view withholds the
// non-visible cases altogether, the top-level visibility hides the score — which counts every case — until
// the due date, and the visible tests say "visible" themselves.
import type { GradeResult } from "../result.js";
import { apportion } from "./apportion.js";
import { caseText, summaryText } from "./text.js";

type GradescopeVisibility = "visible" | "hidden" | "after_due_date" | "after_published";

/** Gradescope's results.json, field names exactly as Gradescope documents them. */
export interface GradescopeResults {
  score: number;
  /** Seconds; the one timing field. */
  execution_time: number;
  output: string;
  /** How Gradescope renders `output` and each test's output: vmlab's text is plain lines. */
  output_format: "text";
  test_output_format: "text";
  visibility: GradescopeVisibility;
  stdout_visibility: GradescopeVisibility;
  tests: {
    name: string;
    number: string;
    score: number;
    max_score: number;
    status: "passed" | "failed";
    output: string;
    tags: string[];
    visibility: GradescopeVisibility;
  }[];
}

/** `full` is the result itself (its score is the grade); `view` what the student may read of it. */
export function toGradescope(full: GradeResult, view: GradeResult): GradescopeResults {
  const scores = apportion(view.cases.map((c) => c.score));
  const maxes = apportion(view.cases.map((c) => c.max_score));
  return {
    score: full.score,
    execution_time: Math.round(full.timings.total_ms) / 1000,
    output: summaryText(view),
    output_format: "text",
    test_output_format: "text",
    visibility: view.view?.withheld ? "after_due_date" : "visible",
    stdout_visibility: "hidden",
    tests: view.cases.map((c, i) => ({
      name: `${c.suite}: ${c.name}`,
      number: String(i + 1),
      score: scores[i]!,
      max_score: maxes[i]!,
      status: c.status === "passed" ? "passed" : "failed",
      output: caseText(c, view.lab.words),
      tags: [c.suite, c.group],
      visibility: c.visibility,
    })),
  };
}

export function renderGradescope(full: GradeResult, view: GradeResult): string {
  return JSON.stringify(toGradescope(full, view), null, 2) + "\n";
}
