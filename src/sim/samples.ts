// Samples: collected observations (latencies, wait times) with count, mean, spread, exact percentiles and an empirical CDF.
//
// Percentiles are exact over every sample kept, by one of two documented definitions:
// - "linear" (the default; Hyndman & Fan type 7, numpy's and Excel's PERCENTILE.INC): the position
//   h = (n − 1)·p/100 in the sorted samples, interpolated linearly between its neighbours;
// - "nearest-rank": the smallest sample with at least p% of the samples at or below it, i.e. the
//   sorted sample at rank ⌈n·p/100⌉ (rank 1 for p = 0).
import { SimError } from "./errors.js";
import { didYouMean } from "../core/suggest.js";

/** How a percentile is read off the sorted samples (see the module comment). */
export type PercentileMethod = "linear" | "nearest-rank";

const METHODS: readonly PercentileMethod[] = ["linear", "nearest-rank"];

/** One point of an empirical CDF: a fraction `p` of the samples is <= `x`. */
export interface CdfPoint {
  readonly x: number;
  readonly p: number;
}

/** Count, mean, spread and the usual percentiles of a sample set, as data. */
export interface SampleSummary {
  readonly count: number;
  readonly mean: number;
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** A growing set of numeric observations. */
export class Samples {
  private data = new Float64Array(16);
  private n = 0;
  private sortedCache: Float64Array | null = null;
  private runningMean = 0;
  private m2 = 0;
  private total = 0;
  private lo = Infinity;
  private hi = -Infinity;

  constructor(readonly name: string = "samples") {}

  /** Record one observation (a finite number). */
  add(x: number): void {
    if (!Number.isFinite(x)) {
      throw new SimError("SIM_BAD_SAMPLE", `${this.name}: a sample must be a finite number, got ${x}`, { hint: "check the computation that produced it (0/0, an unset time)" });
    }
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = x;
    this.sortedCache = null;
    this.total += x;
    // Welford's update keeps the variance accurate for large means.
    const d = x - this.runningMean;
    this.runningMean += d / this.n;
    this.m2 += d * (x - this.runningMean);
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
  }

  /** Record several observations. */
  addAll(xs: Iterable<number>): void {
    for (const x of xs) this.add(x);
  }

  get count(): number {
    return this.n;
  }

  get sum(): number {
    return this.total;
  }

  get mean(): number {
    this.mustHave("mean");
    return this.runningMean;
  }

  get min(): number {
    this.mustHave("min");
    return this.lo;
  }

  get max(): number {
    this.mustHave("max");
    return this.hi;
  }

  /** Sample variance (n − 1 in the denominator); 0 for a single sample. */
  get variance(): number {
    this.mustHave("variance");
    return this.n < 2 ? 0 : this.m2 / (this.n - 1);
  }

  /** Sample standard deviation, the square root of `variance`. */
  get stddev(): number {
    return Math.sqrt(this.variance);
  }

  /** The p-th percentile, p in [0, 100], exact over all samples (method "linear" unless told). */
  percentile(p: number, method: PercentileMethod = "linear"): number {
    this.mustHave(`percentile ${p}`);
    return percentileOfSorted(this.sortedView(), p, method, this.name);
  }

  /** Several percentiles at once. */
  percentiles(ps: readonly number[], method: PercentileMethod = "linear"): number[] {
    return ps.map((p) => this.percentile(p, method));
  }

  /** The empirical CDF, for a chart (see `cdf`). */
  cdf(options: CdfOptions = {}): CdfPoint[] {
    return cdfOfSorted(this.sortedView(), options);
  }

  /** The samples in the order recorded. */
  values(): number[] {
    return Array.from(this.data.subarray(0, this.n));
  }

  /** The samples in ascending order. */
  sorted(): number[] {
    return Array.from(this.sortedView());
  }

  /** Count, mean, stddev, min, max, p50, p90 and p99 (linear percentiles). */
  summary(): SampleSummary {
    this.mustHave("summary");
    const [p50, p90, p99] = this.percentiles([50, 90, 99]) as [number, number, number];
    return { count: this.n, mean: this.mean, stddev: this.stddev, min: this.lo, max: this.hi, p50, p90, p99 };
  }

  private sortedView(): Float64Array {
    if (this.sortedCache === null) this.sortedCache = this.data.slice(0, this.n).sort();
    return this.sortedCache;
  }

  private mustHave(what: string): void {
    if (this.n === 0) {
      throw new SimError("SIM_NO_SAMPLES", `${this.name}: no samples yet, so there is no ${what}`, { hint: "check `count` first, or run the model long enough to record some" });
    }
  }
}

/** The p-th percentile (p in [0, 100]) of `values`, which need not be sorted. */
export function percentile(values: Iterable<number>, p: number, method: PercentileMethod = "linear"): number {
  const sorted = sortedCopy(values);
  if (sorted.length === 0) throw new SimError("SIM_NO_SAMPLES", `no values, so there is no percentile ${p}`, { hint: "pass at least one value" });
  return percentileOfSorted(sorted, p, method, "percentile");
}

export interface CdfOptions {
  /** At most this many points (min and max always included), for charts of many samples. */
  readonly maxPoints?: number;
}

/**
 * The empirical CDF of `values`: one point per distinct value x with p = the fraction of values <= x,
 * ascending. With `maxPoints`, evenly spaced points of that list are kept (first and last included).
 */
export function cdf(values: Iterable<number>, options: CdfOptions = {}): CdfPoint[] {
  return cdfOfSorted(sortedCopy(values), options);
}

function sortedCopy(values: Iterable<number>): Float64Array {
  const out = Float64Array.from(values);
  for (const x of out) {
    if (!Number.isFinite(x)) throw new SimError("SIM_BAD_SAMPLE", `values must be finite numbers, got ${x}`, { hint: "filter out NaN and Infinity first" });
  }
  return out.sort();
}

function percentileOfSorted(sorted: Float64Array, p: number, method: PercentileMethod, name: string): number {
  if (!(p >= 0 && p <= 100)) {
    throw new SimError("SIM_BAD_PERCENTILE", `${name}: percentile must be between 0 and 100, got ${p}`, { hint: "e.g. 50 for the median, 99 for p99" });
  }
  const n = sorted.length;
  if (method === "linear") {
    const h = ((n - 1) * p) / 100;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  }
  if (method === "nearest-rank") {
    const rank = Math.max(1, Math.ceil((n * p) / 100));
    return sorted[rank - 1]!;
  }
  const hint = didYouMean(String(method), METHODS);
  throw new SimError("SIM_BAD_METHOD", `unknown percentile method '${String(method)}'; known: ${METHODS.join(", ")}`, { hint: hint ?? `use one of ${METHODS.join(", ")}` });
}

function cdfOfSorted(sorted: Float64Array, options: CdfOptions): CdfPoint[] {
  const n = sorted.length;
  const points: CdfPoint[] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
    points.push({ x: sorted[i]!, p: (i + 1) / n });
  }
  const max = options.maxPoints;
  if (max === undefined || points.length <= max) return points;
  if (!Number.isInteger(max) || max < 2) {
    throw new SimError("SIM_BAD_BINS", `maxPoints must be a whole number >= 2, got ${max}`, { hint: "e.g. { maxPoints: 200 } for a chart" });
  }
  const kept: CdfPoint[] = [];
  for (let k = 0; k < max; k++) kept.push(points[Math.round((k * (points.length - 1)) / (max - 1))]!);
  return kept;
}
