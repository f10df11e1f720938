// Tests for the keep-alive policies as pure logic: fixed, no unloading, the hybrid histogram and bad answers.
import { describe, expect, it } from "vitest";
import { createRng } from "../sim/rng.js";
import { hybridHistogramPolicy } from "./hybrid-policy.js";
import { IdleHistogram } from "./idle-histogram.js";
import { checkWindows, fixedKeepAlive, noUnloading, parsePolicyName } from "./keep-alive.js";

const MIN = 60_000;

describe("fixed keep-alive and no unloading", () => {
  it("keeps every instance for the same time and never pre-warms", () => {
    const app = fixedKeepAlive(10 * MIN).forApp("a");
    app.onInvocation(0, undefined);
    expect(app.windows(1000)).toEqual({ preWarmMs: 0, keepAliveMs: 600_000 });
    expect(fixedKeepAlive(10 * MIN).name).toBe("fixed-10min");
    expect(noUnloading().forApp("a").windows(0)).toEqual({ preWarmMs: 0, keepAliveMs: Infinity });
  });
});

describe("the idle-time histogram", () => {
  it("bins idle times by minute, counts the rest out of bounds and finds percentile bins", () => {
    const h = new IdleHistogram(MIN, 240);
    for (const t of [0.5, 1.5, 1.7, 2.2, 300].map((m) => m * MIN)) h.add(t);
    expect([...h.counts.slice(0, 3)]).toEqual([1, 2, 1]);
    expect(h.outOfBounds).toBe(1);
    expect(h.percentileBin(0.05)).toBe(0);
    expect(h.percentileBin(0.5)).toBe(1);
    expect(h.percentileBin(0.99)).toBe(2);
    expect(h.outOfBoundsRate).toBeCloseTo(0.2, 12);
  });
});

describe("the hybrid histogram policy", () => {
  it("falls back to a 4-hour keep-alive without pre-warming before it has seen an idle time", () => {
    const app = hybridHistogramPolicy().forApp("a");
    app.onInvocation(0, undefined);
    expect(app.windows(100)).toEqual({ preWarmMs: 0, keepAliveMs: 4 * 60 * MIN });
  });

  it("pre-warms at 90% of the 5th percentile's bin and keeps the instance to 110% of the 99th's for a 15-minute timer", () => {
    const policy = hybridHistogramPolicy();
    const app = policy.forApp("timer");
    for (let i = 0; i < 20; i++) app.onInvocation(i * 15 * MIN, i === 0 ? undefined : 14.5 * MIN);
    const w = app.windows(0);
    expect(policy.apps.get("timer")!.mode).toBe("histogram");
    expect(w.preWarmMs).toBeCloseTo(14 * MIN * 0.9, 6); // loaded again 12.6 minutes after the execution
    expect(w.preWarmMs + w.keepAliveMs).toBeCloseTo(15 * MIN * 1.1, 6); // and kept until 16.5 minutes
  });

  it("uses the fallback when idle times spread evenly over the range (bin counts with a low CV)", () => {
    const policy = hybridHistogramPolicy();
    const app = policy.forApp("spread");
    const rng = createRng(7);
    for (let i = 0; i < 2000; i++) app.onInvocation(0, rng.next() * 240 * MIN);
    expect(app.windows(0)).toEqual({ preWarmMs: 0, keepAliveMs: 240 * MIN });
    expect(policy.apps.get("spread")!.mode).toBe("not-representative");
  });

  it("uses the fallback when most idle times are longer than the range", () => {
    const policy = hybridHistogramPolicy();
    const app = policy.forApp("daily");
    for (let i = 0; i < 5; i++) app.onInvocation(0, 24 * 60 * MIN);
    app.onInvocation(0, 5 * MIN);
    expect(app.windows(0).keepAliveMs).toBe(240 * MIN);
    expect(policy.apps.get("daily")!.mode).toBe("out-of-bounds");
  });

  it("keeps separate histograms per application", () => {
    const policy = hybridHistogramPolicy();
    const a = policy.forApp("a");
    const b = policy.forApp("b");
    a.onInvocation(0, 30 * MIN);
    expect(a.windows(0).preWarmMs).toBeGreaterThan(0);
    expect(b.windows(0).preWarmMs).toBe(0);
  });
});

describe("policy names and answers", () => {
  it("knows fixed, no-unloading (alias none) and hybrid, and suggests the nearest for a typo", () => {
    expect(parsePolicyName("hybrid")).toBe("hybrid");
    expect(parsePolicyName("none")).toBe("none");
    expect(() => parsePolicyName("hybird")).toThrow(/unknown keep-alive policy 'hybird'/);
    expect(() => parsePolicyName("fixd")).toThrow(expect.objectContaining({ code: "SIM_BAD_PARAMETER", hint: "did you mean 'fixed'?" }));
    expect(() => parsePolicyName("lru")).toThrow(expect.objectContaining({ hint: "policies are fixed, no-unloading, none, hybrid" }));
  });

  it("refuses a negative, NaN or never-ending pre-warm window with the policy's name", () => {
    expect(() => checkWindows("mine", { preWarmMs: -1, keepAliveMs: 0 })).toThrow(/keep-alive policy 'mine' returned/);
    expect(() => checkWindows("mine", { preWarmMs: 0, keepAliveMs: NaN })).toThrow(/mine/);
    expect(() => checkWindows("mine", { preWarmMs: Infinity, keepAliveMs: 0 })).toThrow(/mine/);
    expect(checkWindows("mine", { preWarmMs: 0, keepAliveMs: Infinity })).toEqual({ preWarmMs: 0, keepAliveMs: Infinity });
  });
});
