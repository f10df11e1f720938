// Keep-alive policies compared on a trace: cold-start rate against wasted memory-time, with latency percentiles, each from a platform run.
import { Simulation } from "../sim/index.js";
import { BARE_HANDLER, type ColdStartParts } from "./cold-start.js";
import { hybridHistogramPolicy } from "./hybrid-policy.js";
import { AWS_KEEP_ALIVE_MS, fixedKeepAlive, noUnloading, parsePolicyName, type KeepAlivePolicy } from "./keep-alive.js";
import { FunctionPlatform, type PlatformReport } from "./platform.js";
import type { InvocationTrace } from "./trace.js";
import { nonNegative } from "./validate.js";
import { replayTrace, traceFunctions } from "./workload.js";

/** How a trace is replayed for a policy. */
export interface ReplayOptions {
  /** Cold start of every application (default: a bare handler, 155 ms). */
  readonly coldStart?: ColdStartParts;
  /** Per-invocation path (ms, default 0). */
  readonly invocationPathMs?: number;
  readonly seed?: number;
}

/** Replays a trace on a fresh platform with one policy, to the end, and returns the platform (its log holds every request). */
export function runTraceWithPolicy(trace: InvocationTrace, policy: KeepAlivePolicy, options: ReplayOptions = {}): FunctionPlatform {
  const sim = new Simulation({ seed: options.seed ?? 1 });
  const platform = new FunctionPlatform(sim, traceFunctions(trace, options.coldStart ?? BARE_HANDLER), {
    keepAlive: policy,
    invocationPathMs: options.invocationPathMs ?? 0,
  });
  replayTrace(platform, trace);
  sim.run();
  return platform;
}

/** Replays a trace on a platform with one policy and reports what it measured. */
export function replayWithPolicy(trace: InvocationTrace, policy: KeepAlivePolicy, options: ReplayOptions = {}): PlatformReport {
  return runTraceWithPolicy(trace, policy, options).report();
}

/** One policy's line in a comparison. */
export interface PolicyComparison {
  readonly policy: string;
  readonly invocations: number;
  readonly coldStarts: number;
  readonly coldStartRate: number;
  readonly wastedGbSeconds: number;
  /** Wasted memory-time relative to the first policy compared (usually the fixed 10 minutes). */
  readonly wastedRelative: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Applications that never started cold after their first invocation. */
  readonly appsWarmAfterFirst: number;
}

/** Replays the trace once per policy (each made fresh by its factory) and lines them up. */
export function comparePolicies(trace: InvocationTrace, policies: readonly (() => KeepAlivePolicy)[], options: ReplayOptions = {}): PolicyComparison[] {
  const rows = policies.map((make) => {
    const policy = make();
    const r = replayWithPolicy(trace, policy, options);
    return {
      policy: policy.name,
      invocations: r.warm + r.cold,
      coldStarts: r.cold,
      coldStartRate: r.coldStartRate,
      wastedGbSeconds: r.wastedGbSeconds,
      wastedRelative: 0,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      appsWarmAfterFirst: r.perFunction.filter((f) => f.invocations > 0 && f.cold <= 1).length,
    };
  });
  const base = rows[0]?.wastedGbSeconds ?? 0;
  return rows.map((r) => ({ ...r, wastedRelative: base > 0 ? r.wastedGbSeconds / base : 0 }));
}

/** A policy by the name the CLI takes: fixed (with its keep-alive, default 10 minutes), no-unloading or none, hybrid. */
export function policyByName(name: string, options: { readonly keepAliveMs?: number } = {}): () => KeepAlivePolicy {
  const which = parsePolicyName(name);
  const keepAliveMs = nonNegative("keep-alive", options.keepAliveMs ?? AWS_KEEP_ALIVE_MS, "ms");
  switch (which) {
    case "fixed":
      return () => fixedKeepAlive(keepAliveMs);
    case "no-unloading":
    case "none":
      return () => noUnloading();
    case "hybrid":
      return () => hybridHistogramPolicy();
  }
}
