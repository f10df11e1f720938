// Tests for Resource: capacity, FIFO queueing, release, withdrawal and misuse.
import { describe, expect, it } from "vitest";
import { Simulation } from "./simulation.js";
import { Resource } from "./resource.js";

describe("Resource", () => {
  it("grants up to its capacity at once and queues the rest first come, first served", () => {
    const sim = new Simulation();
    const workers = new Resource(sim, 2, { name: "workers" });
    const starts: string[] = [];
    // Five jobs of 10 s arriving one second apart on two workers.
    for (let i = 0; i < 5; i++) {
      sim.process(function* () {
        yield i;
        const req = workers.request();
        yield req;
        starts.push(`job${i}@${sim.now} waited ${req.waited}`);
        yield 10;
        workers.release(req);
      });
    }
    sim.run();
    expect(starts).toEqual(["job0@0 waited 0", "job1@1 waited 0", "job2@10 waited 8", "job3@11 waited 8", "job4@20 waited 16"]);
  });

  it("reports how many slots are in use and how many requests wait", () => {
    const sim = new Simulation();
    const r = new Resource(sim, 1);
    const a = r.request();
    const b = r.request();
    const c = r.request();
    expect([r.inUse, r.queueLength]).toEqual([1, 2]);
    expect(r.users).toEqual([a]);
    expect(r.queue).toEqual([b, c]);
    r.release(a);
    expect(r.users).toEqual([b]);
    expect(b.grantedAt).toBe(0);
    sim.run();
  });

  it("lets a waiting request be withdrawn (cancel) without disturbing the order of the others", () => {
    const sim = new Simulation();
    const r = new Resource(sim, 1);
    const a = r.request();
    const b = r.request();
    const c = r.request();
    expect(b.cancel()).toBe(true);
    expect(b.cancel()).toBe(false);
    r.release(a);
    expect(r.users).toEqual([c]);
    expect(b.pending).toBe(true);
  });

  it("hands the slot on when a granted request is cancelled", () => {
    const sim = new Simulation();
    const r = new Resource(sim, 1);
    const a = r.request();
    const b = r.request();
    a.cancel();
    expect(r.users).toEqual([b]);
  });

  it("refuses a double release, a release on the wrong resource and a capacity that is not a whole number >= 1", () => {
    const sim = new Simulation();
    const r1 = new Resource(sim, 1, { name: "r1" });
    const r2 = new Resource(sim, 1, { name: "r2" });
    const a = r1.request();
    r1.release(a);
    expect(() => r1.release(a)).toThrow(expect.objectContaining({ code: "SIM_NOT_HELD" }));
    expect(() => r2.release(r1.request())).toThrow("request for 'r1' released on resource 'r2'");
    expect(() => new Resource(sim, 0)).toThrow(expect.objectContaining({ code: "SIM_BAD_CAPACITY" }));
    expect(() => new Resource(sim, 1.5)).toThrow(expect.objectContaining({ code: "SIM_BAD_CAPACITY" }));
  });
});
