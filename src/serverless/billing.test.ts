// Tests for billing: the December 2020 granularity change, per-request fees and the always-on comparison.
import { describe, expect, it } from "vitest";
import { billedDurationMs, billFunction, LAMBDA_PRICING_2019, LAMBDA_PRICING_2021, sideBySideBill } from "./billing.js";

describe("billing granularity", () => {
  it("bills 27.4 ms as 100 ms before December 2020 and as 28 ms after", () => {
    expect(billedDurationMs(27.4, 100)).toBe(100);
    expect(billedDurationMs(27.4, 1)).toBe(28);
    expect(billedDurationMs(28, 1)).toBe(28);
    expect(billedDurationMs(100, 100)).toBe(100);
    expect(billedDurationMs(100.5, 100)).toBe(200);
  });

  it("bills at least one unit for an invocation that took no time", () => {
    expect(billedDurationMs(0, 100)).toBe(100);
    expect(billedDurationMs(0, 1)).toBe(1);
  });

  it("charges $100 for 60 M invocations of 28 ms at 1 GB before the change and $28 after", () => {
    const work = { count: 60e6, durationMs: 28 };
    const before = billFunction(work, 1024, LAMBDA_PRICING_2019);
    const after = billFunction(work, 1024, LAMBDA_PRICING_2021);
    expect(before.computeCost).toBeCloseTo(100, 2);
    expect(after.computeCost).toBeCloseTo(28, 2);
    expect(before.requestCost).toBeCloseTo(12, 9);
    expect(before.total).toBeCloseTo(112, 2);
  });

  it("scales the compute charge with the per-GB-second price", () => {
    const doubled = { ...LAMBDA_PRICING_2021, perGbSecond: 2 * LAMBDA_PRICING_2021.perGbSecond };
    const work = { count: 60e6, durationMs: 28 };
    expect(billFunction(work, 1024, doubled).computeCost).toBeCloseTo(2 * billFunction(work, 1024, LAMBDA_PRICING_2021).computeCost, 6);
  });

  it("bills a list of durations one by one", () => {
    const bill = billFunction({ durationsMs: [27.4, 150, 1] }, 2048, LAMBDA_PRICING_2019);
    expect(bill.invocations).toBe(3);
    expect(bill.billedMs).toBe(100 + 200 + 100);
    expect(bill.gbSeconds).toBeCloseTo(0.4 * 2, 12);
  });

  it("refuses a negative duration and a zero granularity", () => {
    expect(() => billedDurationMs(-1, 1)).toThrow(/duration must be a number ≥ 0/);
    expect(() => billFunction({ count: 1, durationMs: 1 }, 128, { ...LAMBDA_PRICING_2021, granularityMs: 0 })).toThrow(/granularity must be a number > 0/);
  });
});

describe("a side-by-side bill", () => {
  it("makes a rarely used function far cheaper than any always-on capacity, and a busy one dearer than VMs", () => {
    const rare = sideBySideBill({ invocations: 10_000, durationMs: 200, memoryMb: 512, periodHours: 720 });
    expect(rare[1]!.cost).toBeLessThan(rare[2]!.cost / 10);
    expect(rare[3]!.instances).toBe(1);
    // 100 requests per second of 200 ms all month: a mean concurrency of 20.
    const busy = sideBySideBill({ invocations: 100 * 3600 * 720, durationMs: 200, memoryMb: 1769, periodHours: 720 });
    expect(busy[2]!.instances).toBe(20);
    expect(busy[1]!.cost).toBeGreaterThan(busy[3]!.cost);
  });
});
