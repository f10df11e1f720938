// Keep-alive policies replayed on traces: the 15-minute timer that a 10-minute keep-alive always misses and the hybrid policy catches.
import { describe, expect, it } from "vitest";
import { comparePolicies, policyByName } from "./keep-alive-experiment.js";
import { loadAzure2019 } from "./azure-2019.js";
import { generateSyntheticTrace } from "./synthetic-trace.js";
import { TraceBuilder } from "./trace.js";

const MIN = 60_000;

function everyFifteenMinutes(hours: number) {
  const b = new TraceBuilder();
  const fn = b.fn(b.app("timer", 256), "tick", "timer");
  for (let t = 0; t < hours * 60; t += 15) b.add(fn, t * MIN, 1000);
  return b.build("a timer every 15 minutes");
}

describe("keep-alive policies on a 15-minute timer (Shahrad et al.'s motivating case)", () => {
  const trace = everyFifteenMinutes(24);
  const [fixed, hybrid, never] = comparePolicies(trace, [policyByName("fixed"), policyByName("hybrid"), policyByName("no-unloading")]);

  it("is cold on every invocation with the fixed 10-minute keep-alive", () => {
    expect(fixed!.invocations).toBe(96);
    expect(fixed!.coldStarts).toBe(96);
    // Each invocation then holds 256 MB for 10 idle minutes: 150 GB-s apiece.
    expect(fixed!.wastedGbSeconds).toBeCloseTo(96 * 150, 0);
  });

  it("is warm nearly every time with the hybrid policy, cold only before it has seen an idle time", () => {
    expect(hybrid!.coldStarts).toBe(1);
    expect(hybrid!.coldStartRate).toBeLessThan(0.02);
  });

  it("costs the hybrid policy about 2.4 idle minutes of 256 MB per invocation — a quarter of the fixed policy's memory", () => {
    // Pre-warmed at 12.6 minutes after each execution, invoked at 14.98: 2.4 minutes × 0.25 GB = 36 GB-s each,
    // plus 15 minutes of the 4-hour fallback before the first idle time and the last window after the trace.
    expect(hybrid!.wastedGbSeconds / 95).toBeGreaterThan(34);
    expect(hybrid!.wastedGbSeconds / 95).toBeLessThan(40);
    expect(hybrid!.wastedRelative).toBeGreaterThan(0.2);
    expect(hybrid!.wastedRelative).toBeLessThan(0.3);
  });

  it("is warm after the first invocation without unloading, at the price of memory held all day", () => {
    expect(never!.coldStarts).toBe(1);
    expect(never!.wastedGbSeconds).toBeGreaterThan(fixed!.wastedGbSeconds);
  });
});

describe("keep-alive policies on the synthetic Azure sample", () => {
  it("gives the hybrid policy fewer cold starts than the fixed 10 minutes, and no unloading fewer still", () => {
    const files = generateSyntheticTrace();
    const trace = loadAzure2019({
      invocations: [{ file: "i", text: files["invocations_per_function_md.anon.d01.csv"]! }],
      durations: [{ file: "d", text: files["function_durations_percentiles.anon.d01.csv"]! }],
      memory: [{ file: "m", text: files["app_memory_percentiles.anon.d01.csv"]! }],
    });
    const [fixed, hybrid, never] = comparePolicies(trace, [policyByName("fixed"), policyByName("hybrid"), policyByName("none")]);
    expect(hybrid!.coldStarts).toBeLessThan(fixed!.coldStarts);
    expect(never!.coldStarts).toBeLessThanOrEqual(hybrid!.coldStarts);
    // Without unloading, the only cold starts are each application's first and its bursts' extra instances.
    expect(never!.coldStarts).toBeGreaterThanOrEqual(trace.apps.length);
  });
});
