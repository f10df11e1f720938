// benchSim: how many events per second the engine processes on a schedule-and-process loop, as medians of wall and CPU time over repetitions.
//
// The workload is the engine's main path: `processes` generator processes, each yielding timeouts
// with exponential gaps drawn from the simulation's RNG until the run holds `events` events. Every
// repetition builds a fresh simulation with the same seed, so each processes the same events; one
// untimed run warms the JIT first. CPU time (process.cpuUsage, user + system) is reported beside
// wall time because the machine may be shared.
import { Simulation } from "./simulation.js";
import { processCpuMs, timedMedians } from "./timed.js";
import { SimError } from "./errors.js";

export interface SimBenchOptions {
  /** Events per run, at least (default 1,000,000). */
  readonly events?: number;
  /** Concurrent processes (default 100). */
  readonly processes?: number;
  /** Timed repetitions after the warm-up (default 5). */
  readonly repetitions?: number;
  /** Wall clock in milliseconds (default performance.now). */
  readonly wallMs?: () => number;
  /** CPU time of this process in milliseconds (default from process.cpuUsage). */
  readonly cpuMs?: () => number;
}

export interface SimBenchResult {
  /** Events processed by one run. */
  readonly events: number;
  /** Median wall time of a run, in milliseconds. */
  readonly wall_ms: number;
  /** Median CPU time of a run, in milliseconds. */
  readonly cpu_ms: number;
  /** events / median CPU time: the engine's speed while it has a core (what the target is judged on; a shared machine's wall clock also counts other work). */
  readonly events_per_second: number;
  /** events / median wall time, beside it. */
  readonly events_per_wall_second: number;
}

/** Run the engine benchmark and report medians. */
export function benchSim(options: SimBenchOptions = {}): SimBenchResult {
  const target = options.events ?? 1_000_000;
  const processes = options.processes ?? 100;
  const repetitions = options.repetitions ?? 5;
  for (const [name, v] of [["events", target], ["processes", processes], ["repetitions", repetitions]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new SimError("SIM_BAD_CAPACITY", `benchSim: ${name} must be a whole number >= 1, got ${v}`, { hint: "e.g. benchSim({ events: 100000 })" });
  }
  const wallMs = options.wallMs ?? (() => performance.now());
  const cpuMs = options.cpuMs ?? processCpuMs;
  // Each process contributes its start, its timeouts and its completion.
  const perProcess = Math.max(1, Math.ceil(target / processes) - 2);

  const once = (): number => {
    const sim = new Simulation({ seed: 1 });
    for (let p = 0; p < processes; p++) {
      sim.process(function* tick() {
        for (let i = 0; i < perProcess; i++) yield sim.timeout(sim.rng.exponential(1));
      });
    }
    sim.run();
    return sim.processed;
  };

  const { work: events, wall_ms: wall, cpu_ms: cpu } = timedMedians(once, repetitions, wallMs, cpuMs, (r, n, work) =>
    `benchSim: repetition ${r} processed ${n} events, the warm-up ${work}; the engine is not deterministic`);
  const rate = (ms: number) => (ms > 0 ? (events / ms) * 1000 : Infinity);
  return { events, wall_ms: wall, cpu_ms: cpu, events_per_second: rate(cpu), events_per_wall_second: rate(wall) };
}
