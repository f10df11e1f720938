// The reproductions the container model owes the lectures, run through the Docker host API: CPU weights and caps,
// OOM at memory.max against throttling at memory.high, fork failing at pids.max, namespaces seen from inside.
import { describe, expect, it } from "vitest";
import { DockerHost } from "./docker-host.js";

/** CPU seconds a container's cgroup has used (cpu.stat usage_usec). */
function usage(host: DockerHost, name: string): number {
  const c = host.container(name);
  const text = c.cgroup ? host.kernel.readCgroup(c.cgroup.path, "cpu.stat") : c.finalCgroupFiles!.get("cpu.stat")!;
  return Number(/usage_usec (\d+)/.exec(text)![1]) / 1e6;
}

describe("CPU: cgroup v2 weights and caps", () => {
  it("gives 2:1 CPU to weights 200:100 under contention, and 100% to the busy one when the other idles", () => {
    const host = new DockerHost({ cpus: 1 });
    host.run("progrium/stress", ["--cpu", "1"], { name: "heavy", detach: true });
    host.run("progrium/stress", ["--cpu", "1"], { name: "light", detach: true });
    const path = (n: string) => host.container(n).cgroup!.path;
    host.kernel.writeCgroup(path("heavy"), "cpu.weight", "200");
    host.kernel.writeCgroup(path("light"), "cpu.weight", "100");
    host.advance(0.5);
    const [h0, l0] = [usage(host, "heavy"), usage(host, "light")];
    host.advance(3);
    const h = usage(host, "heavy") - h0;
    const l = usage(host, "light") - l0;
    expect(h / l).toBeCloseTo(2, 2);
    expect(h + l).toBeCloseTo(3, 2);
    host.stop("light");
    const h1 = usage(host, "heavy");
    host.advance(2);
    expect(usage(host, "heavy") - h1).toBeCloseTo(2, 2);
  });

  it("holds a group to 20% with cpu.max \"10000 50000\" on an idle host, throttling it every period", () => {
    const host = new DockerHost({ cpus: 2 });
    host.run("progrium/stress", ["--cpu", "1", "--timeout", "10"], { name: "capped", detach: true });
    const cg = host.container("capped").cgroup!.path;
    host.kernel.writeCgroup(cg, "cpu.max", "10000 50000");
    expect(host.kernel.readCgroup(cg, "cpu.max")).toBe("10000 50000\n");
    const u0 = usage(host, "capped");
    host.advance(5);
    expect((usage(host, "capped") - u0) / 5).toBeCloseTo(0.2, 2);
    const stat = host.kernel.readCgroup(cg, "cpu.stat");
    expect(Number(/nr_throttled (\d+)/.exec(stat)![1])).toBeGreaterThanOrEqual(99);
    expect(Number(/throttled_usec (\d+)/.exec(stat)![1]) / 1e6).toBeGreaterThan(3.9);
  });

  it("maps --cpus to cpu.max and --cpu-shares to cpu.weight as runc does", () => {
    const host = new DockerHost({ cpus: 2 });
    const c = host.run("alpine", ["sleep", "100"], { detach: true, cpus: "1.5", cpuShares: 512 }).container;
    expect(host.kernel.readCgroup(c.cgroup!.path, "cpu.max")).toBe("150000 100000\n");
    expect(host.kernel.readCgroup(c.cgroup!.path, "cpu.weight")).toBe("20\n");
  });

  it("answers bad cgroup values with the kernel's errors", () => {
    const host = new DockerHost();
    const c = host.run("alpine", ["sleep", "100"], { detach: true }).container;
    const w = (file: string, v: string) => () => host.kernel.writeCgroup(c.cgroup!.path, file, v);
    expect(w("cpu.weight", "0")).toThrow("Numerical result out of range");
    expect(w("cpu.weight", "abc")).toThrow("Invalid argument");
    expect(w("cpu.max", "500 100000")).toThrow("Invalid argument");
    expect(w("cpu.max", "10000 2000000")).toThrow("Invalid argument");
    expect(w("memory.max", "-1")).toThrow("Invalid argument");
    expect(w("pids.max", "lots")).toThrow("Invalid argument");
    w("memory.max", "100M")();
    expect(host.kernel.readCgroup(c.cgroup!.path, "memory.max")).toBe("104857600\n");
  });
});

