// Billing: duration × memory at a granularity (100 ms before December 2020, 1 ms after) plus a per-request fee, and always-on alternatives.
import { vcpusFor, LAMBDA_CPU, type CpuRule } from "./cpu.js";
import { CITATIONS, sourced, type SourcedValue } from "./sources.js";
import { nonNegative, positive, wholeNumber } from "./validate.js";

/** How a function platform charges. */
export interface Pricing {
  readonly name: string;
  /** Dollars per GB-second of billed duration (GB = 1,024 MB). */
  readonly perGbSecond: number;
  /** Dollars per million requests. */
  readonly perMillionRequests: number;
  /** Billed duration is rounded up to a multiple of this (ms); every invocation bills at least one unit. */
  readonly granularityMs: number;
}

/** AWS Lambda until 30 November 2020: duration rounded up to 100 ms. */
export const LAMBDA_PRICING_2019: Pricing = { name: "lambda-2019", perGbSecond: 0.0000166667, perMillionRequests: 0.2, granularityMs: 100 };
/** AWS Lambda from 1 December 2020: duration rounded up to 1 ms. */
export const LAMBDA_PRICING_2021: Pricing = { ...LAMBDA_PRICING_2019, name: "lambda-2021", granularityMs: 1 };

/** The pricing presets by name, for the CLI. */
export const PRICING_PRESETS: Readonly<Record<string, Pricing>> = { "lambda-2019": LAMBDA_PRICING_2019, "lambda-2021": LAMBDA_PRICING_2021 };

/** The billing parameters with their sources. */
export function pricingSources(): SourcedValue[] {
  return [
    sourced("price per GB-second", LAMBDA_PRICING_2019.perGbSecond, "$", CITATIONS.awsLambdaPricing),
    sourced("price per million requests", LAMBDA_PRICING_2019.perMillionRequests, "$", CITATIONS.awsLambdaPricing),
    sourced("granularity before Dec 2020", LAMBDA_PRICING_2019.granularityMs, "ms", CITATIONS.awsBilling2020),
    sourced("granularity after Dec 2020", LAMBDA_PRICING_2021.granularityMs, "ms", CITATIONS.awsBilling2020),
    sourced("Fargate per vCPU-hour", FARGATE.perVcpuHour, "$", CITATIONS.awsFargatePricing),
    sourced("Fargate per GB-hour", FARGATE.perGbHour, "$", CITATIONS.awsFargatePricing),
    sourced("EC2 m5.large per hour", M5_LARGE.perHour, "$", CITATIONS.awsEc2Pricing),
  ];
}

function checkPricing(p: Pricing): void {
  nonNegative("price per GB-second", p.perGbSecond, "$");
  nonNegative("price per million requests", p.perMillionRequests, "$");
  positive("billing granularity", p.granularityMs, "ms");
}

/** The duration an invocation is billed for: rounded up to the granularity, at least one unit. 27.4 ms bills 100 ms (2019) or 28 ms (2021). */
export function billedDurationMs(durationMs: number, granularityMs: number): number {
  nonNegative("duration", durationMs, "ms");
  positive("billing granularity", granularityMs, "ms");
  // A tolerance of a billionth of a unit keeps 0.3 ms × 10 from billing an extra unit through float rounding.
  const units = Math.max(1, Math.ceil(durationMs / granularityMs - 1e-9));
  return units * granularityMs;
}

/** A function bill. */
export interface FunctionBill {
  readonly pricing: string;
  readonly invocations: number;
  readonly memoryMb: number;
  /** Sum of the invocations' real durations (ms). */
  readonly durationMs: number;
  /** Sum of the billed (rounded) durations (ms). */
  readonly billedMs: number;
  readonly gbSeconds: number;
  readonly computeCost: number;
  readonly requestCost: number;
  readonly total: number;
}

/** A workload for billing: explicit durations, or a count of invocations that all last the same. */
export type BillableWork = { readonly durationsMs: Iterable<number> } | { readonly count: number; readonly durationMs: number };

