// Tests for the simulation core: ordering by (time, priority, seq), step against run(until), cancellation, and same seed ⇒ same trace.
import { describe, expect, it } from "vitest";
import { Simulation, type SimTraceEntry } from "./simulation.js";
import { Priority } from "./event.js";
import { SimError } from "./errors.js";

function recorder(): { sim: Simulation; log: string[] } {
  const sim = new Simulation();
  return { sim, log: [] };
}

describe("Simulation ordering", () => {
  it("runs callbacks by time, then by priority (lower first), then in the order they were scheduled", () => {
    const { sim, log } = recorder();
    sim.schedule(2, () => log.push("t2"));
    sim.schedule(1, () => log.push("t1 normal a"));
    sim.schedule(1, () => log.push("t1 low"), { priority: 5 });
    sim.schedule(1, () => log.push("t1 normal b"));
    sim.schedule(1, () => log.push("t1 urgent"), { priority: Priority.URGENT });
    sim.at(0.5, () => log.push("t0.5"));
    sim.run();
    expect(log).toEqual(["t0.5", "t1 urgent", "t1 normal a", "t1 normal b", "t1 low", "t2"]);
  });

  it("keeps scheduling order among thousands of simultaneous events (the heap never reorders ties)", () => {
    const { sim, log } = recorder();
    for (let i = 0; i < 2000; i++) sim.schedule(i % 3, () => log.push(`${i % 3}:${i}`));
    sim.run();
    const expected = [0, 1, 2].flatMap((t) => Array.from({ length: 2000 }, (_, i) => i).filter((i) => i % 3 === t).map((i) => `${t}:${i}`));
    expect(log).toEqual(expected);
  });

  it("advances now to each event's time, with float times", () => {
    const { sim } = recorder();
    const seen: number[] = [];
    sim.schedule(0.1, () => seen.push(sim.now));
    sim.schedule(0.25, () => {
      seen.push(sim.now);
      sim.schedule(0.5, () => seen.push(sim.now));
    });
    sim.run();
    expect(seen).toEqual([0.1, 0.25, 0.75]);
    expect(sim.now).toBe(0.75);
  });

  it("starts the clock where it is told to", () => {
    const sim = new Simulation({ start: 100 });
    sim.schedule(5, () => undefined);
    sim.run();
    expect(sim.now).toBe(105);
  });
});

describe("step and run(until)", () => {
  it("step() processes exactly one event and says false when nothing is left", () => {
    const { sim, log } = recorder();
    sim.schedule(1, () => log.push("a"));
    sim.schedule(2, () => log.push("b"));
    expect(sim.peek()).toBe(1);
    expect(sim.step()).toBe(true);
    expect(log).toEqual(["a"]);
    expect(sim.now).toBe(1);
    expect(sim.step()).toBe(true);
    expect(sim.step()).toBe(false);
    expect(sim.peek()).toBe(Infinity);
    expect(sim.processed).toBe(2);
  });

  it("run(until) runs events before `until`, leaves those at exactly `until`, and ends the clock at `until`", () => {
    const { sim, log } = recorder();
    for (const t of [1, 2, 3, 4]) sim.schedule(t, () => log.push(`t${t}`));
    sim.run(3);
    expect(log).toEqual(["t1", "t2"]);
    expect(sim.now).toBe(3);
    expect(sim.scheduled).toBe(2);
    sim.run(3.5);
    expect(log).toEqual(["t1", "t2", "t3"]);
    expect(sim.now).toBe(3.5);
    sim.run();
    expect(log).toEqual(["t1", "t2", "t3", "t4"]);
  });

  it("run(until) moves the clock even when nothing is scheduled", () => {
    const { sim } = recorder();
    sim.run(10);
    expect(sim.now).toBe(10);
  });

  it("run(event) stops once that event is processed and returns its value", () => {
    const { sim, log } = recorder();
    const done = sim.event<string>("done");
    sim.schedule(1, () => log.push("before"));
    sim.schedule(2, () => done.succeed("finished"));
    sim.schedule(3, () => log.push("after"));
    expect(sim.run(done)).toBe("finished");
    expect(log).toEqual(["before"]);
    expect(sim.now).toBe(2);
  });

  it("run(event) reports a deadlock when the schedule empties first", () => {
    const { sim } = recorder();
    const never = sim.event("never");
    sim.schedule(1, () => undefined);
    expect(() => sim.run(never)).toThrow(expect.objectContaining({ code: "SIM_DEADLOCK" }));
  });

  it("refuses to run backwards", () => {
    const { sim } = recorder();
    sim.run(5);
    expect(() => sim.run(4)).toThrow(expect.objectContaining({ code: "SIM_BAD_UNTIL" }));
  });
});

