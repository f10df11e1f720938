// Benchmarks: the bundled compute programs on the interpreter and the binary translator against the same algorithms written directly in JavaScript, and the analyses' own speed.
//
// Each kernel is a bundled user program (guests/programs/NAME.s) run by the teaching kernel — paging on,
// user mode, timer interrupts — scaled with its REPS constant, and a JavaScript function that runs the
// same algorithm on the same data with the same loops. Both run in this process, warmed up first, and
// the median of several repetitions is reported. A kernel whose JavaScript answer is not in the guest's
// console output is an error, so the two sides are known to do the same work. The analyses a course runs
// often (the Popek–Goldberg classifier, one equivalence check) are timed too, in wall and CPU time, and so
// is the reference engine (the differential oracle) on the calibration loop: speed targets live here,
// never in tests, because a loaded machine makes timed tests fail for no reason.
import { buildGuest } from "../guests/index.js";
import { processCpuMs } from "../sim/timed.js";
import { Machine } from "../machine/machine.js";
import { assemble } from "../isa/assembler.js";
import { VmlabError } from "../core/errors.js";
import { classify } from "./pg.js";
import { checkEquivalence } from "./equivalence.js";
import { emulatingHandlers } from "../vmm/emulator.js";
import type { Engine } from "../engines/engine.js";
import { reference } from "../engines/reference.js";
import { createDbt, dbt } from "../engines/dbt.js";
import { matmulBestCase, primesBestCase, sortBestCase } from "./best-case.js";

/** One benchmark kernel: a bundled program and its JavaScript twin. */
export interface BenchKernel {
  readonly name: string;
  /** Assembler constants that scale the guest's work. */
  readonly defines: Readonly<Record<string, number>>;
  /** Run the algorithm in JavaScript; returns the values the guest must print. */
  native(defines: Readonly<Record<string, number>>): string[];
  /** The guest's loops translated by hand, the best case for a translator of vmlab's design (best-case.ts); the same values as `native`. */
  bestCase?(defines: Readonly<Record<string, number>>): string[];
}

/** Result of one kernel. */
export interface KernelResult {
  readonly name: string;
  readonly guest_instructions: number;
  /** Median wall time of the JavaScript version, in milliseconds. */
  readonly native_ms: number;
  /** Median wall time of the interpreter, in milliseconds. */
  readonly interp_ms: number;
  readonly interp_vs_native: number;
  /** Guest instructions per second on the interpreter. */
  readonly interp_ips: number;
  /** Median CPU time of the interpreter's runs, in milliseconds. */
  readonly interp_cpu_ms: number;
  /**
   * Median wall and CPU time of the binary translator (engines/dbt.ts) on a fresh machine, translation
   * included; the engine keeps the JavaScript it compiled for identical regions of earlier machines (the
   * warm-up made them), so V8's compiled code is reused while each machine decodes and builds its own regions.
   */
  readonly dbt_ms: number;
  readonly dbt_cpu_ms: number;
  /** Median wall time with a new translator per run: every region compiled and optimised by V8 afresh. */
  readonly dbt_cold_ms: number;
  readonly dbt_vs_native: number;
  readonly dbt_vs_interp: number;
  /** Share of the guest's instructions that ran translated (the rest ran on the interpreter: cold code, boundaries). */
  readonly dbt_translated_share: number;
  /** Median wall time of the kernel's best case (best-case.ts; kernels that have one), and its ratio to JavaScript: the floor under dbt_vs_native. */
  readonly best_case_ms?: number;
  readonly best_case_vs_native?: number;
}

/**
 * A calibration loop (sum of i² for i < n) run three ways: in JavaScript, on the simplest possible
 * switch interpreter (five opcodes, registers in a typed array, no MMU, no interrupts, no counters),
 * and on vmlab's interpreter. It separates what interpretation itself costs from what vmlab's machine
 * (TLB on every fetch and access, lazy flags, interrupt checks, counters) adds on top.
 */
export interface Calibration {
  readonly iterations: number;
  readonly native_ms: number;
  readonly plain_switch_ms: number;
  readonly interp_ms: number;
  readonly plain_switch_vs_native: number;
  readonly interp_vs_plain_switch: number;
}

/** Median wall and CPU time of one analysis, in milliseconds. */
export interface AnalysisTime {
  readonly wall_ms: number;
  readonly cpu_ms: number;
}

