// VMs against containers on the same simulated host: boot time, memory per instance, density, start-up latency for N at once.
//
// Each instance is a set of processes on the host's kernel: a VM is a hypervisor process that boots a
// guest kernel and init (CPU work, firmware waits) and holds the guest's memory; a container is the
// runtime setting up namespaces and cgroups, then the application itself. The parameters are orders of
// magnitude with their sources, not measurements of this machine; the table is computed by running them.
import { Simulation } from "../sim/index.js";
import { ContainerFs } from "./container-fs.js";
import { Kernel } from "./kernel.js";
import type { Program } from "./program.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** How one kind of instance starts and what it holds. */
export interface InstanceProfile {
  readonly kind: "vm" | "microvm" | "container";
  readonly label: string;
  /** CPU seconds of boot work before the application can start (firmware, kernel, init; or runtime setup). */
  readonly bootCpuSeconds: number;
  /** Seconds of waiting during boot that use no CPU (firmware timeouts, device probing). */
  readonly bootWaitSeconds: number;
  /** Memory the instance holds besides the application: guest kernel and OS, or the runtime's shim. */
  readonly baseMemory: number;
  readonly sources: readonly string[];
}

export const INSTANCE_PROFILES: Readonly<Record<InstanceProfile["kind"], InstanceProfile>> = {
  vm: {
    kind: "vm",
    label: "VM (QEMU/KVM, general-purpose Linux guest)",
    bootCpuSeconds: 6,
    bootWaitSeconds: 4,
    baseMemory: 1 * GiB,
    sources: [
      "lecture 2 (Appuswamy), slide 45: VMs need O(GB) against O(MB) for containers",
      "a guest configured with 1 GiB of RAM holds it once its kernel and page cache have touched it (no ballooning)",
      "boot of a general-purpose guest (firmware, kernel, systemd) takes seconds to tens of seconds",
    ],
  },
  microvm: {
    kind: "microvm",
    label: "microVM (Firecracker, minimal guest)",
    bootCpuSeconds: 0.1,
    bootWaitSeconds: 0.025,
    baseMemory: 5 * MiB + 32 * MiB,
    sources: [
      "Agache et al., Firecracker, NSDI 2020: boots to application code in about 125 ms, under 5 MiB memory overhead per microVM",
      "a minimal guest kernel and init hold tens of MiB",
    ],
  },
  container: {
    kind: "container",
    label: "container (runc via containerd)",
    bootCpuSeconds: 0.08,
    bootWaitSeconds: 0.05,
    baseMemory: 7 * MiB,
    sources: [
      "lecture 2, slides 40-41: cgroups and namespaces; no guest kernel to boot, the application starts directly on the host kernel",
      "runc's container creation (namespaces, cgroups, mounts) takes on the order of 100 ms; containerd-shim holds a few MiB",
    ],
  },
};

export interface InstanceWorkload {
  /** CPU seconds the application needs to start. */
  readonly appStartCpuSeconds: number;
  readonly appMemory: number;
}

export const DEFAULT_WORKLOAD: InstanceWorkload = { appStartCpuSeconds: 0.2, appMemory: 50 * MiB };

export interface StartRun {
  readonly profile: InstanceProfile;
  readonly instances: number;
  /** Seconds from the launch of all instances until each was serving. */
  readonly readyTimes: readonly number[];
  /** Host memory used per started instance. */
  readonly memoryPerInstance: number;
  /** Instances killed by the host's OOM killer (too many for the memory). */
  readonly oomKilled: number;
}

function instanceProgram(p: InstanceProfile, w: InstanceWorkload, ready: (t: number) => void): Program {
  return function* (sys) {
    yield sys.alloc(Math.min(p.baseMemory, 64 * MiB));
    if (p.bootWaitSeconds > 0) yield sys.sleep(p.bootWaitSeconds);
    yield sys.compute(p.bootCpuSeconds);
    if (p.baseMemory > 64 * MiB) yield sys.alloc(p.baseMemory - 64 * MiB);
    yield sys.compute(w.appStartCpuSeconds);
    yield sys.alloc(w.appMemory);
    ready(sys.sim.now);
    yield sys.sim.event("serve");
    return 0;
  };
}

