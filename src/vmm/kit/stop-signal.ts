// How a monitor ends a run from deep inside it: a frozen stop signal, and the verdicts it carries (no handler, a handler error).
import type { MonitorStop, VmmCode } from "../types.js";

/**
 * Thrown inside the monitor to end the run with a verdict (never escapes to callers). It unwinds through
 * the handler that was running, so it is frozen; and the monitor never takes one back from a handler as a
 * verdict: the capability records the stop as it leaves the monitor (callStop), and that record is what counts.
 */
export class StopSignal {
  readonly stop: MonitorStop;
  constructor(stop: MonitorStop) {
    this.stop = Object.freeze({ ...stop });
    Object.freeze(this);
  }
}

/** A handler-error verdict, naming the handler when one was running. */
export function handlerError(code: VmmCode, message: string, pc: number, handler?: string): MonitorStop {
  return handler === undefined ? { kind: "handler-error", code, message, pc } : { kind: "handler-error", code, handler, message, pc };
}

/** The verdict for an event nobody handles: `no handler for 'popf' (POPF at 0x00001234)`. */
export function noHandler(handler: string, event: string, pc: number): MonitorStop {
  return { kind: "no-handler", code: "VMM_NO_HANDLER", handler, event, pc, message: `no handler for '${handler}' (${event})` };
}

/** A stop for an event the monitor cannot explain: a bug in vmlab, reported as a verdict instead of a crash. */
export function internalError(message: string, pc: number): MonitorStop {
  return handlerError("VMM_INTERNAL", `internal monitor error: ${message}`, pc);
}
