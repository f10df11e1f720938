// Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32, so a seed names one reproducible stream.
//
// Every random choice in vmlab (generated guests, the discrete-event simulator's workloads) draws from
// an Rng passed in by the caller, never from Math.random, so a run is a pure function of its seed.
// xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018) has a
// 2^128 − 1 period and passes BigCrush; splitmix32 spreads a small seed over the 128-bit state.

/** A seeded random stream. */
export interface Rng {
  /** The seed this stream started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  nextU32(): number;
  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A shuffled copy of an array (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** A float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** An exponentially distributed float with the given rate (mean 1/rate): the gap between Poisson arrivals. */
  exponential(rate: number): number;
  /** A Poisson-distributed integer with the given mean: the number of arrivals in an interval. */
  poisson(mean: number): number;
  /** An independent stream derived from this one (for a sub-component that must not perturb its parent's sequence). */
  fork(): Rng;
}

/** Turn a number or string seed into 32 bits (strings hash with FNV-1a). */
export function seedOf(seed: number | string): number {
  if (typeof seed === "string") {
    let h = 2166136261;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
    return h >>> 0;
  }
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  // Keep integers up to 2^53 distinct in the low and high words.
  const lo = seed >>> 0;
  const hi = Math.floor(Math.abs(seed) / 2 ** 32) >>> 0;
  return (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
}

/** Create a stream from a seed (same seed, same numbers, on every platform). */
export function createRng(seed: number | string): Rng {
  const s32 = seedOf(seed);
  // splitmix32 to fill the state; it never yields four zero words from one counter.
  let x = s32;
  const split = () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const nextU32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const next = () => nextU32() / 2 ** 32;
  const int = (lo: number, hi: number): number => {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new RangeError(`int(lo, hi) needs integers with lo <= hi, got ${lo}, ${hi}`);
    const span = hi - lo + 1;
    if (span <= 2 ** 32) {
      // Rejection sampling: no modulo bias.
      const limit = Math.floor(2 ** 32 / span) * span;
      let r: number;
      do r = nextU32(); while (r >= limit);
      return lo + (r % span);
    }
    return lo + Math.floor(next() * span);
  };
  const rng: Rng = {
    seed: s32,
    next,
    nextU32,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("pick() needs a non-empty array");
      return items[int(0, items.length - 1)]!;
    },
    chance: (p: number) => next() < p,
    shuffle: <T>(items: readonly T[]): T[] => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    uniform: (lo: number, hi: number) => {
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) throw new RangeError(`uniform(lo, hi) needs finite numbers with lo <= hi, got ${lo}, ${hi}`);
      return lo + next() * (hi - lo);
    },
    exponential: (rate: number) => {
      if (!(rate > 0) || rate === Infinity) throw new RangeError(`exponential(rate) needs a finite rate > 0, got ${rate}`);
      // Inversion; 1 − U lies in (0, 1], so the logarithm is finite.
      return -Math.log(1 - next()) / rate;
    },
    poisson: (mean: number) => {
      if (!(mean >= 0) || mean === Infinity) throw new RangeError(`poisson(mean) needs a finite mean >= 0, got ${mean}`);
      return mean < 30 ? poissonSmall(next, mean) : poissonPtrs(next, mean);
    },
    fork: () => createRng(nextU32()),
  };
  return rng;
}

/** Poisson by multiplying uniforms until the product drops below e^−mean (Knuth); O(mean) draws. */
function poissonSmall(next: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let product = next();
  while (product >= limit) {
    k++;
    product *= next();
  }
  return k;
}

/**
 * Poisson by transformed rejection with squeeze (PTRS: W. Hörmann, "The transformed rejection method
 * for generating Poisson random variables", Insurance: Mathematics and Economics 12, 1993); O(1) draws
 * on average, for means >= 10.
 */
function poissonPtrs(next: () => number, mean: number): number {
  const sq = Math.sqrt(mean);
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * sq;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = next() - 0.5;
    const v = next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}

/** ln(k!): summed directly below 20, Stirling's series above (error below 1e-12 there). */
function logFactorial(k: number): number {
  if (k < 20) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const k2 = k * k;
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k * k2) + 1 / (1260 * k2 * k2 * k);
}

function rotl(v: number, k: number): number {
  return (v << k) | (v >>> (32 - k));
}
