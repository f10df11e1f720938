// The steady state in SimFaaS's parameterisation, from simulation: SimFaaS's published example, Little's law and Erlang's loss formula.
import { describe, expect, it } from "vitest";
import { steadyState } from "./steady-state.js";

/** Erlang's B formula: the probability that a loss system with c servers and offered load a turns a request away. */
function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

describe("the SimFaaS steady state", () => {
  // SimFaaS's README example: λ = 0.9/s, warm 1.991 s, cold 2.244 s, 600 s threshold, 10^6 s simulated:
  // P(cold) 0.0014, 7.6612 instances, 1.7879 running, 5.8733 idle.
  const r = steadyState({ ratePerSecond: 0.9, warmMs: 1991, coldMs: 2244, expireS: 600, maxConcurrency: 1000, durationS: 200_000 });

  it("reproduces SimFaaS's published example within the noise of a shorter run", () => {
    expect(r.cold_start_probability).toBeGreaterThan(0.0014 * 0.6);
    expect(r.cold_start_probability).toBeLessThan(0.0014 * 1.4);
    expect(r.mean_instances).toBeCloseTo(7.66, 0);
    expect(r.mean_running).toBeCloseTo(1.79, 1);
    expect(r.mean_idle).toBeCloseTo(5.87, 0);
    expect(r.rejection_probability).toBe(0);
  });

  it("keeps Little's law: mean running instances = λ × mean service time", () => {
    const service = (1 - r.cold_start_probability) * 1.991 + r.cold_start_probability * 2.244;
    expect(r.mean_running).toBeCloseTo(0.9 * service, 1);
  });

  it("rejects as Erlang's loss formula says when instances never expire and the limit binds", () => {
    const loss = steadyState({ ratePerSecond: 2, warmMs: 1000, coldMs: 1000, expireS: 1e9, maxConcurrency: 3, durationS: 50_000 });
    expect(loss.rejection_probability).toBeCloseTo(erlangB(3, 2), 2); // 0.2105
    expect(loss.mean_instances).toBeCloseTo(3, 2);
  });

  it("starts cold on every request when instances expire at once", () => {
    const never = steadyState({ ratePerSecond: 1, warmMs: 100, coldMs: 500, expireS: 0, maxConcurrency: 100, durationS: 5_000 });
    expect(never.cold_start_probability).toBe(1);
    expect(never.mean_idle).toBeCloseTo(0, 6);
  });

  it("refuses negative times and a transient longer than the run", () => {
    expect(() => steadyState({ ratePerSecond: 1, warmMs: -1, coldMs: 1, expireS: 1, maxConcurrency: 1 })).toThrow(/warm service time must be a number > 0/);
    expect(() => steadyState({ ratePerSecond: 1, warmMs: 1, coldMs: 1, expireS: -600, maxConcurrency: 1 })).toThrow(/expiration threshold must be a number ≥ 0/);
    expect(() => steadyState({ ratePerSecond: 1, warmMs: 1, coldMs: 1, expireS: 1, maxConcurrency: 1, durationS: 10, skipS: 20 })).toThrow(/must be shorter than the duration/);
  });
});
