// `vmlab grade SUBMISSION --lab <id|path>`: grade one submission (a folder or a notebook), print what happened per case and write reports.
// From the grader's own modules rather than its entry (grader/src/index.ts), which would load every
// platform export, lab authoring and batch module too: this command is one process per submission.
import { appendStepSummary, parseAudience, parseDate, parseFormats, parseSuite, writeReports } from "../../grader/src/cli-support.js";
import { extensionFor, readExtensions } from "../../grader/src/deadlines/extensions.js";
import type { DeadlineInput } from "../../grader/src/deadlines/late.js";
import { deadlineFor } from "../../grader/src/deadlines/resolve.js";
import { realDeps } from "../../grader/src/deps.js";
import { gradeSubmission, prepareLab } from "../../grader/src/grade.js";
import { loadLab } from "../../grader/src/lab/load.js";
import { REPORTER_NAMES, render, viewFor } from "../../grader/src/reporters/index.js";
import { terminalText } from "../../grader/src/reporters/text.js";
import { prepareVariant } from "../../grader/src/variants/prepare.js";
import type { Command } from "commander";
import { CliError, EXIT, type CliContext } from "../context.js";
import { gradingEngineOption } from "../engine-option.js";
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";

interface GradeOptions {
  lab?: string;
  suite: string;
  format?: string;
  out?: string;
  audience: string;
  submittedAt?: string;
  student?: string;
  extensions?: string;
  minScore?: string;
  asOf?: string;
  published: boolean;
  engine: string;
}

/** Without --lab: the lab.yaml of the submission folder (a handout grades itself), else of the current folder. */
function defaultLab(cwd: string, submission: string): string {
  for (const dir of [resolve(cwd, submission), cwd]) if (existsSync(join(dir, "lab.yaml"))) return dir;
  throw new CliError("GRADE_NO_LAB", "no --lab given, and neither the submission folder nor this folder has a lab.yaml", EXIT.USAGE, "name the lab: --lab 01-trap-and-emulate (or run in the handout's folder)");
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("grade")
    .description("grade one submission (a folder with the lab's files, or a notebook whose cells are tagged vmlab:submission)")
    .argument("<submission>", "folder or .ipynb")
    .option("--lab <lab>", "lab id (01-trap-and-emulate) or path to a lab folder (default: the lab.yaml in the submission folder or here, as in a handout)")
    .option("--suite <suite>", "public, hidden or all", "all")
    .option("--format <list>", `comma-separated reports: ${REPORTER_NAMES.join(", ")}`)
    .option("--out <dir>", "write the reports into this folder")
    .option("--audience <who>", "student (what the lab's hidden_feedback allows) or instructor (everything)", "student")
    .option("--as-of <iso>", "render student feedback as of this date (default: now), e.g. after the due date")
    .option("--published", "grades are published: show the details of after_published cases to students", false)
    .option("--submitted-at <iso>", "hand-in time for the late policy, e.g. 2027-03-02T10:00:00Z (default: the submission's own record — Gradescope metadata, a declared time, the last commit — never the clock)")
    .option("--student <id>", "whose submission it is: the seed of per-student generated guests and the extensions line (default: the folder or notebook name)")
    .option("--extensions <csv>", "per-student extensions (student,lab,due or student,lab,days)")
    .option("--min-score <points>", "exit 1 when the score is below this")
    .addOption(gradingEngineOption())
    .action(async (submission: string, opts: GradeOptions) => {
      const suite = parseSuite(opts.suite);
      const formats = opts.format ? parseFormats(opts.format) : opts.out ? [...REPORTER_NAMES] : [];
      const audience = parseAudience(opts.audience);
      const submittedAt = opts.submittedAt ? parseDate(opts.submittedAt, "--submitted-at") : undefined;
      const moment = { asOf: opts.asOf ? parseDate(opts.asOf, "--as-of") : new Date(ctx.now()).toISOString(), published: opts.published };
      const minScore = opts.minScore === undefined ? undefined : Number(opts.minScore);
      if (minScore !== undefined && !Number.isFinite(minScore)) throw new CliError("CLI_BAD_NUMBER", `--min-score expects a number, got '${opts.minScore}'`);
      if (!opts.out && formats.length > 1) throw new CliError("GRADE_BAD_OPTION", "several formats need --out DIR", EXIT.USAGE, "add --out out/grade, or name one format to print it");
      const lab = loadLab(opts.lab ?? defaultLab(ctx.cwd, submission), { cwd: ctx.cwd });
      const maxScore = lab.rubric.correctness.points + lab.rubric.overhead.points;
      if (minScore !== undefined && (minScore < 0 || minScore > maxScore)) {
        throw new CliError("CLI_BAD_NUMBER", `--min-score ${opts.minScore} is outside the lab's score range 0–${maxScore}`, EXIT.USAGE, `e.g. --min-score ${Math.round(maxScore / 2)}`);
      }
      if (!existsSync(resolve(ctx.cwd, submission))) throw new CliError("GRADE_NO_SUBMISSION", `no submission at ${submission}`, EXIT.USAGE, "pass a folder holding the lab's files or a .ipynb notebook");
      const deps = realDeps({ engine: opts.engine });
      const path = resolve(ctx.cwd, submission);
      const name = basename(path).replace(/\.ipynb$/, "");
      const student = opts.student ?? name;
      const extensions = opts.extensions ? readExtensions(resolve(ctx.cwd, opts.extensions)) : undefined;
      const deadline: DeadlineInput | undefined = submittedAt
        ? { submittedAt, source: "option", ...optional("extension", extensionFor(extensions, student, lab)) }
        : deadlineFor(extensions ? { extensions } : {}, lab, { name, path }, student);
      const prepared = await prepareVariant(await prepareLab(lab, suite, deps), student, deps);
      const result = await gradeSubmission(path, prepared, deps, deadline ? { deadline } : {});
      const view = viewFor(result, audience, moment);
      if (opts.out) {
        const written = writeReports(result, resolve(ctx.cwd, opts.out), formats, audience, moment);
        ctx.stdout(terminalText(view) + "\n\n" + written.map((p) => `wrote ${p}`).join("\n") + "\n");
      } else if (formats.length === 1) {
        ctx.stdout(render(formats[0]!, result, audience, moment));
      } else {
        ctx.stdout(terminalText(view) + "\n");
      }
      appendStepSummary(ctx.env, result, moment);
      if (minScore !== undefined && result.score < minScore) {
        ctx.stderr(`the score is below --min-score ${minScore}\n`);
        ctx.setExitCode(EXIT.FAILED);
      }
    });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}
