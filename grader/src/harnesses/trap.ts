// The trap harness on the grader's side: lab 01's handler API for type-checking, and what `lab new --harness trap` writes.
import { makeStarter } from "../lab/regions.js";
import { GRADER_PATHS } from "../paths.js";
import type { Harness } from "./harness.js";
import { trapTypeApi } from "./type-apis.js";
import { buildTrapCases, checkTrapConfig, TRAP_WORDS, trapBaseline, trapPredictSeconds } from "./trap-cases.js";

const SOLUTION = `// Reference handlers for this lab. Code between the markers is what students write.
import type { TrapHandlers, VirtualCpu } from "vmlab";

export const handlers: TrapHandlers = {
  // CLI from the deprivileged guest kernel: clear the virtual interrupt flag.
  cli(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.flags.IF = false;
    // END SOLUTION
    vcpu.skip();
  },

  // STI: set the virtual interrupt flag.
  sti(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.flags.IF = true;
    // END SOLUTION
    vcpu.skip();
  },

  // HLT: this lab's guests stop with interrupts off, so nothing can wake them: the virtual machine stops.
  hlt(vcpu: VirtualCpu) {
    // BEGIN SOLUTION
    vcpu.halt();
    // END SOLUTION
  },
};
`;

const GUEST = `; a CPL 0 kernel that brackets its work with CLI and STI, then stops with HLT while interrupts are off
_start:
        cli
        mov r1, 6
        mul r1, r1, 7
        sti
        add r2, r1, 1
        cli
        hlt
`;

const PUBLIC_TESTS = `// Public tests: every guest in guests/ must run under your handlers exactly as on the bare machine.
// Run them with \`npm test\` in the handout. The grader runs the same guests (and hidden ones) in a sandbox.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assemble, checkEquivalence } from "vmlab";
import { handlers } from "../handlers.js";

const dir = fileURLToPath(new URL("../guests/", import.meta.url));

describe("public suite", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".s"))) {
    it(\`\${file} runs under your handlers exactly as on the bare machine\`, () => {
      const guest = assemble(readFileSync(join(dir, file), "utf8"), { file });
      const report = checkEquivalence(guest, handlers, { profile: "strict", maxSteps: 2_000_000 });
      // The first divergence, in words, when there is one.
      expect(report.divergence?.message ?? report.differences.join("; ")).toBe("");
      expect(report.equivalent).toBe(true);
    });
  }
});
`;


export const trapHarness: Harness = {
  name: "trap",
  describe: "trap-and-emulate: students write the monitor's handlers (TrapHandlers), cases compare each guest with its native run",
  exportName: "handlers",
  words: TRAP_WORDS,
  runaway: "A handler probably runs forever: a loop whose condition never changes, or a handler that never calls vcpu.skip() or vcpu.jump() so the same instruction traps again and again.",
  studentCommands: ["npx vmlab check GUEST --handlers handlers.ts"],
  ...trapTypeApi,
  scaffoldYaml: (id) => `profile: strict
student_files: [handlers.ts]
limits: { case_seconds: 5, memory_mb: 256 }
suites:
  public:
    guests: [guests/*.s]
  hidden:
    file: ${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml
rubric:
  correctness: { points: 80, per: case }
  overhead: { points: 20, full_at: 1.1, zero_at: 3.0 }
`,
  scaffold: (id, title) => ({
    [`${GRADER_PATHS.exercises}/${id}/README.md`]: `# ${title}\n\nWrite the handlers in \`handlers.ts\`. Run the public tests with \`npm test\`.\n`,
    [`${GRADER_PATHS.exercises}/${id}/guests/cli-sti.s`]: GUEST,
    [`${GRADER_PATHS.exercises}/${id}/tests/public.lab.ts`]: PUBLIC_TESTS,
    [`${GRADER_PATHS.exercises}/${id}/handlers.ts`]: makeStarter(SOLUTION, "handlers.ts"),
    [`${GRADER_PATHS.solutions}/${id}/handlers.ts`]: SOLUTION,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml`]: `# Hidden suite of ${id}: never shipped.
guests: [hidden/*.s]
# Seeded random guests test handlers on programs nobody wrote by hand. They set up an IDT, a kernel stack,
# print and often take a timer, so the solution then needs out, lidt, movToCr, iret and reflect as well:
# generated:
#   - { name: random, seed: ${1000 + Number(id.slice(0, 2))}, count: 8, mix: [cli, sti, out] }
`,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden/cli-sti-hidden.s`]: GUEST.replace("mov r1, 6", "mov r1, 9"),
  }),
  checkConfig: checkTrapConfig,
  buildCases: buildTrapCases,
  baseline: trapBaseline,
  predictSeconds: trapPredictSeconds,
};
