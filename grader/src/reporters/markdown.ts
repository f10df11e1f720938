// Markdown feedback: the score, compile problems, a table of cases, and per failing case what was run, the first divergence and the overhead.
import type { CaseResult, GradeResult } from "../result.js";
import { feedbackLine, overheadLine, pts, ratio, whatWasRun } from "./text.js";

/** Who reads the report: a student sees no details of hidden cases; an instructor sees everything. */
export type Audience = "student" | "instructor";

/** Escape text so it stays text in Markdown and in the HTML marked makes of it (student code and guest output are untrusted). */
export function md(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/([\\`*_[\]#])/g, "\\$1").replace(/\r?\n/g, " ");
}

function redacted(c: CaseResult, audience: Audience): boolean {
  return audience === "student" && c.visibility !== "visible";
}

const ICON: Record<CaseResult["status"], string> = { passed: "✅", failed: "❌", error: "💥" };

/** The score table and the per-case table: short enough for $GITHUB_STEP_SUMMARY. */
export function renderSummaryMarkdown(r: GradeResult, audience: Audience = "student"): string {
  const out = [
    `### ${md(r.lab.title)} — ${md(r.submission.name)}: ${pts(r.score)} / ${pts(r.max_score)}`,
    "",
    `| part | points |`,
    `| --- | ---: |`,
    `| correctness | ${pts(r.breakdown.correctness.score)} / ${pts(r.breakdown.correctness.max)} |`,
    `| overhead | ${pts(r.breakdown.overhead.score)} / ${pts(r.breakdown.overhead.max)} |`,
  ];
  if (r.late && r.late.days_late > 0) out.push(`| late (${r.late.days_late} d) | −${pts(r.late.penalty)} |`);
  out.push("", `| case | result | vs reference | points |`, `| --- | --- | ---: | ---: |`);
  for (const c of r.cases) {
    const hide = redacted(c, audience);
    out.push(`| ${md(c.suite)}/${md(c.name)} | ${ICON[c.status]} ${c.status} | ${hide ? "hidden" : ratio(c.relative)} | ${pts(c.score)} / ${pts(c.max_score)} |`);
  }
  return out.join("\n") + "\n";
}

/** Full feedback for a student or an instructor. */
export function renderMarkdown(r: GradeResult, audience: Audience = "student"): string {
  const out = [`# ${md(r.lab.title)}: feedback for ${md(r.submission.name)}`, ""];
  const passed = r.cases.filter((c) => c.status === "passed").length;
  out.push(`**${pts(r.score)} / ${pts(r.max_score)} points** — ${passed} of ${r.cases.length} cases equivalent to the native run (${md(r.suite)} suite${r.suite === "all" ? "s" : ""}).`, "");
  if (r.feedback.length) {
    out.push(r.status === "ungradable" ? "## Your submission could not be run" : "## Problems", "");
    for (const f of r.feedback) out.push(`- \`${feedbackLine(f).replace(/`/g, "'")}\``);
    out.push("");
  }
  out.push("## Summary", "", renderSummaryMarkdown(r, audience).split("\n").slice(2).join("\n"));
  const detail = r.cases.filter((c) => c.status !== "passed" || audience === "instructor");
  if (detail.length) {
    out.push("## Cases", "");
    for (const c of detail) {
      out.push(`### ${ICON[c.status]} ${md(c.suite)}/${md(c.name)} — ${pts(c.score)} / ${pts(c.max_score)}`, "");
      if (redacted(c, audience)) {
        const when = c.visibility === "hidden" ? "only to instructors" : c.visibility === "after_published" ? "once grades are published" : "after the due date";
        out.push(`${c.status === "passed" ? "Passed" : "Did not pass"}; the details of this case are shown ${when}.`, "");
        continue;
      }
      out.push(`- **What was run:** ${md(whatWasRun(c))}`);
      out.push(`- **Result:** ${md(c.message)}`);
      if (c.divergence) {
        const at = c.divergence.pc === null ? "" : ` at pc 0x${(c.divergence.pc >>> 0).toString(16).padStart(8, "0")}${c.divergence.disassembly ? ` (\`${c.divergence.disassembly.replace(/`/g, "'")}\`)` : ""}`;
        out.push(`- **First divergence${at}:** ${md(c.divergence.message)}`);
      }
      out.push(`- **Overhead:** ${md(overheadLine(c))}`, "");
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}
