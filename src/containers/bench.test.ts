// Tests for the container benchmark's shape (never its speed): it runs the experiment and reports medians.
import { describe, expect, it } from "vitest";
import { benchContainers, containerExperiment } from "./bench.js";

describe("benchContainers", () => {
  it("runs the experiment deterministically and reports the medians of the clocks it is given", () => {
    expect(containerExperiment()).toEqual(containerExperiment());
    let t = 0;
    let c = 0;
    const r = benchContainers({ repetitions: 1, now: () => (t += 10), cpuNow: () => (c += 4) });
    expect(r).toMatchObject({ repetitions: 1, median_wall_ms: 10, median_cpu_ms: 4 });
    expect(r.events).toBeGreaterThan(100);
    expect(r.simulated_seconds).toBeCloseTo(6, 6);
  });
});
