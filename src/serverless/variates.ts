// Random variates beyond the engine's Rng (which draws uniform, exponential and Poisson): normal and lognormal.
import type { Rng } from "../sim/rng.js";

/** A standard normal variate (Box–Muller, one of the pair). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A lognormal variate with the given median and shape σ (the standard deviation of its logarithm). */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(rng));
}

/** The standard normal quantiles the synthetic trace's percentile columns use (Φ⁻¹ of 0.1%, 1%, 25%, 50%, 75%, 99%, 99.9%). */
export const NORMAL_QUANTILES = { p0_1: -3.0902, p1: -2.3263, p25: -0.6745, p50: 0, p75: 0.6745, p99: 2.3263, p99_9: 3.0902 } as const;
