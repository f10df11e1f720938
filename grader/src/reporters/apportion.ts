// Round parts so that they add up to their rounded whole (largest remainder), so a report's per-case points sum to its total.
//
// 31 cases of 80/31 points each print as 2.58, and 31 × 2.58 = 79.98: a reader adds the column and finds
// the grader wrong. Apportioning gives some parts 2.59 so that the column adds up to exactly 80.

/** `values` rounded to `decimals` places so that their sum is `Σ values` rounded to the same places. */
export function apportion(values: readonly number[], decimals = 2): number[] {
  const scale = 10 ** decimals;
  const scaled = values.map((v) => v * scale);
  const floors = scaled.map((v) => Math.floor(v + 1e-9));
  const target = Math.round(scaled.reduce((s, v) => s + v, 0));
  let missing = target - floors.reduce((s, v) => s + v, 0);
  // Hand the missing hundredths to the parts with the largest remainders (first ones first on ties: stable).
  const order = scaled.map((v, i) => ({ i, rest: v - floors[i]! })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i]!++;
    missing--;
  }
  return floors.map((v) => v / scale);
}
