// Lab 05: a keep-alive / pre-warm policy. Code between the markers is what you write.
//
// The hybrid histogram policy of Shahrad et al., "Serverless in the Wild" (USENIX ATC 2020), section 4.2: per
// application, a histogram of idle times (from the end of one execution to the next invocation) over 4 hours in
// 1-minute bins. When the histogram is representative, pre-warm at the 5th percentile and keep the instance
// loaded until the 99th, with a 10% margin on each; while it is not, fall back to a fixed keep-alive.
import type { AppKeepAlive, KeepAlivePolicy, KeepAliveWindows } from "../../src/index.js";
import { AWS_KEEP_ALIVE_MS } from "../../src/index.js";

/** Width of a histogram bin (ms). */
const BIN_MS = 60_000;
/** Bins: 4 hours of minutes. An idle time of 4 hours or more is out of bounds. */
const BINS = 240;
/** Percentile of the idle times that sets the pre-warm window (the head), and the one that sets the keep-alive end (the tail). */
const HEAD = 0.05;
const TAIL = 0.99;
/** Taken off the pre-warm window and added to the keep-alive end. */
const MARGIN = 0.1;
/** The histogram is representative when the coefficient of variation of its bin counts is at least this ... */
const MIN_CV = 2;
/** ... and fewer than this share of the idle times were out of bounds. */
const MAX_OUT_OF_BOUNDS = 0.5;
/** The keep-alive while the histogram is not representative: the provider's fixed 10 minutes. */
const FALLBACK: KeepAliveWindows = { preWarmMs: 0, keepAliveMs: AWS_KEEP_ALIVE_MS };

/** One application's idle-time histogram. */
class AppHistogram implements AppKeepAlive {
  readonly counts: number[] = new Array<number>(BINS).fill(0);
  inRange = 0;
  outOfBounds = 0;

  onInvocation(_nowMs: number, idleMs: number | undefined): void {
    // BEGIN SOLUTION
    if (idleMs === undefined) return; // the application's first invocation: nothing was idle yet
    const bin = Math.floor(idleMs / BIN_MS);
    if (bin < BINS) {
      this.counts[bin]!++;
      this.inRange++;
    } else {
      this.outOfBounds++;
    }
    // END SOLUTION
  }

  windows(_nowMs: number): KeepAliveWindows {
    // BEGIN SOLUTION
    if (!representative(this)) return FALLBACK;
    const preWarmMs = percentileBin(this, HEAD) * BIN_MS * (1 - MARGIN);
    // The tail bin's upper edge: an idle time in bin i lasted up to (i + 1) minutes.
    const loadedUntilMs = (percentileBin(this, TAIL) + 1) * BIN_MS * (1 + MARGIN);
    return { preWarmMs, keepAliveMs: loadedUntilMs - preWarmMs };
    // END SOLUTION
  }
}

/** Is the histogram worth trusting: idle times seen, most of them in range, and concentrated in few bins? */
function representative(h: AppHistogram): boolean {
  // BEGIN SOLUTION
  const all = h.inRange + h.outOfBounds;
  if (all === 0 || h.outOfBounds / all >= MAX_OUT_OF_BOUNDS) return false;
  const mean = h.inRange / BINS;
  let squares = 0;
  for (const c of h.counts) squares += (c - mean) * (c - mean);
  const cv = Math.sqrt(squares / (BINS - 1)) / mean;
  return cv >= MIN_CV;
  // END SOLUTION
}

/** The bin holding the p-quantile of the in-range idle times: the first bin whose cumulative share reaches p. */
function percentileBin(h: AppHistogram, p: number): number {
  // BEGIN SOLUTION
  const target = p * h.inRange;
  let cumulative = 0;
  for (let i = 0; i < BINS; i++) {
    cumulative += h.counts[i]!;
    if (cumulative >= target - 1e-9) return i;
  }
  return BINS - 1;
  // END SOLUTION
}

export const policy: KeepAlivePolicy = {
  name: "hybrid-histogram",
  forApp: () => new AppHistogram(),
};
