// What happened to each request, in growable typed columns: arrival, how it started, its waits, its execution and its latency.
import { cdf, percentile, type CdfPoint } from "../sim/index.js";

/** How a request was served. */
export type StartKind = "warm" | "cold" | "throttled";
const KINDS: readonly StartKind[] = ["warm", "cold", "throttled"];
const THROTTLED = 2;

/** One request's outcome (all times in ms). */
export interface RequestOutcome {
  readonly fn: number;
  readonly kind: StartKind;
  readonly arrivalMs: number;
  /** Time spent waiting for concurrency or capacity before the platform took the request. */
  readonly queuedMs: number;
  /** Time spent waiting for an instance to start (0 for a warm start). */
  readonly coldStartMs: number;
  readonly executionMs: number;
  /** From the client's request to the client's response, the invocation path included. */
  readonly latencyMs: number;
}

/** Columns of outcomes, in completion order. */
export class RequestLog {
  private n = 0;
  private cap = 1024;
  private fnCol = new Uint32Array(this.cap);
  private kindCol = new Uint8Array(this.cap);
  private arrivalCol = new Float64Array(this.cap);
  private queuedCol = new Float64Array(this.cap);
  private coldCol = new Float64Array(this.cap);
  private execCol = new Float64Array(this.cap);
  private latencyCol = new Float64Array(this.cap);

  get length(): number {
    return this.n;
  }

  add(o: RequestOutcome): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.fnCol[i] = o.fn;
    this.kindCol[i] = KINDS.indexOf(o.kind);
    this.arrivalCol[i] = o.arrivalMs;
    this.queuedCol[i] = o.queuedMs;
    this.coldCol[i] = o.coldStartMs;
    this.execCol[i] = o.executionMs;
    this.latencyCol[i] = o.latencyMs;
  }

  /** Outcome i. */
  get(i: number): RequestOutcome {
    return {
      fn: this.fnCol[i]!,
      kind: KINDS[this.kindCol[i]!]!,
      arrivalMs: this.arrivalCol[i]!,
      queuedMs: this.queuedCol[i]!,
      coldStartMs: this.coldCol[i]!,
      executionMs: this.execCol[i]!,
      latencyMs: this.latencyCol[i]!,
    };
  }

  /** Indexes of the outcomes that match (all by default). */
  select(filter: { readonly kind?: StartKind; readonly fn?: number; readonly arrivedFromMs?: number } = {}): number[] {
    const kind = filter.kind === undefined ? -1 : KINDS.indexOf(filter.kind);
    const from = filter.arrivedFromMs ?? -Infinity;
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) {
      if (kind >= 0 && this.kindCol[i] !== kind) continue;
      if (filter.fn !== undefined && this.fnCol[i] !== filter.fn) continue;
      if (this.arrivalCol[i]! < from) continue;
      out.push(i);
    }
    return out;
  }

  /** Latencies (ms) of the served requests (warm and cold), or of one kind. */
  latencies(kind?: StartKind): Float64Array {
    const out = new Float64Array(this.n);
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      const c = this.kindCol[i]!;
      if (kind === undefined ? c !== THROTTLED : KINDS[c] === kind) out[k++] = this.latencyCol[i]!;
    }
    return out.subarray(0, k);
  }

  /** Execution times (ms) of the requests that ran, for billing. */
  executions(): Float64Array {
    const out = new Float64Array(this.n);
    let k = 0;
    for (let i = 0; i < this.n; i++) if (this.kindCol[i] !== THROTTLED) out[k++] = this.execCol[i]!;
    return out.subarray(0, k);
  }

  /** How many outcomes of each kind. */
  counts(): Record<StartKind, number> {
    const c = { warm: 0, cold: 0, throttled: 0 };
    for (let i = 0; i < this.n; i++) c[KINDS[this.kindCol[i]!]!]++;
    return c;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.cap);
      b.set(a);
      return b;
    };
    this.fnCol = g(this.fnCol, (n) => new Uint32Array(n));
    this.kindCol = g(this.kindCol, (n) => new Uint8Array(n));
    this.arrivalCol = g(this.arrivalCol, (n) => new Float64Array(n));
    this.queuedCol = g(this.queuedCol, (n) => new Float64Array(n));
    this.coldCol = g(this.coldCol, (n) => new Float64Array(n));
    this.execCol = g(this.execCol, (n) => new Float64Array(n));
    this.latencyCol = g(this.latencyCol, (n) => new Float64Array(n));
  }
}

/** Percentiles of latencies, in ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Summarises a set of latencies (zeros when there are none). */
export function latencySummary(values: ArrayLike<number>): LatencySummary {
  const n = values.length;
  if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const list = Array.from(values);
  let sum = 0;
  let max = -Infinity;
  for (const v of list) {
    sum += v;
    if (v > max) max = v;
  }
  return { count: n, p50: percentile(list, 50), p90: percentile(list, 90), p99: percentile(list, 99), max, mean: sum / n };
}

/** An empirical CDF of latencies, thinned to at most `maxPoints` points. */
export function latencyCdf(values: ArrayLike<number>, maxPoints = 200): CdfPoint[] {
  return values.length === 0 ? [] : cdf(Array.from(values), { maxPoints });
}
