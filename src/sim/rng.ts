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
    fork: () => createRng(nextU32()),
  };
  return rng;
}

function rotl(v: number, k: number): number {
  return (v << k) | (v >>> (32 - k));
}
