// SimError: the discrete-event engine's errors — a stable `SIM_` code, what went wrong and how to fix it.
import { VmlabError, type VmlabErrorOptions } from "../core/errors.js";

/** Every code the engine raises; each keeps its meaning once published. */
export type SimErrorCode =
  | "SIM_BAD_DELAY"
  | "SIM_BAD_TIME"
  | "SIM_BAD_PRIORITY"
  | "SIM_BAD_UNTIL"
  | "SIM_ALREADY_TRIGGERED"
  | "SIM_NOT_READY"
  | "SIM_BAD_YIELD"
  | "SIM_NOT_ALIVE"
  | "SIM_INTERRUPTED"
  | "SIM_DEADLOCK"
  | "SIM_FOREIGN_EVENT"
  | "SIM_BAD_CAPACITY"
  | "SIM_NOT_HELD"
  | "SIM_BAD_SAMPLE"
  | "SIM_NO_SAMPLES"
  | "SIM_BAD_PERCENTILE"
  | "SIM_BAD_METHOD"
  | "SIM_BAD_BINS";

/** An error raised by the simulation engine or its statistics. */
export class SimError extends VmlabError {
  declare readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message: string, options: VmlabErrorOptions = {}) {
    super(code, message, options);
  }
}