/** Launch `n` instances of a kind at once on a host and see when each is ready and what memory they hold. */
export function startInstances(profile: InstanceProfile, n: number, host: { cpus: number; memoryBytes: number }, workload: InstanceWorkload = DEFAULT_WORKLOAD): StartRun {
  const sim = new Simulation({ seed: 1 });
  const kernel = new Kernel(sim, { cpus: host.cpus, memoryBytes: host.memoryBytes }, new Map());
  const readyTimes: number[] = [];
  const tasks = [];
  for (let i = 0; i < n; i++) {
    const cg = kernel.cgroups.mkdir(`/system.slice/${profile.kind}-${i}.scope`);
    const ns = kernel.newNamespaces({ fs: new ContainerFs(new Map()), hostname: `${profile.kind}-${i}`, cgroupRoot: cg });
    tasks.push(kernel.spawn({ argv: [profile.kind === "container" ? "app" : "qemu-system-x86_64"], cgroup: cg, ns, program: instanceProgram(profile, workload, (t) => readyTimes.push(t)) }));
  }
  sim.run(600);
  const alive = tasks.filter((t) => t.alive).length;
  return {
    profile,
    instances: n,
    readyTimes: readyTimes.sort((a, b) => a - b),
    memoryPerInstance: alive > 0 ? kernel.memoryInUse / alive : 0,
    oomKilled: tasks.filter((t) => !t.alive).length,
  };
}

/** One row of the lecture's comparison, computed. */
export interface ComparisonRow {
  readonly kind: InstanceProfile["kind"];
  readonly label: string;
  /** Seconds for one instance on an idle host. */
  readonly bootSeconds: number;
  readonly memoryPerInstanceMiB: number;
  /** The most instances the host's memory holds (found by starting one more and seeing the OOM killer act). */
  readonly density: number;
  /** For `n` instances launched together: median and last ready time. */
  readonly medianStartSeconds: number;
  readonly lastStartSeconds: number;
  /** Of the `n` launched together, how many the host's OOM killer stopped (more than fit in memory). */
  readonly oomKilledAtOnce: number;
  readonly sources: readonly string[];
}

/** Boot time, memory, density and start-up latency of VMs, microVMs and containers on one host. */
export function compareVmsAndContainers(options: { cpus?: number; memoryBytes?: number; instances?: number; workload?: InstanceWorkload } = {}): ComparisonRow[] {
  const host = { cpus: options.cpus ?? 8, memoryBytes: options.memoryBytes ?? 64 * GiB };
  const n = options.instances ?? 20;
  const workload = options.workload ?? DEFAULT_WORKLOAD;
  return (Object.values(INSTANCE_PROFILES) as InstanceProfile[]).map((p) => {
    const one = startInstances(p, 1, host, workload);
    const many = startInstances(p, n, host, workload);
    const perInstance = one.memoryPerInstance;
    let density = Math.floor(host.memoryBytes / perInstance);
    // Check the estimate on the simulated host: density fit, one more does not.
    while (density > 0 && startInstances(p, density, host, { ...workload, appStartCpuSeconds: 0 }).oomKilled > 0) density--;
    while (startInstances(p, density + 1, host, { ...workload, appStartCpuSeconds: 0 }).oomKilled === 0) density++;
    const times = many.readyTimes;
    return {
      kind: p.kind,
      label: p.label,
      bootSeconds: one.readyTimes[0] ?? NaN,
      memoryPerInstanceMiB: perInstance / MiB,
      density,
      medianStartSeconds: times[Math.floor((times.length - 1) / 2)] ?? NaN,
      lastStartSeconds: times.at(-1) ?? NaN,
      oomKilledAtOnce: many.oomKilled,
      sources: p.sources,
    };
  });
}
