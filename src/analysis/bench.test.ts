// The benchmark runs real guests and real JavaScript twins, and refuses kernels whose answers disagree.
import { describe, expect, it } from "vitest";
import { benchKernels, calibrate, plainSwitchInterpreter, referenceFigure, runBench } from "./bench.js";
import { runGuest } from "../guests/index.js";

describe("the benchmark", () => {
  it("has a JavaScript twin for every kernel whose answers the guest prints", () => {
    for (const k of benchKernels()) {
      const defines = { ...k.defines, REPS: 2 };
      const run = runGuest(k.name, { defines });
      for (const v of k.native(defines)) expect(run.console).toContain(v);
    }
  });

  it("has a best case for sort, primes and matmul that computes what their JavaScript versions compute, and for no other kernel", () => {
    const withBest = benchKernels().filter((k) => k.bestCase);
    expect(withBest.map((k) => k.name)).toEqual(["sort", "primes", "matmul"]);
    for (const k of withBest) {
      for (const reps of [1, 3]) {
        const defines = { ...k.defines, REPS: reps };
        expect(k.bestCase!(defines), k.name).toEqual(k.native(defines));
      }
    }
  });

  it("reports instructions, times and ratios computed from its clock", () => {
    let t = 0;
    let cpu = 0;
    const result = runBench({ repetitions: 1, scale: 0.001, only: ["primes"], now: () => (t += 2), cpuNow: () => (cpu += 3) });
    const [primes] = result.kernels;
    expect(primes!.guest_instructions).toBeGreaterThan(1000);
    // With a clock that advances 2 ms per reading, a guest run measures 2 ms; the JavaScript side, too
    // short to time alone, is repeated ceil(30 / 2) = 15 times per reading, so one run measures 2/15 ms.
    expect(primes!.interp_ms).toBe(2);
    expect(primes!.native_ms).toBe(0.13);
    expect(primes!.interp_vs_native).toBe(15);
    expect(result.ratios.interp_vs_native).toBe(15);
    // The translator's runs are timed by the same clocks: 2 ms of wall time, so 15× JavaScript and 1× the interpreter; 3 ms of CPU time.
    expect([primes!.dbt_ms, primes!.dbt_cpu_ms, primes!.dbt_cold_ms, primes!.interp_cpu_ms]).toEqual([2, 3, 2, 3]);
    // The best case is timed as the JavaScript version is: 2/15 ms, 1× JavaScript.
    expect([primes!.best_case_ms, primes!.best_case_vs_native]).toEqual([0.13, 1]);
    expect(result.ratios).toEqual({ interp_vs_native: 15, dbt_vs_native: 15, dbt_vs_interp: 1, best_case_vs_native: 1 });
    expect(result.dbt_target).toEqual({ dbt_vs_native: 4, dbt_vs_interp: 0.1, met: false });
    expect(primes!.dbt_translated_share).toBeGreaterThan(0.5);
    // The target is the calibration's interp_vs_plain_switch, which this clock makes 1: within 2.7.
    expect(result.calibration.interp_vs_plain_switch).toBe(1);
    expect(result.target).toEqual({ interp_vs_plain_switch: 2.7, met: true });
    // Each analysis is timed between two readings of each clock: 2 ms of wall time, 3 ms of CPU time.
    expect(result.analysis).toEqual({ pg_classify: { wall_ms: 2, cpu_ms: 3 }, equivalence_check: { wall_ms: 2, cpu_ms: 3 } });
  });

  it("names the kernels it knows when asked for one it does not", () => {
    expect(() => runBench({ only: ["nope"] })).toThrow(/no benchmark kernel named nope/);
  });
});

describe("the calibration loop", () => {
  it("computes the same sum on JavaScript, the plain switch interpreter and vmlab's interpreter, and times all three", () => {
    let t = 0;
    const c = calibrate(1000, 1, () => (t += 1));
    expect(c.iterations).toBe(1000);
    // With a clock that advances 1 ms per reading every engine measures 1 ms.
    expect([c.native_ms, c.plain_switch_ms, c.interp_ms, c.plain_switch_vs_native, c.interp_vs_plain_switch]).toEqual([1, 1, 1, 1, 1]);
  });

  it("times the reference engine on a tenth of the loop and compares it per iteration with the interpreter", () => {
    let t = 0;
    const c = calibrate(2000, 1, () => (t += 1));
    // The clock makes the reference engine's 200 iterations take 1 ms, the interpreter's 2000 also 1 ms: 10× per iteration.
    expect(referenceFigure(c, 1, () => (t += 1))).toEqual({ iterations: 200, ms: 1, vs_interp: 10 });
  });

  it("runs the plain switch interpreter's five opcodes as a compare-and-branch loop", () => {
    const op = (o: number, a = 0, b = 0, c = 0) => o | (a << 8) | (b << 12) | (c << 16);
    const code = new Int32Array([op(1, 4, 2, 2), op(2, 1, 1, 4), op(3, 2, 2), op(4, 2, 3), op(5), op(6)]);
    const R = new Int32Array(16);
    R[3] = 10;
    const executed = plainSwitchInterpreter(code, new Int32Array([0, 0, 1, 0, 0, 0]), R);
    expect(R[1]).toBe(285); // 0² + 1² + … + 9²
    expect(executed).toBe(10 * 5 + 1);
  });
});
