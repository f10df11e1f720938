// Tests for the cold-start parts and the package cache: what an install-cache and an import-cache hit remove.
import { describe, expect, it } from "vitest";
import { checkColdStart, coldStartBreakdown, coldStartMs, PYTHON_FUNCTION_WITH_INSTALL, ZYGOTE_FORK_MS } from "./cold-start.js";
import { PackageCache } from "./package-cache.js";

describe("a cold start taken apart", () => {
  const parts = PYTHON_FUNCTION_WITH_INSTALL;

  it("adds sandbox, runtime, install, import and handler init", () => {
    expect(coldStartMs(parts)).toBe(125 + 30 + 3000 + 100 + 0);
    expect(coldStartBreakdown(parts).steps.map((s) => s.part)).toEqual(["sandboxMs", "runtimeMs", "installMs", "importMs", "handlerInitMs"]);
  });

  it("skips the install on an install-cache hit, and runtime and import for a fork on an import-cache hit", () => {
    expect(coldStartMs(parts, { installCached: true })).toBe(125 + 30 + 100);
    expect(coldStartMs(parts, { installCached: true, importCached: true })).toBe(125 + ZYGOTE_FORK_MS);
    expect(coldStartBreakdown(parts, { installCached: true, importCached: true }).totalMs).toBe(coldStartMs(parts, { installCached: true, importCached: true }));
  });

  it("refuses a negative part, naming it", () => {
    expect(() => checkColdStart({ ...parts, importMs: -5 })).toThrow(/cold start import must be a number ≥ 0/);
  });
});

describe("the package cache", () => {
  it("misses the first time, hits after, and evicts the least recently used package", () => {
    const cache = new PackageCache(2);
    expect(cache.use(["numpy"])).toBe(false);
    expect(cache.use(["numpy"])).toBe(true);
    cache.use(["pandas"]);
    cache.use(["numpy"]);
    cache.use(["scipy"]); // evicts pandas, the least recently used
    expect(cache.holds(["numpy", "scipy"])).toBe(true);
    expect(cache.holds(["pandas"])).toBe(false);
    expect([cache.hits, cache.misses]).toEqual([2, 3]);
  });

  it("caches nothing with capacity 0", () => {
    const cache = new PackageCache(0);
    cache.use(["numpy"]);
    expect(cache.use(["numpy"])).toBe(false);
  });
});
