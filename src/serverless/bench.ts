// benchServerless: how long the OpenLambda experiment and a million invocations take to simulate, as medians of wall and CPU time over repetitions.
//
// A benchmark, not a test: nothing asserts on these times. Each workload runs once untimed to warm the JIT, then
// `repetitions` times with the same seed (so every run simulates the same events). CPU time (process.cpuUsage,
// user + system) is reported beside wall time because the machine may be shared. The targets are the issue's:
// the OpenLambda experiment under 100 ms, a million invocations under 10 s.
import { Simulation } from "../sim/index.js";
import { processCpuMs, timedMedians } from "../sim/timed.js";
import { runOpenLambda } from "./openlambda.js";
import { FunctionPlatform } from "./platform.js";
import { ParameterError } from "./validate.js";
import { openLoop } from "./workload.js";

export interface ServerlessBenchOptions {
  /** Timed repetitions of the OpenLambda experiment (default 5). */
  readonly repetitions?: number;
  /** Timed repetitions of the million invocations (default 3). */
  readonly invocationRepetitions?: number;
  /** Invocations of the large run (default 1,000,000). */
  readonly invocations?: number;
  /** Wall clock in milliseconds (default performance.now). */
  readonly wallMs?: () => number;
  /** CPU time of this process in milliseconds (default from process.cpuUsage). */
  readonly cpuMs?: () => number;
}

/** Median times of one workload. */
export interface TimedRun {
  readonly wall_ms: number;
  readonly cpu_ms: number;
  readonly target_ms: number;
  /** Median CPU time within the target: CPU time is the model's own cost, while a shared machine's wall clock also counts other work. */
  readonly met: boolean;
}

export interface ServerlessBenchResult {
  readonly openlambda: TimedRun & { readonly requests: number };
  /** invocations_per_second: invocations / median CPU time. */
  readonly invocations: TimedRun & { readonly count: number; readonly invocations_per_second: number };
  readonly repetitions: { readonly openlambda: number; readonly invocations: number };
}

function timed(run: () => number, repetitions: number, wallMs: () => number, cpuMs: () => number, target: number): TimedRun & { readonly work: number } {
  const t = timedMedians(run, repetitions, wallMs, cpuMs, (r, n, work) => `benchServerless: repetition ${r} simulated ${n} requests, the warm-up ${work}; the model is not deterministic`);
  return { ...t, target_ms: target, met: t.cpu_ms <= target };
}

/** Open-loop Poisson arrivals of `count` invocations (1,000 per second, 100 ms each on average) to one function. */
function manyInvocations(count: number): number {
  const sim = new Simulation({ seed: 1 });
  const platform = new FunctionPlatform(sim, [{ name: "f", memoryMb: 512 }]);
  openLoop(platform.endpoint("f"), (rng) => ({ wallMs: rng.exponential(1 / 100) }), { ratePerSecond: 1000, durationS: count / 1000 });
  sim.run();
  return platform.log.length;
}

/** Runs both workloads and reports medians. */
export function benchServerless(options: ServerlessBenchOptions = {}): ServerlessBenchResult {
  const repetitions = options.repetitions ?? 5;
  const invocationRepetitions = options.invocationRepetitions ?? 3;
  const count = options.invocations ?? 1_000_000;
  for (const [name, v] of [["repetitions", repetitions], ["invocationRepetitions", invocationRepetitions], ["invocations", count]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new ParameterError(`benchServerless: ${name} must be a whole number ≥ 1, got ${v}`);
  }
  const wallMs = options.wallMs ?? (() => performance.now());
  const cpuMs = options.cpuMs ?? processCpuMs;
  const ol = timed(() => { const r = runOpenLambda(); return r.lambda.requests + r.container_service.requests; }, repetitions, wallMs, cpuMs, 100);
  const inv = timed(() => manyInvocations(count), invocationRepetitions, wallMs, cpuMs, 10_000);
  return {
    openlambda: { wall_ms: ol.wall_ms, cpu_ms: ol.cpu_ms, target_ms: ol.target_ms, met: ol.met, requests: ol.work },
    invocations: { wall_ms: inv.wall_ms, cpu_ms: inv.cpu_ms, target_ms: inv.target_ms, met: inv.met, count: inv.work, invocations_per_second: inv.cpu_ms > 0 ? (inv.work / inv.cpu_ms) * 1000 : Infinity },
    repetitions: { openlambda: repetitions, invocations: invocationRepetitions },
  };
}
