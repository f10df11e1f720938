// The keep-alive / pre-warm policy interface: after each execution, how long to wait before loading the application again and how long to keep it.
//
// This is the interface lab 05 asks students to implement. The platform calls it per application (the unit of
// memory allocation: an Azure Functions app, a Lambda function):
//
//   1. `forApp(app)` once, before the application's first invocation, for a fresh per-application state;
//   2. `onInvocation(now, idleMs)` at every invocation, with the idle time since the application's previous
//      execution ended (undefined for its first invocation, 0 while another execution is still running);
//   3. `windows(now)` each time an execution ends and leaves its instance idle.
//
// The windows follow Shahrad et al. (ATC 2020, Figure 11): with `preWarmMs` = 0 the instance stays loaded for
// `keepAliveMs` after the execution; with `preWarmMs` > 0 it is unloaded at once, loaded again `preWarmMs` later
// (which takes a cold start's time) and kept loaded for `keepAliveMs` from then. An invocation that finds the
// application unloaded is a cold start. Memory held by a loaded, idle instance is wasted memory-time.
import { didYouMean } from "../core/suggest.js";
import { type AppKeepAlive, type KeepAlivePolicy, type KeepAliveWindows } from "./policy-api.js";
import { ParameterError } from "./validate.js";

export type { AppKeepAlive, KeepAlivePolicy, KeepAliveWindows } from "./policy-api.js";
export { AWS_KEEP_ALIVE_MS, AZURE_KEEP_ALIVE_MS } from "./policy-api.js";

/** Checks a policy's answer, so that a student's NaN or negative window fails loudly with the policy's name. */
export function checkWindows(policy: string, w: KeepAliveWindows): KeepAliveWindows {
  const bad = (v: unknown) => typeof v !== "number" || Number.isNaN(v) || v < 0;
  if (w === null || typeof w !== "object" || bad(w.preWarmMs) || bad(w.keepAliveMs) || w.preWarmMs === Infinity) {
    throw new ParameterError(
      `keep-alive policy '${policy}' returned ${JSON.stringify(w)}; windows must be { preWarmMs: finite ≥ 0, keepAliveMs: ≥ 0 or Infinity }`,
      "return e.g. { preWarmMs: 0, keepAliveMs: 600_000 } for a 10-minute keep-alive",
    );
  }
  return w;
}

/** The same windows after every execution: a fixed keep-alive of `keepAliveMs` (AWS 10 minutes, Azure 20). */
export function fixedKeepAlive(keepAliveMs: number, name = `fixed-${formatMinutes(keepAliveMs)}`): KeepAlivePolicy {
  if (!(keepAliveMs >= 0)) throw new ParameterError(`a fixed keep-alive must be ≥ 0 ms, got ${keepAliveMs}`);
  const windows: KeepAliveWindows = { preWarmMs: 0, keepAliveMs };
  const app: AppKeepAlive = { onInvocation: () => undefined, windows: () => windows };
  return { name, forApp: () => app };
}

function formatMinutes(ms: number): string {
  if (ms === Infinity) return "forever";
  const min = ms / 60_000;
  return Number.isInteger(min) ? `${min}min` : `${ms / 1000}s`;
}

/** Never unload: every invocation after the first is warm, and every idle minute is wasted memory. */
export function noUnloading(): KeepAlivePolicy {
  return fixedKeepAlive(Infinity, "no-unloading");
}

/** The policy names the CLI and the lab know, with what each means. */
export const POLICY_NAMES = {
  fixed: "a fixed keep-alive after each execution (default 10 minutes, as AWS Lambda)",
  "no-unloading": "never unload an instance",
  none: "the same as no-unloading: no unloading at all",
  hybrid: "the hybrid histogram policy of Shahrad et al. (ATC 2020)",
} as const;

/** A policy name the CLI accepts. */
export type PolicyName = keyof typeof POLICY_NAMES;

/** Checks a policy name, with a did-you-mean for a near miss. */
export function parsePolicyName(name: string): PolicyName {
  if (Object.hasOwn(POLICY_NAMES, name)) return name as PolicyName;
  const names = Object.keys(POLICY_NAMES);
  throw new ParameterError(`unknown keep-alive policy '${name}'`, didYouMean(name, names, { maxDistance: 3 }) ?? `policies are ${names.join(", ")}`);
}