/** Bills invocations at one memory setting. */
export function billFunction(work: BillableWork, memoryMb: number, pricing: Pricing): FunctionBill {
  checkPricing(pricing);
  positive("memory", memoryMb, "MB");
  let invocations = 0;
  let durationMs = 0;
  let billedMs = 0;
  if ("count" in work) {
    invocations = wholeNumber("invocation count", work.count);
    durationMs = invocations * nonNegative("duration", work.durationMs, "ms");
    billedMs = invocations * billedDurationMs(work.durationMs, pricing.granularityMs);
  } else {
    for (const d of work.durationsMs) {
      invocations++;
      durationMs += d;
      billedMs += billedDurationMs(d, pricing.granularityMs);
    }
  }
  const gbSeconds = (billedMs / 1000) * (memoryMb / 1024);
  const computeCost = gbSeconds * pricing.perGbSecond;
  const requestCost = (invocations / 1e6) * pricing.perMillionRequests;
  return { pricing: pricing.name, invocations, memoryMb, durationMs, billedMs, gbSeconds, computeCost, requestCost, total: computeCost + requestCost };
}

/** Always-on container prices (AWS Fargate). */
export interface ContainerPrice {
  readonly perVcpuHour: number;
  readonly perGbHour: number;
}
/** AWS Fargate, Linux/x86, US East. */
export const FARGATE: ContainerPrice = { perVcpuHour: 0.04048, perGbHour: 0.004445 };

/** An always-on VM type. */
export interface VmPrice {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryGb: number;
  readonly perHour: number;
}
/** EC2 m5.large, On-Demand, US East. */
export const M5_LARGE: VmPrice = { name: "m5.large", vcpus: 2, memoryGb: 8, perHour: 0.096 };

/** One line of a side-by-side bill. */
export interface BillLine {
  readonly option: string;
  /** How many instances the option keeps (0 for functions, which keep none). */
  readonly instances: number;
  readonly cost: number;
  readonly note: string;
}

/** A steady workload to price several ways: `invocations` over `periodHours`, each `durationMs` at `memoryMb`. */
export interface SteadyWorkload {
  readonly invocations: number;
  readonly durationMs: number;
  readonly memoryMb: number;
  readonly periodHours: number;
}

/**
 * The same workload billed as functions (before and after the 2020 change) and on always-on capacity sized for
 * its mean concurrency (duration × rate, Little's law, rounded up, at least one): containers with the function's
 * memory and CPU share (Fargate), and VMs holding that many vCPUs and gigabytes (EC2).
 */
export function sideBySideBill(
  w: SteadyWorkload,
  options: { readonly container?: ContainerPrice; readonly vm?: VmPrice; readonly cpu?: CpuRule } = {},
): BillLine[] {
  positive("period", w.periodHours, "hours");
  const container = options.container ?? FARGATE;
  const vm = options.vm ?? M5_LARGE;
  const meanConcurrency = (w.invocations * nonNegative("duration", w.durationMs, "ms")) / (w.periodHours * 3_600_000);
  const replicas = Math.max(1, Math.ceil(meanConcurrency - 1e-9));
  const vcpu = vcpusFor(w.memoryMb, options.cpu ?? LAMBDA_CPU);
  const gb = w.memoryMb / 1024;
  const containerCost = replicas * w.periodHours * (vcpu * container.perVcpuHour + gb * container.perGbHour);
  const vms = Math.max(1, Math.ceil(Math.max((replicas * vcpu) / vm.vcpus, (replicas * gb) / vm.memoryGb) - 1e-9));
  const work = { count: w.invocations, durationMs: w.durationMs };
  const before = billFunction(work, w.memoryMb, LAMBDA_PRICING_2019);
  const after = billFunction(work, w.memoryMb, LAMBDA_PRICING_2021);
  return [
    { option: "functions, 100 ms billing (before Dec 2020)", instances: 0, cost: before.total, note: `${before.gbSeconds.toFixed(0)} GB-s + ${w.invocations.toLocaleString("en-US")} requests` },
    { option: "functions, 1 ms billing (after Dec 2020)", instances: 0, cost: after.total, note: `${after.gbSeconds.toFixed(0)} GB-s + ${w.invocations.toLocaleString("en-US")} requests` },
    { option: "always-on containers (Fargate)", instances: replicas, cost: containerCost, note: `${replicas} × (${vcpu.toFixed(3)} vCPU, ${gb.toFixed(2)} GB) for ${w.periodHours} h` },
    { option: `always-on VMs (${vm.name})`, instances: vms, cost: vms * w.periodHours * vm.perHour, note: `${vms} × ${vm.name} for ${w.periodHours} h` },
  ];
}
