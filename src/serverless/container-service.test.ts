// Tests for the autoscaled container service: queueing on one instance, scaling by its rule with cooldown and boot time, scaling in.
import { describe, expect, it } from "vitest";
import { Simulation } from "../sim/index.js";
import { CONTAINER_SERVICE, ContainerService, VM_BOOT_MS, VM_SERVICE } from "./container-service.js";
import { closedLoop, openLoop } from "./workload.js";

describe("the container service", () => {
  it("queues requests on one instance in arrival order", () => {
    const sim = new Simulation({ seed: 1 });
    const svc = new ContainerService(sim);
    for (let i = 0; i < 5; i++) svc.invoke({ cpuMs: 200 });
    svc.stop();
    sim.run();
    expect(Array.from(svc.log.latencies()).map((l) => Math.round(l))).toEqual([200, 400, 600, 800, 1000]);
  });

  it("scales out one instance at a time after a 5-minute breach, waits out the 360 s cooldown, and boots each in 97 s", () => {
    const sim = new Simulation({ seed: 1 });
    const svc = new ContainerService(sim, { recordInstances: true });
    closedLoop(svc, { cpuMs: 200 }, { clients: 20, durationS: 26 * 60 });
    sim.at(26 * 60, () => svc.stop());
    sim.run();
    const r = svc.report();
    expect(r.scaling.map((e) => e.atMs / 1000)).toEqual([300, 900, 1500]);
    const history = svc.instances.history();
    expect(history.find((h) => h.level === 2)!.time).toBeCloseTo(300 + VM_BOOT_MS / 1000, 6);
    expect(r.instances.peak).toBe(4);
  });

  it("adds capacity 97 s after the decision as a VM service and 25 s after it as a container service", () => {
    const readyAt = (options: typeof VM_SERVICE) => {
      const sim = new Simulation({ seed: 1 });
      const svc = new ContainerService(sim, { ...options, recordInstances: true });
      closedLoop(svc, { cpuMs: 200 }, { clients: 10, durationS: 400 });
      sim.at(400, () => svc.stop());
      sim.run();
      return svc.instances.history().find((h) => h.level === 2)!.time - svc.scaling[0]!.atMs / 1000;
    };
    expect(readyAt(VM_SERVICE)).toBeCloseTo(97, 6);
    expect(readyAt(CONTAINER_SERVICE)).toBeCloseTo(25, 6);
  });

  it("scales back in when the load is gone", () => {
    const sim = new Simulation({ seed: 1 });
    const svc = new ContainerService(sim, { initialInstances: 3, minInstances: 1 });
    openLoop(svc, { cpuMs: 10 }, { ratePerSecond: 1, durationS: 3600 });
    sim.at(3600, () => svc.stop());
    sim.run();
    expect(svc.report().scaling.filter((e) => e.change < 0).length).toBe(2);
    expect(svc.report().instances.final).toBe(1);
  });

  it("refuses a rule whose lower threshold is above its upper one", () => {
    const sim = new Simulation();
    expect(() => new ContainerService(sim, { rule: { metric: "cpu", upperThreshold: 0.2, lowerThreshold: 0.7, periodMs: 60_000, breachDurationMs: 60_000, scaleOutBy: 1, scaleInBy: 1, cooldownMs: 0 } })).toThrow(
      /lower threshold \(0\.7\) is above the upper one/,
    );
  });
});
