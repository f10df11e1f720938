// Gradescope's autograder results.json: score, execution_time, output, tests[] with name, score, max_score, status, output, visibility.
import type { GradeResult } from "../result.js";
import { caseText, summaryText } from "./text.js";

/** Gradescope's results.json, field names exactly as Gradescope documents them. */
export interface GradescopeResults {
  score: number;
  /** Seconds; the one timing field. */
  execution_time: number;
  output: string;
  visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  stdout_visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  tests: {
    name: string;
    number: string;
    score: number;
    max_score: number;
    status: "passed" | "failed";
    output: string;
    tags: string[];
    visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  }[];
}

export function toGradescope(r: GradeResult): GradescopeResults {
  return {
    score: r.score,
    execution_time: Math.round(r.timings.total_ms) / 1000,
    output: summaryText(r),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: r.cases.map((c, i) => ({
      name: `${c.suite}: ${c.name}`,
      number: String(i + 1),
      score: c.score,
      max_score: c.max_score,
      status: c.status === "passed" ? "passed" : "failed",
      output: caseText(c, { withheldErrors: c.visibility !== "visible" }),
      tags: [c.suite, c.group],
      visibility: c.visibility,
    })),
  };
}

export function renderGradescope(r: GradeResult): string {
  return JSON.stringify(toGradescope(r), null, 2) + "\n";
}
