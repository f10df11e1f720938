// `vmlab similarity SUBMISSIONS --lab LAB`: pairs of submissions whose code is unusually similar (winnowed token fingerprints, the starter left out), with the shared lines, for the instructor.
import { listSubmissions, loadLab } from "../../grader/src/index.js";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { CliError, EXIT, type CliContext } from "../context.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("similarity")
    .description("for instructors: pairs of submissions sharing unusually much code (token fingerprints winnowed as MOSS does, the starter's code left out), as similarity.json and a page with the shared lines")
    .argument("<submissions>", "a folder with one sub-folder or .ipynb per student, as grade-batch reads it")
    .requiredOption("--lab <lab>", "lab id or path (its student files are compared, its starter left out)")
    .option("--out <dir>", "folder for similarity.json and similarity.html (default out/similarity/<lab>/)")
    .option("--threshold <score>", "flag pairs whose score is at least this (0–1)", "0.5")
    .action(async (dir: string, opts: { lab: string; out?: string; threshold: string }) => {
      const threshold = Number(opts.threshold);
      if (!/^\d*\.?\d+$/.test(opts.threshold) || threshold > 1) throw new CliError("CLI_BAD_NUMBER", `--threshold must be a number from 0 to 1, got ${opts.threshold}`, EXIT.USAGE, "e.g. --threshold 0.5");
      const { stageSubmission } = await import("../../grader/src/passes/stage.js");
      const { similarityHtml, similarityReport, similarityText } = await import("../../grader/src/similarity/report.js");
      const lab = loadLab(opts.lab, { cwd: ctx.cwd });
      const starter = Object.fromEntries(lab.studentFiles.filter((f) => existsSync(join(lab.dir, f))).map((f) => [f, readFileSync(join(lab.dir, f), "utf8")]));
      const staged = listSubmissions(resolve(ctx.cwd, dir)).map((s) => ({ name: s.name, files: stageSubmission(s.path, lab).files }));
      const report = similarityReport(lab.id, staged, starter, threshold);
      const out = resolve(ctx.cwd, opts.out ?? join("out", "similarity", lab.id));
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, "similarity.json"), JSON.stringify(report, null, 1) + "\n");
      writeFileSync(join(out, "similarity.html"), similarityHtml(report, new Map(staged.map((s) => [s.name, s.files]))));
      ctx.stdout(similarityText(report));
      ctx.stdout(`wrote ${out}/{similarity.json,similarity.html} (for instructors: it quotes students' code)\n`);
    });
}
