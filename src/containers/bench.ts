// The container model's benchmark: a notebook-sized experiment timed (median wall and CPU time over repetitions).
//
// The experiment is notebook 8's core: two CPU-bound containers at weights 200:100 for 5 simulated
// seconds, one capped at cpu.max "10000 50000", one OOM-killed at memory.max and one throttled at
// memory.high — containers created, cgroup files written and read back, the engine run. The figures go
// to `vmlab bench`; nothing asserts on them.
import { processCpuMs, timedMedians } from "../sim/timed.js";
import { DockerHost } from "./docker-host.js";

export interface ContainerBenchResult {
  readonly experiment: string;
  readonly repetitions: number;
  /** Median wall time of one experiment, in milliseconds. */
  readonly median_wall_ms: number;
  /** Median CPU time (user + system) of one experiment, in milliseconds. */
  readonly median_cpu_ms: number;
  /** Events the engine processed in one experiment. */
  readonly events: number;
  /** Simulated seconds one experiment covers. */
  readonly simulated_seconds: number;
}

export interface ContainerBenchOptions {
  readonly repetitions?: number;
  /** Monotonic clock in milliseconds. */
  readonly now?: () => number;
  /** CPU time used by this process so far, in milliseconds. */
  readonly cpuNow?: () => number;
}

/** One run of the experiment; returns the events processed and simulated time covered. */
export function containerExperiment(): { events: number; simulated: number } {
  const host = new DockerHost({ cpus: 1, memoryBytes: 2 * 2 ** 30 });
  host.pull("progrium/stress");
  const t0 = host.sim.now;
  const heavy = host.run("progrium/stress", ["--cpu", "1", "--timeout", "5"], { detach: true, cpuShares: 2048 }).container;
  const light = host.run("progrium/stress", ["--cpu", "1", "--timeout", "5"], { detach: true, cpuShares: 1024 }).container;
  const capped = host.run("progrium/stress", ["--cpu", "1", "--timeout", "5"], { detach: true, cpus: "0.2" }).container;
  host.run("progrium/stress", ["--vm", "1", "--vm-bytes", "200m", "--vm-keep", "--timeout", "5"], { detach: true, memory: "128m" });
  const throttled = host.run("progrium/stress", ["--vm", "1", "--vm-bytes", "150m", "--vm-hang", "1", "--timeout", "5"], { detach: true }).container;
  host.kernel.writeCgroup(throttled.cgroup!.path, "memory.high", "100M");
  for (let i = 0; i < 10; i++) {
    host.advance(0.5);
    for (const c of [heavy, light, capped]) if (c.cgroup) host.kernel.readCgroup(c.cgroup.path, "cpu.stat");
  }
  host.advance(1);
  return { events: host.sim.processed, simulated: host.sim.now - t0 };
}

/** Time the experiment: one warm-up, then `repetitions` timed runs. */
export function benchContainers(options: ContainerBenchOptions = {}): ContainerBenchResult {
  const repetitions = options.repetitions ?? 5;
  const now = options.now ?? (() => performance.now());
  let simulated = 0;
  const t = timedMedians(() => {
    const e = containerExperiment();
    simulated = e.simulated;
    return e.events;
  }, repetitions, now, options.cpuNow ?? processCpuMs, (r, n, work) => `benchContainers: repetition ${r} processed ${n} events, the warm-up ${work}; the model is not deterministic`);
  return {
    experiment: "weights 200:100, cpu.max 20%, OOM at memory.max, throttling at memory.high (5 containers, 6 simulated s)",
    repetitions,
    median_wall_ms: t.wall_ms,
    median_cpu_ms: t.cpu_ms,
    events: t.work,
    simulated_seconds: simulated,
  };
}
