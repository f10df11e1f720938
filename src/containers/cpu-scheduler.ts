// The host's CPU scheduler: runnable threads share the CPUs by cgroup weight, and cpu.max is enforced per period.
//
// Between events every runnable thread runs at a constant rate (a fraction of a CPU) computed by
// allocateCpu over the cgroup tree, so the next interesting moment is known exactly: a thread finishes
// its work, a capped group uses up its quota for the period (CFS bandwidth throttles it until the
// period ends), or a period ends and quotas refill. One engine timer is kept for the earliest of these.
import type { Simulation, ScheduledCall, SimEvent } from "../sim/index.js";
import { allocateCpu, perThread, type CpuGroup } from "./cpu-allocation.js";
import type { Cgroup, CgroupTree } from "./cgroup.js";

/** Something that asks for CPU time: a process (one thread). */
export interface CpuConsumer {
  readonly pid: number;
  readonly cgroup: Cgroup;
  /** CPU seconds consumed so far (the scheduler adds to it). */
  cpuTime: number;
}

interface Work {
  readonly who: CpuConsumer;
  remaining: number;
  readonly done: SimEvent<void>;
  rate: number;
}

const EPS = 1e-9;

export class CpuScheduler {
  private readonly work = new Map<number, Work>();
  private last: number;
  private timer: ScheduledCall | undefined;
  /** Capped groups with work or throttled: their period boundaries matter. */
  private rates = new Map<string, number>();
  /** A replan waiting at the current instant: requests at one instant are handled together. */
  private pending: ScheduledCall | undefined;
  /** Groups that hold CFS bandwidth state (a period index, a quota left, throttled). */
  private readonly tracked = new Set<Cgroup>();

  constructor(private readonly sim: Simulation, private readonly tree: CgroupTree, readonly cpus: number) {
    this.last = sim.now;
  }

  /** Ask for `seconds` of CPU time for one thread; the event fires when it has been delivered. */
  compute(who: CpuConsumer, seconds: number): SimEvent<void> {
    this.advance();
    const done = this.sim.event<void>(`cpu:${who.pid}`);
    if (seconds <= 0) {
      done.succeed();
      return done;
    }
    if (this.work.has(who.pid)) throw new Error(`pid ${who.pid} already computes`);
    this.work.set(who.pid, { who, remaining: seconds, done, rate: 0 });
    this.refillIfIdle(who.cgroup);
    this.requestReplan();
    return done;
  }

  /** Stop a thread's work (it was killed or stopped); returns the CPU seconds it still needed. */
  cancel(pid: number): number {
    const w = this.work.get(pid);
    if (!w) return 0;
    this.advance();
    this.work.delete(pid);
    this.requestReplan();
    return w.remaining;
  }

  /** Is this thread runnable now? */
  isRunnable(pid: number): boolean {
    return this.work.has(pid);
  }

  /** The CPUs a thread gets right now. */
  rateOf(pid: number): number {
    return this.work.get(pid)?.rate ?? 0;
  }

  /** The CPUs a cgroup's subtree gets right now. */
  groupRate(path: string): number {
    return this.rates.get(path) ?? 0;
  }

  /** Weights or caps changed, or a thread moved: recompute. */
  changed(): void {
    this.advance();
    for (const g of this.tree.all()) if (g.hasQuota || g.throttled) this.tracked.add(g);
    this.requestReplan();
  }

  /** Replan once all that happens at this instant has happened (after ordinary events at the same time). */
  private requestReplan(): void {
    if (this.pending) return;
    this.pending = this.sim.at(this.sim.now, () => {
      this.pending = undefined;
      this.advance();
      this.replan();
    }, { priority: 10, label: "cpu-replan" });
  }

  /** Bring cpu.stat and the threads' CPU times up to now (before anyone reads them). */
  sync(): void {
    this.advance();
  }

  /** Bring accounting up to now at the current rates. */
  private advance(): void {
    const now = this.sim.now;
    const dt = now - this.last;
    if (dt <= 0) return;
    for (const w of this.work.values()) {
      if (w.rate <= 0) continue;
      const used = Math.min(w.remaining, w.rate * dt);
      w.remaining -= used;
      w.who.cpuTime += used;
      for (const g of w.who.cgroup.lineage()) {
        g.usage += used;
        if (g.hasQuota) g.runtimeLeft -= used;
      }
    }
    const busy = this.busyGroups();
    for (const g of busy) if (g.throttled) g.throttledTime += dt;
    this.last = now;
  }

  /** Every group with a runnable thread in its subtree. */
  private busyGroups(): Set<Cgroup> {
    const busy = new Set<Cgroup>();
    for (const w of this.work.values()) {
      for (const a of w.who.cgroup.lineage()) {
        if (busy.has(a)) break;
        busy.add(a);
      }
    }
    return busy;
  }

