// Scoring a keep-alive policy for lab 05: p50 and p99 latency and wasted memory-time over traces, against the fixed 10-minute baseline and the reference policy.
//
// Each trace is replayed three times on the same platform — with the candidate, with the baseline (a fixed
// 10-minute keep-alive, as AWS Lambda) and with the reference (the hybrid histogram policy). For each measure m
// (lower is better) the candidate earns
//
//     points(m) = clamp(1 − (candidate − reference) / scale, 0, 1),  scale = max(|baseline − reference|, 10% of reference, floor)
//
// so matching or beating the reference earns the point, and falling behind it by as much as the baseline differs
// from it earns nothing. The weights are p50 25%, p99 25%, memory 50%: latency and cost count equally. A policy
// that never unloads is warm but expensive (about half the marks); one that unloads at once is cheap but cold
// (about half); the reference earns all of them. Everything is deterministic for a seed.
import type { KeepAlivePolicy } from "./keep-alive.js";
import { AWS_KEEP_ALIVE_MS, fixedKeepAlive } from "./keep-alive.js";
import { hybridHistogramPolicy } from "./hybrid-policy.js";
import { replayWithPolicy, type ReplayOptions } from "./keep-alive-experiment.js";
import { loadAzure2019 } from "./azure-2019.js";
import { generateSyntheticTrace } from "./synthetic-trace.js";
import type { InvocationTrace } from "./trace.js";
import { ParameterError, wholeNumber } from "./validate.js";

/** A named trace to score on. */
export interface ScoringTrace {
  readonly name: string;
  readonly trace: InvocationTrace;
}

/** What one policy measured on one trace. */
export interface PolicyMeasures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly wastedGbSeconds: number;
  readonly coldStartRate: number;
}

/** The candidate's marks on one trace. */
export interface TraceScore {
  readonly trace: string;
  readonly candidate: PolicyMeasures;
  readonly baseline: PolicyMeasures;
  readonly reference: PolicyMeasures;
  /** Points per measure, each in [0, 1]. */
  readonly points: { readonly p50: number; readonly p99: number; readonly memory: number };
  /** The weighted sum of the points, in [0, 1]. */
  readonly score: number;
}

/** The candidate's marks over all traces. */
export interface KeepAliveScore {
  readonly policy: string;
  /** Mean of the traces' scores, in [0, 1]. */
  readonly score: number;
  readonly traces: readonly TraceScore[];
}

/** How much each measure weighs (they sum to 1). */
export const SCORE_WEIGHTS = { p50: 0.25, p99: 0.25, memory: 0.5 } as const;

/** Below these, differences do not count: 1 ms of latency, 1 GB-s of memory. */
const FLOORS = { latencyMs: 1, memoryGbS: 1 } as const;

/** Options of the scoring. */
export interface ScoreOptions extends ReplayOptions {
  /** The policy that earns full marks (default: the hybrid histogram policy). */
  readonly reference?: () => KeepAlivePolicy;
  /** The policy the scale is measured against (default: a fixed 10-minute keep-alive). */
  readonly baseline?: () => KeepAlivePolicy;
}

function measure(trace: InvocationTrace, policy: KeepAlivePolicy, options: ReplayOptions): PolicyMeasures {
  const r = replayWithPolicy(trace, policy, options);
  return { p50Ms: r.latency.p50, p99Ms: r.latency.p99, wastedGbSeconds: r.wastedGbSeconds, coldStartRate: r.coldStartRate };
}

/** Points for one measure (lower is better). */
export function measurePoints(candidate: number, reference: number, baseline: number, floor: number): number {
  const scale = Math.max(Math.abs(baseline - reference), 0.1 * Math.abs(reference), floor);
  return Math.min(1, Math.max(0, 1 - (candidate - reference) / scale));
}

/** Reference and baseline measures per trace, computed once and reused for every candidate. */
export class KeepAliveScorer {
  private readonly anchors: { readonly name: string; readonly trace: InvocationTrace; readonly baseline: PolicyMeasures; readonly reference: PolicyMeasures }[];

  constructor(traces: readonly ScoringTrace[], private readonly options: ScoreOptions = {}) {
    if (traces.length === 0) throw new ParameterError("scoring needs at least one trace");
    const reference = options.reference ?? (() => hybridHistogramPolicy());
    const baseline = options.baseline ?? (() => fixedKeepAlive(AWS_KEEP_ALIVE_MS));
    this.anchors = traces.map((t) => ({ name: t.name, trace: t.trace, baseline: measure(t.trace, baseline(), options), reference: measure(t.trace, reference(), options) }));
  }

  /** Scores a policy; `make` builds a fresh one for each trace. */
  score(make: () => KeepAlivePolicy): KeepAliveScore {
    let name = "";
    const traces = this.anchors.map((a) => {
      const policy = make();
      name = policy.name;
      const c = measure(a.trace, policy, this.options);
      const points = {
        p50: measurePoints(c.p50Ms, a.reference.p50Ms, a.baseline.p50Ms, FLOORS.latencyMs),
        p99: measurePoints(c.p99Ms, a.reference.p99Ms, a.baseline.p99Ms, FLOORS.latencyMs),
        memory: measurePoints(c.wastedGbSeconds, a.reference.wastedGbSeconds, a.baseline.wastedGbSeconds, FLOORS.memoryGbS),
      };
      const score = SCORE_WEIGHTS.p50 * points.p50 + SCORE_WEIGHTS.p99 * points.p99 + SCORE_WEIGHTS.memory * points.memory;
      return { trace: a.name, candidate: c, baseline: a.baseline, reference: a.reference, points, score };
    });
    return { policy: name, score: traces.reduce((s, t) => s + t.score, 0) / traces.length, traces };
  }
}

/** Scores one policy over traces (builds the anchors; use KeepAliveScorer to score several policies on the same traces). */
export function scoreKeepAlive(make: () => KeepAlivePolicy, traces: readonly ScoringTrace[], options: ScoreOptions = {}): KeepAliveScore {
  return new KeepAliveScorer(traces, options).score(make);
}

/** `count` synthetic day-long traces in the Azure 2019 columns, drawn from `seed` (the lab keeps its own seeds hidden). */
export function syntheticScoringTraces(seed: number, count = 2): ScoringTrace[] {
  wholeNumber("trace count", count, 1);
  return Array.from({ length: count }, (_, i) => {
    const files = generateSyntheticTrace({ seed: seed * 1000 + i });
    const trace = loadAzure2019(
      {
        invocations: [{ file: "invocations.csv", text: files["invocations_per_function_md.anon.d01.csv"]! }],
        durations: [{ file: "durations.csv", text: files["function_durations_percentiles.anon.d01.csv"]! }],
        memory: [{ file: "memory.csv", text: files["app_memory_percentiles.anon.d01.csv"]! }],
      },
      { seed: seed * 1000 + i },
    );
    return { name: `synthetic-${seed}-${i}`, trace };
  });
}
