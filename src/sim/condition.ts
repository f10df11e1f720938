// Conditions: an event that waits for all of several events (allOf) or for the first of them (anyOf).
//
// A condition is checked as each of its events is processed. It fails as soon as one of them fails
// (taking responsibility for that failure), and once decided it stops listening to the rest — which
// stay scheduled: cancel a losing timeout, request or store get yourself if it must not happen.
import { SimEvent } from "./event.js";
import { SimError } from "./errors.js";
import type { Simulation } from "./simulation.js";

/** The value of `anyOf`: which event came first and what it succeeded with. */
export interface FirstOf<T> {
  /** Its position in the array given to anyOf. */
  readonly index: number;
  readonly event: SimEvent<T>;
  readonly value: T;
}

/** What allOf and anyOf share: listening to each event and letting go of the rest once decided. */
abstract class Condition<T, V> extends SimEvent<V> {
  private readonly listeners: ((ev: SimEvent<T>) => void)[] = [];

  protected constructor(sim: Simulation, protected readonly events: readonly SimEvent<T>[], label: string) {
    super(sim, label);
    checkSame(sim, events, label);
  }

  /** Called as each event is processed (at once for one already processed). */
  protected abstract check(index: number, ev: SimEvent<T>): void;

  /** Start listening; subclasses call it last in their constructor, once their state is ready. */
  protected listen(): void {
    this.events.forEach((ev, i) => {
      const listener = (e: SimEvent<T>) => this.check(i, e);
      this.listeners.push(listener);
      if (this.pending) ev.addCallback(listener);
    });
  }

  /** Stop listening; a listener is missing when an already-processed event decided the condition while it was being built. */
  protected detach(): void {
    this.events.forEach((ev, i) => {
      const listener = this.listeners[i];
      if (listener !== undefined) ev.removeCallback(listener);
    });
  }
}

/** An event that succeeds with the values of all the given events, in their order. */
export class AllOf<T> extends Condition<T, T[]> {
  private remaining: number;
  private readonly values: T[];

  constructor(sim: Simulation, events: readonly SimEvent<T>[], label = "allOf") {
    super(sim, events, label);
    this.remaining = events.length;
    this.values = new Array<T>(events.length);
    if (events.length === 0) this.succeed([]);
    this.listen();
  }

  protected check(i: number, ev: SimEvent<T>): void {
    if (!this.pending) return;
    if (!ev._ok) {
      ev.defused = true;
      this.detach();
      this.fail(ev._error);
      return;
    }
    this.values[i] = ev._value as T;
    if (--this.remaining === 0) this.succeed(this.values);
  }
}

/** An event that succeeds as soon as one of the given events succeeds, with which one and its value. */
export class AnyOf<T> extends Condition<T, FirstOf<T>> {
  constructor(sim: Simulation, events: readonly SimEvent<T>[], label = "anyOf") {
    super(sim, events, label);
    if (events.length === 0) {
      throw new SimError("SIM_BAD_YIELD", "anyOf needs at least one event: with none, nothing can come first", {
        hint: "pass the events to race, e.g. sim.anyOf([request, sim.timeout(5)])",
      });
    }
    this.listen();
  }

  protected check(index: number, ev: SimEvent<T>): void {
    if (!this.pending) return;
    this.detach();
    if (!ev._ok) {
      ev.defused = true;
      this.fail(ev._error);
    } else {
      this.succeed({ index, event: ev, value: ev._value as T });
    }
  }
}

function checkSame(sim: Simulation, events: readonly SimEvent<unknown>[], label: string): void {
  for (const ev of events) {
    if (ev.sim !== sim) {
      throw new SimError("SIM_FOREIGN_EVENT", `${label} was given event '${ev.label}' of another simulation`, {
        hint: "combine only events created by the same simulation",
      });
    }
  }
}
