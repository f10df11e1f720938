// How cgroup v2 divides CPUs: weights share among busy groups (work-conserving), cpu.max caps, nested, a thread ≤ 1 CPU.
//
// The kernel's CFS approximates weighted max-min fairness: at each level of the hierarchy the parent's
// CPU time goes to its busy children in proportion to cpu.weight; a child that needs less than its
// share (few runnable threads, or capped by cpu.max) keeps only what it needs, and the rest is shared
// out again among the others — CPU left idle by one group is never withheld from another. A task in a
// group competes with the group's child cgroups as if it were a child of weight 100 (nice 0). This
// module is the fluid version: rates in CPUs at one instant. The host applies cpu.max per period.

import type { CpuGroup } from "./cpu-group.js";

export type { CpuGroup } from "./cpu-group.js";

/** The weight of a task as a competitor of child cgroups (nice 0 ↔ cpu.weight 100). */
export const TASK_WEIGHT = 100;

/** CPUs a group would use if nothing else were running: its threads and children, within its cap. */
export function cpuDemand(g: CpuGroup): number {
  const inner = g.threads + g.children.reduce((n, c) => n + cpuDemand(c), 0);
  return Math.min(g.cap, inner);
}

interface Claimant {
  readonly weight: number;
  readonly demand: number;
  give(amount: number): void;
}

/**
 * Share `amount` among claimants by weight, never giving one more than its demand (water-filling):
 * repeatedly split what is left in proportion to weight; whoever would get more than it needs is
 * satisfied and drops out, and the split is redone among the rest.
 */
export function shareByWeight(amount: number, claimants: readonly { weight: number; demand: number }[]): number[] {
  const out = claimants.map(() => 0);
  // In order of demand per unit of weight: whoever needs least per weight is satisfied first (or nobody more is).
  const order = claimants.map((_, i) => i).filter((i) => claimants[i]!.demand > 0).sort((a, b) => claimants[a]!.demand / claimants[a]!.weight - claimants[b]!.demand / claimants[b]!.weight || a - b);
  let left = amount;
  let weight = order.reduce((n, i) => n + claimants[i]!.weight, 0);
  for (let k = 0; k < order.length; k++) {
    const c = claimants[order[k]!]!;
    const fair = (left * c.weight) / weight;
    if (fair >= c.demand - 1e-12) {
      out[order[k]!] = c.demand;
      left -= c.demand;
      weight -= c.weight;
      continue;
    }
    // Nobody after this one can be satisfied either: they all share what is left by weight.
    for (let m = k; m < order.length; m++) out[order[m]!] = (left * claimants[order[m]!]!.weight) / weight;
    break;
  }
  return out;
}

/** CPUs (fractional) each group's subtree gets, by path; `cpus` is the number of CPUs of the host. */
export function allocateCpu(root: CpuGroup, cpus: number): Map<string, number> {
  const out = new Map<string, number>();
  const give = (g: CpuGroup, amount: number) => {
    out.set(g.path, amount);
    const claimants: Claimant[] = [
      ...g.children.map((c) => ({ weight: c.weight, demand: cpuDemand(c), give: (a: number) => give(c, a) })),
      ...Array.from({ length: g.threads }, () => ({ weight: TASK_WEIGHT, demand: 1, give: () => undefined })),
    ];
    const shares = shareByWeight(amount, claimants);
    claimants.forEach((c, i) => c.give(shares[i]!));
  };
  give(root, Math.min(cpus, cpuDemand(root)));
  return out;
}

/** The CPUs each of a group's own threads gets (they share the group's leftover equally). */
export function perThread(g: CpuGroup, allocation: ReadonlyMap<string, number>): number {
  if (g.threads === 0) return 0;
  const own = (allocation.get(g.path) ?? 0) - g.children.reduce((n, c) => n + (allocation.get(c.path) ?? 0), 0);
  return Math.max(0, own) / g.threads;
}
