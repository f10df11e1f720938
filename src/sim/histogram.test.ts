// Tests for Histogram: equal-width and explicit bins, edge placement, underflow and overflow.
import { describe, expect, it } from "vitest";
import { Histogram } from "./histogram.js";

describe("Histogram", () => {
  it("puts values into half-open equal-width bins, the last bin also holding hi", () => {
    const h = new Histogram({ lo: 0, hi: 10, bins: 5 });
    for (const x of [0, 1.99, 2, 9.999, 10, -0.1, 10.1]) h.add(x);
    expect(h.bins()).toEqual([
      { lo: 0, hi: 2, count: 2 },
      { lo: 2, hi: 4, count: 1 },
      { lo: 4, hi: 6, count: 0 },
      { lo: 6, hi: 8, count: 0 },
      { lo: 8, hi: 10, count: 2 },
    ]);
    expect([h.underflow, h.overflow, h.inRange, h.total]).toEqual([1, 1, 5, 7]);
  });

  it("bins by explicit edges and counts weighted additions", () => {
    const h = new Histogram({ edges: [0, 0.1, 1, 10] });
    h.add(0.05);
    h.add(0.1, 3);
    h.add(5);
    h.add(10);
    expect([h.count(0), h.count(1), h.count(2)]).toEqual([1, 3, 2]);
    expect(h.binOf(-1)).toBe(-1);
    expect(h.binOf(11)).toBe(3);
  });

  it("agrees with its own edges where floating-point widths round (0 to 0.3 in 3 bins)", () => {
    const h = new Histogram({ lo: 0, hi: 0.3, bins: 3 });
    for (let k = 0; k < 3000; k++) {
      const x = (k / 3000) * 0.3;
      const i = h.binOf(x);
      expect(h.edges[i]! <= x && x < h.edges[i + 1]!).toBe(true);
    }
  });

  it("gives 240 one-minute bins over four hours (the hybrid keep-alive policy's histogram)", () => {
    const h = new Histogram({ lo: 0, hi: 240, bins: 240 });
    h.add(14.5);
    h.add(15);
    expect(h.binCount).toBe(240);
    expect([h.count(14), h.count(15)]).toEqual([1, 1]);
  });

  it("refuses bins that are not a whole number >= 1, lo >= hi, and edges that do not increase", () => {
    expect(() => new Histogram({ lo: 0, hi: 1, bins: 0 })).toThrow(expect.objectContaining({ code: "SIM_BAD_BINS" }));
    expect(() => new Histogram({ lo: 1, hi: 1, bins: 3 })).toThrow(expect.objectContaining({ code: "SIM_BAD_BINS" }));
    expect(() => new Histogram({ edges: [0, 1, 1] })).toThrow(expect.objectContaining({ code: "SIM_BAD_BINS" }));
    expect(() => new Histogram({ lo: 0, hi: 1, bins: 2 }).add(NaN)).toThrow(expect.objectContaining({ code: "SIM_BAD_SAMPLE" }));
  });
});
