// The OpenLambda experiment from simulation: Lambda's median near 1.6 s, Elastic Beanstalk's near 20 s, and how they move with the parameters.
import { describe, expect, it } from "vitest";
import { runOpenLambda, sweepOpenLambda } from "./openlambda.js";

describe("the OpenLambda experiment (HotCloud 2016)", () => {
  const r = runOpenLambda();

  it("gives Lambda a median near 1.6 s over the minute, with 100 workers started within 1.6 s", () => {
    expect(r.lambda.median_s).toBeGreaterThan(1.35);
    expect(r.lambda.median_s).toBeLessThan(1.85);
    expect(r.lambda.coldStarts).toBe(100);
    expect(r.lambda.peakInstances).toBe(100);
    // The slowest requests are the first wave's cold starts, and they finish within 1.6 s.
    expect(r.lambda.cdf[r.lambda.cdf.length - 1]!.x).toBeLessThan(1.6);
    expect(r.lambda.requests).toBeGreaterThan(4000);
  });

  it("gives Elastic Beanstalk a median near 20 s: one instance, each request behind 99 others, no scaling in the minute", () => {
    expect(r.container_service.median_s).toBeGreaterThan(18);
    expect(r.container_service.median_s).toBeLessThan(22);
    expect(r.container_service.peakInstances).toBe(1);
    expect(r.container_service.coldStarts).toBe(0);
  });

  it("explains Lambda's median by CPU proportional to memory: it halves when the memory doubles, down to the bare 200 ms at one vCPU", () => {
    const [m128, m256, m512, m1769] = sweepOpenLambda("memoryMb", [128, 256, 512, 1769]);
    expect(m128!.lambda_median_s / m256!.lambda_median_s).toBeCloseTo(2, 1);
    expect(m256!.lambda_median_s / m512!.lambda_median_s).toBeCloseTo(2, 1);
    expect(m1769!.lambda_median_s).toBeCloseTo(0.2 + 0.025, 3);
  });

  it("moves Lambda's median only by the path's own length when the per-invocation path changes", () => {
    const [p0, p250] = sweepOpenLambda("invocationPathMs", [0, 250]);
    expect(p250!.lambda_median_s - p0!.lambda_median_s).toBeCloseTo(0.25, 3);
    expect(p0!.lambda_median_s).toBeGreaterThan(1.3); // the path is not what makes it slow
  });

  it("lets Beanstalk catch up when it starts with enough instances", () => {
    const wide = runOpenLambda({ containerInstances: 100 });
    expect(wide.container_service.median_s).toBeCloseTo(0.2, 3);
  });

  it("names a source for every parameter", () => {
    expect(r.parameters.every((p) => p.source.length > 0)).toBe(true);
    expect(r.parameters.find((p) => p.name === "Lambda memory")!.source).toMatch(/^estimate: not reported by the paper/);
  });
});
