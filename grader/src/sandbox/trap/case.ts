// The trap harness's case runner inside the sandbox child: one case through the monitor's equivalence check, reported as plain data.
//
// Trusted code. It is imported (and the monitor and the engines with it) before `lockdown()`, so the monitor
// sees a normal realm (the translator keeps the realm's Function constructor: src/engines/runtime.ts); the
// handlers it receives are guarded wrappers (child.ts), never student functions. Results are copied field
// by field into fresh plain data (numbers, strings, a JSON copy of the counters) before they leave.
import { checkEquivalence, type MonitorUnderTest } from "../../../../src/analysis/equivalence.js";
import { engineNamed } from "../../../../src/engines/registry.js";
import { COST_KEYS, defaultCostModel, withOverrides, type CostKey } from "../../../../src/machine/cost.js";
import type { Loadable } from "../../../../src/machine/machine.js";
import type { MemorySource } from "../../../../src/machine/memory.js";
import { MemoryRecycler } from "../../../../src/machine/memory-recycler.js";
import { GRADER_ENGINE, type SandboxCaseResult } from "../protocol.js";

export interface TrapCaseOptions {
  readonly profile: "strict" | "x86";
  readonly maxSteps: number;
  /** Overrides of the cost model's scalar costs (unknown keys are ignored: the lab loader validates them). */
  readonly cost?: Readonly<Record<string, number>>;
  /** The engine both machines run on, by its registry name (default GRADER_ENGINE); a BT monitor's own machine runs on its translator. */
  readonly engine?: string | undefined;
  /** Where the case's machines get their memory (the child's recycler: see caseMemory). */
  readonly memory?: MemorySource;
}

/**
 * The memory a child's cases run on, one case at a time: `next()` before each case takes back what the
 * case before it used (its results have left as plain data by then) and gives it out again, cleared.
 */
export function caseMemory(): { next(): MemorySource } {
  const recycler = new MemoryRecycler();
  return {
    next() {
      recycler.reclaim();
      return recycler;
    },
  };
}

/** Run one case: native and trap-and-emulate with `monitor` (handlers, or another monitor's sessions) on the chosen engine, compared by the monitor's equivalence checker. */
export function runTrapCase(id: string, loadable: Loadable, monitor: MonitorUnderTest, options: TrapCaseOptions): SandboxCaseResult {
  const overrides: Partial<Record<CostKey, number>> = {};
  for (const key of COST_KEYS) {
    const v = options.cost?.[key];
    if (typeof v === "number" && Number.isFinite(v)) overrides[key] = v;
  }
  const report = checkEquivalence(loadable, monitor, {
    profile: options.profile,
    maxSteps: options.maxSteps,
    cost: withOverrides(defaultCostModel(), overrides),
    engine: engineNamed(options.engine ?? GRADER_ENGINE),
    ...(options.memory ? { memory: options.memory } : {}),
  });
  const stop = report.virtualized.stop;
  if (stop.kind === "handler-error" || stop.kind === "no-handler") {
    // The monitor's own verdict on the handlers (no handler for an event, did not resume, a bad value...).
    return { id, status: "handler-error", message: stop.message };
  }
  const d = report.divergence;
  // A guest whose own bare-machine result depends on the TLB's size is outside the equivalence guarantee: say so, blame no instruction.
  const divergence = d
    ? { message: d.differences.join("; "), pc: d.pc, disassembly: String(d.disassembly), instruction: d.guestInstruction }
    : report.equivalent ? undefined : { message: report.tlbDependent?.message ?? report.differences.join("; ") };
  return {
    id, status: "ok", equivalent: report.equivalent,
    ...(divergence ? { divergence } : {}),
    cost: report.virtualized.cycles,
    baseline: report.native.cycles,
    counters: JSON.parse(JSON.stringify(report.virtualized.counters)) as Record<string, unknown>,
  };
}
