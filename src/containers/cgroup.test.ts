// Tests for the cgroup v2 hierarchy on the simulated kernel: which files exist, subtree_control's rules, moving processes,
// nested distribution of CPU under weights and a parent's cap, and memory.max lowered below the usage.
import { describe, expect, it } from "vitest";
import { Simulation } from "../sim/index.js";
import { ContainerFs } from "./container-fs.js";
import { Kernel } from "./kernel.js";
import type { Program } from "./program.js";

const spin: Program = function* (sys) {
  yield sys.compute(1e9);
  return 0;
};
const hold = (bytes: number): Program => function* (sys) {
  yield sys.alloc(bytes);
  yield sys.sim.event("hold");
  return 0;
};

function kernel(cpus = 2) {
  const sim = new Simulation({ seed: 1 });
  const k = new Kernel(sim, { cpus, memoryBytes: 8 * 2 ** 30 }, new Map());
  const start = (path: string, program: Program) => {
    const cg = k.cgroups.find(path) ?? k.cgroups.mkdir(path, { parents: true });
    const ns = k.newNamespaces({ fs: new ContainerFs(new Map()), hostname: "t", cgroupRoot: cg });
    return k.spawn({ argv: ["t"], cgroup: cg, ns, program });
  };
  const usage = (path: string) => Number(/usage_usec (\d+)/.exec(k.readCgroup(path, "cpu.stat"))![1]) / 1e6;
  return { sim, k, start, usage };
}

describe("cgroup files", () => {
  it("has controller files only where the parent enables the controller, and none at the root", () => {
    const { k } = kernel();
    expect(k.cgroups.root.files()).not.toContain("cpu.max");
    const plain = k.cgroups.mkdir("/plain");
    expect(plain.files()).toContain("cpu.weight");
    const inner = k.cgroups.mkdir("/plain/inner");
    expect(inner.files()).not.toContain("cpu.weight");
    expect(() => k.readCgroup("/plain/inner", "cpu.weight")).toThrow("No such file or directory");
    k.writeCgroup("/plain", "cgroup.subtree_control", "+cpu +memory");
    expect(k.readCgroup("/plain", "cgroup.subtree_control")).toBe("cpu memory\n");
    expect(k.readCgroup("/plain/inner", "cgroup.controllers")).toBe("cpu memory\n");
    expect(inner.files()).toEqual(expect.arrayContaining(["cpu.weight", "memory.max"]));
  });

  it("applies the no-internal-processes rule and refuses unknown controllers", () => {
    const { k, start } = kernel();
    start("/busy", spin);
    expect(() => k.writeCgroup("/busy", "cgroup.subtree_control", "+cpu")).toThrow("Device or resource busy");
    expect(() => k.writeCgroup("/system.slice", "cgroup.subtree_control", "+io")).toThrow("No such file or directory");
    expect(() => k.writeCgroup("/system.slice", "cgroup.subtree_control", "cpu")).toThrow("Invalid argument");
    expect(() => k.writeCgroup("/system.slice", "cpu.stat", "0")).toThrow("Permission denied");
    expect(() => k.cgroups.rmdir("/busy")).toThrow("Device or resource busy");
  });

  it("moves a process by writing its PID to cgroup.procs", () => {
    const { k, start } = kernel();
    const t = start("/a", hold(2 ** 20));
    k.sim.run(1);
    k.cgroups.mkdir("/b");
    k.writeCgroup("/b", "cgroup.procs", String(t.pid));
    expect(k.readCgroup("/b", "cgroup.procs")).toBe(`${t.pid}\n`);
    expect(k.readCgroup("/a", "cgroup.procs")).toBe("");
    expect(k.readCgroup("/b", "memory.current")).toBe(`${2 ** 20}\n`);
    expect(() => k.writeCgroup("/b", "cgroup.procs", "99999")).toThrow("No such process");
  });
});

describe("nested CPU distribution", () => {
  it("shares a parent's cpu.max among its children by weight, and gives the rest of the host to others", () => {
    const { k, sim, start, usage } = kernel(2);
    k.cgroups.mkdir("/tenant", { enable: ["cpu"] });
    k.writeCgroup("/tenant", "cpu.max", "100000 100000");
    start("/tenant/web", spin);
    start("/tenant/web", spin);
    start("/tenant/batch", spin);
    start("/other", spin);
    start("/other", spin);
    k.writeCgroup("/tenant/web", "cpu.weight", "300");
    sim.run(1);
    const u = { web: usage("/tenant/web"), batch: usage("/tenant/batch"), other: usage("/other") };
    sim.run(11);
    const web = usage("/tenant/web") - u.web;
    const batch = usage("/tenant/batch") - u.batch;
    const other = usage("/other") - u.other;
    expect((web + batch) / 10).toBeCloseTo(1, 2);
    expect(web / batch).toBeCloseTo(3, 1);
    expect(other / 10).toBeCloseTo(1, 2);
  });
});

describe("memory.max written below the usage", () => {
  it("OOM-kills in the group until the usage fits, as memory_max_write does", () => {
    const { k, sim, start } = kernel();
    const big = start("/m/big", hold(100 * 2 ** 20));
    const small = start("/m/small", hold(10 * 2 ** 20));
    sim.run(1);
    k.writeCgroup("/m", "memory.max", "50M");
    sim.run(2);
    expect(big.status).toEqual({ signal: 9 });
    expect(small.alive).toBe(true);
    expect(k.readCgroup("/m", "memory.events")).toMatch(/^oom_kill 1$/m);
    expect(k.readCgroup("/m", "memory.current")).toBe(`${10 * 2 ** 20}\n`);
  });
});
