// The containers harness's cases: case files (YAML operation sequences and cgroup trees) and seeded sets, each with the container model's expected outcome.
import { relative } from "node:path";
import { CaseFileError, parseCaseFile } from "../../../src/containers/lab-case-file.js";
import { generateCpuCase, type ContainersCase } from "../../../src/containers/lab-cases.js";
import { expectCpuCase, expectFsCase, generateOverlayCase } from "../../../src/containers/lab-expect.js";
import { caseSeed } from "../case-seed.js";
import type { GradeCase } from "../cases.js";
import { GraderError } from "../errors.js";
import type { Lab, LabConfig, ResolvedSuite } from "../lab/load.js";
import type { ContainersInput } from "../sandbox/containers/wire.js";
import type { Baseline, CaseWords, ConfigProblem } from "./harness.js";

/** How reports speak of containers cases. */
export const CONTAINERS_WORDS: CaseWords = { unit: "bytes written", baseline: "a full copy of the image", passed: "the same as the container model", failed: "differed from the container model" };

/** The generators a suite's generated sets may name, and the operations per overlay case by default. */
export const CONTAINERS_GENERATORS = ["overlay", "cgroups"] as const;
const DEFAULT_OPS = 30;

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

function input(c: ContainersCase): ContainersInput {
  return c.kind === "overlay" ? { case: c, expected: expectFsCase(c) } : { case: c, expected: expectCpuCase(c) };
}

/** The cases of one suite, in declaration order: case files, then each generated set. Throws LAB_BAD_CASE (file and line) on a bad case file. */
export function buildContainersCases(suite: ResolvedSuite, lab: Lab): GradeCase[] {
  const cases: GradeCase[] = [];
  for (const f of suite.cases) {
    const file = relative(lab.root, f.file);
    let parsed: ReturnType<typeof parseCaseFile>;
    try {
      parsed = parseCaseFile(f.text, file);
    } catch (e) {
      if (e instanceof CaseFileError) throw new GraderError("LAB_BAD_CASE", e.message, e.hint === undefined ? {} : { hint: e.hint });
      throw e;
    }
    cases.push({
      id: `${suite.name}/${f.name}`, suite: suite.name, group: `${suite.name}/${f.name}`, name: f.name, visibility: f.visibility, weight: f.points,
      describe: f.describe ?? parsed.describe ?? `${parsed.case.kind} case ${f.name}`, origin: { kind: "file", file },
      input: input(parsed.case) as unknown as Record<string, unknown>,
    });
  }
  for (const set of suite.generated) {
    const ops = typeof set.options.ops === "number" ? set.options.ops : DEFAULT_OPS;
    for (let i = 0; i < set.count; i++) {
      const seed = caseSeed(set.seed, i);
      const c: ContainersCase = set.generator === "cgroups" ? generateCpuCase(seed) : generateOverlayCase(seed, ops);
      const name = `${set.name}-${String(i).padStart(3, "0")}`;
      cases.push({
        id: `${suite.name}/${name}`, suite: suite.name, group: `${suite.name}/${set.name}`, name, visibility: set.visibility, weight: set.points,
        describe: set.generator === "cgroups" ? `random cgroup tree #${i} of set ${set.name} (seed ${seed})` : `random image and ${ops} operations, #${i} of set ${set.name} (seed ${seed})`,
        origin: { kind: "generated", generator: set.generator, seed, ...(set.generator === "overlay" ? { options: { ops } } : {}) },
        input: input(c) as unknown as Record<string, unknown>,
      });
    }
  }
  return cases;
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
