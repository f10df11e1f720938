// Tests for events: succeeding, failing, callbacks, and the errors for misuse.
import { describe, expect, it } from "vitest";
import { Simulation } from "./simulation.js";

describe("SimEvent", () => {
  it("is pending, then triggered, then processed, and holds its value", () => {
    const sim = new Simulation();
    const ev = sim.event<number>("answer");
    expect([ev.pending, ev.triggered, ev.processed]).toEqual([true, false, false]);
    ev.succeed(42);
    expect([ev.pending, ev.triggered, ev.processed]).toEqual([false, true, false]);
    expect(ev.value).toBe(42);
    sim.run();
    expect(ev.processed).toBe(true);
    expect(ev.ok).toBe(true);
  });

  it("runs its callbacks when processed (not when triggered), and at once when added afterwards", () => {
    const sim = new Simulation();
    const ev = sim.event<string>();
    const log: string[] = [];
    ev.addCallback((e) => log.push(`first:${e.value}`));
    ev.succeed("x");
    expect(log).toEqual([]);
    sim.step();
    expect(log).toEqual(["first:x"]);
    ev.addCallback((e) => log.push(`late:${e.value}`));
    expect(log).toEqual(["first:x", "late:x"]);
  });

  it("forgets a removed callback", () => {
    const sim = new Simulation();
    const ev = sim.event();
    const log: string[] = [];
    const cb = () => log.push("cb");
    ev.addCallback(cb);
    expect(ev.removeCallback(cb)).toBe(true);
    expect(ev.removeCallback(cb)).toBe(false);
    ev.succeed();
    sim.run();
    expect(log).toEqual([]);
  });

  it("happens once: a second succeed or fail is SIM_ALREADY_TRIGGERED", () => {
    const sim = new Simulation();
    const ev = sim.event("once").succeed(1);
    expect(() => ev.succeed(2)).toThrow(expect.objectContaining({ code: "SIM_ALREADY_TRIGGERED" }));
    expect(() => ev.fail(new Error("no"))).toThrow(expect.objectContaining({ code: "SIM_ALREADY_TRIGGERED" }));
  });

  it("has no value while pending (SIM_NOT_READY) and throws its error as its value when failed", () => {
    const sim = new Simulation();
    const ev = sim.event("later");
    expect(() => ev.value).toThrow(expect.objectContaining({ code: "SIM_NOT_READY" }));
    const err = new Error("broken");
    ev.fail(err).defuse();
    expect(ev.error).toBe(err);
    expect(() => ev.value).toThrow("broken");
    sim.run();
  });

  it("makes step() throw a failure nobody handled, and not one that was defused", () => {
    const sim = new Simulation();
    sim.event("lost").fail(new Error("lost failure"));
    expect(() => sim.run()).toThrow("lost failure");
    sim.event("kept").fail(new Error("handled")).defuse();
    expect(() => sim.run()).not.toThrow();
  });

  it("waits for the events scheduled before it at the same instant", () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.schedule(0, () => log.push("already due"));
    sim.event().succeed().addCallback(() => log.push("event"));
    sim.run();
    expect(log).toEqual(["already due", "event"]);
  });
});
