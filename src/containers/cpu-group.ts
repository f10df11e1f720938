// A cgroup as the CPU allocation sees it: weight, cap, runnable threads, children (plain data, shared by the model and lab 04's API).

/** One cgroup as the allocation sees it. */
export interface CpuGroup {
  /** Path of the group, "/" for the root. */
  readonly path: string;
  /** cpu.weight, 1–10000 (default 100). */
  readonly weight: number;
  /** The most CPUs this group's subtree may use (cpu.max quota/period), Infinity for "max". */
  readonly cap: number;
  /** Runnable threads directly in this group; each can use at most one CPU. */
  readonly threads: number;
  readonly children: readonly CpuGroup[];
}
