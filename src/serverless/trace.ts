// An invocation trace: applications, their functions and every invocation's arrival and duration, in columns sorted by arrival.
import { ParameterError } from "./validate.js";

/** An application: the unit that holds memory and is kept alive (an Azure Functions app). */
export interface TraceApp {
  readonly id: string;
  readonly memoryMb: number;
}

/** A function of an application. */
export interface TraceFunction {
  readonly id: string;
  /** Index into `apps`. */
  readonly app: number;
  readonly trigger: string;
}

/** Invocations in arrival order, as parallel columns (a million invocations stay a few tens of megabytes). */
export interface InvocationTrace {
  /** Where the trace came from, for reports. */
  readonly source: string;
  readonly apps: readonly TraceApp[];
  readonly functions: readonly TraceFunction[];
  readonly arrivalMs: Float64Array;
  readonly durationMs: Float64Array;
  /** Index into `functions` for each invocation. */
  readonly fn: Uint32Array;
  /** Things the loader had to assume (missing durations or memory), one sentence each. */
  readonly notes: readonly string[];
}

/** The number of invocations. */
export function traceLength(t: InvocationTrace): number {
  return t.arrivalMs.length;
}

/** Collects invocations in any order and sorts them into a trace (stable: equal arrivals keep insertion order). */
export class TraceBuilder {
  private arrivals: number[] = [];
  private durations: number[] = [];
  private fns: number[] = [];
  readonly apps: TraceApp[] = [];
  readonly functions: TraceFunction[] = [];
  private appIndex = new Map<string, number>();
  private fnIndex = new Map<string, number>();
  readonly notes: string[] = [];

  constructor(private readonly maxInvocations = Infinity) {}

  /** The index of an application, adding it the first time. */
  app(id: string, memoryMb: number): number {
    let i = this.appIndex.get(id);
    if (i === undefined) {
      i = this.apps.length;
      this.apps.push({ id, memoryMb });
      this.appIndex.set(id, i);
    }
    return i;
  }

  /** The index of a function of an application, adding it the first time. */
  fn(app: number, id: string, trigger: string): number {
    const key = `${app}\u0000${id}`;
    let i = this.fnIndex.get(key);
    if (i === undefined) {
      i = this.functions.length;
      this.functions.push({ id, app, trigger });
      this.fnIndex.set(key, i);
    }
    return i;
  }

  get length(): number {
    return this.arrivals.length;
  }

  add(fn: number, arrivalMs: number, durationMs: number): void {
    if (this.arrivals.length >= this.maxInvocations) {
      throw new ParameterError(
        `the trace holds more than ${this.maxInvocations.toLocaleString("en-US")} invocations`,
        "replay fewer: choose fewer applications or minutes, or raise the limit",
      );
    }
    this.arrivals.push(arrivalMs);
    this.durations.push(durationMs);
    this.fns.push(fn);
  }

  build(source: string): InvocationTrace {
    const n = this.arrivals.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const a = this.arrivals;
    order.sort((x, y) => a[x]! - a[y]! || x - y);
    const arrivalMs = new Float64Array(n);
    const durationMs = new Float64Array(n);
    const fn = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      arrivalMs[i] = a[j]!;
      durationMs[i] = this.durations[j]!;
      fn[i] = this.fns[j]!;
    }
    return { source, apps: this.apps, functions: this.functions, arrivalMs, durationMs, fn, notes: this.notes };
  }
}

/** Per-application invocation counts and mean inter-arrival, for a trace summary table. */
export interface AppSummary {
  readonly app: string;
  readonly functions: number;
  readonly invocations: number;
  readonly memoryMb: number;
  readonly meanDurationMs: number;
}

/** Summarises a trace by application, busiest first. */
export function summarizeTrace(t: InvocationTrace): AppSummary[] {
  const counts = new Float64Array(t.apps.length);
  const durations = new Float64Array(t.apps.length);
  const fns = new Uint32Array(t.apps.length);
  for (const f of t.functions) fns[f.app]!++;
  for (let i = 0; i < t.fn.length; i++) {
    const app = t.functions[t.fn[i]!]!.app;
    counts[app]!++;
    durations[app]! += t.durationMs[i]!;
  }
  return t.apps
    .map((a, i) => ({ app: a.id, functions: fns[i]!, invocations: counts[i]!, memoryMb: a.memoryMb, meanDurationMs: counts[i]! ? durations[i]! / counts[i]! : 0 }))
    .sort((x, y) => y.invocations - x.invocations || (x.app < y.app ? -1 : 1));
}
