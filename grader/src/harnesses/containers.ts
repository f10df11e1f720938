// The containers harness on the grader's side: lab 04's API for type-checking (layers, overlay view, cgroups), and what `lab new --harness containers` writes.
import { makeStarter } from "../lab/regions.js";
import { GRADER_PATHS } from "../paths.js";
import type { Harness } from "./harness.js";
import { containersTypeApi } from "./type-apis.js";
import { checkContainersConfig, CONTAINERS_WORDS, containersBaseline, containersPredictSeconds } from "./containers-config.js";

// What `lab new --harness containers` starts from: the CPU part alone (the overlay functions are left to the lab author).
const SOLUTION = `// Reference solution for this lab. Code between the markers is what students write.
import type { ContainersLab, CpuGroup } from "vmlab";

const unused = (what: string) => (): never => {
  throw new Error(\`\${what} is not part of this lab\`);
};

export const lab: ContainersLab = {
  lookup: unused("lookup"),
  list: unused("list"),
  write: unused("write"),
  append: unused("append"),
  mkdir: unused("mkdir"),
  remove: unused("remove"),
  commit: unused("commit"),

  // CPUs per group: the root's CPUs go to its children by cpu.weight (one level of groups, no caps in this lab).
  allocateCpu(root: CpuGroup, cpus: number): Record<string, number> {
    // BEGIN SOLUTION
    const busy = root.children.filter((c) => c.threads > 0);
    const weight = busy.reduce((n, c) => n + c.weight, 0);
    const out: Record<string, number> = { [root.path]: Math.min(cpus, busy.reduce((n, c) => n + c.threads, 0)) };
    for (const c of root.children) out[c.path] = c.threads > 0 ? Math.min(c.threads, (out[root.path]! * c.weight) / weight) : 0;
    return out;
    // END SOLUTION
  },
};
`;

const CASE = `# two busy groups share one CPU 2:1 by cpu.weight
cpus: 1
cgroups:
  /web: { weight: 200, threads: 1 }
  /batch: { weight: 100, threads: 1 }
`;

const PUBLIC_TESTS = `// Public tests: every case in cases/ must come out of your code as it comes out of the container model.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkLabCase, formatLabDivergence, loadCaseFiles } from "vmlab";
import { lab } from "../overlay.js";

describe("public suite", () => {
  for (const c of loadCaseFiles(fileURLToPath(new URL("../cases/", import.meta.url)))) {
    it(\`\${c.name}: \${c.describe ?? "as the model"}\`, () => {
      const r = checkLabCase(lab, c.case);
      expect(r.divergence ? formatLabDivergence(r.divergence, c.case.kind === "overlay" ? c.case.ops.length : 0) : "").toBe("");
    });
  }
});
`;

export const containersHarness: Harness = {
  name: "containers",
  describe: "containers: students write the copy-on-write layers and the cgroup CPU allocation (ContainersLab), cases compare each operation with the container model",
  exportName: "lab",
  words: CONTAINERS_WORDS,
  runaway: "A function of your lab object probably runs forever: a walk up the path or down the layers that never reaches its end, or a loop whose condition never changes.",
  ...containersTypeApi,
  scaffoldYaml: (id) => `student_files: [overlay.ts]
export: lab
limits: { case_seconds: 5, memory_mb: 256 }
suites:
  public:
    cases: [cases/*.yaml]
  hidden:
    file: ${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml
rubric:
  correctness: { points: 100, per: case }
  overhead: { points: 0, full_at: 1.0, zero_at: baseline }
`,
  scaffold: (id, title) => ({
    [`${GRADER_PATHS.exercises}/${id}/README.md`]: `# ${title}\n\nWrite the lab's functions in \`overlay.ts\`. Run the public tests with \`npm test\`.\n`,
    [`${GRADER_PATHS.exercises}/${id}/cases/weights.yaml`]: CASE,
    [`${GRADER_PATHS.exercises}/${id}/tests/public.lab.ts`]: PUBLIC_TESTS,
    [`${GRADER_PATHS.exercises}/${id}/overlay.ts`]: makeStarter(SOLUTION, "overlay.ts"),
    [`${GRADER_PATHS.solutions}/${id}/overlay.ts`]: SOLUTION,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml`]: `# Hidden suite of ${id}: never shipped.\ncases: [hidden/*.yaml]\n`,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden/weights-hidden.yaml`]: CASE.replace("weight: 200", "weight: 300"),
  }),
  checkConfig: checkContainersConfig,
  // The container model is loaded only to build cases (a grade whose cases are cached never does).
  buildCases: async (suite, lab) => (await import("./containers-cases.js")).buildContainersCases(suite, lab),
  baseline: containersBaseline,
  predictSeconds: containersPredictSeconds,
};
