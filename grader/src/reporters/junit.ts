// JUnit XML: one <testsuite> per lab suite, one <testcase> per case; failures carry the first divergence, errors the crash.
import type { GradeResult } from "../result.js";
import { caseText, feedbackLine } from "./text.js";

/** Escape text for XML attributes and content; drops characters XML 1.0 cannot carry. */
export function xml(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

export function renderJunit(r: GradeResult): string {
  const suites = [...new Set(r.cases.map((c) => c.suite))];
  const failures = r.cases.filter((c) => c.status === "failed").length;
  const errors = r.cases.filter((c) => c.status === "error").length;
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xml(r.lab.id)}" tests="${r.cases.length}" failures="${failures}" errors="${errors}" time="${(r.timings.total_ms / 1000).toFixed(3)}">`,
  ];
  for (const s of suites) {
    const cs = r.cases.filter((c) => c.suite === s);
    out.push(
      `  <testsuite name="${xml(`${r.lab.id}.${s}`)}" tests="${cs.length}" failures="${cs.filter((c) => c.status === "failed").length}" errors="${cs.filter((c) => c.status === "error").length}" skipped="0">`,
    );
    if (r.feedback.length) out.push(`    <system-err>${xml(r.feedback.map(feedbackLine).join("\n"))}</system-err>`);
    for (const c of cs) {
      const open = `    <testcase classname="${xml(`${r.lab.id}.${s}`)}" name="${xml(c.name)}">`;
      if (c.status === "passed") {
        out.push(open, `      <system-out>${xml(caseText(c, r.lab.words))}</system-out>`, `    </testcase>`);
      } else {
        const tag = c.status === "failed" ? "failure" : "error";
        out.push(open, `      <${tag} message="${xml(c.message)}" type="${xml(c.outcome)}">${xml(caseText(c, r.lab.words))}</${tag}>`, `    </testcase>`);
      }
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join("\n") + "\n";
}