/** How long the analyses take that notebooks, `vmlab pg` and the grader run. */
export interface AnalysisTimes {
  /** `classify("x86")`: every instruction form in every configuration. */
  readonly pg_classify: AnalysisTime;
  /** One equivalence check of a small guest (a CLI/STI loop) under the reference handlers. */
  readonly equivalence_check: AnalysisTime;
}

/**
 * The reference engine (engines/reference.ts, the differential oracle: every template called on the
 * machine, no fast paths) on the calibration loop, with a tenth of its iterations since it is slow.
 */
export interface ReferenceFigure {
  readonly iterations: number;
  readonly ms: number;
  /** Its time per iteration over the interpreter's on the calibration loop. */
  readonly vs_interp: number;
}

export interface BenchResult {
  readonly kernels: KernelResult[];
  readonly analysis: AnalysisTimes;
  /** Medians over the kernels (best_case_vs_native: over the kernels with a best case). */
  readonly ratios: { readonly interp_vs_native: number; readonly dbt_vs_native: number; readonly dbt_vs_interp: number; readonly best_case_vs_native?: number };
  readonly calibration: Calibration;
  /** Absent in results made before the reference engine was measured. */
  readonly reference?: ReferenceFigure;
  readonly repetitions: number;
  readonly node: string;
  /**
   * The interpreter's target: vmlab's interpreter at most this many times the plain switch interpreter on the
   * calibration loop, i.e. what the MMU, lazy flags, interrupt checks and counters may add to interpretation
   * itself. (Within some factor of plain JavaScript is the binary translator's target, not the interpreter's.)
   */
  readonly target: { readonly interp_vs_plain_switch: number; readonly met: boolean };
  /** The binary translator's targets, on the medians over the kernels: dbt_vs_native ≤ 4 and dbt_vs_interp ≤ 0.1. */
  readonly dbt_target: { readonly dbt_vs_native: number; readonly dbt_vs_interp: number; readonly met: boolean };
}

export interface BenchOptions {
  /** Timed repetitions per kernel and side (after one warm-up). Default 5. */
  readonly repetitions?: number;
  /** Multiply every kernel's REPS (default 1). */
  readonly scale?: number;
  /** Only these kernels. */
  readonly only?: readonly string[];
  /** Monotonic clock in milliseconds (injected for tests). */
  readonly now?: () => number;
  /** CPU time of this process in milliseconds (injected for tests). */
  readonly cpuNow?: () => number;
}

export { processCpuMs } from "../sim/timed.js";

/** The small guest of the equivalence-check figure: 100 rounds of CLI and STI, each trapping to the monitor. */
const CHECK_GUEST = `
_start: mov sp, 0x3000
        mov r1, 100
loop:   cli
        sti
        sub r1, r1, 1
        jnz loop
        out 0xf0, r0`;

/** Time the analyses: one warm-up, then the median wall and CPU time of `repetitions` runs each. */
export function timeAnalyses(repetitions: number, now: () => number, cpuNow: () => number): AnalysisTimes {
  const time = (f: () => unknown): AnalysisTime => {
    f();
    const wall: number[] = [], cpu: number[] = [];
    for (let r = 0; r < repetitions; r++) {
      const w0 = now(), c0 = cpuNow();
      f();
      cpu.push(cpuNow() - c0);
      wall.push(now() - w0);
    }
    return { wall_ms: round(median(wall)), cpu_ms: round(median(cpu)) };
  };
  const guest = assemble(CHECK_GUEST, { file: "check-guest.s" });
  return {
    pg_classify: time(() => classify("x86")),
    equivalence_check: time(() => {
      if (!checkEquivalence(guest, emulatingHandlers(), { memoryBytes: 16384 }).equivalent) {
        throw new VmlabError("BENCH_MISMATCH", "the equivalence-check guest was not equivalent under the reference handlers");
      }
    }),
  };
}

const encoder = new TextEncoder();

/** The guests' texts, read back from their assembled images so both sides work on identical bytes. */
function programText(name: string, label: string): Uint8Array {
  const build = buildGuest(name);
  const program = build.program!;
  const { base, bytes } = program.image();
  const start = program.symbols.get(label)! - base;
  let end = start;
  while (bytes[end] !== 0) end++;
  return bytes.slice(start, end);
}

