// `vmlab lab new|validate|release|export`: scaffold a lab, check it end to end, and write the student handout.
import { harnessNames, harnessOf, loadLab, packageRoot, realDeps, releaseLab, scaffoldLab, starterDrift, validateLab } from "../../grader/src/index.js";
import { readFileSync, writeFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { EXIT, type CliContext } from "../context.js";
import { gradingEngineOption } from "../engine-option.js";
import { registerExport } from "./lab-export.js";

export function register(program: Command, ctx: CliContext): void {
  const lab = program.command("lab").description("create, check and release labs");
  lab
    .command("new")
    .description("scaffold exercises/<id>, solutions/<id> and grader/labs/<id>")
    .argument("<id>", "two digits, a dash and lowercase words, e.g. 02-binary-translation")
    .option("--harness <harness>", `which harness runs the cases: ${harnessNames().join(", ")}`, "trap")
    .option("--title <title>", "the lab's title")
    .action((id: string, opts: { harness: string; title?: string }) => {
      const files = scaffoldLab(packageRoot(), id, opts.harness, opts.title);
      ctx.stdout(files.map((f) => `created ${f}`).join("\n") + `\nnext: write the solution's regions, then vmlab lab validate ${id}\n`);
    });
  lab
    .command("validate")
    .description("check the schema, the starter, the reference at full marks, the starter at zero, time limits and determinism")
    .argument("<lab>", "lab id or path")
    .option("--write-starter", "regenerate the starter from the solution first", false)
    .addOption(gradingEngineOption())
    .action(async (ref: string, opts: { writeStarter: boolean; engine: string }) => {
      if (opts.writeStarter) {
        const l = loadLabLoose(ref, ctx.cwd);
        for (const d of starterDrift(l)) {
          writeFileSync(join(l.dir, d.file), d.expected);
          ctx.stdout(`wrote ${join(l.dir, d.file)}\n`);
        }
      }
      const checks = await validateLab(ref, realDeps({ engine: opts.engine }), { cwd: ctx.cwd });
      for (const c of checks) ctx.stdout(`${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}\n`);
      const bad = checks.filter((c) => !c.ok).length;
      ctx.stdout(bad ? `${bad} check${bad === 1 ? "" : "s"} failed\n` : "lab is ready\n");
      if (bad) ctx.setExitCode(EXIT.FAILED);
    });
  lab
    .command("release")
    .description("write the student handout: starter, public tests, README as HTML, the public lab and a working vmlab command; refuses if a solution or hidden suite would leave")
    .argument("<lab>", "lab id or path")
    .requiredOption("--out <dir>", "handout folder (must not exist or be empty)")
    .action(async (ref: string, opts: { out: string }) => {
      const lab = loadLab(ref, { cwd: ctx.cwd });
      const written = await releaseLab(lab, resolve(ctx.cwd, opts.out), realDeps());
      const commands = ["npm install && npm test (public tests)", "npx vmlab grade . --suite public", ...(harnessOf(lab.harness).studentCommands ?? [])];
      ctx.stdout(`wrote ${written.length} files to ${resolve(ctx.cwd, opts.out)}\nstudents run: ${commands.join(", ")}\n`);
    });
  registerExport(lab, ctx);
}

/** The lab's folders for --write-starter, even when its starter file is missing (which loadLab reports). */
function loadLabLoose(ref: string, cwd: string): { dir: string; solutionDir: string; studentFiles: readonly string[] } {
  try {
    return loadLab(ref, { cwd });
  } catch (e) {
    const l = (e as { problems?: { code: string }[] }).problems;
    if (!l || l.some((p) => p.code !== "LAB_MISSING_FILE")) throw e;
    // Only starter files are missing: derive the folders from the id.
    const root = packageRoot();
    const id = ref.replace(/\/$/, "").split("/").pop()!.replace(/^lab\.yaml$/, "");
    const dir = join(root, "exercises", id);
    const declared = (parseYaml(readFileSync(join(dir, "lab.yaml"), "utf8")) as { student_files?: unknown } | null)?.student_files;
    const studentFiles = Array.isArray(declared) && declared.every((f) => typeof f === "string") ? (declared as string[]) : ["handlers.ts"];
    return { dir, solutionDir: join(root, "solutions", id), studentFiles };
  }
}
