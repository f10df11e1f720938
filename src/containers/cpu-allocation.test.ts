// Tests for the fluid CPU allocation: weights under contention, work conservation, caps, nesting, one CPU per thread.
import { describe, expect, it } from "vitest";
import { allocateCpu, shareByWeight, type CpuGroup } from "./cpu-allocation.js";

const group = (path: string, weight: number, threads: number, children: CpuGroup[] = [], cap = Infinity): CpuGroup => ({ path, weight, threads, children, cap });

describe("allocateCpu", () => {
  it("gives 2:1 CPU to weights 200:100 when both are busy on one CPU", () => {
    const a = allocateCpu(group("/", 100, 0, [group("/a", 200, 4), group("/b", 100, 4)]), 1);
    expect(a.get("/a")).toBeCloseTo(2 / 3, 12);
    expect(a.get("/b")).toBeCloseTo(1 / 3, 12);
  });

  it("gives the busy group everything when the other idles (work-conserving)", () => {
    const a = allocateCpu(group("/", 100, 0, [group("/a", 200, 0), group("/b", 100, 4)]), 1);
    expect(a.get("/b")).toBeCloseTo(1, 12);
    expect(a.get("/a")).toBe(0);
  });

  it("never gives a single thread more than one CPU, passing the rest to the others", () => {
    const a = allocateCpu(group("/", 100, 0, [group("/a", 1000, 1), group("/b", 100, 3)]), 4);
    expect(a.get("/a")).toBeCloseTo(1, 12);
    expect(a.get("/b")).toBeCloseTo(3, 12);
  });

  it("holds a capped group to its cap and shares what it leaves among the rest", () => {
    const a = allocateCpu(group("/", 100, 0, [group("/a", 100, 2, [], 0.2), group("/b", 100, 2)]), 2);
    expect(a.get("/a")).toBeCloseTo(0.2, 12);
    expect(a.get("/b")).toBeCloseTo(1.8, 12);
  });

  it("divides a parent's share among its children by their weights (nested groups)", () => {
    const tree = group("/", 100, 0, [group("/x", 100, 0, [group("/x/1", 300, 2), group("/x/2", 100, 2)]), group("/y", 100, 2)]);
    const a = allocateCpu(tree, 2);
    expect(a.get("/x")).toBeCloseTo(1, 12);
    expect(a.get("/x/1")).toBeCloseTo(0.75, 12);
    expect(a.get("/x/2")).toBeCloseTo(0.25, 12);
    expect(a.get("/y")).toBeCloseTo(1, 12);
  });

  it("lets tasks in a group compete with its child groups as children of weight 100", () => {
    const a = allocateCpu(group("/", 100, 1, [group("/c", 300, 4)]), 1);
    expect(a.get("/c")).toBeCloseTo(0.75, 12);
  });
});

describe("shareByWeight", () => {
  it("redistributes what a satisfied claimant does not need, and gives nothing to one without demand", () => {
    expect(shareByWeight(3, [{ weight: 1, demand: 0.5 }, { weight: 1, demand: 5 }, { weight: 2, demand: 5 }, { weight: 9, demand: 0 }]).map((x) => +x.toFixed(9))).toEqual([0.5, 0.833333333, 1.666666667, 0]);
  });
});
