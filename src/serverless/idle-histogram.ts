// A range-limited histogram of idle times in fixed-width bins, with the percentile and spread queries the hybrid policy asks of it.
import { positive } from "./validate.js";

/** Idle times in `bins` bins of `binMs` each; longer idle times are counted as out of bounds. */
export class IdleHistogram {
  readonly counts: Uint32Array;
  /** Idle times that fell in a bin. */
  inRange = 0;
  /** Idle times at or beyond the range (bins × binMs). */
  outOfBounds = 0;
  /** Σ count², kept as counts change so the CV costs O(1). */
  private sumOfSquares = 0;

  constructor(readonly binMs: number, bins: number) {
    positive("histogram bin width", binMs, "ms");
    this.counts = new Uint32Array(Math.max(1, Math.floor(bins)));
  }

  /** The range the bins cover (ms). */
  get rangeMs(): number {
    return this.binMs * this.counts.length;
  }

  /** Counts one idle time. */
  add(idleMs: number): void {
    const bin = Math.floor(Math.max(0, idleMs) / this.binMs);
    if (bin < this.counts.length) {
      this.sumOfSquares += 2 * this.counts[bin]! + 1;
      this.counts[bin]!++;
      this.inRange++;
    } else {
      this.outOfBounds++;
    }
  }

  /** The fraction of idle times out of bounds (0 before any). */
  get outOfBoundsRate(): number {
    const all = this.inRange + this.outOfBounds;
    return all === 0 ? 0 : this.outOfBounds / all;
  }

  /** The index of the bin holding the p-quantile (0 < p ≤ 1) of the in-range idle times: the first bin whose cumulative share reaches p. */
  percentileBin(p: number): number {
    if (this.inRange === 0) return 0;
    const target = p * this.inRange;
    let cumulative = 0;
    for (let i = 0; i < this.counts.length; i++) {
      cumulative += this.counts[i]!;
      if (cumulative >= target - 1e-9) return i;
    }
    return this.counts.length - 1;
  }

  /** Coefficient of variation of the bin counts (sample standard deviation over mean): high when idle times concentrate in few bins. */
  binCountCv(): number {
    const n = this.counts.length;
    if (this.inRange === 0 || n < 2) return 0;
    const mean = this.inRange / n;
    // Σ (c − mean)² = Σ c² − n · mean².
    const squares = Math.max(0, this.sumOfSquares - n * mean * mean);
    return Math.sqrt(squares / (n - 1)) / mean;
  }
}
