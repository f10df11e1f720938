// A per-machine package cache with least-recently-used eviction, as SOCK's install cache and Borg's package locality use it.
import { wholeNumber } from "./validate.js";

/** Installed packages on one machine, the most recently used last. */
export class PackageCache {
  private readonly entries = new Map<string, true>();
  hits = 0;
  misses = 0;

  /** `capacity` packages at most (0: caches nothing; Infinity: never evicts). */
  constructor(readonly capacity: number) {
    wholeNumber("package cache capacity", capacity, 0, true);
  }

  /** Does the machine hold every package? (Does not count as a use.) */
  holds(packages: readonly string[]): boolean {
    return packages.every((p) => this.entries.has(p));
  }

  /** Uses the packages: counts a hit when all are present, else a miss, and installs the missing ones (evicting the least recently used). */
  use(packages: readonly string[]): boolean {
    const hit = this.holds(packages);
    if (hit) this.hits++;
    else this.misses++;
    if (this.capacity === 0) return hit;
    for (const p of packages) {
      this.entries.delete(p);
      this.entries.set(p, true);
      while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return hit;
  }

  get size(): number {
    return this.entries.size;
  }
}
