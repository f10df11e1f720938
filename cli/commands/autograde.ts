// `vmlab autograde gradescope|prairielearn`: what a platform package's run script calls inside the platform's container — grade its layout and write its results.json.
import { packageRoot, realDeps, runGradescope, runPrairieLearn } from "../../grader/src/index.js";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, ctx: CliContext): void {
  const auto = program.command("autograde").description("inside a platform's container (a package from vmlab lab export): grade the submission its layout holds");
  auto
    .command("gradescope")
    .description("grade ROOT/submission into ROOT/results/results.json (Gradescope's format), reading ROOT/submission_metadata.json")
    .option("--root <dir>", "Gradescope's root (default $VMLAB_AUTOGRADER_ROOT, else /autograder)")
    .action(async (opts: { root?: string }) => {
      const root = resolve(ctx.cwd, opts.root ?? ctx.env.VMLAB_AUTOGRADER_ROOT ?? "/autograder");
      const r = await runGradescope(root, packageRoot(), realDeps());
      ctx.stdout(r ? `graded ${r.submission.name}: ${r.score} / ${r.max_score}\n` : "not graded: over the submission limit (results.json says why)\n");
    });
  auto
    .command("prairielearn")
    .description("grade ROOT/student into ROOT/results/results.json (PrairieLearn's format), reading ROOT/data/data.json")
    .option("--root <dir>", "PrairieLearn's root (default $VMLAB_GRADE_ROOT, else /grade)")
    .action(async (opts: { root?: string }) => {
      const root = resolve(ctx.cwd, opts.root ?? ctx.env.VMLAB_GRADE_ROOT ?? "/grade");
      const r = await runPrairieLearn(root, packageRoot(), realDeps());
      ctx.stdout(`graded ${r.submission.name}: ${r.score} / ${r.max_score}\n`);
    });
}
