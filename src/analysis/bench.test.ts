// The benchmark runs real guests and real JavaScript twins, and refuses kernels whose answers disagree.
import { describe, expect, it } from "vitest";
import { benchKernels, runBench } from "./bench.js";
import { runGuest } from "../guests/index.js";

describe("the benchmark", () => {
  it("has a JavaScript twin for every kernel whose answers the guest prints", () => {
    for (const k of benchKernels()) {
      const defines = { ...k.defines, REPS: 2 };
      const run = runGuest(k.name, { defines });
      for (const v of k.native(defines)) expect(run.console).toContain(v);
    }
  });

  it("reports instructions, times and ratios computed from its clock", () => {
    let t = 0;
    const result = runBench({ repetitions: 1, scale: 0.001, only: ["primes"], now: () => (t += 2) });
    const [primes] = result.kernels;
    expect(primes!.guest_instructions).toBeGreaterThan(1000);
    // With a clock that advances 2 ms per reading, a guest run measures 2 ms; the JavaScript side, too
    // short to time alone, is repeated ceil(30 / 2) = 15 times per reading, so one run measures 2/15 ms.
    expect(primes!.interp_ms).toBe(2);
    expect(primes!.native_ms).toBe(0.13);
    expect(primes!.interp_vs_native).toBe(15);
    expect(result.ratios.interp_vs_native).toBe(15);
    expect(result.target.met).toBe(false);
  });

  it("names the kernels it knows when asked for one it does not", () => {
    expect(() => runBench({ only: ["nope"] })).toThrow(/no benchmark kernel named nope/);
  });
});
