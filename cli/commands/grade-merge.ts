// `vmlab grade-merge --out DIR SHARD...`: join the outputs of grade-batch --shard runs into one gradebook.
import { loadLab, mergeShards, readCourse, readResult, recordCourseGrace, rosterReport, studentIds, type CourseFlags } from "../../grader/src/index.js";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { courseOptions } from "./grade-batch.js";

export function register(program: Command, ctx: CliContext): void {
  courseOptions(
    program
      .command("grade-merge")
      .description("merge the --out folders of sharded grade-batch runs: every result once, grades.csv and summary")
      .argument("<shards...>", "output folders of grade-batch --shard runs")
      .requiredOption("--out <dir>", "merged output folder")
      .option("--allow-partial", "merge even when some of the N shards are missing (never when one is given twice)", false)
      .option("--grace-ledger <json>", "record the grace days the merged results used in the course's ledger (needs --lab)")
      .option("--lab <lab>", "the lab graded (for --grace-ledger)"),
    false,
  ).action((shards: string[], opts: CourseFlags & { out: string; allowPartial: boolean; lab?: string }) => {
    const course = readCourse(opts, ctx.cwd);
    const out = resolve(ctx.cwd, opts.out);
    const { merged, missingShards, roster } = mergeShards(shards.map((s) => resolve(ctx.cwd, s)), out, { allowPartial: opts.allowPartial, gradebook: course.gradebook });
    ctx.stdout(`merged ${merged} result${merged === 1 ? "" : "s"} from ${shards.length} shard${shards.length === 1 ? "" : "s"} into ${out}\n`);
    if (roster && opts.roster) ctx.stdout(rosterReport(roster, opts.roster));
    if (course.graceLedger && opts.lab) {
      const results = readdirSync(join(out, "results")).filter((f) => f.endsWith(".json")).map((f) => readResult(join(out, "results", f))!);
      if (recordCourseGrace(course, loadLab(opts.lab, { cwd: ctx.cwd }), results, studentIds(course, results.map((r) => r.submission.name)))) ctx.stdout(`recorded the grace days used in ${course.graceLedger}\n`);
    }
    if (missingShards) ctx.stderr(`warning: ${missingShards} shard${missingShards === 1 ? " is" : "s are"} missing (--allow-partial): the gradebook is incomplete\n`);
  });
}
