// The containers harness's light side: how reports speak of its cases, its lab.yaml checks, baselines and time predictions — what a grade needs without building cases (containers-cases.ts, with the container model).
import type { GradeCase } from "../cases.js";
import type { LabConfig } from "../lab/load.js";
import type { ContainersInput } from "../sandbox/containers/wire.js";
import type { Baseline, CaseWords, ConfigProblem } from "./harness.js";

/** How reports speak of containers cases. */
export const CONTAINERS_WORDS: CaseWords = { unit: "bytes written", baseline: "a full copy of the image", passed: "the same as the container model", failed: "differed from the container model" };

/** The generators a suite's generated sets may name, and the operations per overlay case by default. */
export const CONTAINERS_GENERATORS = ["overlay", "cgroups"] as const;
export const DEFAULT_OPS = 30;

/** lab.yaml for a containers lab: case files or generated sets, no guests, no ISA profile, a known generator. */
export function checkContainersConfig(config: LabConfig, problem: ConfigProblem): void {
  if (config.profile) problem(["profile"], "is set, but the containers harness runs no guests", "remove profile:");
  for (const [name, suite] of Object.entries(config.suites)) {
    if (!suite) continue;
    if (suite.guests?.length) problem(["suites", name, "guests"], "names guests, but the containers harness runs case files", "list YAML case files under cases: instead");
    (suite.generated ?? []).forEach((g, i) => {
      if (!g.generator || !(CONTAINERS_GENERATORS as readonly string[]).includes(g.generator)) problem(["suites", name, "generated", i, "generator"], `${g.generator ? `'${g.generator}' is` : "is missing:"} not a containers generator`, `use generator: ${CONTAINERS_GENERATORS.join(" or generator: ")}`);
      if (g.mix) problem(["suites", name, "generated", i, "mix"], "is a guest generator's option", "remove mix: (give ops per case as options: { ops: 30 })");
    });
  }
}

/** An overlay case's baseline: the bytes a driver that copies the whole image first (Docker's vfs) writes; cgroup cases have none. */
export function containersBaseline(c: GradeCase): Baseline {
  const i = c.input as unknown as ContainersInput;
  return { cost: i.case.kind === "overlay" ? (i.expected as { fullCopyBytes: number }).fullCopyBytes + (i.expected as { writtenBytes: number }).writtenBytes : null };
}

/**
 * What the reference's run of a containers case costs the sandbox, from its counters. Upper values measured
 * on the 2-core machine with a cold child: a case's fixed work 20 ms, a call into the submission 50 µs
 * (an overlay operation makes five: the operation and four probes).
 */
const CASE_SECONDS = 0.02;
const CALL_SECONDS = 50e-6;

export function containersPredictSeconds(counters: Readonly<Record<string, unknown>>): number {
  return CASE_SECONDS + (typeof counters.calls === "number" ? counters.calls : 0) * CALL_SECONDS;
}
