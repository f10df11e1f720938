// Reporters by name: each turns a GradeResult into the text of one file. Add a reporter by adding a line.
//
// Every reporter receives the result and the view of it for the report's audience (`viewFor`): an
// instructor's view is the result itself, a student's is disclosure.ts's student view. Reporters render
// the view; only Gradescope's also reads the full result, for the score of record.
import { studentView, type DisclosureMoment } from "../disclosure.js";
import type { GradeResult } from "../result.js";
import { renderGradescope } from "./gradescope.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown, type Audience } from "./markdown.js";

export interface Reporter {
  readonly name: string;
  /** File name the CLI writes under --out. */
  readonly file: string;
  readonly describe: string;
  /** `view` is `viewFor(result, audience, moment)`. */
  render(result: GradeResult, view: GradeResult): string;
}

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  json: { name: "json", file: "result.json", describe: "vmlab's own result (grader/schema/result.schema.json)", render: (_r, v) => renderJson(v) },
  gradescope: { name: "gradescope", file: "results.json", describe: "Gradescope autograder results.json", render: (r, v) => renderGradescope(r, v) },
  junit: { name: "junit", file: "junit.xml", describe: "JUnit XML for CI test reports", render: (_r, v) => renderJunit(v) },
  md: { name: "md", file: "feedback.md", describe: "Markdown feedback", render: (_r, v) => renderMarkdown(v) },
  html: { name: "html", file: "feedback.html", describe: "HTML feedback", render: (_r, v) => renderHtml(v) },
};
export const REPORTER_NAMES = Object.keys(REPORTERS);

/** What an audience may read of a result at a moment: the result for instructors, the student view for students. */
export function viewFor(result: GradeResult, audience: Audience, moment: DisclosureMoment = {}): GradeResult {
  return audience === "instructor" ? result : studentView(result, moment);
}

/** One report's text for an audience. */
export function render(name: string, result: GradeResult, audience: Audience, moment: DisclosureMoment = {}): string {
  return REPORTERS[name]!.render(result, viewFor(result, audience, moment));
}

export { renderSummaryMarkdown } from "./markdown.js";
export type { Audience } from "./markdown.js";