const hex = (v: number) => "0x" + (v >>> 0).toString(16);

/** The kernels: the same loops as guests/programs/*.s. */
export function benchKernels(): BenchKernel[] {
  const checksumText = programText("checksum", "text");
  const stringsText = programText("strings", "text");
  return [
    {
      name: "checksum",
      defines: { REPS: 2000 },
      native: ({ REPS }) => {
        const t = checksumText;
        let h = 0x811c9dc5 | 0;
        for (let r = 0; r < REPS!; r++) for (let i = 0; t[i] !== 0 && i < t.length; i++) h = Math.imul(h ^ t[i]!, 0x01000193);
        let a = 1, b = 0;
        for (let r = 0; r < REPS!; r++) {
          for (let i = 0; i < t.length; i++) {
            a = (a + t[i]!) % 65521;
            b = (b + a) % 65521;
          }
        }
        return [hex(h), hex((b << 16) | a)];
      },
    },
    {
      name: "sort",
      bestCase: sortBestCase,
      defines: { REPS: 600 },
      native: ({ REPS, N = 50, SEED = 1974 }) => {
        const numbers = new Int32Array(N);
        for (let r = 0; r < REPS!; r++) {
          let s = SEED | 0;
          for (let i = 0; i < N; i++) {
            s = (Math.imul(s, 1103515245) + 12345) | 0;
            numbers[i] = ((s >>> 16) % 1000) | 0;
          }
          for (let i = 1; i < N; i++) {
            const key = numbers[i]!;
            let j = i;
            while (j > 0 && numbers[j - 1]! > key) {
              numbers[j] = numbers[j - 1]!;
              j--;
            }
            numbers[j] = key;
          }
        }
        return [Array.from(numbers).join(" ")];
      },
    },
    {
      name: "primes",
      bestCase: primesBestCase,
      defines: { REPS: 300, N: 2000 },
      native: ({ REPS, N }) => {
        const sieve = new Uint8Array(N!);
        let count = 0, largest = 0;
        for (let r = 0; r < REPS!; r++) {
          sieve.fill(0);
          for (let p = 2; p * p < N!; p++) {
            if (sieve[p] !== 0) continue;
            for (let k = p * p; k < N!; k += p) sieve[k] = 1;
          }
          count = 0;
          for (let n = 2; n < N!; n++) {
            if (sieve[n] === 0) {
              count++;
              largest = n;
            }
          }
        }
        return [String(count), String(largest)];
      },
    },
    {
      name: "matmul",
      bestCase: matmulBestCase,
      defines: { REPS: 300, N: 8 },
      native: ({ REPS, N }) => {
        const n = N!;
        const A = new Int32Array(n * n), B = new Int32Array(n * n), C = new Int32Array(n * n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            A[i * n + j] = ((i * 7 + j * 3) % 11) - 5;
            B[i * n + j] = ((i * 5 + j * 2) % 13) - 6;
          }
        }
        for (let r = 0; r < REPS!; r++) {
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              let dot = 0;
              for (let k = 0; k < n; k++) dot = (dot + Math.imul(A[i * n + k]!, B[k * n + j]!)) | 0;
              C[i * n + j] = dot;
            }
          }
        }
        let trace = 0, sum = 0;
        for (let i = 0; i < n; i++) trace += C[i * n + i]!;
        for (let i = 0; i < n * n; i++) sum += C[i]!;
        return [Array.from(C.subarray(0, n)).join(" "), String(trace), String(sum)];
      },
    },
    {
      name: "strings",
      defines: { REPS: 1500 },
      native: ({ REPS }) => {
        const text = stringsText;
        const upper = new Uint8Array(128), reverse = new Uint8Array(128);
        const strlen = (s: Uint8Array) => {
          let i = 0;
          while (s[i] !== 0 && i < s.length) i++;
          return i;
        };
        const strcmp = (x: Uint8Array, y: Uint8Array) => {
          for (let i = 0; ; i++) {
            const a = x[i] ?? 0, b = y[i] ?? 0;
            if (a < b) return -1;
            if (a > b) return 1;
            if (a === 0) return 0;
          }
        };
        const pairs = [["apple", "apricot"], ["monitor", "monitor"], ["zebra", "zeal"]].map(([p, q]) => [encoder.encode(p), encoder.encode(q)] as const);
        let length = 0;
        let compares: number[] = [];
        for (let r = 0; r < REPS!; r++) {
          length = strlen(text);
          for (let i = 0; ; i++) {
            let c = text[i] ?? 0;
            if (c >= 97 && c <= 122) c -= 32;
            upper[i] = c;
            if (c === 0) break;
          }
          const n = strlen(text);
          reverse[n] = 0;
          for (let i = 0; i < n; i++) reverse[n - 1 - i] = text[i]!;
          compares = pairs.map(([p, q]) => strcmp(p, q));
        }
        const decode = (b: Uint8Array) => String.fromCharCode(...b.subarray(0, strlen(b)));
        return [String(length), decode(upper), decode(reverse), compares.join(" ")];
      },
    },
  ];
}

