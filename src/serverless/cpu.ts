// CPU proportional to memory, as AWS Lambda documents it: how long a handler's compute takes at a memory setting.
import { CITATIONS, sourced, type SourcedValue } from "./sources.js";
import { nonNegative, positive } from "./validate.js";

/** How a platform turns configured memory into CPU. */
export interface CpuRule {
  /** Memory that buys one full vCPU (AWS Lambda: 1,769 MB). */
  readonly mbPerVcpu: number;
  /** The most vCPUs any setting gets (AWS Lambda: 6, at 10,240 MB). */
  readonly maxVcpus: number;
}

/** AWS Lambda's rule since 2020: 1,769 MB is one vCPU, at most 6 vCPUs. */
export const LAMBDA_CPU: CpuRule = { mbPerVcpu: 1769, maxVcpus: 6 };

/** The rule's numbers with their source, for tables. */
export function cpuRuleSources(rule: CpuRule = LAMBDA_CPU): SourcedValue[] {
  return [
    sourced("memory per vCPU", rule.mbPerVcpu, "MB", CITATIONS.awsLambdaMemory),
    sourced("most vCPUs", rule.maxVcpus, "vCPU", CITATIONS.awsLambdaMemory),
  ];
}

/** vCPUs an instance with `memoryMb` gets: memory / mbPerVcpu, capped at maxVcpus. */
export function vcpusFor(memoryMb: number, rule: CpuRule = LAMBDA_CPU): number {
  positive("memory", memoryMb, "MB");
  return Math.min(rule.maxVcpus, memoryMb / rule.mbPerVcpu);
}

/**
 * Wall time of `cpuMs` of compute (measured on one whole vCPU) at `memoryMb`. A handler with `threads`
 * threads can use at most that many vCPUs, so a single-threaded handler stops getting faster at 1,769 MB.
 */
export function computeTimeMs(cpuMs: number, memoryMb: number, threads = 1, rule: CpuRule = LAMBDA_CPU): number {
  nonNegative("compute time", cpuMs, "ms");
  positive("threads", threads);
  if (cpuMs === 0) return 0;
  return cpuMs / Math.min(threads, vcpusFor(memoryMb, rule));
}
