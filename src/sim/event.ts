// SimEvent: something that happens once in simulated time, succeeding with a value or failing with an error, that any number of processes and callbacks wait on.
//
// An event is pending until `succeed` or `fail` triggers it; triggering schedules it at the current
// time, and when the simulation processes it every waiter runs, in the order they began to wait. A
// failed event that nobody waits on (and nobody `defuse`s) makes `step()`/`run()` throw its error,
// so failures are never silently lost. Events are iterable, so inside a process
// `const v = yield* ev` waits for `ev` and gives its value with its type.
import type { Simulation } from "./simulation.js";
import type { Entry, Processable } from "./queue.js";
import { SimError } from "./errors.js";

/** Scheduling priorities: lower runs first among events due at the same time. */
export const Priority = {
  /** Process starts and interrupts: before ordinary events of the same instant. */
  URGENT: -1,
  /** Everything else unless asked otherwise. */
  NORMAL: 0,
} as const;

/** A function called when an event is processed. */
export type EventCallback<T> = (event: SimEvent<T>) => void;

const PENDING = 0;
const TRIGGERED = 1;
const PROCESSED = 2;

/** An event of one simulation; `T` is the value it succeeds with. */
export class SimEvent<T = unknown> implements Processable, Iterable<SimEvent<T>> {
  /** @internal Waiters, in arrival order; null once processed. */
  callbacks: EventCallback<any>[] | null = [];
  /** @internal */
  state = PENDING;
  /** @internal */
  _ok = true;
  /** @internal */
  _value: T | undefined = undefined;
  /** @internal */
  _error: unknown = undefined;
  /** True once someone has taken responsibility for this event's failure. */
  defused = false;
  /** @internal The queue entry while scheduled. */
  entry: Entry | null = null;

  constructor(
    readonly sim: Simulation,
    /** What the trace calls this event. */
    readonly label: string = "event",
  ) {}

  /** Not yet succeeded or failed. */
  get pending(): boolean {
    return this.state === PENDING;
  }

  /** Succeeded or failed (its waiters may not have run yet). */
  get triggered(): boolean {
    return this.state !== PENDING;
  }

  /** Its waiters have run. */
  get processed(): boolean {
    return this.state === PROCESSED;
  }

  /** Whether it succeeded; asking before it is triggered is an error. */
  get ok(): boolean {
    this.mustBeTriggered("ok");
    return this._ok;
  }

  /** The value it succeeded with; throws its error if it failed, and SIM_NOT_READY while pending. */
  get value(): T {
    this.mustBeTriggered("value");
    if (!this._ok) throw this._error;
    return this._value as T;
  }

  /** The error it failed with, or undefined. */
  get error(): unknown {
    return this._ok ? undefined : this._error;
  }

  /** Trigger it with a value; its waiters run when the simulation reaches it (now, after what is already due now). */
  succeed(value?: T): this {
    this.mustBePending("succeed");
    this._value = value;
    this.state = TRIGGERED;
    this.sim.enqueue(this, this.sim.now, Priority.NORMAL);
    return this;
  }

  /** Trigger it with an error; waiting processes see the error thrown at their `yield`. */
  fail(error: unknown): this {
    this.mustBePending("fail");
    this._ok = false;
    this._error = error;
    this.state = TRIGGERED;
    this.sim.enqueue(this, this.sim.now, Priority.NORMAL);
    return this;
  }

  /** Mark a failure as handled, so processing it does not throw. */
  defuse(): this {
    this.defused = true;
    return this;
  }

  /** Call `callback` when the event is processed (at once if it already was). */
  addCallback(callback: EventCallback<T>): this {
    if (this.callbacks === null) callback(this);
    else this.callbacks.push(callback);
    return this;
  }

  /** Stop waiting: remove a callback added earlier; false if it was not there. */
  removeCallback(callback: EventCallback<T>): boolean {
    const cbs = this.callbacks;
    if (cbs === null) return false;
    const i = cbs.indexOf(callback);
    if (i < 0) return false;
    cbs.splice(i, 1);
    return true;
  }

  /** @internal Called by the simulation when the event reaches the head of the queue. */
  runCallbacks(): void {
    const cbs = this.callbacks!;
    this.callbacks = null;
    this.state = PROCESSED;
    this.entry = null;
    for (let i = 0; i < cbs.length; i++) cbs[i]!(this);
    if (!this._ok && !this.defused) throw this._error;
  }

  /** Inside a process, `yield* event` waits for it and evaluates to its value. */
  *[Symbol.iterator](): Generator<SimEvent<T>, T, unknown> {
    return (yield this) as T;
  }

  private mustBePending(what: string): void {
    if (this.state !== PENDING) {
      throw new SimError("SIM_ALREADY_TRIGGERED", `cannot ${what} event '${this.label}' at t=${this.sim.now}: it was already ${this._ok ? "succeeded" : "failed"}`, {
        hint: "an event happens once; create a new event for each occurrence",
      });
    }
  }

  private mustBeTriggered(what: string): void {
    if (this.state === PENDING) {
      throw new SimError("SIM_NOT_READY", `event '${this.label}' has no ${what} yet: it is still pending at t=${this.sim.now}`, {
        hint: "wait for it first (yield it in a process, or check `triggered`)",
      });
    }
  }
}

/** An event that succeeds by itself after a delay. */
export class Timeout<T = void> extends SimEvent<T> {
  /** When it is due, in simulated seconds. */
  readonly at: number;

  constructor(sim: Simulation, readonly delay: number, value?: T, priority: number = Priority.NORMAL, label = "timeout") {
    super(sim, label);
    checkDelay(delay, "timeout");
    this._value = value;
    this.state = TRIGGERED;
    this.at = sim.now + delay;
    sim.enqueue(this, this.at, priority);
  }

  /** Take it off the schedule: it never happens, and whoever waits on it waits forever. False if it already happened. */
  cancel(): boolean {
    return this.entry !== null && this.entry.cancel();
  }
}

/** Check a delay: a finite number of seconds, zero or more. */
export function checkDelay(delay: number, what: string): void {
  if (!(delay >= 0) || delay === Infinity) {
    throw new SimError("SIM_BAD_DELAY", `${what} delay must be a finite number of seconds >= 0, got ${delay}`, {
      hint: delay < 0 ? "the engine cannot go back in time; use a delay of 0 for 'now'" : "to wait forever, wait on an event that is never triggered",
    });
  }
}
