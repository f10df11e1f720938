// Pass 5, check: turn sandbox results into case verdicts, re-verifying what the parent can recompute from trusted code (native cycles).
import type { GradeCase } from "../cases.js";
import type { SandboxCaseResult } from "../contract.js";
import { divergencePlace, type CaseDivergence, type CaseOutcome } from "../result.js";

/** A case after checking: verdict, words, cycles. Scores come later. */
export interface CheckedCase {
  readonly id: string;
  readonly status: "passed" | "failed" | "error";
  readonly outcome: CaseOutcome;
  readonly message: string;
  readonly divergence: CaseDivergence | null;
  readonly cycles: number | null;
  readonly nativeCycles: number | null;
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
 * Check each case. `trustedNative` holds native cycles the grader computed itself; when the sandbox
 * reports different native cycles, the case is an integrity error (the numbers came from a tampered or
 * broken run) and scores nothing.
 */
export function checkPass(results: readonly SandboxCaseResult[], cases: readonly GradeCase[], trustedNative: ReadonlyMap<string, number>): CheckedCase[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return cases.map((c): CheckedCase => {
    const r = byId.get(c.id);
    if (!r) return { id: c.id, status: "error", outcome: "not-run", message: "not run", divergence: null, cycles: null, nativeCycles: trustedNative.get(c.id) ?? null, counters: {} };
    const native = trustedNative.get(c.id) ?? null;
    if (r.status !== "ok") {
      return { id: c.id, status: "error", outcome: r.status, message: `${OUTCOME_WORDS[r.status]}: ${r.message}`, divergence: null, cycles: null, nativeCycles: native, counters: {} };
    }
    if (!Number.isFinite(r.cycles) || r.cycles < 0) {
      return { id: c.id, status: "error", outcome: "integrity", message: `the sandbox reported an impossible cycle count (${String(r.cycles)})`, divergence: null, cycles: null, nativeCycles: native, counters: {} };
    }
    if (native !== null && r.nativeCycles !== native) {
      return {
        id: c.id, status: "error", outcome: "integrity",
        message: `the native run in the sandbox took ${r.nativeCycles} cycles but the grader's own native run took ${native}; this result cannot be trusted`,
        divergence: null, cycles: null, nativeCycles: native, counters: {},
      };
    }
    const nativeCycles = native ?? r.nativeCycles;
    if (!r.equivalent) {
      const d = r.divergence;
      const divergence: CaseDivergence = d
        ? { message: d.message, pc: d.pc ?? null, disassembly: d.disassembly ?? null, instruction: d.instruction ?? null }
        : { message: "diverged from the native run", pc: null, disassembly: null, instruction: null };
      const place = divergencePlace(divergence);
      return {
        id: c.id, status: "failed", outcome: "ok",
        message: d ? `diverged from the native run${place ? ` ${place}` : ""}: ${d.message}` : "diverged from the native run",
        divergence,
        cycles: r.cycles, nativeCycles, counters: r.counters, ...(r.metrics ? { metrics: r.metrics } : {}),
      };
    }
    return { id: c.id, status: "passed", outcome: "ok", message: "equivalent to the native run", divergence: null, cycles: r.cycles, nativeCycles, counters: r.counters, ...(r.metrics ? { metrics: r.metrics } : {}) };
  });
}
