// Counter: named counts of things that happened (cold starts, warm starts, throttled requests), in first-seen order.
import { SimError } from "./errors.js";

/** Counts by name; keys come back in the order they were first counted, so output is deterministic. */
export class Counter<K extends string = string> {
  private readonly counts = new Map<K, number>();

  /** Count `key` once, or `by` times. */
  inc(key: K, by = 1): void {
    if (!Number.isFinite(by)) throw new SimError("SIM_BAD_SAMPLE", `counter: cannot add ${by} to '${key}'`, { hint: "add a finite number" });
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }

  /** The count of `key` (0 if never counted). */
  get(key: K): number {
    return this.counts.get(key) ?? 0;
  }

  /** The sum of all counts. */
  get total(): number {
    let s = 0;
    for (const v of this.counts.values()) s += v;
    return s;
  }

  /** `key`'s share of the total, in [0, 1]. */
  fraction(key: K): number {
    const total = this.total;
    if (total === 0) throw new SimError("SIM_NO_SAMPLES", `counter: nothing counted yet, so '${key}' has no share`, { hint: "check `total` first" });
    return this.get(key) / total;
  }

  /** The keys counted, first-seen first. */
  keys(): K[] {
    return [...this.counts.keys()];
  }

  /** The counts as a plain object (keys in first-seen order). */
  toJSON(): Record<K, number> {
    return Object.fromEntries(this.counts) as Record<K, number>;
  }
}
