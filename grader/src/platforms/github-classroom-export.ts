// `vmlab lab export github-classroom LAB --out DIR`: a GitHub Classroom assignment template — the lab's handout as a student repository, with the autograding workflow that runs its public tests on every push and pull request.
//
// DIR is the template repository: the handout as `vmlab lab release` writes it (starter, public tests,
// vendored vmlab; never a hidden case or a solution line — release refuses one) and
// .github/workflows/classroom.yml in GitHub Classroom's own format: the command grader runs `npm test`
// (the public tests) and the grading reporter reports it, so the result shows as the commit's and the
// pull request's check and in Classroom's gradebook. Hidden suites stay with the instructor (lab export
// github-actions grades them from a private repository).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { GraderDeps } from "../grade.js";
import type { Lab } from "../lab/load.js";
import { releaseLab } from "../lab/release.js";

/** Where GitHub Classroom looks for the autograding workflow, relative to the template's root. */
export const CLASSROOM_WORKFLOW = ".github/workflows/classroom.yml";

/** The id of the workflow's one test step (the reporter reads its result as PUBLIC-TESTS_RESULTS). */
const STEP = "public-tests";

/** The autograding workflow as data: checkout, Node 20, `npm test` through Classroom's command grader, then its reporter. */
export function classroomWorkflow(lab: Pick<Lab, "id" | "title">, options: { readonly maxScore: number; readonly timeoutMinutes: number }): Record<string, unknown> {
  return {
    name: "Autograding Tests",
    on: { push: {}, pull_request: {}, workflow_dispatch: {} },
    permissions: { checks: "write", actions: "read", contents: "read" },
    jobs: {
      "run-autograding-tests": {
        name: `Public tests of ${lab.id}`,
        "runs-on": "ubuntu-latest",
        if: "github.actor != 'github-classroom[bot]'",
        steps: [
          { uses: "actions/checkout@v4" },
          { uses: "actions/setup-node@v4", with: { "node-version": "20" } },
          {
            name: "Public tests",
            id: STEP,
            uses: "classroom-resources/autograding-command-grader@v1",
            with: { "test-name": "public tests", "setup-command": "npm install --no-audit --no-fund", command: "npm test", timeout: options.timeoutMinutes, "max-score": options.maxScore },
          },
          {
            name: "Autograding Reporter",
            uses: "classroom-resources/autograding-grading-reporter@v1",
            env: { [`${STEP.toUpperCase()}_RESULTS`]: `\${{steps.${STEP}.outputs.result}}` },
            with: { runners: STEP },
          },
        ],
      },
    },
  };
}

export interface GitHubClassroomExportOptions {
  /** Points GitHub Classroom shows for passing the public tests. */
  readonly maxScore: number;
  /** Minutes the command grader gives npm test. */
  readonly timeoutMinutes: number;
}

/** Write the template repository into `out` (new or empty); returns its files. */
export async function exportGitHubClassroom(lab: Lab, out: string, deps: GraderDeps, options: GitHubClassroomExportOptions): Promise<string[]> {
  const files = await releaseLab(lab, out, deps);
  mkdirSync(join(out, ".github/workflows"), { recursive: true });
  writeFileSync(join(out, CLASSROOM_WORKFLOW), `# GitHub Classroom autograding for ${lab.id} (${lab.title}): the public tests on every push and pull request; made by vmlab lab export github-classroom.\n${stringify(classroomWorkflow(lab, options), { lineWidth: 0 })}`);
  writeFileSync(join(out, ".gitignore"), "node_modules/\nout/\n");
  return [...files, ".gitignore", CLASSROOM_WORKFLOW].sort();
}