/** The calibration loop's opcodes for the plain switch interpreter: op | a << 8 | b << 12 | c << 16. */
const P_MUL = 1, P_ADD = 2, P_ADDI = 3, P_CMP = 4, P_JL = 5, P_HALT = 6;

/**
 * The simplest switch interpreter that can run the calibration loop: what "interpretation" costs in
 * JavaScript before any machine is modelled. Returns the instructions executed.
 */
export function plainSwitchInterpreter(code: Int32Array, imm: Int32Array, R: Int32Array): number {
  let pc = 0, n = 0, lt = false;
  for (;;) {
    const w = code[pc]!;
    const a = (w >>> 8) & 15, b = (w >>> 12) & 15, c = (w >>> 16) & 15;
    n++;
    switch (w & 255) {
      case P_MUL: R[a] = Math.imul(R[b]!, R[c]!); pc++; break;
      case P_ADD: R[a] = (R[b]! + R[c]!) | 0; pc++; break;
      case P_ADDI: R[a] = (R[b]! + imm[pc]!) | 0; pc++; break;
      case P_CMP: lt = R[a]! < R[b]!; pc++; break;
      case P_JL: pc = lt ? imm[pc]! : pc + 1; break;
      default: return n;
    }
  }
}

/** The calibration loop as a guest: the sum of i² for i < n, printed in decimal. */
function calibrationGuest(n: number) {
  return assemble(`
_start: mov r1, 0
        mov r2, 0
        mov r3, ${n}
loop:   mul r4, r2, r2
        add r1, r1, r4
        add r2, r2, 1
        cmp r2, r3
        jl loop
        out 0x11, r1
        hlt`, { file: "calibration.s" });
}

/** The calibration loop in JavaScript. */
function sumOfSquares(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum = (sum + Math.imul(i, i)) | 0;
  return sum;
}

/** Median time of `repetitions` runs after one warm-up (at least 1 µs). */
function medianTime(f: () => unknown, repetitions: number, now: () => number): number {
  f();
  const t: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const t0 = now();
    f();
    t.push(now() - t0);
  }
  return Math.max(median(t), 1e-3);
}

/** Run the calibration guest on a fresh machine with `engine` (default: the interpreter); returns the sum it printed. */
function runCalibrationGuest(program: ReturnType<typeof calibrationGuest>, n: number, engine?: Engine): number {
  const m = new Machine(engine ? { engine } : {});
  m.load(program);
  m.run({ maxSteps: 5 * n + 10 });
  return Number(m.consoleText());
}

