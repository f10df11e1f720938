// Histogram: counts of observations in fixed bins (equal-width from lo to hi, or explicit edges), with underflow and overflow.
//
// Bins are half-open [edge_i, edge_i+1) except the last, which also holds its upper edge (as numpy's
// histogram does), so a value equal to `hi` is counted in range. Values below the first edge count as
// underflow, above the last as overflow.
import { SimError } from "./errors.js";

/** One bin with its count. */
export interface HistogramBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
}

/** Equal-width bins from lo to hi, or explicit strictly increasing edges. */
export type HistogramSpec = { readonly lo: number; readonly hi: number; readonly bins: number } | { readonly edges: readonly number[] };

/** Counts per fixed bin. */
export class Histogram {
  /** The bin edges, ascending: bin i is [edges[i], edges[i + 1]). */
  readonly edges: readonly number[];
  private readonly counts: Float64Array;
  private readonly uniformWidth: number | null;
  private below = 0;
  private above = 0;

  constructor(spec: HistogramSpec) {
    if ("edges" in spec) {
      const e = spec.edges;
      if (e.length < 2 || e.some((x) => !Number.isFinite(x)) || e.some((x, i) => i > 0 && !(x > e[i - 1]!))) {
        throw new SimError("SIM_BAD_BINS", `histogram edges must be at least two finite, strictly increasing numbers, got [${e.join(", ")}]`, { hint: "e.g. { edges: [0, 0.1, 1, 10] }" });
      }
      this.edges = e.slice();
      this.uniformWidth = null;
    } else {
      const { lo, hi, bins } = spec;
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo) || !Number.isInteger(bins) || bins < 1) {
        throw new SimError("SIM_BAD_BINS", `histogram needs finite lo < hi and a whole number of bins >= 1, got lo=${lo}, hi=${hi}, bins=${bins}`, { hint: "e.g. { lo: 0, hi: 240, bins: 240 } for 1-minute bins over 4 hours" });
      }
      this.uniformWidth = (hi - lo) / bins;
      this.edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * this.uniformWidth!));
    }
    this.counts = new Float64Array(this.edges.length - 1);
  }

  /** Number of bins. */
  get binCount(): number {
    return this.counts.length;
  }

  /** Observations below the first edge. */
  get underflow(): number {
    return this.below;
  }

  /** Observations above the last edge. */
  get overflow(): number {
    return this.above;
  }

  /** Observations inside the bins. */
  get inRange(): number {
    let s = 0;
    for (const c of this.counts) s += c;
    return s;
  }

  /** All observations, underflow and overflow included. */
  get total(): number {
    return this.inRange + this.below + this.above;
  }

  /** Index of the bin holding `x`: −1 for underflow, binCount for overflow. */
  binOf(x: number): number {
    const e = this.edges;
    const n = this.counts.length;
    if (x < e[0]!) return -1;
    if (x > e[n]!) return n;
    if (x === e[n]) return n - 1;
    if (this.uniformWidth !== null) {
      let i = Math.floor((x - e[0]!) / this.uniformWidth);
      // Guard against rounding at an edge: bin i must satisfy edges[i] <= x < edges[i + 1].
      if (i >= n) i = n - 1;
      while (i > 0 && x < e[i]!) i--;
      while (i < n - 1 && x >= e[i + 1]!) i++;
      return i;
    }
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (e[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Count `x` (`count` times, default once). */
  add(x: number, count = 1): void {
    if (!Number.isFinite(x) || !(count >= 0) || count === Infinity) {
      throw new SimError("SIM_BAD_SAMPLE", `histogram: cannot add ${count} × ${x}; values and counts must be finite, counts >= 0`, { hint: "check the computation that produced it" });
    }
    const i = this.binOf(x);
    if (i < 0) this.below += count;
    else if (i >= this.counts.length) this.above += count;
    else this.counts[i]! += count;
  }

  /** The count in bin i. */
  count(i: number): number {
    return this.counts[i] ?? 0;
  }

  /** The bins with their counts, ascending. */
  bins(): HistogramBin[] {
    return Array.from(this.counts, (count, i) => ({ lo: this.edges[i]!, hi: this.edges[i + 1]!, count }));
  }
}
