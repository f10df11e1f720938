// The cgroup v2 hierarchy: groups, their controllers and limits, their accounting, and the interface files over them.
import { FsError } from "./fs-error.js";
import {
  CPU_PERIOD_DEFAULT_US, CPU_WEIGHT_DEFAULT, formatCpuMax, formatKeyed, formatLimit, parseCpuMax, parseCpuWeight,
  parseMemoryLimit, parsePidsMax, parseSubtreeControl, type CpuMax,
} from "./cgroup-format.js";

export const CONTROLLERS = ["cpu", "memory", "pids"] as const;
export type Controller = (typeof CONTROLLERS)[number];

/** memory.events counters. */
export interface MemoryEvents {
  low: number;
  high: number;
  max: number;
  oom: number;
  oom_kill: number;
  oom_group_kill: number;
}

/** What the kernel is told when a write changes something it must act on. */
export interface CgroupHooks {
  /** cpu.weight or cpu.max changed: recompute CPU shares. */
  cpuChanged(cg: Cgroup): void;
  /** memory.max was lowered, maybe below the usage: reclaim or OOM-kill. */
  memoryLimitChanged(cg: Cgroup): void;
  /** A process is moved by writing its PID to cgroup.procs (PIDs as the writer sees them). */
  moveProcess(pid: number, to: Cgroup): void;
  /** Host PIDs of the processes in a group, translated for the reader's PID namespace (undefined: not visible). */
  visiblePid(hostPid: number): number | undefined;
}

export class Cgroup {
  readonly children = new Map<string, Cgroup>();
  /** Host PIDs of the processes directly in this group. */
  readonly procs = new Set<number>();
  readonly subtreeControl = new Set<Controller>();

  weight = CPU_WEIGHT_DEFAULT;
  cpuMax: CpuMax = { quotaUs: Infinity, periodUs: CPU_PERIOD_DEFAULT_US };
  memoryMax = Infinity;
  memoryHigh = Infinity;
  memoryLow = 0;
  pidsMax = Infinity;

  /** CPU time used by the subtree, in seconds. */
  usage = 0;
  nrPeriods = 0;
  nrThrottled = 0;
  /** Seconds the subtree spent throttled with work to do. */
  throttledTime = 0;
  /** Bytes charged to the subtree. */
  memoryCurrent = 0;
  memoryPeak = 0;
  readonly memoryEvents: MemoryEvents = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
  pidsCurrent = 0;
  pidsEventsMax = 0;

  /** CFS bandwidth state: CPU seconds left in this period, and whether the group is throttled. */
  runtimeLeft = Infinity;
  throttled = false;
  /** Index of the period the bandwidth state belongs to (-1: none yet). */
  periodIndex = -1;

  constructor(readonly name: string, readonly parent: Cgroup | undefined) {}

  get path(): string {
    if (!this.parent) return "/";
    return this.parent.path === "/" ? `/${this.name}` : `${this.parent.path}/${this.name}`;
  }

  get isRoot(): boolean {
    return this.parent === undefined;
  }

  /** Controllers available here: those the parent enables for its children (all of them at the root). */
  get controllers(): Set<Controller> {
    return this.parent ? new Set(this.parent.subtreeControl) : new Set(CONTROLLERS);
  }

  /** This group and its ancestors up to the root, innermost first. */
  *lineage(): Generator<Cgroup> {
    for (let g: Cgroup | undefined = this; g; g = g.parent) yield g;
  }

  *descendants(): Generator<Cgroup> {
    yield this;
    for (const c of this.children.values()) yield* c.descendants();
  }

  /** cpu.max as CPUs (Infinity for "max"). */
  get cpuCap(): number {
    return this.cpuMax.quotaUs === Infinity ? Infinity : this.cpuMax.quotaUs / this.cpuMax.periodUs;
  }

  /** Does the cgroup's cpu.max apply (cpu controller enabled for it, quota set)? */
  get hasQuota(): boolean {
    return !this.isRoot && this.controllers.has("cpu") && this.cpuMax.quotaUs !== Infinity;
  }

  /** The interface files this group has (controller files only where that controller is enabled; none at the root). */
  files(): string[] {
    const core = ["cgroup.controllers", "cgroup.events", "cgroup.procs", "cgroup.subtree_control", "cgroup.type"];
    const c = this.controllers;
    const out = [...core, "cpu.stat"];
    if (!this.isRoot && c.has("cpu")) out.push("cpu.max", "cpu.weight");
    if (c.has("memory")) {
      out.push("memory.stat");
      if (!this.isRoot) out.push("memory.current", "memory.events", "memory.high", "memory.low", "memory.max", "memory.peak");
    }
    if (c.has("pids") && !this.isRoot) out.push("pids.current", "pids.events", "pids.max", "pids.peak");
    return out.sort();
  }

  private requireFile(file: string): void {
    if (!this.files().includes(file)) throw new FsError("ENOENT", file);
  }

