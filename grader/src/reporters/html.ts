// HTML feedback: the Markdown feedback rendered with marked into one standalone page.
//
// marked is loaded when a page is first rendered, not with this module: every command that can report
// (vmlab grade, grade-batch, test, ...) imports the reporters, and loading marked (its module and its
// grammar's regular expressions) cost such a process 10-20 ms for HTML it rarely writes. It is an ES
// module, required synchronously (Node 20.19 and later load ES modules through require).
import { createRequire } from "node:module";
import type { GradeResult } from "../result.js";
import { md, renderMarkdown } from "./markdown.js";

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .6rem}th{background:#f4f4f4}
code{background:#f4f4f4;padding:0 .2rem;border-radius:3px}h3{margin-top:1.6rem}`;

let marked: typeof import("marked") | undefined;

/** Render Markdown to HTML (raw HTML in the input is already escaped by md()). */
export function markdownToHtml(markdown: string): string {
  marked ??= createRequire(import.meta.url)("marked") as typeof import("marked");
  return new marked.Marked({ gfm: true, async: false }).parse(markdown) as string;
}

/** A complete HTML document. */
export function htmlPage(title: string, bodyMarkdown: string): string {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${md(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${markdownToHtml(bodyMarkdown)}</body>\n</html>\n`;
}

export function renderHtml(r: GradeResult): string {
  return htmlPage(`${r.lab.title} — ${r.submission.name}`, renderMarkdown(r));
}