describe("memory: memory.max kills, memory.high throttles", () => {
  it("OOM-kills a process that allocates past memory.max, counting it in memory.events", () => {
    const host = new DockerHost();
    const r = host.run("progrium/stress", ["--vm", "1", "--vm-bytes", "300m", "--vm-keep"], { memory: "256m" });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("<-- worker 2 got signal 9");
    expect(r.stderr).toContain("failed run completed");
    const events = r.container.finalCgroupFiles!.get("memory.events")!;
    expect(events).toMatch(/^oom 1$/m);
    expect(events).toMatch(/^oom_kill 1$/m);
    expect(r.container.finalCgroupFiles!.get("memory.peak")).toBe(`${256 * 2 ** 20}\n`);
    expect(host.kernel.dmesg.at(-1)).toMatch(/memory cgroup out of memory: Killed process \d+ \(stress\)/);
  });

  it("only throttles at memory.high: the allocation finishes, slowly, and nothing is killed", () => {
    const host = new DockerHost();
    const free = host.run("progrium/stress", ["--vm", "1", "--vm-bytes", "120m", "--vm-hang", "1", "--timeout", "30"], { detach: true, name: "free" }).container;
    const slow = host.run("progrium/stress", ["--vm", "1", "--vm-bytes", "120m", "--vm-hang", "1", "--timeout", "30"], { detach: true, name: "slow" }).container;
    host.kernel.writeCgroup(slow.cgroup!.path, "memory.high", "100M");
    host.advance(1);
    const cur = (c: typeof free) => Number(host.kernel.readCgroup(c.cgroup!.path, "memory.current"));
    expect(cur(free)).toBe(120 * 2 ** 20);
    expect(cur(slow)).toBeGreaterThan(100 * 2 ** 20);
    expect(cur(slow)).toBeLessThan(120 * 2 ** 20);
    host.advance(28);
    expect(cur(slow)).toBe(120 * 2 ** 20);
    const events = host.kernel.readCgroup(slow.cgroup!.path, "memory.events");
    expect(Number(/^high (\d+)$/m.exec(events)![1])).toBeGreaterThan(10);
    expect(events).toMatch(/^oom_kill 0$/m);
    host.waitFor(slow);
    expect(slow.exitCode).toBe(0);
  });
});

describe("pids.max", () => {
  it("makes fork fail with EAGAIN at the limit and counts it in pids.events", () => {
    const host = new DockerHost();
    const r = host.run("progrium/stress", ["--cpu", "8", "--timeout", "1"], { pidsLimit: 5 });
    expect(r.stderr).toContain("fork failed: Resource temporarily unavailable");
    expect(r.exitCode).toBe(1);
    expect(r.container.finalCgroupFiles!.get("pids.events")).toBe("max 1\n");
    expect(r.container.finalCgroupFiles!.get("pids.peak")).toBe("5\n");
  });
});

