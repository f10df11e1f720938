// A serverless case's input in transport form: the trace as plain columns (applications, functions, arrivals, durations), as the parent sends it and the child reads it.
import type { InvocationTrace } from "../../../../src/serverless/trace.js";

/** A trace as plain JSON. */
export interface WireTrace {
  readonly source: string;
  readonly apps: readonly { readonly id: string; readonly memoryMb: number }[];
  readonly functions: readonly { readonly id: string; readonly app: number; readonly trigger: string }[];
  readonly arrivalMs: readonly number[];
  readonly durationMs: readonly number[];
  readonly fn: readonly number[];
}

/** A serverless case's input, as the child side reads it. */
export interface ServerlessInput {
  readonly trace: WireTrace;
}

/** A trace in transport form. */
export function traceToWire(t: InvocationTrace): WireTrace {
  return {
    source: t.source,
    apps: t.apps.map((a) => ({ id: a.id, memoryMb: a.memoryMb })),
    functions: t.functions.map((f) => ({ id: f.id, app: f.app, trigger: f.trigger })),
    arrivalMs: Array.from(t.arrivalMs),
    durationMs: Array.from(t.durationMs),
    fn: Array.from(t.fn),
  };
}

/** A trace back from its transport form. */
export function traceFromWire(w: WireTrace): InvocationTrace {
  return {
    source: w.source, apps: w.apps, functions: w.functions, notes: [],
    arrivalMs: Float64Array.from(w.arrivalMs), durationMs: Float64Array.from(w.durationMs), fn: Uint32Array.from(w.fn),
  };
}
