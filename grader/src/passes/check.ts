// Pass 5, check: turn sandbox results into case verdicts, re-verifying what the parent can recompute from trusted code (the baseline).
import type { GradeCase } from "../cases.js";
import type { SandboxCaseResult } from "../contract.js";
import type { CaseWords } from "../harnesses/harness.js";
import { TRAP_WORDS } from "../harnesses/trap-cases.js";
import { divergencePlace, type CaseDivergence, type CaseOutcome } from "../result.js";

/** A case after checking: verdict, words, cost. Scores come later. */
export interface CheckedCase {
  readonly id: string;
  readonly status: "passed" | "failed" | "error";
  readonly outcome: CaseOutcome;
  readonly message: string;
  readonly divergence: CaseDivergence | null;
  /** The submission's cost in the harness's unit (trap: cycles). */
  readonly cost: number | null;
  /** The trusted baseline's cost (trap: native cycles). */
  readonly baseline: number | null;
  readonly counters: Readonly<Record<string, unknown>>;
  readonly metrics?: Readonly<Record<string, number>>;
}

/** What each non-ok sandbox status means for a student. */
const OUTCOME_WORDS: Record<Exclude<SandboxCaseResult["status"], "ok">, string> = {
  timeout: "ran out of time",
  crashed: "crashed the sandbox",
  memory: "ran out of memory",
  output: "printed more output than allowed",
  "load-error": "could not be loaded",
  "handler-error": "a handler failed",
  "missing-export": "the handlers export is missing",
};


/**
 * Check each case. `trusted` holds the baselines the grader computed itself; when the sandbox reports a
 * different baseline, the case is an integrity error (the numbers came from a tampered or broken run)
 * and scores nothing.
 */
export function checkPass(results: readonly SandboxCaseResult[], cases: readonly GradeCase[], trusted: ReadonlyMap<string, number | null>, verdicts: CaseWords = TRAP_WORDS): CheckedCase[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return cases.map((c): CheckedCase => {
    const baseline = trusted.get(c.id) ?? null;
    const unscored = (status: CheckedCase["status"], outcome: CaseOutcome, message: string): CheckedCase => ({ id: c.id, status, outcome, message, divergence: null, cost: null, baseline, counters: {} });
    const r = byId.get(c.id);
    if (!r) return unscored("error", "not-run", "not run");
    if (r.status !== "ok") return unscored("error", r.status, `${OUTCOME_WORDS[r.status]}: ${r.message}`);
    if (!Number.isFinite(r.cost) || r.cost < 0) return unscored("error", "integrity", `the sandbox reported an impossible cost (${String(r.cost)} ${verdicts.unit})`);
    if (baseline !== null && r.baseline !== undefined && r.baseline !== baseline) {
      return unscored("error", "integrity", `the baseline run in the sandbox took ${r.baseline} ${verdicts.unit} but the grader's own took ${baseline}; this result cannot be trusted`);
    }
    const scored = { cost: r.cost, baseline: baseline ?? r.baseline ?? null, counters: r.counters, ...(r.metrics ? { metrics: r.metrics } : {}) };
    if (!r.equivalent) {
      const d = r.divergence;
      const divergence: CaseDivergence = d
        ? { message: d.message, pc: d.pc ?? null, disassembly: d.disassembly ?? null, instruction: d.instruction ?? null }
        : { message: verdicts.failed, pc: null, disassembly: null, instruction: null };
      const place = divergencePlace(divergence);
      return { id: c.id, status: "failed", outcome: "ok", message: d ? `${verdicts.failed}${place ? ` ${place}` : ""}: ${d.message}` : verdicts.failed, divergence, ...scored };
    }
    return { id: c.id, status: "passed", outcome: "ok", message: verdicts.passed, divergence: null, ...scored };
  });
}
