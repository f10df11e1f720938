// SimError: the discrete-event engine's errors — a stable `SIM_` code, what went wrong and how to fix it.
import { VmlabError, type VmlabErrorOptions } from "../core/errors.js";

/** Every code the engine raises; each keeps its meaning once published. */
export const SIM_CODES = {
  SIM_BAD_DELAY: "a delay is negative or not a finite number",
  SIM_BAD_TIME: "a time is before now or not a finite number",
  SIM_BAD_PRIORITY: "an event priority is not an integer",
  SIM_BAD_UNTIL: "run(until) names a time before now",
  SIM_ALREADY_TRIGGERED: "an event succeeds or fails a second time",
  SIM_NOT_READY: "an event's value is read before it is triggered",
  SIM_BAD_YIELD: "a process yields something that is not an event",
  SIM_NOT_ALIVE: "a process that has finished is interrupted",
  SIM_INTERRUPTED: "a process was interrupted and did not handle it",
  SIM_DEADLOCK: "processes wait on each other with no event scheduled",
  SIM_FOREIGN_EVENT: "an event of another simulation is used",
  SIM_BAD_CAPACITY: "a capacity or count is not a whole number of at least one",
  SIM_NOT_HELD: "a resource is released by a request that does not hold it",
  SIM_BAD_SAMPLE: "a statistic is given a value that is not a finite number",
  SIM_NO_SAMPLES: "a statistic of no samples is asked for",
  SIM_BAD_PERCENTILE: "a percentile outside 0..100",
  SIM_BAD_METHOD: "an unknown percentile method",
  SIM_BAD_BINS: "histogram bins are not increasing finite edges",
} as const;
export type SimErrorCode = keyof typeof SIM_CODES;

/** An error raised by the simulation engine or its statistics. */
export class SimError extends VmlabError {
  declare readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message: string, options: VmlabErrorOptions = {}) {
    super(code, message, options);
  }
}
