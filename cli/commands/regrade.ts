// `vmlab regrade OLD --lab LAB --out NEW`: grade a finished batch again and print, per student, old score → new score with every drop flagged.
import {
  REPORTER_NAMES, courseBatchOptions, createRealSandbox, realCompileWorker, loadLab, matchRoster, parseDate, parseFormats, parseSuite, prepareLab, readCourse, readResult, realDeps, regrade,
  regradeText, rosterReport, type CourseFlags,
} from "../../grader/src/index.js";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { CliError, EXIT, parseCount, type CliContext } from "../context.js";
import { courseOptions } from "./grade-batch.js";

export function register(program: Command, ctx: CliContext): void {
  courseOptions(
    program
      .command("regrade")
      .description("grade a finished grade-batch output again (same student ids, variants, submission times, extensions and grace days) and print each student's old → new score, flagging drops")
      .argument("<old>", "the --out folder of an earlier grade-batch or grade-merge")
      .requiredOption("--lab <lab>", "lab id or path (as it is now: a rubric change, a fixed case)")
      .requiredOption("--out <dir>", "folder for the new results (a grade-batch output, plus regrade.csv and regrade.md)")
      .option("--force-full <case>", "give this case (suite/name) or generated set (suite/set) full marks for everyone; repeat for more", (v: string, all: string[]) => [...all, v], [] as string[])
      .option("--submissions <dir>", "the folder of submissions (default: the one the old run graded)")
      .option("--suite <suite>", "public, hidden or all (default: the old run's)")
      .option("--jobs <n>", "submissions graded at once", "2")
      .option("--feedback <list>", `also write each student's feedback to NEW/feedback/<name>/ (${REPORTER_NAMES.join(", ")})`)
      .option("--as-of <iso>", "render that feedback as of this date (default: now)"),
  ).action(async (oldDir: string, opts: CourseFlags & { lab: string; out: string; forceFull: string[]; submissions?: string; suite?: string; jobs: string; feedback?: string; asOf?: string }) => {
    const jobs = parseCount(opts.jobs, "--jobs");
    if (jobs < 1) throw new CliError("CLI_BAD_NUMBER", `--jobs must be at least 1, got ${opts.jobs}`, EXIT.USAGE, "e.g. --jobs 2");
    const old = resolve(ctx.cwd, oldDir);
    if (!existsSync(join(old, "results"))) throw new CliError("GRADE_BAD_RESULT", `${oldDir} is not the --out folder of a grade-batch run (it has no results/)`, EXIT.USAGE, "pass the folder grade-batch or grade-merge wrote");
    const previous = readdirSync(join(old, "results")).filter((f) => f.endsWith(".json")).map((f) => readResult(join(old, "results", f))).find((r) => r !== undefined);
    const suite = parseSuite(opts.suite ?? previous?.suite ?? "all");
    const course = readCourse(opts, ctx.cwd);
    const lab = loadLab(opts.lab, { cwd: ctx.cwd });
    const deps = realDeps({ sandbox: createRealSandbox(realCompileWorker({ workers: Math.min(jobs, 2) })) });
    const prepared = await prepareLab(lab, suite, deps);
    const feedback = opts.feedback ? { formats: parseFormats(opts.feedback), moment: { asOf: opts.asOf ? parseDate(opts.asOf, "--as-of") : new Date(ctx.now()).toISOString() } } : undefined;
    const names = readdirSync(join(old, "results")).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, ""));
    const { student, deadline } = courseBatchOptions(course, lab, names);
    const report = await regrade(old, resolve(ctx.cwd, opts.out), prepared, deps, {
      jobs, forceFull: opts.forceFull, gradebook: course.gradebook, ...(student ? { student } : {}), ...(deadline ? { deadline } : {}),
      ...(opts.submissions ? { submissions: resolve(ctx.cwd, opts.submissions) } : {}), ...(feedback ? { feedback } : {}),
    });
    ctx.stdout(regradeText(report));
    if (course.roster) ctx.stdout(rosterReport(matchRoster(course.roster, report.results.map((r) => r.submission.name)), opts.roster!));
    ctx.stdout(`wrote ${resolve(ctx.cwd, opts.out)}/{results/,grades.csv,regrade.csv,regrade.md}\n`);
  });
}
