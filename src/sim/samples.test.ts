// Tests for Samples, percentile and cdf against hand-computed values, for both percentile definitions.
import { describe, expect, it } from "vitest";
import { Samples, cdf, percentile } from "./samples.js";

const tenToOne = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

describe("Samples", () => {
  it("counts, sums and averages, with the sample variance (n − 1)", () => {
    const s = new Samples("latency");
    s.addAll(tenToOne);
    expect([s.count, s.sum, s.mean, s.min, s.max]).toEqual([10, 55, 5.5, 1, 10]);
    // Σ(x − 5.5)² = 82.5 over 1…10, divided by n − 1 = 9.
    expect(s.variance).toBeCloseTo(82.5 / 9, 12);
    expect(s.stddev).toBeCloseTo(Math.sqrt(82.5 / 9), 12);
  });

  it("reads linear percentiles at h = (n − 1)·p/100 between neighbours (numpy's default)", () => {
    const s = new Samples();
    s.addAll(tenToOne);
    // p50: h = 4.5 → 5 + 0.5·(6 − 5); p90: h = 8.1 → 9.1; p25: h = 2.25 → 3.25.
    expect(s.percentiles([0, 25, 50, 90, 100])).toEqual([1, 3.25, 5.5, 9.1, 10].map((v) => expect.closeTo(v, 12)));
  });

  it("reads nearest-rank percentiles as the sample at rank ⌈n·p/100⌉", () => {
    const s = new Samples();
    s.addAll(tenToOne);
    expect(s.percentiles([0, 25, 50, 90, 91, 100], "nearest-rank")).toEqual([1, 3, 5, 9, 10, 10]);
  });

  it("agrees with the textbook example 15, 20, 35, 40, 50 for both methods", () => {
    const xs = [15, 20, 35, 40, 50];
    expect([5, 30, 40, 50, 100].map((p) => percentile(xs, p, "nearest-rank"))).toEqual([15, 20, 20, 35, 50]);
    // Linear p40: h = 1.6 → 20 + 0.6·(35 − 20) = 29.
    expect(percentile(xs, 40)).toBeCloseTo(29, 12);
  });

  it("recomputes percentiles after more samples arrive", () => {
    const s = new Samples();
    s.addAll([1, 2, 3]);
    expect(s.percentile(50)).toBe(2);
    s.add(100);
    expect(s.percentile(50)).toBe(2.5);
    expect(s.values()).toEqual([1, 2, 3, 100]);
  });

  it("summarises count, mean, spread and p50/p90/p99 as data", () => {
    const s = new Samples();
    s.addAll(Array.from({ length: 101 }, (_, i) => i));
    expect(s.summary()).toEqual({ count: 101, mean: 50, stddev: expect.closeTo(Math.sqrt(858.5), 9), min: 0, max: 100, p50: 50, p90: 90, p99: 99 });
  });

  it("refuses non-finite samples, empty statistics, percentiles outside 0–100 and unknown methods, suggesting the name", () => {
    const s = new Samples("cold");
    expect(() => s.mean).toThrow(expect.objectContaining({ code: "SIM_NO_SAMPLES" }));
    expect(() => s.add(NaN)).toThrow(expect.objectContaining({ code: "SIM_BAD_SAMPLE" }));
    s.add(1);
    expect(() => s.percentile(101)).toThrow(expect.objectContaining({ code: "SIM_BAD_PERCENTILE" }));
    expect(() => s.percentile(50, "linaer" as "linear")).toThrow(expect.objectContaining({ code: "SIM_BAD_METHOD", hint: "did you mean 'linear'?" }));
    expect(() => s.percentile(50, "nearestrank" as "linear")).toThrow(expect.objectContaining({ hint: "did you mean 'nearest-rank'?" }));
  });
});

describe("cdf", () => {
  it("gives one point per distinct value with the fraction at or below it", () => {
    expect(cdf([3, 1, 2, 2])).toEqual([{ x: 1, p: 0.25 }, { x: 2, p: 0.75 }, { x: 3, p: 1 }]);
  });

  it("thins to maxPoints evenly spaced points, keeping the minimum and the maximum", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    // Kept indices round(k·99/4) = 0, 25, 50, 74, 99.
    expect(cdf(xs, { maxPoints: 5 })).toEqual([1, 26, 51, 75, 100].map((x) => ({ x, p: x / 100 })));
    const s = new Samples();
    s.addAll(xs);
    expect(s.cdf({ maxPoints: 5 })).toEqual(cdf(xs, { maxPoints: 5 }));
  });
});
