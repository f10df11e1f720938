// Event sources for the function platform: open (Poisson, deterministic) and closed workloads, bursts, cron schedules, database triggers and trace replay.
//
// Every source schedules its next arrival only when the previous one has happened, so a workload of a million
// requests keeps one pending event per source on the engine's queue, not a million.
import type { Rng } from "../sim/index.js";
import type { ColdStartParts } from "./cold-start.js";
import type { Simulation } from "../sim/index.js";
import type { FunctionPlatform, FunctionSpec, Work } from "./platform.js";
import type { RequestOutcome } from "./request-log.js";
import type { InvocationTrace } from "./trace.js";
import { nonNegative, ParameterError, positive, wholeNumber } from "./validate.js";

/** Where a workload sends its requests: one function of a platform (`platform.endpoint(name)`) or a container service. */
export interface Target {
  readonly sim: Simulation;
  invoke(work: Work, done?: (o: RequestOutcome) => void): void;
}

/** A request's work, fixed or drawn per request from the simulation's stream. */
export type WorkSpec = Work | ((rng: Rng) => Work);

function workOf(spec: WorkSpec, rng: Rng): Work {
  return typeof spec === "function" ? spec(rng) : spec;
}

/** Open-loop arrivals at a rate, for a time. */
export interface OpenLoopOptions {
  readonly ratePerSecond: number;
  /** Arrivals happen in [startS, startS + durationS). */
  readonly durationS: number;
  readonly startS?: number;
  /** "poisson" (exponential gaps, the default) or "deterministic" (equal gaps). */
  readonly arrivals?: "poisson" | "deterministic";
}

/** Requests to `fn` at `ratePerSecond`, independent of how fast they are served. */
export function openLoop(target: Target, work: WorkSpec, o: OpenLoopOptions): void {
  const sim = target.sim;
  const rate = positive("arrival rate", o.ratePerSecond, "per second");
  const end = (o.startS ?? 0) + nonNegative("duration", o.durationS, "s");
  const poisson = (o.arrivals ?? "poisson") === "poisson";
  if (o.arrivals !== undefined && o.arrivals !== "poisson" && o.arrivals !== "deterministic") {
    throw new ParameterError(`arrivals must be "poisson" or "deterministic", got '${String(o.arrivals)}'`);
  }
  const gap = () => (poisson ? sim.rng.exponential(rate) : 1 / rate);
  const next = (t: number) => {
    if (t >= end) return;
    sim.at(t, () => {
      target.invoke(workOf(work, sim.rng));
      next(t + gap());
    }, { label: "arrival" });
  };
  next(Math.max(sim.now, o.startS ?? 0) + (poisson ? gap() : 0));
}

/** A closed workload: `clients` each send a request, wait for its response, think, and send the next. */
export interface ClosedLoopOptions {
  readonly clients: number;
  /** Clients stop sending at this time (requests in flight still finish). */
  readonly durationS: number;
  /** Pause between a response and the next request (ms, default 0). */
  readonly thinkMs?: number;
  /** Clients start at the same moment (default) or spread over this many ms. */
  readonly rampMs?: number;
}

/** Keeps `clients` requests outstanding until `durationS`, as the OpenLambda experiment's load generator did; returns every outcome. */
export function closedLoop(target: Target, work: WorkSpec, o: ClosedLoopOptions): RequestOutcome[] {
  const sim = target.sim;
  const clients = wholeNumber("clients", o.clients, 1);
  const end = nonNegative("duration", o.durationS, "s");
  const think = nonNegative("think time", o.thinkMs ?? 0, "ms") / 1000;
  const ramp = nonNegative("ramp", o.rampMs ?? 0, "ms") / 1000;
  const outcomes: RequestOutcome[] = [];
  const send = () => {
    if (sim.now >= end) return;
    target.invoke(workOf(work, sim.rng), (outcome) => {
      outcomes.push(outcome);
      if (think > 0) sim.schedule(think, send, { label: "think" });
      else send();
    });
  };
  for (let c = 0; c < clients; c++) {
    const delay = clients > 1 ? (ramp * c) / (clients - 1) : 0;
    if (delay === 0) send();
    else sim.schedule(delay, send, { label: "client start" });
  }
  return outcomes;
}

