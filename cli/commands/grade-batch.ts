// `vmlab grade-batch DIR --lab <id> --out DIR`: grade every submission in a folder with a worker pool; results land as soon as known.
import {
  GRADEBOOK_FORMATS, REPORTER_NAMES, courseBatchOptions, createRealSandbox, realCompileWorker, gradeBatch, listSubmissions, loadLab, parseDate, parseFormats, parseShard, parseSuite, prepareLab,
  progressBar, readCourse, realDeps, recordCourseGrace, rosterReport, studentIds, warmUpRequests, type CourseFlags,
} from "../../grader/src/index.js";
import { resolve } from "node:path";
import type { Command } from "commander";
import { CliError, EXIT, parseCount, type CliContext } from "../context.js";
import { gradingEngineOption } from "../engine-option.js";

/** The course options grade-batch, grade-merge and regrade share: roster, LMS gradebooks, deadlines. */
export function courseOptions(command: Command, deadlines = true): Command {
  command
    .option("--roster <csv>", "course roster (id,name,email,section,submission): match submissions to students, list the unmatched both ways")
    .option("--format <list>", `also write LMS gradebooks beside grades.csv: ${GRADEBOOK_FORMATS.join(", ")} (needs --roster)`)
    .option("--assignment <name>", "the assignment's column in the LMS gradebook (default: the lab's title; Canvas matches \"Name (id)\")");
  if (deadlines) {
    command
      .option("--timestamps <csv>", "submission,submitted_at per line: hand-in times (else Gradescope metadata, a declared time or the last commit)")
      .option("--extensions <csv>", "per-student extensions: student,lab,due or student,lab,days (lab * for every lab)")
      .option("--grace-days <n>", "grace days each student has across the course (needs --grace-ledger)")
      .option("--grace-ledger <json>", "the course's record of grace days used, read and (unsharded) updated");
  }
  return command;
}

export function register(program: Command, ctx: CliContext): void {
  courseOptions(
    program
      .command("grade-batch")
      .description("grade every submission (sub-folder or .ipynb) in a folder; writes results/<name>.json, grades.csv and a summary")
      .argument("<dir>", "folder of submissions")
      .requiredOption("--lab <lab>", "lab id or path")
      .requiredOption("--out <dir>", "output folder")
      .option("--suite <suite>", "public, hidden or all", "all")
      .option("--jobs <n>", "submissions graded at once", "2")
      .option("--shard <k/n>", "grade only the k-th of n parts (sorted by name)")
      .option("--resume", "grade only submissions without a result in --out (and those the grader failed on)", false)
      .option("--feedback <list>", `also write each student's feedback to OUT/feedback/<name>/ in these formats (${REPORTER_NAMES.join(", ")})`)
      .option("--as-of <iso>", "render that feedback as of this date (default: now)")
      .option("--fresh-child", "grade every submission in a sandbox process of its own (default: kept processes, warmed with the reference solution, each submission in a fresh Compartment)", false)
      .addOption(gradingEngineOption()),
  ).action(async (dir: string, opts: CourseFlags & { lab: string; out: string; suite: string; jobs: string; shard?: string; resume: boolean; feedback?: string; asOf?: string; freshChild: boolean; engine: string }) => {
    const jobs = parseCount(opts.jobs, "--jobs");
    if (jobs < 1) throw new CliError("CLI_BAD_NUMBER", `--jobs must be at least 1, got ${opts.jobs}`, EXIT.USAGE, "e.g. --jobs 2 (one per core)");
    const shard = opts.shard ? parseShard(opts.shard) : undefined;
    const suite = parseSuite(opts.suite);
    const feedback = opts.feedback
      ? { formats: parseFormats(opts.feedback), moment: { asOf: opts.asOf ? parseDate(opts.asOf, "--as-of") : new Date(ctx.now()).toISOString() } }
      : undefined;
    const course = readCourse(opts, ctx.cwd);
    for (const w of course.warnings) ctx.stderr(w + "\n");
    const lab = loadLab(opts.lab, { cwd: ctx.cwd });
    const submissions = listSubmissions(resolve(ctx.cwd, dir));
    if (!submissions.length) {
      throw new CliError("GRADE_NO_SUBMISSION", `${dir} holds no submissions`, EXIT.USAGE, "a batch folder holds one sub-folder or .ipynb notebook per student");
    }
    // One type-checking worker per job (two at most): a slow check holds up only its own job.
    const sandbox = createRealSandbox(realCompileWorker({ workers: Math.min(jobs, 2) }), opts.freshChild ? {} : { pool: {} });
    try {
      await gradeAll(sandbox);
    } finally {
      await sandbox.close?.();
    }
    async function gradeAll(sandbox: ReturnType<typeof createRealSandbox>): Promise<void> {
      const deps = realDeps({ sandbox, engine: opts.engine });
      const prepared = await prepareLab(lab, suite, deps);
      if (!opts.freshChild) {
        // Kept children, started and warmed (the reference solution on the public cases) while the first submissions compile.
        const warm = await warmUpRequests(prepared, deps);
        if (warm) sandbox.prestart?.(Math.min(jobs, submissions.length), warm.warm, warm.like);
      }
      const bar = ctx.env.CI ? undefined : progressBar(process.stderr, "grading {bar} {value}/{total} {name}");
      let started = false;
      const t0 = performance.now();
      const names = submissions.map((s) => s.name);
      const report = await gradeBatch(resolve(ctx.cwd, dir), resolve(ctx.cwd, opts.out), prepared, deps, {
        jobs, resume: opts.resume, ...(shard ? { shard } : {}), ...(feedback ? { feedback } : {}), ...courseBatchOptions(course, lab, names),
        onResult: (name, r, done, total) => {
          if (bar) {
            if (!started) bar.start(total, 0, { name: "" });
            started = true;
            bar.update(done, { name });
          } else ctx.stdout(`[${done}/${total}] ${name}: ${r.score} / ${r.max_score}\n`);
        },
      });
      bar?.stop();
      const failedOn = report.results.filter((r) => r.status === "grader-error").map((r) => r.submission.name);
      if (failedOn.length) ctx.stderr(`the grader failed on ${failedOn.length} submission${failedOn.length === 1 ? "" : "s"} (${failedOn.join(", ")}); run again with --resume to grade ${failedOn.length === 1 ? "it" : "them"} again\n`);
      const secs = (performance.now() - t0) / 1000;
      if (report.roster && course.roster) ctx.stdout(rosterReport(report.roster, opts.roster!));
      // Shards see part of the course each: the ledger is updated from the merged gradebook (grade-merge --grace-ledger).
      const ledger = !shard && recordCourseGrace(course, lab, report.results, studentIds(course, names));
      const extra = [...(course.gradebook.formats ?? []).map((f) => `${f}.csv`), ...(report.roster ? ["roster.json"] : [])];
      ctx.stdout(
        `graded ${report.graded} submission${report.graded === 1 ? "" : "s"}${report.skipped ? `, kept ${report.skipped} earlier result${report.skipped === 1 ? "" : "s"}` : ""} in ${secs.toFixed(1)} s` +
          (report.graded ? ` (${((report.graded / secs) * 60).toFixed(0)}/min)` : "") +
          `\nwrote ${resolve(ctx.cwd, opts.out)}/{results/,grades.csv,summary.md,summary.json${extra.map((e) => `,${e}`).join("")}}\n` +
          (ledger ? `recorded the grace days used in ${course.graceLedger}\n` : ""),
      );
    }
  });
}
