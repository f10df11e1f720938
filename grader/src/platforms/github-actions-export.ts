// `vmlab lab export github-actions LAB --out DIR`: a workflow that grades a submissions repository on N runners (grade-batch --shard K/N) and merges the shards (grade-merge) into one gradebook, with the step summary.
//
// DIR is laid out as the root of the course's private grading repository: .github/workflows/ holds the
// workflow and vmlab/ the grading package (hidden suite included — keep the repository private). The
// submissions go in submissions/ (one folder or notebook per student, as grade-batch reads them). Each
// shard's --out folder is an artifact; the merge job downloads them all and writes the gradebook artifact.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { SuiteSelection } from "../cases.js";
import { GraderError } from "../errors.js";
import type { Lab } from "../lab/load.js";
import { buildFresh, treeFiles } from "./files.js";
import { writeGradingPackage, type WarmCache } from "./package.js";

export interface GitHubActionsExportOptions {
  readonly suite: SuiteSelection;
  /** Runners grading in parallel (the matrix). */
  readonly shards: number;
  /** Submissions graded at once on each runner (GitHub's hosted runners have 4 cores; the grader uses one per job). */
  readonly jobs: number;
  readonly warm?: WarmCache;
}

/** Where the workflow is written, relative to DIR. */
export const workflowPath = (lab: Pick<Lab, "id">): string => `.github/workflows/vmlab-grade-${lab.id}.yml`;

export const MAX_SHARDS = 256;

/** The workflow as data (the file is this, as YAML). */
export function gradingWorkflow(lab: Pick<Lab, "id" | "title">, options: Pick<GitHubActionsExportOptions, "suite" | "shards" | "jobs">): Record<string, unknown> {
  const { shards, suite, jobs } = options;
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new GraderError("GRADE_BAD_OPTION", `--shards must be a whole number from 1 to ${MAX_SHARDS}, got ${shards}`, { hint: "e.g. --shards 4 (about one runner per 50 submissions)" });
  }
  const vmlab = "node vmlab/bin/vmlab.js";
  const setup = [
    { uses: "actions/checkout@v4" },
    { uses: "actions/setup-node@v4", with: { "node-version": "20" } },
    { name: "Install vmlab", run: "bash vmlab/install.sh" },
  ];
  return {
    name: `Grade ${lab.id}`,
    on: { workflow_dispatch: {} },
    permissions: { contents: "read" },
    jobs: {
      grade: {
        name: `Grade shard \${{ matrix.shard }} of ${shards}`,
        "runs-on": "ubuntu-latest",
        strategy: { "fail-fast": false, matrix: { shard: Array.from({ length: shards }, (_, i) => i + 1) } },
        steps: [
          ...setup,
          { name: "Grade", run: `${vmlab} grade-batch submissions --lab ${lab.id} --suite ${suite} --jobs ${jobs} --shard \${{ matrix.shard }}/${shards} --out out/shard-\${{ matrix.shard }}` },
          { uses: "actions/upload-artifact@v4", with: { name: "shard-${{ matrix.shard }}", path: "out/shard-${{ matrix.shard }}", "if-no-files-found": "error" } },
        ],
      },
      merge: {
        name: "Merge the gradebook",
        needs: "grade",
        "runs-on": "ubuntu-latest",
        steps: [
          ...setup,
          { uses: "actions/download-artifact@v4", with: { pattern: "shard-*", path: "out" } },
          { name: "Merge", run: `${vmlab} grade-merge --out gradebook out/shard-*` },
          { name: "Summary", run: 'cat gradebook/summary.md >> "$GITHUB_STEP_SUMMARY"' },
          { uses: "actions/upload-artifact@v4", with: { name: "gradebook", path: "gradebook" } },
        ],
      },
    },
  };
}

/** Write DIR/{.github/workflows/vmlab-grade-LAB.yml, vmlab/, submissions/README.md}; returns the files written. */
export async function exportGitHubActions(lab: Lab, out: string, options: GitHubActionsExportOptions): Promise<string[]> {
  const workflow = gradingWorkflow(lab, options);
  return buildFresh(out, async (dir) => {
    await writeGradingPackage(lab, join(dir, "vmlab"), { platform: "github-actions", suite: options.suite }, options.warm);
    const file = join(dir, workflowPath(lab));
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    writeFileSync(file, `# Grades ${lab.id} (${lab.title}) on ${options.shards} runner${options.shards === 1 ? "" : "s"}; made by vmlab lab export github-actions.\n${stringify(workflow, { lineWidth: 0 })}`);
    mkdirSync(join(dir, "submissions"));
    writeFileSync(join(dir, "submissions", "README.md"), "One folder (or .ipynb notebook) per student, named by the student; the workflow grades every one.\n");
    return treeFiles(dir);
  });
}
