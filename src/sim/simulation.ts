// Simulation: a deterministic discrete-event engine — a clock, an event queue ordered by (time, priority, sequence number), a seeded RNG, and step()/run().
//
// Modelled on SimPy's Environment (simpy/core.py): everything that happens goes through one queue, so
// the order of simultaneous happenings is fixed by priority and then by scheduling order, and a run is
// a pure function of the model and its seed. Time is a number of simulated seconds.
import { EventQueue, Entry, type Processable, type ScheduledCall } from "./queue.js";
import { Priority, SimEvent, Timeout, checkDelay } from "./event.js";
import { Process, type ProcessGenerator } from "./process.js";
import { AllOf, AnyOf, type FirstOf } from "./condition.js";
import { SimError } from "./errors.js";
import { createRng, type Rng } from "./rng.js";

/** Anything that tells the simulated time (statistics that integrate over time take one). */
export interface Clock {
  /** The current simulated time in seconds. */
  readonly now: number;
}

/** One processed event, as the trace hook receives it. */
export interface SimTraceEntry {
  readonly time: number;
  readonly priority: number;
  readonly seq: number;
  readonly label: string;
}

export interface SimulationOptions {
  /** Seed of the simulation's RNG (default 0). Ignored when `rng` is given. */
  readonly seed?: number | string;
  /** Use this stream instead of one made from `seed`. */
  readonly rng?: Rng;
  /** Called with every processed event, in order; for tests and debugging ("same seed, same trace"). */
  readonly trace?: (entry: SimTraceEntry) => void;
  /** The time the clock starts at (default 0). */
  readonly start?: number;
}

/** Options for scheduling a callback or a timeout. */
export interface ScheduleOptions {
  /** Lower runs first among things due at the same time (default Priority.NORMAL = 0). */
  readonly priority?: number;
  /** What the trace calls it. */
  readonly label?: string;
}

/** The engine: create events, timeouts, processes and callbacks on it, then `step()` or `run()`. */
export class Simulation implements Clock {
  /** The simulation's random stream: draw every random number of the model from it. */
  readonly rng: Rng;
  /** @internal Set by Process while its generator runs. */
  running: Process<unknown> | null = null;

  private clock: number;
  private seq = 0;
  private processedCount = 0;
  private readonly queue = new EventQueue();
  private readonly traceHook: ((entry: SimTraceEntry) => void) | undefined;

  constructor(options: SimulationOptions = {}) {
    this.rng = options.rng ?? createRng(options.seed ?? 0);
    this.traceHook = options.trace;
    const start = options.start ?? 0;
    if (!Number.isFinite(start)) throw new SimError("SIM_BAD_TIME", `start time must be a finite number of seconds, got ${start}`, { hint: "leave it out to start at 0" });
    this.clock = start;
  }

  /** The current simulated time in seconds. */
  get now(): number {
    return this.clock;
  }

  /** The process whose generator is running right now, or null (in a plain callback or between events). */
  get activeProcess(): Process<unknown> | null {
    return this.running;
  }

  /** Events and callbacks processed so far. */
  get processed(): number {
    return this.processedCount;
  }

  /** Events and callbacks scheduled and not cancelled. */
  get scheduled(): number {
    return this.queue.size;
  }

  /** When the next scheduled thing is due, or Infinity when nothing is scheduled. */
  peek(): number {
    return this.queue.peek()?.time ?? Infinity;
  }

  /** Call `fn` after `delay` seconds. */
  schedule(delay: number, fn: () => void, options: ScheduleOptions = {}): ScheduledCall {
    checkDelay(delay, "schedule");
    return this.enqueueCall(fn, this.clock + delay, checkPriority(options.priority), options.label ?? "call");
  }

  /** Call `fn` at absolute time `time` (not in the past). */
  at(time: number, fn: () => void, options: ScheduleOptions = {}): ScheduledCall {
    if (!(time >= this.clock) || time === Infinity) {
      throw new SimError("SIM_BAD_TIME", `cannot schedule at t=${time}: it is t=${this.clock} now`, {
        hint: time < this.clock ? "schedule at a time >= now, or use schedule(delay, fn)" : "the time must be a finite number of seconds",
      });
    }
    return this.enqueueCall(fn, time, checkPriority(options.priority), options.label ?? "call");
  }

  /** A new pending event, to be succeeded or failed by the model. */
  event<T = unknown>(label?: string): SimEvent<T> {
    return new SimEvent<T>(this, label);
  }

