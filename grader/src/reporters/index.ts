// Reporters by name: each turns a GradeResult into the text of one file. Add a reporter by adding a line.
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
  render(result: GradeResult, options: { audience: Audience }): string;
}

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  json: { name: "json", file: "result.json", describe: "vmlab's own result (grader/schema/result.schema.json)", render: (r) => renderJson(r) },
  gradescope: { name: "gradescope", file: "results.json", describe: "Gradescope autograder results.json", render: (r) => renderGradescope(r) },
  junit: { name: "junit", file: "junit.xml", describe: "JUnit XML for CI test reports", render: (r) => renderJunit(r) },
  md: { name: "md", file: "feedback.md", describe: "Markdown feedback", render: (r, o) => renderMarkdown(r, o.audience) },
  html: { name: "html", file: "feedback.html", describe: "HTML feedback", render: (r, o) => renderHtml(r, o.audience) },
};

export const REPORTER_NAMES = Object.keys(REPORTERS);
export { renderSummaryMarkdown } from "./markdown.js";
export type { Audience } from "./markdown.js";
