// `vmlab grade-batch DIR --lab <id> --out DIR`: grade every submission in a folder with a worker pool; results land as soon as known.
import { resolve } from "node:path";
import type { Command } from "commander";
import { gradeBatch, parseShard } from "../../../grader/src/batch.js";
import { parseSuite } from "../../../grader/src/cli-support.js";
import { realDeps } from "../../../grader/src/deps.js";
import { prepareLab } from "../../../grader/src/grade.js";
import { loadLab } from "../../../grader/src/lab/load.js";
import { progressBar } from "../../../grader/src/progress.js";
import { parseCount, type CliContext } from "../context.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("grade-batch")
    .description("grade every submission (sub-folder or .ipynb) in a folder; writes results/<name>.json, grades.csv and a summary")
    .argument("<dir>", "folder of submissions")
    .requiredOption("--lab <lab>", "lab id or path")
    .requiredOption("--out <dir>", "output folder")
    .option("--suite <suite>", "public, hidden or all", "all")
    .option("--jobs <n>", "submissions graded at once", "2")
    .option("--shard <k/n>", "grade only the k-th of n parts (sorted by name)")
    .option("--resume", "grade only submissions without a result in --out", false)
    .action(async (dir: string, opts: { lab: string; out: string; suite: string; jobs: string; shard?: string; resume: boolean }) => {
      const jobs = Math.max(1, parseCount(opts.jobs, "--jobs"));
      const shard = opts.shard ? parseShard(opts.shard) : undefined;
      const suite = parseSuite(opts.suite);
      const lab = loadLab(opts.lab, { cwd: ctx.cwd });
      const deps = realDeps();
      const prepared = await prepareLab(lab, suite, deps);
      const bar = ctx.env.CI ? undefined : progressBar(process.stderr, "grading {bar} {value}/{total} {name}");
      let started = false;
      const t0 = performance.now();
      const report = await gradeBatch(resolve(ctx.cwd, dir), resolve(ctx.cwd, opts.out), prepared, deps, {
        jobs, resume: opts.resume, ...(shard ? { shard } : {}),
        onResult: (name, r, done, total) => {
          if (bar) {
            if (!started) bar.start(total, 0, { name: "" });
            started = true;
            bar.update(done, { name });
          } else ctx.stdout(`[${done}/${total}] ${name}: ${r.score} / ${r.max_score}\n`);
        },
      });
      bar?.stop();
      const secs = (performance.now() - t0) / 1000;
      ctx.stdout(
        `graded ${report.graded} submission${report.graded === 1 ? "" : "s"}${report.skipped ? `, kept ${report.skipped} earlier result${report.skipped === 1 ? "" : "s"}` : ""} in ${secs.toFixed(1)} s` +
          (report.graded ? ` (${((report.graded / secs) * 60).toFixed(0)}/min)` : "") +
          `\nwrote ${resolve(ctx.cwd, opts.out)}/{results/,grades.csv,summary.md,summary.json}\n`,
      );
    });
}
