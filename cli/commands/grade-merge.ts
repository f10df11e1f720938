// `vmlab grade-merge --out DIR SHARD...`: join the outputs of grade-batch --shard runs into one gradebook.
import { mergeShards } from "../../grader/src/index.js";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("grade-merge")
    .description("merge the --out folders of sharded grade-batch runs: every result once, grades.csv and summary")
    .argument("<shards...>", "output folders of grade-batch --shard runs")
    .requiredOption("--out <dir>", "merged output folder")
    .option("--allow-partial", "merge even when some of the N shards are missing (never when one is given twice)", false)
    .action((shards: string[], opts: { out: string; allowPartial: boolean }) => {
      const { merged, missingShards } = mergeShards(shards.map((s) => resolve(ctx.cwd, s)), resolve(ctx.cwd, opts.out), { allowPartial: opts.allowPartial });
      ctx.stdout(`merged ${merged} result${merged === 1 ? "" : "s"} from ${shards.length} shard${shards.length === 1 ? "" : "s"} into ${resolve(ctx.cwd, opts.out)}\n`);
      if (missingShards) ctx.stderr(`warning: ${missingShards} shard${missingShards === 1 ? " is" : "s are"} missing (--allow-partial): the gradebook is incomplete\n`);
    });
}
