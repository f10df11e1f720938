// `vmlab demo` (npm start): grade every lab's reference solution and starter, print the score table, write the reports to out/demo/.
import { REPORTERS, REPORTER_NAMES, gradeSubmission, listLabs, loadLab, packageRoot, prepareLab, realDeps, scoreTable, writeReports, type GradeResult } from "../../grader/src/index.js";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { EXIT, type CliContext } from "../context.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("demo")
    .description("grade the bundled reference solution and starter of every lab; print the scores and write reports to out/demo/")
    .option("--out <dir>", "where the reports go", "out/demo")
    .action(async (opts: { out: string }) => {
      const root = packageRoot();
      const outDir = resolve(ctx.cwd, opts.out);
      const deps = realDeps();
      const rows: { label: string; result: GradeResult }[] = [];
      let wrong = 0;
      for (const id of listLabs(root)) {
        const lab = loadLab(id, { root });
        ctx.stdout(`${lab.title} (${id}): ${lab.suites.map((s) => s.name).join(" + ")} suites\n`);
        const prepared = await prepareLab(lab, "all", deps);
        for (const [who, path] of [["reference", lab.solutionDir], ["starter", lab.dir]] as const) {
          const result = await gradeSubmission(path, prepared, deps, { name: `${id}/${who}` });
          rows.push({ label: `${id} ${who}`, result });
          writeReports(result, join(outDir, id, who), REPORTER_NAMES, "instructor");
          if ((who === "reference" && result.score !== result.max_score) || (who === "starter" && result.breakdown.correctness.score !== 0)) wrong++;
        }
      }
      ctx.stdout("\n" + scoreTable(rows) + `\nreports (for instructors): ${outDir}/<lab>/<reference|starter>/ — ${REPORTER_NAMES.map((n) => REPORTERS[n]!.file).join(", ")}\n`);
      if (wrong) {
        ctx.stdout(`${wrong} result${wrong === 1 ? " is" : "s are"} not as expected (reference at full marks, starter at zero correctness)\n`);
        ctx.setExitCode(EXIT.FAILED);
      }
    });
}
