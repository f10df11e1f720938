// The serverless harness's case runner: one trace replayed on the function platform with a keep-alive policy, measured as plain data.
//
// Trusted code, used on both sides: the sandbox child runs it with the submission's wrapped policy, and the
// grader's own process with the fixed 10-minute baseline. The platform runs on the discrete-event engine with a
// fixed seed, so the same trace and policy give the same numbers in either process.
import { runTraceWithPolicy } from "../../../../src/serverless/keep-alive-experiment.js";
import type { KeepAlivePolicy } from "../../../../src/serverless/policy-api.js";
import type { InvocationTrace } from "../../../../src/serverless/trace.js";

/** What a run of a trace measures: its cost (wasted memory-time, MB·s), the rubric's metrics and counters for reports and CPU limits. */
export interface TraceMeasures {
  /** Loaded, idle instances × their memory × time (MB·s). */
  readonly cost: number;
  readonly metrics: { readonly cold_start_pct: number; readonly p50_ms: number; readonly p99_ms: number };
  readonly counters: { readonly invocations: number; readonly cold: number; readonly warm: number; readonly apps: number; readonly peak_instances: number };
}

/** The engine's seed for every lab run: the replay draws nothing at random, but the seed is fixed so it never could differ. */
const SEED = 1;

/** Replays `trace` with `policy` and measures it. Throws what the policy's wrapper throws (a failed case). */
export function measureTrace(trace: InvocationTrace, policy: KeepAlivePolicy): TraceMeasures {
  const r = runTraceWithPolicy(trace, policy, { seed: SEED }).report();
  return {
    cost: r.wastedGbSeconds * 1024,
    metrics: { cold_start_pct: r.coldStartRate * 100, p50_ms: r.latency.p50, p99_ms: r.latency.p99 },
    counters: { invocations: r.requests, cold: r.cold, warm: r.warm, apps: trace.apps.length, peak_instances: r.instances.peak },
  };
}