describe("cancellation", () => {
  it("a cancelled callback never runs and no longer counts as scheduled", () => {
    const { sim, log } = recorder();
    const a = sim.schedule(1, () => log.push("a"));
    sim.schedule(2, () => log.push("b"));
    expect(a.cancel()).toBe(true);
    expect(a.cancel()).toBe(false);
    expect(sim.scheduled).toBe(1);
    sim.run();
    expect(log).toEqual(["b"]);
    expect(sim.processed).toBe(1);
  });

  it("cancelling a call that already ran does nothing", () => {
    const { sim, log } = recorder();
    const a = sim.schedule(1, () => log.push("a"));
    sim.run();
    expect(a.done).toBe(true);
    expect(a.cancel()).toBe(false);
  });

  it("survives cancelling most of a large schedule (the queue compacts) and keeps the order of the rest", () => {
    const { sim, log } = recorder();
    const calls = Array.from({ length: 1000 }, (_, i) => sim.schedule(1000 - i, () => log.push(String(1000 - i))));
    calls.forEach((c, i) => { if (i % 10 !== 0) c.cancel(); });
    expect(sim.scheduled).toBe(100);
    sim.run();
    // Kept: i = 0, 10, …, 990, due at 1000 − i, so 10, 20, …, 1000 in time order.
    expect(log).toEqual(Array.from({ length: 100 }, (_, k) => String(10 * (k + 1))));
  });

  it("a cancelled timeout never wakes its waiter", () => {
    const { sim, log } = recorder();
    const t = sim.timeout(5);
    t.addCallback(() => log.push("fired"));
    sim.schedule(1, () => t.cancel());
    sim.run();
    expect(log).toEqual([]);
    expect(sim.now).toBe(1);
  });
});

describe("bad arguments", () => {
  it("rejects negative, NaN and infinite delays, times in the past and bad priorities with SIM_ codes", () => {
    const { sim } = recorder();
    sim.run(2);
    const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as SimError).code; } return "none"; };
    expect(code(() => sim.schedule(-1, () => undefined))).toBe("SIM_BAD_DELAY");
    expect(code(() => sim.timeout(NaN))).toBe("SIM_BAD_DELAY");
    expect(code(() => sim.timeout(Infinity))).toBe("SIM_BAD_DELAY");
    expect(code(() => sim.at(1, () => undefined))).toBe("SIM_BAD_TIME");
    expect(code(() => sim.schedule(1, () => undefined, { priority: NaN }))).toBe("SIM_BAD_PRIORITY");
    expect(code(() => new Simulation({ start: NaN }))).toBe("SIM_BAD_TIME");
  });
});

describe("determinism", () => {
  /** A small random model: arrivals at exponential gaps served by callbacks at random delays. */
  function traceOf(seed: number): SimTraceEntry[] {
    const trace: SimTraceEntry[] = [];
    const sim = new Simulation({ seed, trace: (e) => trace.push(e) });
    const arrive = (n: number): void => {
      if (n === 0) return;
      sim.schedule(sim.rng.exponential(2), () => {
        sim.schedule(sim.rng.uniform(0, 1), () => undefined, { label: `done${n}`, priority: sim.rng.int(0, 2) });
        arrive(n - 1);
      }, { label: `arrive${n}` });
    };
    arrive(200);
    sim.process(function* worker() {
      for (let i = 0; i < 50; i++) yield sim.rng.exponential(1);
    });
    sim.run();
    return trace;
  }

  it("gives an identical trace for the same seed and a different one for a different seed", () => {
    const a = traceOf(7);
    expect(a.length).toBe(200 * 2 + 1 + 50 + 1);
    expect(traceOf(7)).toEqual(a);
    expect(traceOf(8)).not.toEqual(a);
  });

  it("traces every processed event with its time, priority, sequence number and label, in processing order", () => {
    const trace: SimTraceEntry[] = [];
    const sim = new Simulation({ trace: (e) => trace.push(e) });
    sim.schedule(1, () => undefined, { label: "later", priority: 2 });
    sim.schedule(1, () => undefined, { label: "sooner", priority: 1 });
    sim.timeout(0.5, { label: "tick" });
    sim.run();
    expect(trace).toEqual([
      { time: 0.5, priority: 0, seq: 2, label: "tick" },
      { time: 1, priority: 1, seq: 1, label: "sooner" },
      { time: 1, priority: 2, seq: 0, label: "later" },
    ]);
  });
});
