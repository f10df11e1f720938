// HTML feedback: the Markdown feedback rendered with marked into one standalone page.
import { Marked } from "marked";
import type { GradeResult } from "../result.js";
import { md, renderMarkdown } from "./markdown.js";

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .6rem}th{background:#f4f4f4}
code{background:#f4f4f4;padding:0 .2rem;border-radius:3px}h3{margin-top:1.6rem}`;

/** Render Markdown to HTML (raw HTML in the input is already escaped by md()). */
export function markdownToHtml(markdown: string): string {
  return new Marked({ gfm: true, async: false }).parse(markdown) as string;
}

/** A complete HTML document. */
export function htmlPage(title: string, bodyMarkdown: string): string {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${md(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${markdownToHtml(bodyMarkdown)}</body>\n</html>\n`;
}

export function renderHtml(r: GradeResult): string {
  return htmlPage(`${r.lab.title} — ${r.submission.name}`, renderMarkdown(r));
}
