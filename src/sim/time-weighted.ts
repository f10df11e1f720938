// TimeWeighted: a level that changes over simulated time (busy instances, queue length, memory in use) and its time-weighted average.
//
// The average is the integral of the level over time divided by the time elapsed: a level of 2 for
// 3 s then 0 for 1 s averages 1.5 over those 4 s. `reset()` restarts the measurement from now, so a
// start-up transient can be left out of a steady-state average.
import { SimError } from "./errors.js";
import type { Clock } from "./simulation.js";

/** A change of level, when the history is kept. */
export interface LevelChange {
  readonly time: number;
  readonly level: number;
}

export interface TimeWeightedOptions {
  /** Keep every change (for a chart of the level over time); default false. */
  readonly history?: boolean;
  readonly name?: string;
}

/** A level integrated over simulated time. */
export class TimeWeighted {
  readonly name: string;
  private current: number;
  private since: number;
  private startTime: number;
  private area = 0;
  private lo: number;
  private hi: number;
  private readonly changes: LevelChange[] | null;

  constructor(private readonly clock: Clock, initial = 0, options: TimeWeightedOptions = {}) {
    this.name = options.name ?? "level";
    this.check(initial);
    this.current = initial;
    this.since = this.startTime = clock.now;
    this.lo = this.hi = initial;
    this.changes = options.history ? [{ time: clock.now, level: initial }] : null;
  }

  /** The level now. */
  get level(): number {
    return this.current;
  }

  /** When the measurement started (creation or the last reset). */
  get start(): number {
    return this.startTime;
  }

  /** Time measured so far. */
  get elapsed(): number {
    return this.clock.now - this.startTime;
  }

  /** The level integrated over the time measured (level × seconds). */
  get integral(): number {
    return this.area + this.current * (this.clock.now - this.since);
  }

  /** The time-weighted average since the start; over no time at all, the level itself. */
  get mean(): number {
    const elapsed = this.elapsed;
    return elapsed > 0 ? this.integral / elapsed : this.current;
  }

  /** The lowest level since the start. */
  get min(): number {
    return this.lo;
  }

  /** The highest level since the start. */
  get max(): number {
    return this.hi;
  }

  /** Set the level from now on. */
  set(level: number): void {
    this.check(level);
    const now = this.clock.now;
    this.area += this.current * (now - this.since);
    this.since = now;
    this.current = level;
    if (level < this.lo) this.lo = level;
    if (level > this.hi) this.hi = level;
    if (this.changes !== null) {
      const last = this.changes[this.changes.length - 1];
      if (last !== undefined && last.time === now) this.changes[this.changes.length - 1] = { time: now, level };
      else this.changes.push({ time: now, level });
    }
  }

  /** Change the level by `delta` (e.g. +1 when an instance starts, −1 when it stops). */
  add(delta: number): void {
    this.set(this.current + delta);
  }

  /** Restart the measurement from now, keeping the level (drops a warm-up period). */
  reset(): void {
    const now = this.clock.now;
    this.area = 0;
    this.since = this.startTime = now;
    this.lo = this.hi = this.current;
    if (this.changes !== null) this.changes.splice(0, this.changes.length, { time: now, level: this.current });
  }

  /** The changes since the start, as a step function (empty unless created with `history: true`); the last level holds until now. */
  history(): LevelChange[] {
    return this.changes === null ? [] : this.changes.slice();
  }

  private check(level: number): void {
    if (!Number.isFinite(level)) {
      throw new SimError("SIM_BAD_SAMPLE", `${this.name}: a level must be a finite number, got ${level}`, { hint: "check the computation that produced it" });
    }
  }
}