/** `count` requests at the same instant `atS` (a flash crowd). */
export function burst(target: Target, work: WorkSpec, o: { readonly count: number; readonly atS: number }): void {
  const sim = target.sim;
  const count = wholeNumber("burst size", o.count, 1);
  sim.at(nonNegative("burst time", o.atS, "s"), () => {
    for (let i = 0; i < count; i++) target.invoke(workOf(work, sim.rng));
  }, { label: "burst" });
}

/** A cron schedule: one invocation every `everyS` seconds from `offsetS` until `durationS`. */
export function cron(target: Target, work: WorkSpec, o: { readonly everyS: number; readonly durationS: number; readonly offsetS?: number }): void {
  openLoop(target, work, { ratePerSecond: 1 / positive("cron period", o.everyS, "s"), durationS: o.durationS, startS: o.offsetS ?? 0, arrivals: "deterministic" });
}

/** A database-update trigger: updates arrive as a Poisson stream; the change stream invokes the function with batches of up to `batchSize` records, or with what it has after `windowMs`. */
export interface DatabaseTriggerOptions {
  readonly updatesPerSecond: number;
  readonly durationS: number;
  readonly batchSize: number;
  /** Longest a record waits for its batch to fill (ms, default 1000). */
  readonly windowMs?: number;
  /** The work of one record; a batch's work is the sum over its records. */
  readonly perRecord: Work;
}

/** Returns the batch sizes the trigger delivered, in order. */
export function databaseTrigger(target: Target, o: DatabaseTriggerOptions): number[] {
  const sim = target.sim;
  const size = wholeNumber("batch size", o.batchSize, 1);
  const window = nonNegative("batching window", o.windowMs ?? 1000, "ms") / 1000;
  const batches: number[] = [];
  let pending = 0;
  let timer: { cancel(): boolean } | null = null;
  const flush = () => {
    if (timer) timer.cancel();
    timer = null;
    if (pending === 0) return;
    const n = pending;
    pending = 0;
    batches.push(n);
    const r = o.perRecord;
    target.invoke({
      ...(r.cpuMs !== undefined ? { cpuMs: r.cpuMs * n } : {}),
      ...(r.wallMs !== undefined ? { wallMs: r.wallMs * n } : {}),
    });
  };
  const rate = positive("update rate", o.updatesPerSecond, "per second");
  const end = nonNegative("duration", o.durationS, "s");
  const next = (t: number) => {
    if (t >= end) {
      sim.at(Math.max(t, sim.now), flush, { label: "stream end" });
      return;
    }
    sim.at(t, () => {
      pending++;
      if (pending >= size) flush();
      else if (!timer) timer = sim.schedule(window, flush, { label: "batching window" });
      next(t + sim.rng.exponential(rate));
    }, { label: "database update" });
  };
  next(sim.now + sim.rng.exponential(rate));
  return batches;
}

/** Replays a trace: each invocation arrives at its time and runs for its recorded duration, on the function named after its application. */
export function replayTrace(platform: FunctionPlatform, trace: InvocationTrace, options: { readonly startS?: number } = {}): void {
  const sim = platform.sim;
  const start = options.startS ?? sim.now;
  const names = trace.functions.map((f) => trace.apps[f.app]!.id);
  const n = trace.arrivalMs.length;
  const at = (i: number) => {
    if (i >= n) return;
    sim.at(start + trace.arrivalMs[i]! / 1000, () => {
      // Invocations due at the same moment go in one event, in trace order.
      let j = i;
      const t = trace.arrivalMs[i]!;
      while (j < n && trace.arrivalMs[j] === t) {
        platform.invoke(names[trace.fn[j]!]!, { wallMs: trace.durationMs[j]! });
        j++;
      }
      at(j);
    }, { label: "trace arrival" });
  };
  at(0);
}

/** One function per application of a trace, with the application's memory and the given cold start. */
export function traceFunctions(trace: InvocationTrace, coldStart?: ColdStartParts): FunctionSpec[] {
  return trace.apps.map((a) => ({ name: a.id, memoryMb: a.memoryMb, ...(coldStart ? { coldStart } : {}) }));
}
