// Tests for benchServerless: what it runs and how it reports it (never how fast it is).
import { describe, expect, it } from "vitest";
import { benchServerless } from "./bench.js";

/** A scripted clock: returns the given readings in turn. */
function readings(values: number[]): () => number {
  let i = 0;
  return () => values[i++]!;
}

describe("benchServerless", () => {
  it("reports medians of the repetitions, the OpenLambda experiment first, then the invocations, judged on CPU time", () => {
    // Wall readings: OpenLambda runs of 50, 70 and 60 ms, then invocation runs of 900 and 1100 ms.
    const wallMs = readings([0, 50, 100, 170, 200, 260, 1000, 1900, 2000, 3100]);
    const cpuMs = readings([0, 40, 100, 160, 200, 250, 1000, 1800, 2000, 3000]);
    const r = benchServerless({ repetitions: 3, invocationRepetitions: 2, invocations: 2000, wallMs, cpuMs });
    expect(r.openlambda.wall_ms).toBe(60);
    expect(r.openlambda.cpu_ms).toBe(50);
    expect(r.openlambda.met).toBe(true);
    expect(r.invocations.wall_ms).toBe(1000);
    expect(r.invocations.count).toBeGreaterThan(1800);
    expect(r.invocations.cpu_ms).toBe(900);
    expect(r.invocations.invocations_per_second).toBeCloseTo(r.invocations.count / 0.9, 6);
    expect(r.openlambda.requests).toBeGreaterThan(4000);
  });

  it("refuses a repetition count that is not a whole number ≥ 1", () => {
    expect(() => benchServerless({ repetitions: 0 })).toThrow(/repetitions must be a whole number ≥ 1/);
  });
});
