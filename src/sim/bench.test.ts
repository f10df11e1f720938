// Tests for benchSim: the work it measures and how it reports it (never how fast it is).
import { describe, expect, it } from "vitest";
import { benchSim } from "./bench.js";

/** A scripted clock: returns the given readings in turn. */
function readings(values: number[]): () => number {
  let i = 0;
  return () => values[i++]!;
}

describe("benchSim", () => {
  it("processes the requested number of events per run: each process's start, timeouts and completion", () => {
    const r = benchSim({ events: 2000, processes: 10, repetitions: 1 });
    expect(r.events).toBe(2000);
    expect(r.wall_ms).toBeGreaterThanOrEqual(0);
  });

  it("reports the median wall and CPU time of the repetitions, events / median CPU time, and events / median wall time beside it", () => {
    // Start and end readings of three repetitions: walls of 10, 30 and 20 ms, CPU times of 4, 8 and 6 ms.
    const wallMs = readings([0, 10, 100, 130, 200, 220]);
    const cpuMs = readings([0, 4, 50, 58, 60, 66]);
    const r = benchSim({ events: 1000, processes: 5, repetitions: 3, wallMs, cpuMs });
    expect(r.wall_ms).toBe(20);
    expect(r.cpu_ms).toBe(6);
    expect(r.events_per_second).toBe((1000 / 6) * 1000);
    expect(r.events_per_wall_second).toBe((1000 / 20) * 1000);
  });

  it("refuses a size that is not a whole number >= 1", () => {
    expect(() => benchSim({ events: 0 })).toThrow(expect.objectContaining({ code: "SIM_BAD_CAPACITY" }));
  });
});
