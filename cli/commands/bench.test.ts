// Tests for `vmlab bench`'s text: the interpreter's target is interp_vs_plain_switch, and counts have thousands separators.
import { describe, expect, it } from "vitest";
import type { BenchResult } from "../../src/analysis/bench.js";
import { formatBench } from "./bench.js";

const result = (interpVsPlain: number): BenchResult => ({
  kernels: [{ name: "primes", guest_instructions: 12_114_177, native_ms: 1, interp_ms: 84, interp_vs_native: 84, interp_ips: 144_700_000 }],
  analysis: { pg_classify: { wall_ms: 160, cpu_ms: 95 }, equivalence_check: { wall_ms: 17, cpu_ms: 18 } },
  ratios: { interp_vs_native: 84 },
  calibration: { iterations: 2_000_000, native_ms: 0.75, plain_switch_ms: 23, interp_ms: 23 * interpVsPlain, plain_switch_vs_native: 31, interp_vs_plain_switch: interpVsPlain },
  repetitions: 5,
  node: "v20.19.0",
  target: { interp_vs_plain_switch: 2.7, met: interpVsPlain <= 2.7 },
});

describe("formatBench", () => {
  it("reports the interpreter's target as interp_vs_plain_switch ≤ 2.7, not a ratio to JavaScript", () => {
    expect(formatBench(result(2.4))).toContain("interpreter target: interp_vs_plain_switch ≤ 2.7× — met (2.4×)");
    expect(formatBench(result(2.9))).toContain("interpreter target: interp_vs_plain_switch ≤ 2.7× — not met (2.9×)");
    expect(formatBench(result(2.4))).not.toMatch(/target ≤ 8×/);
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
