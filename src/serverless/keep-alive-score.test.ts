// Lab 05's scoring, from simulation: the reference earns full marks, and the three calibration policies score where they should.
import { describe, expect, it } from "vitest";
import { IdleHistogram } from "./idle-histogram.js";
import { fixedKeepAlive, noUnloading, type AppKeepAlive, type KeepAlivePolicy } from "./keep-alive.js";
import { hybridHistogramPolicy } from "./hybrid-policy.js";
import { KeepAliveScorer, measurePoints, syntheticScoringTraces } from "./keep-alive-score.js";

const MIN = 60_000;

/** A student's hybrid histogram policy with an off-by-one: it keeps the instance to the lower edge of the 99th-percentile bin, not its upper edge. */
function offByOneHistogram(): KeepAlivePolicy {
  return {
    name: "histogram-off-by-one",
    forApp(): AppKeepAlive {
      const h = new IdleHistogram(MIN, 240);
      return {
        onInvocation: (_now, idle) => {
          if (idle !== undefined) h.add(idle);
        },
        windows: () => {
          if (h.inRange === 0 || h.binCountCv() < 2) return { preWarmMs: 0, keepAliveMs: 240 * MIN };
          const preWarmMs = h.percentileBin(0.05) * MIN * 0.9;
          const untilMs = h.percentileBin(0.99) * MIN * 1.1; // the bug: bin index, not bin index + 1
          return { preWarmMs, keepAliveMs: Math.max(0, untilMs - preWarmMs) };
        },
      };
    },
  };
}

describe("lab 05's keep-alive scoring", () => {
  const scorer = new KeepAliveScorer(syntheticScoringTraces(5, 2));
  const reference = scorer.score(() => hybridHistogramPolicy());
  const baseline = scorer.score(() => fixedKeepAlive(10 * MIN));
  const never = scorer.score(() => noUnloading());
  const atOnce = scorer.score(() => fixedKeepAlive(0, "expire-at-once"));
  const offByOne = scorer.score(offByOneHistogram);

  it("gives the reference policy full marks on every trace", () => {
    expect(reference.score).toBe(1);
    expect(reference.traces.map((t) => t.score)).toEqual([1, 1]);
  });

  it("scores a keep-alive that never expires as warm but expensive: latency marks, no memory marks", () => {
    for (const t of never.traces) {
      expect(t.points.p50).toBe(1);
      expect(t.points.memory).toBe(0);
    }
    expect(never.score).toBeGreaterThan(0.4);
    expect(never.score).toBeLessThanOrEqual(0.5);
  });

  it("scores a keep-alive that expires at once as cheap but cold: memory marks, no p50 marks", () => {
    for (const t of atOnce.traces) {
      expect(t.points.memory).toBe(1);
      expect(t.points.p50).toBe(0);
      expect(t.candidate.coldStartRate).toBeGreaterThan(0.9);
    }
    expect(atOnce.score).toBeGreaterThanOrEqual(0.5);
    expect(atOnce.score).toBeLessThan(0.8);
  });

  it("scores the histogram policy with an off-by-one in its bins below the reference and above both extremes", () => {
    expect(offByOne.score).toBeLessThan(0.9);
    expect(offByOne.score).toBeGreaterThan(never.score);
    expect(offByOne.score).toBeGreaterThan(atOnce.score);
    expect(offByOne.traces.every((t) => t.candidate.coldStartRate > t.reference.coldStartRate)).toBe(true);
  });

  it("scores the fixed 10-minute baseline below the reference", () => {
    expect(baseline.score).toBeLessThan(1);
  });

  it("is deterministic for a seed", () => {
    const again = new KeepAliveScorer(syntheticScoringTraces(5, 2)).score(offByOneHistogram);
    expect(again).toEqual(offByOne);
  });

  it("earns a measure's point at or below the reference and loses it linearly to the baseline's distance", () => {
    expect(measurePoints(90, 100, 200, 1)).toBe(1);
    expect(measurePoints(150, 100, 200, 1)).toBe(0.5);
    expect(measurePoints(250, 100, 200, 1)).toBe(0);
    // When baseline and reference agree, 10% of the reference sets the scale.
    expect(measurePoints(105, 100, 100, 1)).toBeCloseTo(0.5, 12);
  });
});
