// Hints for hidden cases: what a failing case exercises (its category and features) and the kind of divergence, in words that hold nothing of the guest's code or data.
//
// nbgrader and Otter users have long asked for this: a student told only "hidden case 7 failed" cannot
// learn from it, and one shown the hidden guest can overfit to it. A hint names what the instructor
// declared the case exercises (lab.yaml category and features; a generated set's mix) and what went
// wrong in fixed vocabulary (trap-divergence.ts for the trap harness; the sandbox outcome otherwise).
import type { CaseHint, CaseResult, GradeResult } from "../result.js";
import { trapDivergenceKind } from "./trap-divergence.js";

/** The generator's features (src/analysis/generator.ts FEATURES) in words. */
const FEATURE_WORDS: Readonly<Record<string, string>> = {
  cli: "CLI", sti: "STI", popf: "POPF", pushf: "PUSHF", iret: "IRET", in: "port input (IN)", out: "port output (OUT)", timer: "timer interrupts",
  paging: "paging", syscall: "system calls", user: "user mode (CPL 3)", cr8: "CR8 (task priority)", lidt: "LIDT",
};

/** Each harness's reading of its checker's divergence messages. */
const DIVERGENCE_KINDS: Readonly<Record<string, (message: string) => string>> = { trap: trapDivergenceKind };

/** What a hint needs of the lab: its harness (whose divergence messages are read) and how its cases are spoken of. */
export type HintLab = Pick<GradeResult["lab"], "harness" | "words">;

/** What went wrong, for an outcome other than a compared run. */
function outcomeWords(c: CaseResult, words: HintLab["words"]): string {
  const handler = /Your `([A-Za-z_$][\w$]{0,40})` handler/.exec(c.message)?.[1];
  switch (c.outcome) {
    case "timeout": return handler ? `it ran out of time in your \`${handler}\` handler` : "it ran out of time";
    case "handler-error": return handler ? `your \`${handler}\` handler threw an exception` : "a handler threw an exception";
    case "memory": return "it ran out of memory";
    case "output": return "it printed more output than allowed";
    case "crashed": return "it crashed the sandbox";
    case "load-error": return "the submission could not be loaded";
    case "missing-export": return "the handlers export is missing";
    case "integrity": return "its numbers could not be trusted";
    case "not-run": return "it was not run";
    case "ok": return `it ${words.failed}`;
  }
}

/** The hint for a case, from the full result line (before redaction); the harness reads its own divergence messages. */
export function caseHint(c: CaseResult, lab: HintLab): CaseHint {
  const generated = c.origin.kind === "generated" ? c.origin : undefined;
  const category = c.category ?? (generated ? "random guests of the lab's generator" : "a hand-written guest");
  const features = c.features ? [...c.features] : (generated?.mix ?? []).map((f) => FEATURE_WORDS[f] ?? f);
  let divergence: string;
  if (c.status === "passed") divergence = `none: ${lab.words.passed}`;
  else if (c.status === "failed" && c.divergence) divergence = (DIVERGENCE_KINDS[lab.harness] ?? (() => `it ${lab.words.failed}`))(c.divergence.message);
  else divergence = outcomeWords(c, lab.words);
  return { category, features, divergence };
}

/** The hint as one sentence for reports. */
export function hintSentence(h: CaseHint): string {
  return `this case exercises ${h.category}${h.features.length ? ` (${h.features.join(", ")})` : ""}; ${h.divergence}`;
}