  /** An event that succeeds by itself after `delay` seconds, with `options.value`. */
  timeout<T = void>(delay: number, options: ScheduleOptions & { readonly value?: T } = {}): Timeout<T> {
    return new Timeout<T>(this, delay, options.value, checkPriority(options.priority), options.label ?? "timeout");
  }

  /** Start a process now (before ordinary events due now). `body` is a generator, or a function returning one. */
  process<R>(body: ProcessGenerator<R> | (() => ProcessGenerator<R>), options: { readonly name?: string } = {}): Process<R> {
    const name = options.name ?? (typeof body === "function" && body.name !== "" ? body.name : "process");
    const gen = typeof body === "function" ? body() : body;
    return new Process<R>(this, gen, name);
  }

  /** An event that succeeds when all `events` have, with their values in order (fails when one fails). */
  allOf<T>(events: readonly SimEvent<T>[], label?: string): AllOf<T> {
    return new AllOf<T>(this, events, label);
  }

  /** An event that succeeds when the first of `events` does, saying which (fails if the first to finish failed). */
  anyOf<T>(events: readonly SimEvent<T>[], label?: string): AnyOf<T> {
    return new AnyOf<T>(this, events, label);
  }

  /** Process the next scheduled event or callback; false when nothing is scheduled. */
  step(): boolean {
    const entry = this.queue.pop();
    if (entry === undefined) return false;
    this.fire(entry);
    return true;
  }

  /**
   * Run until nothing is scheduled (no argument), until time `until` (events due before it run, those
   * due at exactly `until` stay scheduled and the clock ends at `until`, as in SimPy), or until the
   * event `until` has been processed — then its value is returned (its error thrown if it failed).
   */
  run(until?: number): void;
  run<T>(until: SimEvent<T>): T;
  run<T>(until?: number | SimEvent<T>): T | void {
    if (until instanceof SimEvent) return this.runUntilEvent(until);
    const limit = until ?? Infinity;
    if (!(limit >= this.clock)) {
      throw new SimError("SIM_BAD_UNTIL", `run(until=${until}) is not later than now (t=${this.clock})`, { hint: "pass a time >= now, or nothing to run until the schedule is empty" });
    }
    const queue = this.queue;
    for (;;) {
      const next = queue.peek();
      if (next === undefined || next.time >= limit) break;
      this.fire(queue.pop()!);
    }
    if (limit !== Infinity) this.clock = limit;
  }

  /** @internal Put a triggered event on the queue at `time`. */
  enqueue(event: SimEvent<unknown>, time: number, priority: number): Entry {
    const entry = new Entry(this.queue, time, priority, this.seq++, event.label, event as Processable, null);
    event.entry = entry;
    this.queue.push(entry);
    return entry;
  }

  /** @internal Put a plain callback on the queue at `time`. */
  enqueueCall(fn: () => void, time: number, priority: number, label: string): Entry {
    const entry = new Entry(this.queue, time, priority, this.seq++, label, null, fn);
    this.queue.push(entry);
    return entry;
  }

  private fire(entry: Entry): void {
    this.clock = entry.time;
    this.processedCount++;
    if (this.traceHook !== undefined) this.traceHook({ time: entry.time, priority: entry.priority, seq: entry.seq, label: entry.label });
    if (entry.call !== null) entry.call();
    else entry.event!.runCallbacks();
  }

  private runUntilEvent<T>(until: SimEvent<T>): T {
    if (until.sim !== this) {
      throw new SimError("SIM_FOREIGN_EVENT", `run(until) was given event '${until.label}' of another simulation`, { hint: "run the simulation that created the event" });
    }
    while (!until.processed) {
      if (!this.step()) {
        throw new SimError("SIM_DEADLOCK", `nothing is scheduled at t=${this.clock} but event '${until.label}' has not happened`, {
          hint: "something must succeed or fail that event; look for a process waiting on an event nobody triggers",
        });
      }
    }
    return until.value;
  }
}

function checkPriority(priority: number | undefined): number {
  if (priority === undefined) return Priority.NORMAL;
  if (!Number.isFinite(priority)) {
    throw new SimError("SIM_BAD_PRIORITY", `priority must be a finite number, got ${priority}`, { hint: "lower numbers run first; the default is 0 (Priority.NORMAL)" });
  }
  return priority;
}
