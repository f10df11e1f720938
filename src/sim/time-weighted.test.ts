// Tests for TimeWeighted: time-weighted averages of a level driven by the simulation clock, against hand-computed integrals.
import { describe, expect, it } from "vitest";
import { Simulation } from "./simulation.js";
import { TimeWeighted } from "./time-weighted.js";

describe("TimeWeighted", () => {
  it("averages busy instances over time: 0 for 1 s, 1 for 1 s, 3 for 3 s, 0 for 5 s is 10/10 = 1", () => {
    const sim = new Simulation();
    const busy = new TimeWeighted(sim, 0, { name: "busy instances" });
    sim.at(1, () => busy.add(1));
    sim.at(2, () => busy.add(2));
    sim.at(5, () => busy.set(0));
    sim.run(10);
    expect(busy.integral).toBe(10);
    expect(busy.mean).toBe(1);
    expect([busy.min, busy.max, busy.level, busy.elapsed]).toEqual([0, 3, 0, 10]);
  });

  it("includes the current level up to now, so the average moves while the level holds", () => {
    const sim = new Simulation();
    const level = new TimeWeighted(sim, 2);
    sim.run(3);
    level.set(0);
    sim.run(4);
    expect(level.mean).toBe(1.5);
  });

  it("leaves out a warm-up period after reset()", () => {
    const sim = new Simulation();
    const level = new TimeWeighted(sim, 100);
    sim.run(50);
    level.set(4);
    sim.run(60);
    level.reset();
    sim.run(70);
    level.set(2);
    sim.run(80);
    // From 60: 4 for 10 s, 2 for 10 s.
    expect(level.mean).toBe(3);
    expect(level.start).toBe(60);
    expect(level.max).toBe(4);
  });

  it("keeps the changes as a step function when asked, one step per instant", () => {
    const sim = new Simulation();
    const level = new TimeWeighted(sim, 0, { history: true });
    sim.at(1, () => { level.add(1); level.add(1); });
    sim.at(2, () => level.add(-1));
    sim.run();
    expect(level.history()).toEqual([{ time: 0, level: 0 }, { time: 1, level: 2 }, { time: 2, level: 1 }]);
    expect(new TimeWeighted(sim).history()).toEqual([]);
  });

  it("is its level over no elapsed time, and refuses a non-finite level", () => {
    const sim = new Simulation();
    const level = new TimeWeighted(sim, 7);
    expect(level.mean).toBe(7);
    expect(() => level.set(NaN)).toThrow(expect.objectContaining({ code: "SIM_BAD_SAMPLE" }));
  });
});
