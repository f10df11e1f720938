// Did-you-mean: the nearest known name to a mistyped one, by edit distance (adjacent swaps count as one edit).

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two adjacent
 * characters each cost 1 (so `lpop` → `loop` is one edit, `ldw` → `ld` is one edit).
 */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: two back (for swaps), previous, current.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/** Options for `suggest` and `suggestAll`. */
export interface SuggestOptions {
  /** Largest distance still worth suggesting; default: 1 for names up to 4 characters, else a third of the length (at most 3). */
  readonly maxDistance?: number;
  /** Compare ignoring case (default true: mnemonics, registers and directives are case-insensitive). */
  readonly ignoreCase?: boolean;
}

function defaultMax(name: string): number {
  return name.length <= 4 ? 1 : Math.min(3, Math.floor(name.length / 3));
}

/**
 * Known names near `name`, best first. Ties are broken in favour of a candidate that is a prefix of the
 * typo or vice versa (people add suffixes: `ldw` for `ld`), then the shorter candidate, then candidate order.
 * The name itself (an exact match) is never suggested.
 */
export function suggestAll(name: string, candidates: Iterable<string>, options: SuggestOptions = {}): string[] {
  const ignoreCase = options.ignoreCase ?? true;
  const key = ignoreCase ? name.toLowerCase() : name;
  const max = options.maxDistance ?? defaultMax(name);
  const scored: { c: string; d: number; prefix: number; order: number }[] = [];
  const seen = new Set<string>();
  let order = 0;
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    const ck = ignoreCase ? c.toLowerCase() : c;
    if (ck === key) continue;
    // Cheap reject: lengths alone already exceed the budget.
    if (Math.abs(ck.length - key.length) > max) continue;
    const d = editDistance(key, ck);
    if (d > max) continue;
    const prefix = key.startsWith(ck) || ck.startsWith(key) ? 0 : 1;
    scored.push({ c, d, prefix, order: order++ });
  }
  scored.sort((x, y) => x.d - y.d || x.prefix - y.prefix || x.c.length - y.c.length || x.order - y.order);
  return scored.map((s) => s.c);
}

/** The single nearest known name to `name`, or undefined when nothing is close enough. */
export function suggest(name: string, candidates: Iterable<string>, options: SuggestOptions = {}): string | undefined {
  return suggestAll(name, candidates, options)[0];
}

/** `did you mean 'ld'?` for a hint line, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>, options: SuggestOptions = {}): string | undefined {
  const s = suggest(name, candidates, options);
  return s === undefined ? undefined : `did you mean '${s}'?`;
}
