// Time limits in CPU seconds of the process or thread doing the work, so a loaded machine or a stalled grader is never charged to a student.
//
// A wall-clock timer alone charges a case for whatever else the machine does: under a load of 10 on two
// cores an honest case takes five times as long, and when the grader's own event loop stalls (a big
// notebook parsed, a burst of results) the timer fires late and blames the child. A `CpuDeadline` fires on
// wall time as a timer does, then looks at the CPU time the worker really used: under the limit, it looks
// again when the limit could be reached. It gives up on CPU only past a generous wall-clock ceiling (a
// worker that waits instead of computing). Where CPU time cannot be read (not Linux), wall time decides.
import { readFileSync } from "node:fs";

/** USER_HZ: the unit of /proc's CPU times, 100 on every architecture Linux runs Node on. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) from a /proc `stat` file: a process (`/proc/PID/stat`, all its threads) or one thread. */
export function statCpuSeconds(statFile: string): number | undefined {
  try {
    const stat = readFileSync(statFile, "utf8");
    // Fields after the command name (which may hold spaces and parentheses): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds a process has used (all its threads), or undefined where /proc cannot tell. */
export function procCpuSeconds(pid: number): number | undefined {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** CPU seconds one thread of this process has used (its Linux thread id), or undefined. */
export function threadCpuSeconds(tid: number): number | undefined {
  return statCpuSeconds(`/proc/self/task/${tid}/stat`);
}

/** The calling thread's Linux thread id (a worker thread reports it so the parent can read its CPU time), or undefined. */
export function ownThreadId(): number | undefined {
  try {
    const tid = Number(readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0]);
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** Wall-clock ceiling of a deadline: this many times its CPU limit, plus a constant. */
export const WALL_FACTOR = 6;
export const WALL_EXTRA_SECONDS = 10;

/** Why a deadline expired: the CPU limit was used, or the wall-clock ceiling passed while little CPU was used. */
export type Expiry = "cpu" | "wall";

/** One limit at a time on a clock of CPU seconds; `start` re-arms it for the next phase. */
export class CpuDeadline {
  private timer: NodeJS.Timeout | undefined;
  private limit = 0;
  private cpu0: number | undefined;
  private wall0 = 0;

  constructor(
    /** The worker's CPU seconds so far, or undefined when they cannot be read. */
    private readonly cpu: () => number | undefined,
    private readonly onExpire: (why: Expiry) => void,
    /** Seconds added to WALL_FACTOR × the limit for the wall-clock ceiling. */
    private readonly wallExtraSeconds: number = WALL_EXTRA_SECONDS,
  ) {}

  /** Whether this phase is timed in CPU seconds (false: the worker's CPU time could not be read, wall time decides). */
  get measured(): boolean {
    return this.cpu0 !== undefined;
  }

  /** The limit of the phase being timed, in seconds. */
  get seconds(): number {
    return this.limit;
  }

  start(seconds: number): void {
    this.stop();
    this.limit = seconds;
    this.cpu0 = this.cpu();
    this.wall0 = performance.now();
    this.timer = setTimeout(() => this.check(), seconds * 1000);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    this.timer = undefined;
    const now = this.cpu();
    if (this.cpu0 === undefined || now === undefined) return this.onExpire("cpu");
    const used = now - this.cpu0;
    if (used >= this.limit) return this.onExpire("cpu");
    if ((performance.now() - this.wall0) / 1000 >= this.limit * WALL_FACTOR + this.wallExtraSeconds) return this.onExpire("wall");
    // Not the worker's fault yet: the machine or the grader was busy. Look again when the limit could be reached.
    this.timer = setTimeout(() => this.check(), Math.max(20, (this.limit - used) * 1000));
  }
}
