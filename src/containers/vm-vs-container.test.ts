// Tests for VMs against containers: the lecture's orders of magnitude come out of running the profiles on one host.
import { describe, expect, it } from "vitest";
import { compareVmsAndContainers, INSTANCE_PROFILES, startInstances } from "./vm-vs-container.js";

describe("VMs against containers", () => {
  const rows = compareVmsAndContainers({ cpus: 8, memoryBytes: 64 * 2 ** 30, instances: 20 });
  const row = (k: string) => rows.find((r) => r.kind === k)!;

  it("boots a VM in seconds and starts a container in well under a second", () => {
    expect(row("vm").bootSeconds).toBeGreaterThan(5);
    expect(row("container").bootSeconds).toBeLessThan(1);
    expect(row("microvm").bootSeconds).toBeLessThan(1);
  });

  it("needs O(GB) per VM and O(MB) per container, so the host holds over ten times more containers", () => {
    expect(row("vm").memoryPerInstanceMiB).toBeGreaterThan(1000);
    expect(row("container").memoryPerInstanceMiB).toBeLessThan(100);
    expect(row("container").density).toBeGreaterThan(10 * row("vm").density);
  });

  it("finds the density on the simulated host: that many fit, one more meets the OOM killer", () => {
    const vm = row("vm");
    const host = { cpus: 8, memoryBytes: 64 * 2 ** 30 };
    expect(startInstances(INSTANCE_PROFILES.vm, vm.density, host).oomKilled).toBe(0);
    expect(startInstances(INSTANCE_PROFILES.vm, vm.density + 1, host).oomKilled).toBeGreaterThan(0);
  });

  it("slows start-up when N instances share the CPUs: 20 VMs on 8 CPUs take half again as long as one alone", () => {
    expect(row("vm").lastStartSeconds).toBeGreaterThan(1.5 * row("vm").bootSeconds);
    expect(row("container").lastStartSeconds).toBeLessThan(row("vm").bootSeconds);
  });
});

describe("more instances than memory", () => {
  it("has the OOM killer stop the VMs that do not fit when 20 start on 16 GiB, and none of 20 containers", () => {
    const rows = compareVmsAndContainers({ cpus: 8, memoryBytes: 16 * 2 ** 30, instances: 20 });
    const vm = rows.find((r) => r.kind === "vm")!;
    expect(vm.oomKilledAtOnce).toBe(20 - vm.density);
    expect(rows.find((r) => r.kind === "container")!.oomKilledAtOnce).toBe(0);
  });
});
