// Tests for Counter: named counts, shares of the total, deterministic key order.
import { describe, expect, it } from "vitest";
import { Counter } from "./counter.js";

describe("Counter", () => {
  it("counts by name, in first-seen order, and gives each name's share", () => {
    const c = new Counter<"warm" | "cold" | "throttled">();
    c.inc("warm");
    c.inc("cold");
    c.inc("warm", 2);
    expect(c.toJSON()).toEqual({ warm: 3, cold: 1 });
    expect(c.keys()).toEqual(["warm", "cold"]);
    expect([c.get("throttled"), c.total, c.fraction("cold")]).toEqual([0, 4, 0.25]);
  });

  it("has no shares before anything is counted", () => {
    expect(() => new Counter().fraction("x")).toThrow(expect.objectContaining({ code: "SIM_NO_SAMPLES" }));
  });
});