  /** Read an interface file as `cat` would show it. */
  read(file: string, hooks: Pick<CgroupHooks, "visiblePid">): string {
    this.requireFile(file);
    const usec = (s: number) => Math.floor(s * 1e6);
    switch (file) {
      case "cgroup.controllers": return [...this.controllers].join(" ") + "\n";
      case "cgroup.subtree_control": return [...CONTROLLERS].filter((c) => this.subtreeControl.has(c)).join(" ") + "\n";
      case "cgroup.type": return "domain\n";
      case "cgroup.events": return `populated ${this.populated ? 1 : 0}\nfrozen 0\n`;
      case "cgroup.procs": return [...this.procs].sort((a, b) => a - b).map((p) => hooks.visiblePid(p)).filter((p) => p !== undefined).map((p) => `${p}\n`).join("");
      case "cpu.weight": return `${this.weight}\n`;
      case "cpu.max": return formatCpuMax(this.cpuMax);
      case "cpu.stat": {
        const base: [string, number][] = [["usage_usec", usec(this.usage)], ["user_usec", usec(this.usage)], ["system_usec", 0]];
        if (!this.isRoot && this.controllers.has("cpu")) {
          base.push(["nr_periods", this.nrPeriods], ["nr_throttled", this.nrThrottled], ["throttled_usec", usec(this.throttledTime)], ["nr_bursts", 0], ["burst_usec", 0]);
        }
        return formatKeyed(base);
      }
      case "memory.current": return `${this.memoryCurrent}\n`;
      case "memory.peak": return `${this.memoryPeak}\n`;
      case "memory.max": return formatLimit(this.memoryMax);
      case "memory.high": return formatLimit(this.memoryHigh);
      case "memory.low": return `${this.memoryLow}\n`;
      case "memory.events": return formatKeyed(Object.entries(this.memoryEvents));
      case "memory.stat": return formatKeyed([["anon", this.memoryCurrent], ["file", 0], ["kernel", 0], ["sock", 0], ["shmem", 0]]);
      case "pids.current": return `${this.pidsCurrent}\n`;
      case "pids.peak": return `${this.pidsPeak}\n`;
      case "pids.max": return this.pidsMax === Infinity ? "max\n" : `${this.pidsMax}\n`;
      case "pids.events": return formatKeyed([["max", this.pidsEventsMax]]);
    }
    throw new FsError("ENOENT", file);
  }

  pidsPeak = 0;

  /** Is there a process in this subtree? */
  get populated(): boolean {
    for (const g of this.descendants()) if (g.procs.size > 0) return true;
    return false;
  }

  /** Write an interface file as `echo VALUE > FILE` would, with the kernel's validation and errors. */
  write(file: string, value: string, hooks: CgroupHooks): void {
    this.requireFile(file);
    switch (file) {
      case "cpu.weight":
        this.weight = parseCpuWeight(value);
        return hooks.cpuChanged(this);
      case "cpu.max":
        this.cpuMax = parseCpuMax(value, this.cpuMax);
        return hooks.cpuChanged(this);
      case "memory.max":
        this.memoryMax = parseMemoryLimit(value, file);
        return hooks.memoryLimitChanged(this);
      case "memory.high":
        this.memoryHigh = parseMemoryLimit(value, file);
        return;
      case "memory.low": {
        const v = parseMemoryLimit(value, file);
        this.memoryLow = v === Infinity ? Number.MAX_SAFE_INTEGER : v;
        return;
      }
      case "pids.max":
        this.pidsMax = parsePidsMax(value);
        return;
      case "cgroup.procs": {
        const v = value.trim();
        if (!/^[0-9]+$/.test(v)) throw new FsError("EINVAL", file);
        return hooks.moveProcess(Number(v), this);
      }
      case "cgroup.subtree_control": return this.writeSubtreeControl(value);
    }
    // Read-only files: the kernel gives them no write handler.
    throw new FsError("EACCES", file);
  }

  private writeSubtreeControl(value: string): void {
    const { enable, disable } = parseSubtreeControl(value);
    for (const c of [...enable, ...disable]) {
      if (!(this.controllers as Set<string>).has(c)) throw new FsError("ENOENT", "cgroup.subtree_control");
    }
    // "No internal processes": a non-root group with processes cannot hand controllers to children.
    if (enable.length > 0 && !this.isRoot && this.procs.size > 0) throw new FsError("EBUSY", "cgroup.subtree_control");
    for (const c of disable) {
      for (const child of this.children.values()) if (child.subtreeControl.has(c as Controller)) throw new FsError("EBUSY", "cgroup.subtree_control");
    }
    for (const c of enable) this.subtreeControl.add(c as Controller);
    for (const c of disable) this.subtreeControl.delete(c as Controller);
  }
}

/** The hierarchy, from the root `/` (what /sys/fs/cgroup shows on the host). */
export class CgroupTree {
  readonly root = new Cgroup("", undefined);

  constructor() {
    for (const c of CONTROLLERS) this.root.subtreeControl.add(c);
  }

  /** The group at a path, or ENOENT. */
  get(path: string): Cgroup {
    let g = this.root;
    for (const part of path.split("/").filter((p) => p !== "")) {
      const next = g.children.get(part);
      if (!next) throw new FsError("ENOENT", path);
      g = next;
    }
    return g;
  }

  find(path: string): Cgroup | undefined {
    try {
      return this.get(path);
    } catch {
      return undefined;
    }
  }

  /** mkdir: a new child group (EEXIST if present). With `parents`, the missing groups above it too. */
  mkdir(path: string, options: { parents?: boolean; enable?: readonly Controller[] } = {}): Cgroup {
    const parts = path.split("/").filter((p) => p !== "");
    let g = this.root;
    parts.forEach((part, i) => {
      const existing = g.children.get(part);
      if (existing) {
        if (i === parts.length - 1 && !options.parents) throw new FsError("EEXIST", path);
        g = existing;
        return;
      }
      if (i < parts.length - 1 && !options.parents) throw new FsError("ENOENT", path);
      const child = new Cgroup(part, g);
      g.children.set(part, child);
      g = child;
    });
    for (const c of options.enable ?? []) g.subtreeControl.add(c);
    return g;
  }

  /** rmdir: only an empty group with no children (EBUSY otherwise). */
  rmdir(path: string): void {
    const g = this.get(path);
    if (g.isRoot || g.children.size > 0 || g.procs.size > 0) throw new FsError("EBUSY", path);
    g.parent!.children.delete(g.name);
  }

  *all(): Generator<Cgroup> {
    yield* this.root.descendants();
  }
}
