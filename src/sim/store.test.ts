// Tests for Store: FIFO put/get, blocking on empty and full, filtered gets, and withdrawal.
import { describe, expect, it } from "vitest";
import { Simulation } from "./simulation.js";
import { Store } from "./store.js";

describe("Store", () => {
  it("hands items to getters in the order they were put, and makes an early getter wait", () => {
    const sim = new Simulation();
    const q = new Store<string>(sim, { name: "requests" });
    const got: string[] = [];
    sim.process(function* () {
      for (let i = 0; i < 3; i++) got.push(`${yield* q.get()}@${sim.now}`);
    });
    sim.process(function* () {
      yield 1;
      q.put("a");
      q.put("b");
      yield 2;
      q.put("c");
    });
    sim.run();
    expect(got).toEqual(["a@1", "b@1", "c@3"]);
  });

  it("blocks a put while full and lets it in when a get makes room", () => {
    const sim = new Simulation();
    const q = new Store<number>(sim, { capacity: 2 });
    const putAt: number[] = [];
    sim.process(function* () {
      for (let i = 0; i < 3; i++) {
        yield q.put(i);
        putAt.push(sim.now);
      }
    });
    sim.process(function* () {
      yield 5;
      expect(q.size).toBe(2);
      expect(q.waitingPuts).toBe(1);
      yield q.get();
    });
    sim.run();
    expect(putAt).toEqual([0, 0, 5]);
    expect(q.items).toEqual([1, 2]);
  });

  it("serves several waiting getters in the order they asked", () => {
    const sim = new Simulation();
    const q = new Store<string>(sim);
    const log: string[] = [];
    for (const who of ["x", "y"]) sim.process(function* () { log.push(`${who}:${yield* q.get()}`); });
    sim.schedule(1, () => { q.put("first"); q.put("second"); });
    sim.run();
    expect(log).toEqual(["x:first", "y:second"]);
  });

  it("gives a filtered get the oldest item it accepts and lets other getters take the rest", () => {
    const sim = new Simulation();
    const idle = new Store<{ fn: string; id: number }>(sim, { name: "idle" });
    idle.put({ fn: "resize", id: 1 });
    idle.put({ fn: "thumb", id: 2 });
    idle.put({ fn: "thumb", id: 3 });
    const thumb = idle.get((i) => i.fn === "thumb");
    const any = idle.get();
    const missing = idle.get((i) => i.fn === "ocr");
    sim.run();
    expect(thumb.value.id).toBe(2);
    expect(any.value.id).toBe(1);
    expect(missing.pending).toBe(true);
    expect(idle.items.map((i) => i.id)).toEqual([3]);
  });

  it("lets a waiting get be withdrawn so it never takes a later item", () => {
    const sim = new Simulation();
    const q = new Store<number>(sim);
    const g = q.get();
    expect(g.cancel()).toBe(true);
    q.put(7);
    sim.run();
    expect(g.pending).toBe(true);
    expect(q.items).toEqual([7]);
    const h = q.get();
    expect(h.cancel()).toBe(false);
    sim.run();
    expect(h.value).toBe(7);
  });

  it("lets a waiting put be withdrawn so its item never goes in", () => {
    const sim = new Simulation();
    const q = new Store<number>(sim, { capacity: 1 });
    q.put(1);
    const p = q.put(2);
    expect(p.cancel()).toBe(true);
    q.get();
    sim.run();
    expect(q.items).toEqual([]);
  });

  it("refuses a capacity that is not a whole number >= 1", () => {
    const sim = new Simulation();
    expect(() => new Store(sim, { capacity: 0 })).toThrow(expect.objectContaining({ code: "SIM_BAD_CAPACITY" }));
  });
});
