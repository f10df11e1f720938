// Markdown feedback: the score, compile problems, a table of cases, and per failing case what was run, the first divergence and the overhead.
//
// It renders the result it is given: for a student that is already the student view (disclosure.ts), so
// nothing here decides what a student may see.
import { divergencePlace, type CaseResult, type GradeResult } from "../result.js";
import { apportion } from "./apportion.js";
import { feedbackLine, lateText, metricLines, overheadLine, plural, pts, ratio, VERDICT, whatWasRun, withheldText } from "./text.js";

/** Who reads the report: a student gets the student view of the result; an instructor the result itself. */
export type Audience = "student" | "instructor";

/** Escape text so it stays text in Markdown and in the HTML marked makes of it (student code and guest output are untrusted). */
export function md(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/([\\`*_[\]#])/g, "\\$1").replace(/\r?\n/g, " ");
}

/** Per-case points as printed: apportioned so the column adds up to the printed total. */
function shownPoints(cases: readonly CaseResult[]): { score: number[]; max: number[] } {
  return { score: apportion(cases.map((c) => c.score)), max: apportion(cases.map((c) => c.max_score)) };
}

/** The score table and the per-case table: short enough for $GITHUB_STEP_SUMMARY. */
export function renderSummaryMarkdown(r: GradeResult): string {
  const shown = r.view?.withheld ? " (cases shown)" : "";
  const out = [
    `### ${md(r.lab.title)} — ${md(r.submission.name)}: ${pts(r.score)} / ${pts(r.max_score)}${shown}`,
    "",
    `| part | points |`,
    `| --- | ---: |`,
    `| correctness | ${pts(r.breakdown.correctness.score)} / ${pts(r.breakdown.correctness.max)} |`,
    `| overhead | ${pts(r.breakdown.overhead.score)} / ${pts(r.breakdown.overhead.max)} |`,
  ];
  if (r.late && r.late.days_late > 0) {
    if (r.late.raw_score !== undefined) out.splice(4, 0, `| raw score | ${pts(r.late.raw_score)} / ${pts(r.max_score)} |`);
    out.push(`| late (${plural(r.late.days_late, "day")}${r.late.grace_days_used ? `, ${plural(r.late.grace_days_used, "grace day")} used` : ""}) | −${pts(r.late.penalty)} |`);
  }
  out.push("", `| case | result | vs reference | points |`, `| --- | --- | ---: | ---: |`);
  const p = shownPoints(r.cases);
  r.cases.forEach((c, i) => {
    out.push(`| ${md(c.suite)}/${md(c.name)} | ${VERDICT[c.status]} | ${c.redacted ? "shown later" : ratio(c.relative)} | ${pts(p.score[i]!)} / ${pts(p.max[i]!)} |`);
  });
  const withheld = withheldText(r);
  if (withheld) out.push("", `${withheld[0]!.toUpperCase()}${withheld.slice(1)}.`);
  return out.join("\n") + "\n";
}

/** Full feedback. */
export function renderMarkdown(r: GradeResult): string {
  const out = [`# ${md(r.lab.title)}: feedback for ${md(r.submission.name)}`, ""];
  const passed = r.cases.filter((c) => c.status === "passed").length;
  const unit = r.cases.some((c) => c.id.endsWith("/*")) ? "result" : "case";
  out.push(`**${pts(r.score)} / ${pts(r.max_score)} points**${r.view?.withheld ? " on the cases shown" : ""} — ${passed} of ${plural(r.cases.length, unit)} ${md(r.lab.words.passed)} (${md(r.suite)} suite${r.suite === "all" ? "s" : ""}).`, "");
  const late = lateText(r);
  if (late) out.push(`${md(late[0]!.toUpperCase() + late.slice(1))}.`, "");
  if (r.feedback.length) {
    out.push(r.status === "ungradable" ? "## Your submission could not be run" : r.status === "grader-error" ? "## The grader could not grade this submission" : "## Problems", "");
    for (const f of r.feedback) out.push(`- \`${feedbackLine(f).replace(/`/g, "'")}\``);
    out.push("");
  }
  out.push("## Summary", "", renderSummaryMarkdown(r).split("\n").slice(2).join("\n"));
  const detail = r.cases.filter((c) => c.status !== "passed" || !r.view);
  if (detail.length) {
    out.push("## Cases", "");
    const p = shownPoints(r.cases);
    for (const c of detail) {
      const i = r.cases.indexOf(c);
      out.push(`### ${VERDICT[c.status]} ${md(c.suite)}/${md(c.name)} — ${pts(p.score[i]!)} / ${pts(p.max[i]!)}`, "");
      if (c.redacted) {
        out.push(`${md(c.message[0]!.toUpperCase() + c.message.slice(1))}; ${whenShown(c, r)}.`, "");
        continue;
      }
      out.push(`- **What was run:** ${md(whatWasRun(c))}`);
      if (c.divergence) {
        const place = divergencePlace({ ...c.divergence, disassembly: null });
        const code = c.divergence.disassembly ? ` (\`${c.divergence.disassembly.replace(/`/g, "'")}\`)` : "";
        out.push(`- **First divergence${place ? ` ${md(place)}` : ""}${code}:** ${md(c.divergence.message)}`);
      } else out.push(`- **Result:** ${md(c.message)}`);
      out.push(`- **Overhead:** ${md(overheadLine(c, r.lab.words))}`);
      for (const m of metricLines(c)) out.push(`- **Metric:** ${md(m)}`);
      out.push("");
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

/** When a redacted case's details appear. */
function whenShown(c: CaseResult, r: GradeResult): string {
  switch (c.visibility) {
    case "after_due_date":
      return `its details are shown after the due date${r.lab.due ? ` (${r.lab.due})` : ""}`;
    case "after_published":
      return "its details are shown once grades are published";
    default:
      return "its details are shown only to instructors";
  }
}
