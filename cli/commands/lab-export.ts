// `vmlab lab export gradescope|prairielearn|github-actions|github-classroom LAB`: the lab packaged for the platform a course grades on (grader/src/platforms/).
import {
  CLASSROOM_WORKFLOW, exportGitHubActions, exportGitHubClassroom, exportGradescope, exportPrairieLearn, loadLab, parseSuite, prepareLab, realDeps, workflowPath, type Lab,
} from "../../grader/src/index.js";
import { resolve } from "node:path";
import type { Command } from "commander";
import { didYouMean } from "../../src/core/suggest.js";
import { CliError, EXIT, parseCount, type CliContext } from "../context.js";

export const PLATFORMS = ["gradescope", "prairielearn", "github-actions", "github-classroom"] as const;
type Platform = (typeof PLATFORMS)[number];

interface ExportFlags {
  out?: string;
  suite: string;
  maxPerDay?: string;
  image?: string;
  timeout: string;
  shards: string;
  jobs: string;
  maxScore: string;
  testTimeout: string;
}

/** Where each platform's export goes when --out is not given. */
const DEFAULT_OUT: Record<Platform, (lab: Lab) => string> = {
  gradescope: (l) => `out/export/${l.id}/autograder.zip`,
  prairielearn: (l) => `out/export/${l.id}/prairielearn`,
  "github-actions": (l) => `out/export/${l.id}/github-actions`,
  "github-classroom": (l) => `out/export/${l.id}/github-classroom`,
};

export function registerExport(lab: Command, ctx: CliContext): void {
  lab
    .command("export")
    .description("package a lab for a course platform: gradescope (autograder.zip), prairielearn (external grader image), github-actions (sharded grading workflow), github-classroom (student template repository with the autograding workflow)")
    .argument("<platform>", PLATFORMS.join(", "))
    .argument("<lab>", "lab id or path")
    .option("--out <path>", "the zip (gradescope) or folder to write; must not exist (default out/export/<lab>/...)")
    .option("--suite <suite>", "public, hidden or all", "all")
    .option("--max-per-day <n>", "gradescope: graded submissions per student in 24 hours, by submission_metadata.json's times")
    .option("--image <name>", "prairielearn: the image name info.json names (default vmlab-grader-<lab>)")
    .option("--timeout <s>", "prairielearn: seconds PrairieLearn gives the grader", "600")
    .option("--shards <n>", "github-actions: runners grading in parallel", "4")
    .option("--jobs <n>", "github-actions: submissions graded at once on each runner", "2")
    .option("--max-score <n>", "github-classroom: points for passing the public tests", "10")
    .option("--test-timeout <min>", "github-classroom: minutes npm test may take", "10")
    .action(async (platform: string, ref: string, opts: ExportFlags) => {
      if (!(PLATFORMS as readonly string[]).includes(platform)) {
        const near = didYouMean(platform, PLATFORMS);
        throw new CliError("CLI_UNKNOWN_PLATFORM", `unknown platform '${platform}'`, EXIT.USAGE, `${near ? `${near} ` : ""}platforms are ${PLATFORMS.join(", ")}`);
      }
      const which = platform as Platform;
      const suite = parseSuite(opts.suite);
      const l = loadLab(ref, { cwd: ctx.cwd });
      const out = resolve(ctx.cwd, opts.out ?? DEFAULT_OUT[which](l));
      // The packaged lab's trusted numbers are computed once here and travel in its cache.
      const warm = (packaged: Lab) => prepareLab(packaged, suite, realDeps());
      let files: string[];
      let next: string;
      if (which === "gradescope") {
        files = await exportGradescope(l, out, { suite, warm, ...(opts.maxPerDay !== undefined ? { maxPerDay: positive(opts.maxPerDay, "--max-per-day") } : {}) });
        next = "upload it as the assignment's autograder (Configure Autograder → Zip file upload)";
      } else if (which === "prairielearn") {
        const image = opts.image ?? `vmlab-grader-${l.id}`;
        files = await exportPrairieLearn(l, out, { suite, warm, image, timeout: positive(opts.timeout, "--timeout") });
        next = `docker build -t ${image} ${out}, push it, and merge info.json.part into the question's info.json and server.py.part into its server.py`;
      } else if (which === "github-classroom") {
        files = await exportGitHubClassroom(l, out, realDeps(), { maxScore: positive(opts.maxScore, "--max-score"), timeoutMinutes: positive(opts.testTimeout, "--test-timeout") });
        next = `push it as a template repository (students' public tests run by ${CLASSROOM_WORKFLOW}) and make it the assignment's starter in GitHub Classroom`;
      } else {
        files = await exportGitHubActions(l, out, { suite, warm, shards: positive(opts.shards, "--shards"), jobs: positive(opts.jobs, "--jobs") });
        next = `copy it to the root of a private grading repository, put the submissions in submissions/, and run ${workflowPath(l)} (Actions → Run workflow)`;
      }
      ctx.stdout(`wrote ${out} (${files.length} files)\nnext: ${next}\n`);
    });
}

function positive(value: string, option: string): number {
  const n = parseCount(value, option);
  if (n < 1) throw new CliError("CLI_BAD_NUMBER", `${option} must be at least 1, got ${value}`, EXIT.USAGE, `e.g. ${option} 4`);
  return n;
}
