// The hybrid histogram keep-alive policy of Shahrad et al. (USENIX ATC 2020), without its ARIMA branch.
//
// Per application, a histogram of idle times (IT: from the end of one execution to the next invocation) over
// 4 hours in 1-minute bins. When the histogram is representative, the policy pre-warms at the 5th percentile
// and keeps the instance loaded to the 99th: pre-warm = lower edge of the 5th-percentile bin × (1 − 10%), loaded
// until upper edge of the 99th-percentile bin × (1 + 10%). While it is not — no idle time seen yet, bin counts
// spread evenly (coefficient of variation below 2, the threshold of the paper's OpenWhisk implementation and of
// the dslab and OpenDC re-implementations), or half the idle times beyond the range — it falls back to the
// standard keep-alive: no pre-warming and a keep-alive as long as the histogram's range. The paper forecasts
// the out-of-range applications with ARIMA instead; this model keeps the fixed fallback for them (the issue asks
// for the fixed fallback), which is conservative: warm, at a memory cost.
import { IdleHistogram } from "./idle-histogram.js";
import type { AppKeepAlive, KeepAlivePolicy, KeepAliveWindows } from "./keep-alive.js";
import { CITATIONS, sourced, type SourcedValue } from "./sources.js";
import { fraction, positive } from "./validate.js";

/** The hybrid policy's parameters; defaults are the paper's. */
export interface HybridOptions {
  /** Histogram range (default 4 hours). */
  readonly rangeMs?: number;
  /** Bin width (default 1 minute). */
  readonly binMs?: number;
  /** Head percentile for pre-warming (default 0.05). */
  readonly headPercentile?: number;
  /** Tail percentile for keep-alive (default 0.99). */
  readonly tailPercentile?: number;
  /** Margin taken off the pre-warm window and added to the keep-alive end (default 0.1). */
  readonly margin?: number;
  /** Bin-count CV at or above which the histogram counts as representative (default 2). */
  readonly cvThreshold?: number;
  /** Out-of-bounds share at or above which the histogram is not used (default 0.5). */
  readonly outOfBoundsThreshold?: number;
  /** Keep-alive while the histogram is not representative (default: the range, 4 hours). */
  readonly fallbackKeepAliveMs?: number;
}

const DEFAULTS = {
  rangeMs: 4 * 3_600_000,
  binMs: 60_000,
  headPercentile: 0.05,
  tailPercentile: 0.99,
  margin: 0.1,
  cvThreshold: 2,
  outOfBoundsThreshold: 0.5,
} as const;

/** The hybrid policy's defaults with their sources, for tables. */
export function hybridSources(): SourcedValue[] {
  return [
    sourced("histogram range", DEFAULTS.rangeMs / 60_000, "min", CITATIONS.shahrad2020),
    sourced("bin width", DEFAULTS.binMs / 60_000, "min", CITATIONS.shahrad2020),
    sourced("pre-warm percentile", DEFAULTS.headPercentile * 100, "%", CITATIONS.shahrad2020),
    sourced("keep-alive percentile", DEFAULTS.tailPercentile * 100, "%", CITATIONS.shahrad2020),
    sourced("margin", DEFAULTS.margin * 100, "%", CITATIONS.shahrad2020),
    sourced("representative when bin-count CV ≥", DEFAULTS.cvThreshold, "", "estimate: the threshold of the OpenWhisk, dslab and OpenDC implementations of the policy"),
  ];
}

/** Why the policy chose its windows. */
export type HybridMode = "histogram" | "no-history" | "not-representative" | "out-of-bounds";

/** One application's state: its histogram and the last decision's reason. */
export class HybridAppState implements AppKeepAlive {
  readonly histogram: IdleHistogram;
  mode: HybridMode = "no-history";

  constructor(private readonly o: Required<HybridOptions>) {
    this.histogram = new IdleHistogram(o.binMs, Math.round(o.rangeMs / o.binMs));
  }

  onInvocation(_nowMs: number, idleMs: number | undefined): void {
    if (idleMs !== undefined) this.histogram.add(idleMs);
  }

  windows(): KeepAliveWindows {
    const h = this.histogram;
    const o = this.o;
    if (h.inRange + h.outOfBounds === 0) this.mode = "no-history";
    else if (h.outOfBoundsRate >= o.outOfBoundsThreshold) this.mode = "out-of-bounds";
    else if (h.binCountCv() < o.cvThreshold) this.mode = "not-representative";
    else this.mode = "histogram";
    if (this.mode !== "histogram") return { preWarmMs: 0, keepAliveMs: o.fallbackKeepAliveMs };
    const preWarmMs = h.percentileBin(o.headPercentile) * o.binMs * (1 - o.margin);
    const loadedUntilMs = (h.percentileBin(o.tailPercentile) + 1) * o.binMs * (1 + o.margin);
    return { preWarmMs, keepAliveMs: loadedUntilMs - preWarmMs };
  }
}

/** Builds the hybrid histogram policy. */
export function hybridHistogramPolicy(options: HybridOptions = {}): KeepAlivePolicy & { readonly apps: Map<string, HybridAppState> } {
  const o: Required<HybridOptions> = {
    ...DEFAULTS,
    fallbackKeepAliveMs: options.rangeMs ?? DEFAULTS.rangeMs,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  positive("histogram range", o.rangeMs, "ms");
  positive("histogram bin width", o.binMs, "ms");
  fraction("head percentile", o.headPercentile);
  fraction("tail percentile", o.tailPercentile);
  fraction("margin", o.margin);
  fraction("out-of-bounds threshold", o.outOfBoundsThreshold);
  const apps = new Map<string, HybridAppState>();
  return {
    name: "hybrid",
    apps,
    forApp(app: string) {
      const state = new HybridAppState(o);
      apps.set(app, state);
      return state;
    },
  };
}
