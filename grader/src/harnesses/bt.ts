// The binary-translation harness on the grader's side: lab 02's translator API for type-checking, and what `lab new --harness bt` writes; its cases are the trap harness's guests.
import { makeStarter } from "../lab/regions.js";
import { GRADER_PATHS } from "../paths.js";
import type { Harness } from "./harness.js";
import { btTypeApi } from "./type-apis.js";
import { buildTrapCases, checkTrapConfig, TRAP_WORDS, trapBaseline, trapPredictSeconds } from "./trap-cases.js";

const SOLUTION = `// Reference translator for this lab. Code between the markers is what students write.
import { INLINE_FORMS, csSelector } from "vmlab";
import type { BinaryTranslator, KernelInstruction, Translation, VirtualCpu } from "vmlab";

export const translator: BinaryTranslator = {
  // IDENT, INLINE or CALLOUT for one kernel instruction.
  policy(insn: KernelInstruction): Translation {
    // BEGIN SOLUTION
    if (INLINE_FORMS.includes(insn.name)) return "INLINE";
    return insn.privilege === "innocuous" ? "IDENT" : "CALLOUT";
    // END SOLUTION
  },

  callouts: {
    // PUSH CS / MOV rd, CS: a selector that shows the virtual ring.
    readCs(vcpu: VirtualCpu) {
      // BEGIN SOLUTION
      if (vcpu.insn.name === "PUSH_CS") vcpu.push(csSelector(vcpu.cpl));
      else vcpu.regs.set(vcpu.insn.a, csSelector(vcpu.cpl));
      // END SOLUTION
      vcpu.skip();
    },
  },
};
`;

const GUEST = `; a CPL 0 kernel that prints its ring from CS's low bits: MOV r, CS does not trap on the x86 profile
_start:
        mov sp, 0x7000
        cli
        mov r1, cs
        and r1, r1, 3
        out 0x11, r1
        mov r1, 0
        out 0xf0, r1
`;

const PUBLIC_TESTS = `// Public tests: every guest in guests/ must run under your translator exactly as on the bare machine.
// Run them with \`npm test\` in the handout. The grader runs the same guests (and hidden ones) in a sandbox.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assemble, checkEquivalence, translatorSession } from "vmlab";
import { translator } from "../translator.js";

const dir = fileURLToPath(new URL("../guests/", import.meta.url));

describe("public suite", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".s"))) {
    it(\`\${file} runs under your translator exactly as on the bare machine\`, () => {
      const guest = assemble(readFileSync(join(dir, file), "utf8"), { file });
      const report = checkEquivalence(guest, translatorSession(translator, "x86"), { profile: "x86", maxSteps: 2_000_000 });
      expect(report.divergence?.message ?? report.differences.join("; ")).toBe("");
      expect(report.equivalent).toBe(true);
    });
  }
});
`;

export const btHarness: Harness = {
  name: "bt",
  describe: "binary translation: students write the translation policy (IDENT/INLINE/CALLOUT) and the callouts (BinaryTranslator), cases compare each guest with its native run",
  exportName: "translator",
  words: TRAP_WORDS,
  runaway: "Your translator probably runs forever: a policy or callout whose loop never ends, or a callout that never calls vcpu.skip() or vcpu.jump() so the same instruction calls out again and again.",
  ...btTypeApi,
  scaffoldYaml: (id) => `profile: x86
student_files: [translator.ts]
export: translator
limits: { case_seconds: 5, memory_mb: 256 }
suites:
  public:
    guests: [guests/*.s]
  hidden:
    file: ${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml
rubric:
  correctness: { points: 80, per: case }
  overhead: { points: 20, full_at: 1.1, zero_at: 1.6 }
`,
  scaffold: (id, title) => ({
    [`${GRADER_PATHS.exercises}/${id}/README.md`]: `# ${title}\n\nWrite the translation policy and the callouts in \`translator.ts\`. Run the public tests with \`npm test\`.\n`,
    [`${GRADER_PATHS.exercises}/${id}/guests/ring.s`]: GUEST,
    [`${GRADER_PATHS.exercises}/${id}/tests/public.lab.ts`]: PUBLIC_TESTS,
    [`${GRADER_PATHS.exercises}/${id}/translator.ts`]: makeStarter(SOLUTION, "translator.ts"),
    [`${GRADER_PATHS.solutions}/${id}/translator.ts`]: SOLUTION,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml`]: `# Hidden suite of ${id}: never shipped.
guests: [hidden/*.s]
# Seeded random guests test a translator on kernels nobody wrote by hand; they need popf, iret and the
# other callouts as well:
# generated:
#   - { name: random, seed: ${1000 + Number(id.slice(0, 2))}, count: 8, mix: [cli, sti, popf, pushf] }
`,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden/ring-hidden.s`]: GUEST.replace("mov r1, cs", "push cs\n        pop r1"),
  }),
  checkConfig: checkTrapConfig,
  buildCases: buildTrapCases,
  baseline: trapBaseline,
  predictSeconds: trapPredictSeconds,
};
