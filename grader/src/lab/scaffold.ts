// `vmlab lab new`: a new lab folder with lab.yaml, README, a solution with regions, its starter, a public guest and a hidden suite file.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { GraderError } from "../errors.js";
import { GRADER_PATHS } from "../paths.js";
import type { Harness } from "./load.js";
import { makeStarter } from "./regions.js";

export const LAB_ID = /^[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*$/;

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
};
`;

const GUEST = `; a CPL 0 kernel that brackets console output with CLI and STI, then powers off
_start:
        cli
        mov r1, 72
        out 0x10, r1
        mov r1, 10
        out 0x10, r1
        sti
        mov r1, 0
        out 0xf0, r1
`;

/** Create exercises/<id>/, solutions/<id>/ and grader/labs/<id>/; refuses to overwrite anything. */
export function scaffoldLab(root: string, id: string, harness: Harness, title?: string): string[] {
  if (!LAB_ID.test(id)) throw new GraderError("LAB_INVALID", `lab id '${id}' is not two digits, a dash and lowercase words`, { hint: "e.g. vmlab lab new 02-binary-translation --harness trap" });
  if (harness !== "trap") throw new GraderError("LAB_INVALID", `harness '${harness}' has no scaffold yet (only trap runs cases today)`, { hint: "use --harness trap" });
  const dirs = [join(root, GRADER_PATHS.exercises, id), join(root, GRADER_PATHS.solutions, id), join(root, GRADER_PATHS.hiddenLabs, id)];
  const existing = dirs.filter((d) => existsSync(d));
  if (existing.length) throw new GraderError("LAB_EXISTS", `lab ${id} already exists: ${existing.join(", ")}`, { hint: "pick another id, or edit the existing lab" });
  const name = title ?? id.slice(3).split("-").map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(" ");
  const files: Record<string, string> = {
    [`${GRADER_PATHS.exercises}/${id}/lab.yaml`]: `# yaml-language-server: $schema=../../grader/schema/lab.schema.json
id: ${id}
title: ${name}
harness: ${harness}
profile: strict
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
    [`${GRADER_PATHS.exercises}/${id}/README.md`]: `# ${name}\n\nWrite the handlers in \`handlers.ts\`. Run the public tests with \`npm test\`.\n`,
    [`${GRADER_PATHS.exercises}/${id}/guests/cli-sti.s`]: GUEST,
    [`${GRADER_PATHS.exercises}/${id}/handlers.ts`]: makeStarter(SOLUTION, "handlers.ts"),
    [`${GRADER_PATHS.solutions}/${id}/handlers.ts`]: SOLUTION,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml`]: `# Hidden suite of ${id}: never shipped.\nguests: [hidden/*.s]\ngenerated:\n  - { seed: ${1000 + Number(id.slice(0, 2))}, count: 8, mix: [cli, sti, out] }\n`,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden/cli-sti-hidden.s`]: GUEST.replace("mov r1, 72", "mov r1, 74"),
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return Object.keys(files);
}
