// Tests for allOf and anyOf: waiting for every event, racing for the first, and failures.
import { describe, expect, it } from "vitest";
import { Simulation } from "./simulation.js";

describe("allOf", () => {
  it("succeeds when the last event does, with every value in the given order", () => {
    const sim = new Simulation();
    let got: number[] = [];
    sim.process(function* () {
      got = yield* sim.allOf([sim.timeout(3, { value: 3 }), sim.timeout(1, { value: 1 }), sim.timeout(2, { value: 2 })]);
    });
    sim.run();
    expect(got).toEqual([3, 1, 2]);
    expect(sim.now).toBe(3);
  });

  it("succeeds at once with no events, and counts events that were already processed", () => {
    const sim = new Simulation();
    const done = sim.timeout(1, { value: "a" });
    sim.run();
    const all = sim.allOf([done]);
    const none = sim.allOf([]);
    sim.run();
    expect(all.value).toEqual(["a"]);
    expect(none.value).toEqual([]);
  });

  it("fails as soon as one event fails, handling that failure", () => {
    const sim = new Simulation();
    const bad = sim.event("bad");
    let caught = "";
    sim.process(function* () {
      try {
        yield sim.allOf([sim.timeout(5), bad]);
      } catch (e) {
        caught = `${(e as Error).message}@${sim.now}`;
      }
    });
    sim.schedule(2, () => bad.fail(new Error("bad")));
    sim.run();
    expect(caught).toBe("bad@2");
  });
});

describe("anyOf", () => {
  it("succeeds with the first event to happen, saying which and its value", () => {
    const sim = new Simulation();
    const slow = sim.timeout(10, { value: "slow" });
    const fast = sim.timeout(2, { value: "fast" });
    let first = { index: -1, value: "" };
    sim.process(function* () {
      const r = yield* sim.anyOf([slow, fast]);
      first = { index: r.index, value: r.value };
    });
    sim.run();
    expect(first).toEqual({ index: 1, value: "fast" });
  });

  it("races a request against a timeout, so the loser can be cancelled (reneging)", () => {
    const sim = new Simulation();
    const ready = sim.event<string>("reply");
    const log: string[] = [];
    sim.process(function* () {
      const patience = sim.timeout(3);
      const r = yield* sim.anyOf<unknown>([ready, patience]);
      if (r.event === patience) log.push(`gave up@${sim.now}`);
      else patience.cancel();
    });
    sim.schedule(5, () => ready.succeed("too late"));
    sim.run();
    expect(log).toEqual(["gave up@3"]);
  });

  it("refuses an empty list: nothing could come first", () => {
    const sim = new Simulation();
    expect(() => sim.anyOf([])).toThrow(expect.objectContaining({ code: "SIM_BAD_YIELD" }));
  });
});
