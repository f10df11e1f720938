// timedMedians: the models' benchmarks' one measuring loop — a warm-up run, then repetitions timed in wall and CPU time, as medians, with the work checked to be the same every run.
import { percentile } from "./samples.js";

/** CPU time (user + system) of this process, in milliseconds. */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The warm-up's work (events, requests) and the median wall and CPU milliseconds of the timed runs. */
export interface TimedMedians {
  readonly work: number;
  readonly wall_ms: number;
  readonly cpu_ms: number;
}

/**
 * Run `run` once untimed (it warms the JIT), then `repetitions` times, each timed on both clocks. `run`
 * returns the work it did; a repetition that did other work than the warm-up throws `different(r, n, work)`'s
 * message, since a seeded model must do the same work every time.
 */
export function timedMedians(
  run: () => number, repetitions: number, wallMs: () => number, cpuMs: () => number, different: (r: number, n: number, work: number) => string,
): TimedMedians {
  const work = run();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const w0 = wallMs();
    const c0 = cpuMs();
    const n = run();
    cpus.push(cpuMs() - c0);
    walls.push(wallMs() - w0);
    if (n !== work) throw new Error(different(r, n, work));
  }
  return { work, wall_ms: percentile(walls, 50), cpu_ms: percentile(cpus, 50) };
}
