// A monitored run's counters as a core every monitor keeps plus its technique's section, laid out the way results print them.
import type { CoreCounters } from "../types.js";

/**
 * Fresh counters: the core's event counts, then the technique's `section` (its own counters, starting
 * values as given), then the device and halt counts and the machine's. The order is the results' order.
 */
export function createCounters<S extends object>(section: S): CoreCounters & S {
  return {
    directInstructions: 0, emulatedInstructions: 0, exits: 0, trapsByCause: {}, injectedInterrupts: 0, reflectedEvents: 0,
    ...section,
    portReads: 0, portWrites: 0, haltedTime: 0, machine: {},
  };
}
