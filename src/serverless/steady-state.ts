// The steady state in SimFaaS's parameterisation (Mahmoudi & Khazaei): Poisson arrivals, exponential warm and cold service, an expiration threshold, a concurrency limit.
//
// SimFaaS's model, run on the platform: requests arrive as a Poisson stream at rate λ; a request that finds an
// idle instance is served warm in an exponential time of mean `warmMs`, otherwise a new instance serves it in
// an exponential time of mean `coldMs` (the cold start included); an instance idle for `expireS` is removed;
// a request that arrives while `maxConcurrency` are running is rejected; requests go to the newest idle
// instance. The first `skipS` seconds (the start-up transient) are left out of every measure.
import { Simulation } from "../sim/index.js";
import { fixedKeepAlive } from "./keep-alive.js";
import { FunctionPlatform } from "./platform.js";
import { nonNegative, ParameterError, positive, wholeNumber } from "./validate.js";
import { openLoop } from "./workload.js";

/** SimFaaS's parameters. */
export interface SteadyStateParams {
  /** λ, requests per second. */
  readonly ratePerSecond: number;
  /** Mean warm service time (ms). */
  readonly warmMs: number;
  /** Mean cold service time, start-up included (ms). */
  readonly coldMs: number;
  /** Idle time after which an instance expires (s). */
  readonly expireS: number;
  /** Running instances at most; a request beyond is rejected. */
  readonly maxConcurrency: number;
  /** Simulated time (s, default 200,000). */
  readonly durationS?: number;
  /** Transient skipped at the start (s, default a tenth of the duration). */
  readonly skipS?: number;
  readonly seed?: number;
}

/** The steady-state measures. */
export interface SteadyStateResult {
  readonly cold_start_probability: number;
  readonly rejection_probability: number;
  /** Time-averaged instances serving a request (cold or warm). */
  readonly mean_running: number;
  /** Time-averaged idle instances. */
  readonly mean_idle: number;
  /** Time-averaged instances, running and idle. */
  readonly mean_instances: number;
  /** Requests counted (those that arrived after the transient and finished before the end). */
  readonly requests: number;
  readonly simulated_s: number;
  readonly skipped_s: number;
}

/** Checks SimFaaS's parameters, naming the bad one. */
export function checkSteadyState(p: SteadyStateParams): Required<SteadyStateParams> {
  const durationS = positive("duration", p.durationS ?? 200_000, "s");
  const skipS = nonNegative("skipped transient", p.skipS ?? durationS / 10, "s");
  if (skipS >= durationS) throw new ParameterError(`the skipped transient (${skipS} s) must be shorter than the duration (${durationS} s)`);
  return {
    ratePerSecond: positive("rate", p.ratePerSecond, "requests per second"),
    warmMs: positive("warm service time", p.warmMs, "ms"),
    coldMs: positive("cold service time", p.coldMs, "ms"),
    expireS: nonNegative("expiration threshold", p.expireS, "s"),
    maxConcurrency: wholeNumber("maximum concurrency", p.maxConcurrency, 1, true),
    durationS,
    skipS,
    seed: p.seed ?? 1,
  };
}

/** Simulates SimFaaS's model and measures its steady state. */
export function steadyState(params: SteadyStateParams): SteadyStateResult {
  const p = checkSteadyState(params);
  const sim = new Simulation({ seed: p.seed });
  const platform = new FunctionPlatform(sim, [{ name: "f", memoryMb: 1769, coldStart: { sandboxMs: 0, runtimeMs: 0, installMs: 0, importMs: 0, handlerInitMs: 0 } }], {
    keepAlive: fixedKeepAlive(p.expireS * 1000),
    concurrencyLimit: p.maxConcurrency,
    overLimit: "throttle",
  });
  openLoop(platform.endpoint("f"), (rng) => ({ wallMs: rng.exponential(1 / p.warmMs), coldTotalMs: rng.exponential(1 / p.coldMs) }), {
    ratePerSecond: p.ratePerSecond,
    durationS: p.durationS,
  });
  sim.run(p.skipS);
  platform.total.reset();
  platform.busy.reset();
  sim.run(p.durationS);
  const counted = platform.log.select({ arrivedFromMs: p.skipS * 1000 });
  let cold = 0;
  let rejected = 0;
  for (const i of counted) {
    const k = platform.log.get(i).kind;
    if (k === "cold") cold++;
    else if (k === "throttled") rejected++;
  }
  const n = counted.length;
  const meanInstances = platform.total.mean;
  const meanRunning = platform.busy.mean;
  return {
    cold_start_probability: n ? cold / n : 0,
    rejection_probability: n ? rejected / n : 0,
    mean_running: meanRunning,
    mean_idle: meanInstances - meanRunning,
    mean_instances: meanInstances,
    requests: n,
    simulated_s: p.durationS,
    skipped_s: p.skipS,
  };
}