describe("namespaces, checked from inside", () => {
  it("shows PID 1 inside and a host PID outside, its own hostname, its cgroup as the root, and the host's kernel", () => {
    const host = new DockerHost();
    const c = host.run("alpine", ["sleep", "1000"], { detach: true, name: "box" }).container;
    const ps = host.exec("box", ["ps"]).stdout;
    expect(ps).toMatch(/^\s+1 root\s+0:00 sleep 1000$/m);
    expect(ps.trim().split("\n")).toHaveLength(3);
    expect(c.task!.pid).toBeGreaterThan(1);
    expect(host.exec("box", ["hostname"]).stdout).toBe(`${c.shortId}\n`);
    expect(host.exec("box", ["cat", "/proc/self/cgroup"]).stdout).toBe("0::/\n");
    expect(host.exec("box", ["uname", "-r"]).stdout).toBe("6.1.0-18-amd64\n");
    const inside = host.exec("box", ["readlink", "/proc/self/ns/net"]).stdout;
    const other = host.run("alpine", ["readlink", "/proc/self/ns/net"]).stdout;
    expect(inside).toMatch(/^net:\[\d+\]\n$/);
    expect(other).not.toBe(inside);
    expect(host.exec("box", ["cat", "/proc/self/uid_map"]).stdout.trim().split(/\s+/)).toEqual(["0", "0", "4294967295"]);
    const remapped = host.run("alpine", ["cat", "/proc/self/uid_map"], { userns: "remap" }).stdout;
    expect(remapped.trim().split(/\s+/)).toEqual(["0", "100000", "65536"]);
  });

  it("mounts the cgroup file system read-only inside: reading works, writing is refused", () => {
    const host = new DockerHost();
    const r = host.run("alpine", ["sh", "-c", "cat /sys/fs/cgroup/memory.max; echo 100 > /sys/fs/cgroup/cpu.weight"], { memory: "64m" });
    expect(r.stdout).toBe(`${64 * 2 ** 20}\n`);
    expect(r.stderr).toBe("sh: can't create /sys/fs/cgroup/cpu.weight: Read-only file system\n");
  });

  it("lets a --privileged container write its own cgroup files, with the kernel's errors for bad values", () => {
    const host = new DockerHost();
    const r = host.run("alpine", ["sh", "-c", 'echo "10000 50000" > /sys/fs/cgroup/cpu.max; cat /sys/fs/cgroup/cpu.max; echo 0 > /sys/fs/cgroup/cpu.weight'], { privileged: true });
    expect(r.stdout).toBe("10000 50000\n");
    expect(r.stderr).toBe("sh: write error: Numerical result out of range\n");
  });
});

describe("networks", () => {
  it("resolves names on a user-defined bridge and not on the default one", () => {
    const host = new DockerHost();
    host.networks.create("appnet", host.clock());
    host.run("nginx:alpine", [], { name: "web", detach: true, network: "appnet" });
    host.run("nginx:alpine", [], { name: "web0", detach: true });
    host.advance(1);
    const onUser = host.run("alpine", ["wget", "-qO-", "http://web/"], { network: "appnet" });
    expect(onUser.exitCode).toBe(0);
    expect(onUser.stdout).toContain("Welcome to nginx!");
    const onDefault = host.run("alpine", ["wget", "-qO-", "http://web0/"]);
    expect(onDefault.exitCode).toBe(1);
    expect(onDefault.stderr).toBe("wget: bad address 'web0'\n");
    const ip = host.container("web0").ns!.net.interfaces.get("eth0")!.address;
    expect(ip).toMatch(/^172\.17\.0\.\d+$/);
    expect(host.run("alpine", ["wget", "-qO-", `http://${ip}/`]).stdout).toContain("Welcome to nginx!");
  });

  it("publishes a port once, answers a request on it with the container that served it, and refuses a second binding", () => {
    const host = new DockerHost();
    host.run("nginx:alpine", [], { name: "web1", detach: true, publish: ["8080:80"] });
    host.advance(1);
    const r = host.request(8080, "/");
    expect(r).toMatchObject({ status: 200, servedBy: "web1" });
    expect(() => host.run("nginx:alpine", [], { name: "web2", detach: true, publish: ["8080:80"] })).toThrow(/Bind for 0\.0\.0\.0:8080 failed: port is already allocated/);
    expect(host.container("web2").status).toBe("created");
  });

  it("ignores -p with --network host, with Docker's warning, and shares ports with --network container:NAME", () => {
    const host = new DockerHost();
    const r = host.run("alpine", ["true"], { network: "host", publish: ["80:80"] });
    expect(r.messages).toContain("WARNING: Published ports are discarded when using host network mode");
    host.run("nginx:alpine", [], { name: "srv", detach: true });
    host.advance(1);
    const side = host.run("alpine", ["wget", "-qO-", "http://localhost/"], { network: "container:srv" });
    expect(side.stdout).toContain("Welcome to nginx!");
  });
});
