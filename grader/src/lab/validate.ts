// `vmlab lab validate`: the checks a lab must pass before students see it, each a named check with a verdict.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gradeSubmission, prepareLab, type GraderDeps } from "../grade.js";
import { withoutTimings } from "../result.js";
import { calibrationFile, gradeCalibration, readCalibration } from "./calibration.js";
import { loadLab } from "./load.js";
import { makeStarter } from "./regions.js";

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The committed starter files are what the solution's regions generate (returns the files out of sync). */
export function starterDrift(lab: { dir: string; solutionDir: string; studentFiles: readonly string[] }): { file: string; expected: string }[] {
  const out: { file: string; expected: string }[] = [];
  for (const f of lab.studentFiles) {
    const sol = join(lab.solutionDir, f);
    if (!existsSync(sol)) continue;
    const expected = makeStarter(readFileSync(sol, "utf8"), f);
    const path = join(lab.dir, f);
    if (!existsSync(path) || readFileSync(path, "utf8") !== expected) out.push({ file: f, expected });
  }
  return out;
}

/** Run every check; the schema check throws LabInvalidError (all problems at once) before the rest run. */
export async function validateLab(ref: string, deps: GraderDeps, options: { cwd?: string; root?: string } = {}): Promise<Check[]> {
  const lab = loadLab(ref, options);
  const checks: Check[] = [{ name: "lab.yaml follows the schema", ok: true, detail: `${lab.suites.length} suites` }];
  const drift = starterDrift(lab);
  checks.push({
    name: "starter is generated from the solution",
    ok: drift.length === 0,
    detail: drift.length ? `${drift.map((d) => d.file).join(", ")} out of sync: run vmlab lab validate ${lab.id} --write-starter` : lab.studentFiles.join(", "),
  });
  const prepared = await prepareLab(lab, "all", { ...deps, useCache: false });
  const failures = [...prepared.numbers.referenceFailures];
  const reference = await gradeSubmission(lab.solutionDir, prepared, deps, { name: "reference" });
  checks.push({
    name: "reference solution scores full marks on every suite",
    ok: reference.score === reference.max_score && failures.length === 0,
    detail: failures.length
      ? failures.slice(0, 5).map(([id, why]) => `${id}: ${why}`).join("; ")
      : `${reference.score} / ${reference.max_score} over ${prepared.cases.length} cases`,
  });
  const starter = await gradeSubmission(lab.dir, prepared, deps, { name: "starter" });
  const crashed = starter.cases.filter((c) => c.outcome === "crashed" || c.outcome === "integrity");
  checks.push({
    name: "starter compiles and runs without crashing the grader",
    ok: starter.status === "graded" && crashed.length === 0,
    detail: starter.status !== "graded" ? starter.feedback.map((f) => `${f.file ?? ""}:${f.line ?? ""} ${f.message}`).join("; ") : crashed.length ? crashed.map((c) => `${c.id}: ${c.message}`).join("; ") : `${starter.cases.length} cases ran`,
  });
  checks.push({ name: "starter scores 0 for correctness", ok: starter.breakdown.correctness.score === 0, detail: `${starter.breakdown.correctness.score} / ${starter.breakdown.correctness.max}` });
  const slow = reference.cases.filter((c) => c.outcome === "timeout");
  checks.push({ name: "every case finishes within its limit", ok: slow.length === 0, detail: slow.length ? slow.map((c) => c.id).join(", ") : `limit ${lab.limits.caseSeconds} s, ${lab.limits.maxSteps} steps` });
  const calibration = calibrationFile(lab);
  if (calibration) {
    const outcomes = await gradeCalibration(lab, prepared, deps, readCalibration(calibration));
    const missed = outcomes.filter((o) => o.misses.length);
    checks.push({
      name: "calibration submissions score as expected",
      ok: missed.length === 0,
      detail: (missed.length ? missed : outcomes)
        .map((o) => `${o.entry.name} ${round(o.result.score)} (${o.misses.length ? o.misses.join(", ") : `correctness ${round(o.result.breakdown.correctness.score)}, overhead ${round(o.result.breakdown.overhead.score)}`})`)
        .join("; "),
    });
  }
  const again = await gradeSubmission(lab.solutionDir, prepared, deps, { name: "reference" });
  const same = JSON.stringify(withoutTimings(reference)) === JSON.stringify(withoutTimings(again));
  checks.push({ name: "two runs give identical results", ok: same, detail: same ? "byte-identical apart from timings" : "the reference graded differently twice" });
  return checks;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
