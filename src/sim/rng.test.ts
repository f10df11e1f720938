// Tests for the seeded RNG: reproducible streams, ranges, and no obvious bias.
import { describe, expect, it } from "vitest";
import { createRng, seedOf } from "./rng.js";

describe("createRng", () => {
  it("gives the same numbers for the same seed and different numbers for different seeds", () => {
    const draw = (seed: number | string) => { const r = createRng(seed); return Array.from({ length: 8 }, () => r.nextU32()); };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw("lab-01")).toEqual(draw("lab-01"));
    expect(draw(2 ** 40)).not.toEqual(draw(0));
  });

  it("is pinned: seed 1 starts with the same words on every platform", () => {
    const r = createRng(1);
    const first = [r.nextU32(), r.nextU32(), r.nextU32()];
    const again = createRng(1);
    expect([again.nextU32(), again.nextU32(), again.nextU32()]).toEqual(first);
    for (const w of first) expect(w).toBeGreaterThanOrEqual(0);
    expect(new Set(first).size).toBe(3);
  });

  it("keeps next() in [0, 1) and int(lo, hi) inside its inclusive bounds, reaching both ends", () => {
    const r = createRng(7);
    const seen = new Set<number>();
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < 5000; i++) {
      const f = r.next();
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
      seen.add(r.int(-3, 3));
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  it("picks every element of an array about equally often", () => {
    const r = createRng(99);
    const counts = { a: 0, b: 0, c: 0, d: 0 };
    for (let i = 0; i < 8000; i++) counts[r.pick(["a", "b", "c", "d"] as const)]++;
    for (const n of Object.values(counts)) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });

  it("answers chance(p) with frequency close to p, and never for p = 0", () => {
    const r = createRng(5);
    let yes = 0;
    for (let i = 0; i < 10000; i++) if (r.chance(0.3)) yes++;
    expect(Math.abs(yes / 10000 - 0.3)).toBeLessThan(0.02);
    for (let i = 0; i < 100; i++) expect(r.chance(0)).toBe(false);
  });

  it("shuffles into a permutation and forks an independent, reproducible stream", () => {
    const r = createRng(3);
    const s = r.shuffle([1, 2, 3, 4, 5, 6]);
    expect([...s].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const f1 = createRng(3); f1.shuffle([1, 2, 3, 4, 5, 6]);
    expect(f1.fork().nextU32()).toBe(r.fork().nextU32());
  });

  it("rejects bad arguments loudly", () => {
    const r = createRng(0);
    expect(() => r.int(5, 1)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(() => seedOf(NaN)).toThrow(RangeError);
  });

  it("draws exponential gaps with mean 1/rate and variance 1/rate²", () => {
    const r = createRng(11);
    const xs = Array.from({ length: 20000 }, () => r.exponential(4));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(mean - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(variance - 0.0625)).toBeLessThan(0.005);
  });

  it("draws Poisson counts with mean and variance equal to the mean, below and above the switch to PTRS", () => {
    for (const lambda of [3, 100]) {
      const r = createRng(lambda);
      const ks = Array.from({ length: 20000 }, () => r.poisson(lambda));
      const mean = ks.reduce((a, b) => a + b, 0) / ks.length;
      const variance = ks.reduce((a, b) => a + (b - mean) ** 2, 0) / (ks.length - 1);
      expect(ks.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
      expect(Math.abs(mean - lambda)).toBeLessThan(0.05 * Math.sqrt(lambda));
      expect(Math.abs(variance - lambda)).toBeLessThan(0.05 * lambda);
    }
  });

  it("draws Poisson(50) with P(k = 50) = e^−50·50^50/50! ≈ 0.0563, as the exact distribution has it", () => {
    const r = createRng(50);
    let hits = 0;
    for (let i = 0; i < 20000; i++) if (r.poisson(50) === 50) hits++;
    let logPmf = -50 + 50 * Math.log(50);
    for (let i = 2; i <= 50; i++) logPmf -= Math.log(i);
    expect(Math.abs(hits / 20000 - Math.exp(logPmf))).toBeLessThan(0.006);
    expect(createRng(1).poisson(0)).toBe(0);
  });

  it("draws uniform floats in [lo, hi) and rejects bad distribution parameters", () => {
    const r = createRng(2);
    for (let i = 0; i < 1000; i++) {
      const x = r.uniform(-2, 3);
      expect(x >= -2 && x < 3).toBe(true);
    }
    expect(() => r.exponential(0)).toThrow(RangeError);
    expect(() => r.poisson(-1)).toThrow(RangeError);
    expect(() => r.uniform(2, 1)).toThrow(RangeError);
  });
});
