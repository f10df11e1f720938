// Process: a generator that runs in simulated time, pausing at each `yield` until what it yielded happens; itself an event that succeeds with the generator's return value.
//
// A process may yield an event of its simulation (a timeout, a resource request, a store get, another
// process, a condition) or a number of seconds as shorthand for a timeout. It resumes with the event's
// value, or with the event's error thrown at the `yield`. `interrupt()` throws an Interrupt at the
// process's current `yield` (SimPy's Process.interrupt), so a process can be woken early — a killed
// container, a cancelled request.
import { Priority, SimEvent, Timeout } from "./event.js";
import { SimError } from "./errors.js";
import type { Simulation } from "./simulation.js";

/** What a process may yield: an event of its simulation, or a delay in seconds. */
export type Yieldable = SimEvent<any> | number;

/** The generator type of a process body returning `R`; the values sent back in are the awaited events' values. */
export type ProcessGenerator<R = void> = Generator<Yieldable, R, unknown>;

/** Thrown into a process at its current `yield` by `Process.interrupt(cause)`; `cause` says why. */
export class Interrupt extends SimError {
  constructor(process: string, time: number, cause: unknown) {
    super("SIM_INTERRUPTED", `process '${process}' was interrupted at t=${time}${cause === undefined ? "" : ` (${describe(cause)})`}`, {
      cause,
      hint: "catch the Interrupt around the yield in that process if it is expected",
    });
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === "string") return cause;
  try {
    return JSON.stringify(cause) ?? String(cause);
  } catch {
    return String(cause);
  }
}

/** A running generator; as an event it succeeds with the return value or fails with what the generator threw. */
export class Process<R = void> extends SimEvent<R> {
  /** The event it waits on now, or null while it runs or before it starts. */
  private waitingOn: SimEvent<unknown> | null = null;
  private readonly resumeFn = (ev: SimEvent<unknown>): void => this.resume(ev);

  constructor(
    sim: Simulation,
    private readonly body: ProcessGenerator<R>,
    /** Its name, used in the trace and in messages. */
    readonly name: string = "process",
  ) {
    super(sim, name);
    sim.enqueueCall(() => this.resume(null), sim.now, Priority.URGENT, name);
  }

  /** Still running (started or about to start, not yet returned or thrown). */
  get isAlive(): boolean {
    return this.pending;
  }

  /** The event it is waiting on, or null. */
  get target(): SimEvent<unknown> | null {
    return this.waitingOn;
  }

  /**
   * Throw an Interrupt carrying `cause` into the process at its current `yield`, now (before ordinary
   * events due at this instant). It stops waiting on what it was waiting for; a resource request or
   * store get it had made stays queued unless it cancels it.
   */
  interrupt(cause?: unknown): void {
    if (!this.pending) {
      throw new SimError("SIM_NOT_ALIVE", `cannot interrupt process '${this.name}' at t=${this.sim.now}: it has already finished`, {
        hint: "check `isAlive` before interrupting",
      });
    }
    if (this.sim.activeProcess === this) {
      throw new SimError("SIM_NOT_ALIVE", `process '${this.name}' cannot interrupt itself`, { hint: "throw an error or return instead" });
    }
    this.sim.enqueueCall(
      () => {
        if (!this.pending) return;
        if (this.waitingOn !== null) {
          this.waitingOn.removeCallback(this.resumeFn);
          this.waitingOn = null;
        }
        this.step(true, new Interrupt(this.name, this.sim.now, cause));
      },
      this.sim.now,
      Priority.URGENT,
      `${this.name}.interrupt`,
    );
  }

  private resume(ev: SimEvent<unknown> | null): void {
    this.waitingOn = null;
    if (ev === null || ev._ok) this.step(false, ev?._value);
    else {
      ev.defused = true;
      this.step(true, ev._error);
    }
  }

  /** Drive the generator until it waits on an unprocessed event, returns or throws. */
  private step(throwing: boolean, payload: unknown): void {
    const sim = this.sim;
    for (;;) {
      let r: IteratorResult<Yieldable, R>;
      sim.running = this;
      try {
        r = throwing ? this.body.throw(payload) : this.body.next(payload);
      } catch (error) {
        sim.running = null;
        this.fail(error);
        return;
      }
      sim.running = null;
      if (r.done) {
        this.succeed(r.value);
        return;
      }
      const y = r.value;
      let target: SimEvent<unknown>;
      if (typeof y === "number") {
        try {
          target = new Timeout(sim, y, undefined, Priority.NORMAL, this.name);
        } catch (error) {
          throwing = true;
          payload = error;
          continue;
        }
      } else if (y instanceof SimEvent) {
        if (y.sim !== sim) {
          throwing = true;
          payload = new SimError("SIM_FOREIGN_EVENT", `process '${this.name}' yielded event '${y.label}' of another simulation`, {
            hint: "create events, timeouts, resources and stores from the simulation the process runs in",
          });
          continue;
        }
        target = y;
      } else {
        throwing = true;
        payload = new SimError("SIM_BAD_YIELD", `process '${this.name}' yielded ${describeYield(y)}; a process may yield an event or a delay in seconds`, {
          hint: "yield sim.timeout(d), a number of seconds, a request, a store get, another process or sim.anyOf/allOf([...])",
        });
        continue;
      }
      if (target.callbacks !== null) {
        target.callbacks.push(this.resumeFn);
        this.waitingOn = target;
        return;
      }
      // Already processed: continue at once with its outcome.
      if (target._ok) {
        throwing = false;
        payload = target._value;
      } else {
        target.defused = true;
        throwing = true;
        payload = target._error;
      }
    }
  }
}

function describeYield(y: unknown): string {
  if (y === undefined) return "nothing (a bare `yield`)";
  if (y === null) return "null";
  if (typeof y === "object") return `an object (${(y as object).constructor?.name ?? "Object"})`;
  return `a ${typeof y} (${String(y)})`;
}