  private periodIndex(g: Cgroup, t: number): number {
    return Math.floor(t / (g.cpuMax.periodUs / 1e6) + EPS);
  }

  /** A capped group that was idle gets a fresh quota for the period it wakes up in (the period timer restarts). */
  private refillIfIdle(cg: Cgroup): void {
    for (const g of cg.lineage()) {
      if (!g.hasQuota) continue;
      const k = this.periodIndex(g, this.sim.now);
      this.tracked.add(g);
      if (g.periodIndex !== k) {
        g.periodIndex = k;
        g.runtimeLeft = g.cpuMax.quotaUs / 1e6;
        g.throttled = false;
      }
    }
  }

  /** Handle what is due now (period ends, quota exhaustion, finished work), then set rates and the next timer. */
  private replan(): void {
    const now = this.sim.now;
    const busy = this.busyGroups();
    for (const g of busy) if (g.hasQuota) this.tracked.add(g);
    for (const g of [...this.tracked]) {
      if (!g.hasQuota) {
        if (g.throttled) g.throttled = false;
        g.runtimeLeft = Infinity;
        g.periodIndex = -1;
        this.tracked.delete(g);
        continue;
      }
      const k = this.periodIndex(g, now);
      const active = g.throttled || busy.has(g);
      if (g.periodIndex === -1 || !Number.isFinite(g.runtimeLeft)) {
        g.periodIndex = k;
        g.runtimeLeft = g.cpuMax.quotaUs / 1e6;
      } else if (k > g.periodIndex) {
        if (active) g.nrPeriods++;
        g.periodIndex = k;
        g.runtimeLeft = g.cpuMax.quotaUs / 1e6;
        g.throttled = false;
      }
      if (!g.throttled && g.runtimeLeft <= EPS && busy.has(g)) {
        g.throttled = true;
        g.nrThrottled++;
      }
    }
    for (const [pid, w] of [...this.work]) {
      if (w.remaining <= EPS) {
        this.work.delete(pid);
        w.done.succeed();
      }
    }
    this.assignRates();
    this.setTimer();
  }

  private assignRates(): void {
    const busy = this.busyGroups();
    const threadsIn = new Map<Cgroup, number>();
    for (const w of this.work.values()) {
      const g = cpuGroupOf(w.who.cgroup);
      threadsIn.set(g, (threadsIn.get(g) ?? 0) + 1);
    }
    const build = (g: Cgroup): CpuGroup => {
      const children: CpuGroup[] = [];
      const collect = (c: Cgroup) => {
        for (const child of c.children.values()) {
          if (!busy.has(child)) continue; // an idle subtree claims nothing
          if (child.controllers.has("cpu")) children.push(build(child));
          else collect(child);
        }
      };
      collect(g);
      return { path: g.path, weight: g.isRoot ? 100 : g.weight, cap: g.throttled ? 0 : Infinity, threads: g.throttled ? 0 : (threadsIn.get(g) ?? 0), children: g.throttled ? [] : children };
    };
    const root = build(this.tree.root);
    const alloc = allocateCpu(root, this.cpus);
    const byPath = new Map<string, CpuGroup>();
    const index = (g: CpuGroup) => {
      byPath.set(g.path, g);
      g.children.forEach(index);
    };
    index(root);
    this.rates = alloc;
    for (const w of this.work.values()) {
      const g = cpuGroupOf(w.who.cgroup);
      const node = byPath.get(g.path)!;
      w.rate = blocked(g) ? 0 : perThread(node, alloc);
    }
  }

  private setTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
    const now = this.sim.now;
    let next = Infinity;
    for (const w of this.work.values()) if (w.rate > EPS) next = Math.min(next, now + w.remaining / w.rate);
    const busy = this.busyGroups();
    for (const g of this.tracked) {
      if (!g.hasQuota || !(g.throttled || busy.has(g))) continue;
      next = Math.min(next, (g.periodIndex + 1) * (g.cpuMax.periodUs / 1e6));
      const r = this.rates.get(g.path) ?? 0;
      if (!g.throttled && r > EPS) next = Math.min(next, now + Math.max(0, g.runtimeLeft) / r);
    }
    if (next === Infinity) return;
    this.timer = this.sim.at(Math.max(now, next), () => {
      this.timer = undefined;
      this.advance();
      this.replan();
    }, { label: "cpu-scheduler" });
  }
}

/** The group whose weight a process's thread competes under: its own if the cpu controller is on there, else the nearest ancestor's. */
function cpuGroupOf(cg: Cgroup): Cgroup {
  for (const g of cg.lineage()) if (g.isRoot || g.controllers.has("cpu")) return g;
  return cg;
}

/** Is any ancestor of the group throttled (then its threads cannot run)? */
function blocked(g: Cgroup): boolean {
  for (const a of g.lineage()) if (a.throttled) return true;
  return false;
}
