// The containers harness's cases: case files (YAML operation sequences and cgroup trees) and seeded sets, each with the container model's expected outcome.
import { relative } from "node:path";
import { CaseFileError, parseCaseFile } from "../../../src/containers/lab-case-file.js";
import { generateCpuCase, type ContainersCase } from "../../../src/containers/lab-cases.js";
import { expectCpuCase, expectFsCase, generateOverlayCase } from "../../../src/containers/lab-expect.js";
import { caseSeed } from "../case-seed.js";
import type { GradeCase } from "../cases.js";
import { GraderError } from "../errors.js";
import type { Lab, ResolvedSuite } from "../lab/load.js";
import type { ContainersInput } from "../sandbox/containers/wire.js";
import { DEFAULT_OPS } from "./containers-config.js";

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

