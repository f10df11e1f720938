// Tests for `vmlab bench`'s text: the interpreter's target is interp_vs_plain_switch, and counts have thousands separators.
import { describe, expect, it } from "vitest";
import type { BenchResult } from "../../src/analysis/bench.js";
import { formatBench, formatModelBench, type ModelBench } from "./bench.js";

const result = (interpVsPlain: number): BenchResult => ({
  kernels: [{
    name: "primes", guest_instructions: 12_114_177, native_ms: 1, interp_ms: 84, interp_vs_native: 84, interp_ips: 144_700_000, interp_cpu_ms: 80,
    dbt_ms: 90, dbt_cpu_ms: 85, dbt_cold_ms: 300, dbt_vs_native: 90, dbt_vs_interp: 1.07, dbt_translated_share: 0.99,
  }],
  analysis: { pg_classify: { wall_ms: 160, cpu_ms: 95 }, equivalence_check: { wall_ms: 17, cpu_ms: 18 } },
  ratios: { interp_vs_native: 84, dbt_vs_native: 90, dbt_vs_interp: 1.07 },
  calibration: { iterations: 2_000_000, native_ms: 0.75, plain_switch_ms: 23, interp_ms: 23 * interpVsPlain, plain_switch_vs_native: 31, interp_vs_plain_switch: interpVsPlain },
  repetitions: 5,
  node: "v20.19.0",
  target: { interp_vs_plain_switch: 2.7, met: interpVsPlain <= 2.7 },
  dbt_target: { dbt_vs_native: 4, dbt_vs_interp: 0.1, met: false },
});

describe("formatBench", () => {
  it("reports the interpreter's target as interp_vs_plain_switch ≤ 2.7, not a ratio to JavaScript", () => {
    expect(formatBench(result(2.4))).toContain("interpreter target: interp_vs_plain_switch ≤ 2.7× — met (2.4×)");
    expect(formatBench(result(2.9))).toContain("interpreter target: interp_vs_plain_switch ≤ 2.7× — not met (2.9×)");
    expect(formatBench(result(2.4))).not.toMatch(/target ≤ 8×/);
  });

  it("reports the best case under the translator when the kernels have one, and nothing when none has", () => {
    const r = result(2.4);
    const withBest: BenchResult = { ...r, kernels: [{ ...r.kernels[0]!, best_case_ms: 8.3, best_case_vs_native: 8.3 }], ratios: { ...r.ratios, best_case_vs_native: 8.3 } };
    expect(formatBench(withBest)).toContain("best case for a translator of this design (the guest's loops by hand, every memory access through the TLB's fast view, the budget per block): 8.3× JavaScript (median; primes 8.30 ms = 8.3×)");
    expect(formatBench(r)).not.toContain("best case");
  });

  it("reports the binary translator's two targets on the medians over the kernels", () => {
    expect(formatBench(result(2.4))).toContain("binary translator (median over kernels): 90× JavaScript (target ≤ 4×), 1.07× the interpreter (target ≤ 0.1×) — not met");
    expect(formatBench(result(2.4))).toMatch(/^primes .* 99%$/m);
  });

  it("shows the reference engine's figure when the result has one", () => {
    expect(formatBench({ ...result(2.4), reference: { iterations: 200_000, ms: 70, vs_interp: 10.2 } })).toContain(
      "reference engine (the differential oracle, no fast paths): 70 ms for 200,000 iterations = 10.2× the interpreter per iteration",
    );
    expect(formatBench(result(2.4))).not.toContain("reference engine");
  });

  it("writes counts with thousands separators and the analyses' wall and CPU time", () => {
    const text = formatBench(result(2.4));
    expect(text).toMatch(/^primes +12,114,177 /m);
    expect(text).toContain("sum of i² for 2,000,000 iterations");
    expect(text).toContain("(pg_classify): 160 ms wall, 95 ms CPU");
  });
});

describe("formatModelBench", () => {
  const models = (eventsPerSecond: number): ModelBench => ({
    events: 1_000_000, wall_ms: 2500, cpu_ms: 1e9 / eventsPerSecond, events_per_second: eventsPerSecond, events_per_wall_second: 400_000,
    target_events_per_second: 1_000_000,
    openlambda: { wall_ms: 104.6, cpu_ms: 35.5, target_ms: 100, met: true, requests: 4699 },
    invocations: { wall_ms: 22_049, cpu_ms: 3100, target_ms: 10_000, met: true, count: 999_604, invocations_per_second: 322_453 },
    containers: { experiment: "weights 200:100", repetitions: 5, median_wall_ms: 12, median_cpu_ms: 9, events: 1234, simulated_seconds: 6 },
    met: eventsPerSecond >= 1_000_000,
  });

  it("judges the event engine's target on CPU time and shows the wall-clock rate beside it", () => {
    const text = formatModelBench(models(2_500_000));
    expect(text).toContain("= 2,500,000 events/s (400,000 per wall second); target ≥ 1,000,000 — met");
    expect(formatModelBench(models(800_000))).toContain("target ≥ 1,000,000 — not met");
  });

  it("shows the OpenLambda experiment and the million invocations with their targets", () => {
    const text = formatModelBench(models(2_500_000));
    expect(text).toContain("OpenLambda experiment: 4,699 requests in 35.5 ms CPU (104.6 ms wall); target < 100 ms — met");
    expect(text).toContain("999,604 invocations: 3.10 s CPU (22.05 s wall); target < 10 s — met");
  });
});
