// The seed of case i of a generated set: distinct per case, stable across runs and machines, for every harness.

export function caseSeed(seed: number, index: number): number {
  // splitmix-style mixing keeps neighbouring seeds' cases unrelated.
  let z = (seed + Math.imul(index + 1, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