/** Time the calibration loop on all three engines (medians of `repetitions`). */
export function calibrate(n: number, repetitions: number, now: () => number): Calibration {
  const op = (o: number, a = 0, b = 0, c = 0) => o | (a << 8) | (b << 12) | (c << 16);
  // r1 = sum, r2 = i, r3 = n: loop: r4 = i*i; sum += r4; i += 1; if i < n goto loop
  const code = new Int32Array([op(P_MUL, 4, 2, 2), op(P_ADD, 1, 1, 4), op(P_ADDI, 2, 2), op(P_CMP, 2, 3), op(P_JL), op(P_HALT)]);
  const imm = new Int32Array([0, 0, 1, 0, 0, 0]);
  const program = calibrationGuest(n);
  const js = () => sumOfSquares(n);
  const plain = () => {
    const R = new Int32Array(16);
    R[3] = n;
    plainSwitchInterpreter(code, imm, R);
    return R[1]!;
  };
  const vm = () => runCalibrationGuest(program, n);
  const expected = js();
  if (plain() !== expected || vm() !== expected) throw new VmlabError("BENCH_MISMATCH", "the calibration loop computed different sums on its three engines");
  const nativeMs = medianTime(js, repetitions, now), plainMs = medianTime(plain, repetitions, now), interpMs = medianTime(vm, repetitions, now);
  return {
    iterations: n, native_ms: round(nativeMs), plain_switch_ms: round(plainMs), interp_ms: round(interpMs),
    plain_switch_vs_native: round(plainMs / nativeMs), interp_vs_plain_switch: round(interpMs / plainMs),
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Time the reference engine on a tenth of the calibration loop, against the interpreter's time for the whole loop. */
export function referenceFigure(calibration: Calibration, repetitions: number, now: () => number): ReferenceFigure {
  const n = Math.max(100, Math.round(calibration.iterations / 10));
  const program = calibrationGuest(n);
  if (runCalibrationGuest(program, n, reference) !== sumOfSquares(n)) throw new VmlabError("BENCH_MISMATCH", "the reference engine computed a different sum on the calibration loop");
  const ms = medianTime(() => runCalibrationGuest(program, n, reference), repetitions, now);
  return { iterations: n, ms: round(ms), vs_interp: round(ms / n / (Math.max(calibration.interp_ms, 1e-3) / calibration.iterations)) };
}

/** The interpreter's target: `calibration.interp_vs_plain_switch` at most this. */
export const INTERP_TARGET = 2.7;

/** The binary translator's targets (issue 11): within 4× of JavaScript and ten times faster than the interpreter, medians over the kernels. */
export const DBT_TARGET = { dbt_vs_native: 4, dbt_vs_interp: 0.1 } as const;

/** Run the benchmark. */
export function runBench(options: BenchOptions = {}): BenchResult {
  const repetitions = options.repetitions ?? 5;
  const scale = options.scale ?? 1;
  const now = options.now ?? (() => performance.now());
  const cpuNow = options.cpuNow ?? processCpuMs;
  const kernels = benchKernels().filter((k) => !options.only || options.only.includes(k.name));
  if (options.only) {
    const unknown = options.only.filter((n) => !kernels.some((k) => k.name === n));
    if (unknown.length) throw new VmlabError("BENCH_UNKNOWN_KERNEL", `no benchmark kernel named ${unknown.join(", ")}`, { hint: `kernels: ${benchKernels().map((k) => k.name).join(", ")}` });
  }
  const results: KernelResult[] = [];
  for (const kernel of kernels) {
    const defines = { ...kernel.defines, REPS: Math.max(1, Math.round((kernel.defines.REPS ?? 1) * scale)) };
    const build = buildGuest(kernel.name, { defines });
    const runOnce = (engine?: Engine) => {
      const m = new Machine({ profile: "strict", memoryBytes: Math.max(1 << 20, build.memoryBytes), ...(engine ? { engine } : {}) });
      m.load(build);
      const c0 = cpuNow();
      const t0 = now();
      const stop = m.run({ maxSteps: 2_000_000_000 });
      const ms = now() - t0;
      const cpu = cpuNow() - c0;
      if (stop.kind !== "poweroff" || stop.code !== 0) {
        throw new VmlabError("BENCH_GUEST_FAILED", `benchmark guest ${kernel.name} stopped with ${stop.kind}${engine ? ` on ${engine.name}` : ""}`);
      }
      return { ms, cpu, m, instructions: m.retired(), console: m.consoleText() };
    };
    // The JavaScript side finishes in about a millisecond, too short to time alone: each measurement
    // repeats it `inner` times (enough for about 30 ms) and reports the time of one.
    const repeated = (f: (d: Readonly<Record<string, number>>) => string[]) => {
      let inner = 1;
      const once = () => {
        const t0 = now();
        let values: string[] = [];
        for (let i = 0; i < inner; i++) values = f(defines);
        return { ms: (now() - t0) / inner, values };
      };
      return Object.assign(once, { calibrate: () => void (inner = Math.max(1, Math.min(1000, Math.ceil(30 / Math.max(once().ms, 0.01))))) });
    };
    const nativeOnce = repeated((d) => kernel.native(d));
    const bestOnce = kernel.bestCase ? repeated(kernel.bestCase) : undefined;
    // Warm up both sides so each is measured at full speed.
    const first = runOnce();
    const firstNative = nativeOnce();
    nativeOnce();
    nativeOnce.calibrate();
    for (const v of firstNative.values) {
      if (!first.console.includes(v)) {
        throw new VmlabError("BENCH_MISMATCH", `benchmark ${kernel.name}: the JavaScript version computed '${v}', which the guest did not print`, {
          hint: `the guest printed: ${first.console.trim()}`,
        });
      }
    }
    if (bestOnce) {
      const best = bestOnce();
      bestOnce.calibrate();
      if (best.values.join("\n") !== firstNative.values.join("\n")) {
        throw new VmlabError("BENCH_MISMATCH", `benchmark ${kernel.name}: its best case computed ${best.values.join(", ")}, the JavaScript version ${firstNative.values.join(", ")}`);
      }
    }
    // The translator's warm-up: the same answer, and its regions compiled once.
    const firstDbt = runOnce(dbt);
    if (firstDbt.console !== first.console || firstDbt.instructions !== first.instructions) {
      throw new VmlabError("BENCH_MISMATCH", `benchmark ${kernel.name}: the binary translator ran differently from the interpreter`, { hint: `it printed: ${firstDbt.console.trim()}` });
    }
    const interp: number[] = [], interpCpu: number[] = [];
    const native: number[] = [], bestCase: number[] = [];
    const translated: number[] = [], translatedCpu: number[] = [], cold: number[] = [];
    let share = 0;
    for (let r = 0; r < repetitions; r++) {
      const i = runOnce();
      interp.push(i.ms);
      interpCpu.push(i.cpu);
      native.push(nativeOnce().ms);
      if (bestOnce) bestCase.push(bestOnce().ms);
      const d = runOnce(dbt);
      translated.push(d.ms);
      translatedCpu.push(d.cpu);
      share = dbt.stats(d.m).translatedInstructions / Math.max(1, d.instructions);
      cold.push(runOnce(createDbt()).ms);
    }
    const interpMs = median(interp);
    const nativeMs = Math.max(median(native), 1e-3);
    const dbtMs = median(translated);
    results.push({
      name: kernel.name,
      guest_instructions: first.instructions,
      native_ms: round(nativeMs),
      interp_ms: round(interpMs),
      interp_vs_native: round(interpMs / nativeMs),
      interp_ips: Math.round(first.instructions / (interpMs / 1000)),
      interp_cpu_ms: round(median(interpCpu)),
      dbt_ms: round(dbtMs),
      dbt_cpu_ms: round(median(translatedCpu)),
      dbt_cold_ms: round(median(cold)),
      dbt_vs_native: round(dbtMs / nativeMs),
      dbt_vs_interp: round(dbtMs / Math.max(interpMs, 1e-3)),
      dbt_translated_share: round(share),
      ...(bestCase.length > 0 ? { best_case_ms: round(median(bestCase)), best_case_vs_native: round(median(bestCase) / nativeMs) } : {}),
    });
  }
  const ratio = round(median(results.map((r) => r.interp_vs_native)));
  const dbtVsNative = round(median(results.map((r) => r.dbt_vs_native)));
  const dbtVsInterp = round(median(results.map((r) => r.dbt_vs_interp)));
  const bounds = results.flatMap((r) => (r.best_case_vs_native === undefined ? [] : [r.best_case_vs_native]));
  const calibration = calibrate(Math.max(1000, Math.round(2_000_000 * scale)), repetitions, now);
  return {
    kernels: results,
    analysis: timeAnalyses(repetitions, now, cpuNow),
    ratios: { interp_vs_native: ratio, dbt_vs_native: dbtVsNative, dbt_vs_interp: dbtVsInterp, ...(bounds.length > 0 ? { best_case_vs_native: round(median(bounds)) } : {}) },
    calibration,
    reference: referenceFigure(calibration, repetitions, now),
    repetitions,
    node: process.version,
    target: { interp_vs_plain_switch: INTERP_TARGET, met: calibration.interp_vs_plain_switch <= INTERP_TARGET },
    dbt_target: { ...DBT_TARGET, met: dbtVsNative <= DBT_TARGET.dbt_vs_native && dbtVsInterp <= DBT_TARGET.dbt_vs_interp },
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
