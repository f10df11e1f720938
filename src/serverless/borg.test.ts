// Borg's task start-up from simulation: about 25 s, about 80% package installation, and what a package cache with Borg's placement does to it.
import { describe, expect, it } from "vitest";
import { runBorg } from "./borg.js";

describe("Borg task start-up (EuroSys 2015)", () => {
  const none = runBorg();

  it("has a median start-up near 25 s, about 80% of it installing packages, without a cache", () => {
    expect(none.median_s).toBeGreaterThan(22);
    expect(none.median_s).toBeLessThan(28);
    expect(none.installShare).toBeGreaterThan(0.75);
    expect(none.installShare).toBeLessThan(0.85);
    expect(none.cacheHitRate).toBe(0);
  });

  it("gains little from a per-machine cache when tasks land on random machines", () => {
    const random = runBorg({ cacheSize: 20 });
    expect(random.cacheHitRate).toBeLessThan(0.35);
    expect(random.median_s).toBeLessThan(none.median_s);
    expect(random.median_s).toBeGreaterThan(0.7 * none.median_s);
  });

  it("cuts the median to a quarter when the scheduler prefers machines that hold the packages", () => {
    const aware = runBorg({ cacheSize: 20, placement: "package-aware" });
    expect(aware.cacheHitRate).toBeGreaterThan(0.7);
    expect(aware.median_s).toBeLessThan(none.median_s / 3);
    expect(aware.medianInstall_s).toBe(0);
  });

  it("refuses an unknown placement", () => {
    expect(() => runBorg({ placement: "nearest" as never })).toThrow(/placement must be "random" or "package-aware"/);
  });
});
