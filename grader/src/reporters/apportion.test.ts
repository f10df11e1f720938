// Apportioned rounding: parts printed to two places add up to their whole.
import { describe, expect, it } from "vitest";
import { apportion } from "./apportion.js";

describe("apportion", () => {
  it("gives 31 equal shares of 80 points two-decimal values that add up to exactly 80", () => {
    const parts = apportion(Array.from({ length: 31 }, () => 80 / 31));
    expect(Math.round(parts.reduce((s, v) => s + v, 0) * 100) / 100).toBe(80);
    expect(new Set(parts)).toEqual(new Set([2.58, 2.59]));
  });

  it("leaves values that are already round as they are, and zeros at zero", () => {
    expect(apportion([1.5, 2.25, 0, 3])).toEqual([1.5, 2.25, 0, 3]);
  });

  it("gives the extra hundredth to the largest remainder first", () => {
    expect(apportion([1 / 3, 1 / 3, 1 / 3 + 0.001])).toEqual([0.33, 0.33, 0.34]);
  });
});
