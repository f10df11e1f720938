// A lab's calibration set: wrong submissions kept with the hidden suites (grader/labs/<id>/calibration.yaml), each with the marks it must earn.
//
// Each entry is a submission — files of its own, relative to the calibration file, or the reference solution
// with one change or a list of them (a patch: a text found exactly once and what replaces it, so it follows the solution) — and
// ranges for its score and for any part of the breakdown (correctness, overhead, a rubric metric's name).
// `vmlab lab validate` grades every entry and fails a check when a score falls outside its range.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { didYouMean } from "../../../src/core/suggest.js";
import { GraderError } from "../errors.js";
import { GRADER_PATHS } from "../paths.js";
import { solutionFiles } from "../reference.js";
import type { GradeResult } from "../result.js";
import type { Lab } from "./load.js";
import { parseYaml } from "./yaml.js";

/** One wrong submission and what it must score. */
export interface CalibrationEntry {
  readonly name: string;
  readonly describe: string;
  /** Student file → its text (files given, or the solution patched). */
  readonly files: Readonly<Record<string, string>>;
  /** Part of the result (`score`, `correctness`, `overhead` or a metric) → inclusive [min, max]. */
  readonly expect: Readonly<Record<string, readonly [number, number]>>;
}

/** Where a lab's calibration set lives (it never ships: grader/labs/ is the hidden side). */
export function calibrationFile(lab: Pick<Lab, "root" | "id">): string {
  return join(lab.root, GRADER_PATHS.hiddenLabs, lab.id, "calibration.yaml");
}

/** The lab's calibration entries, [] when it has none; a malformed file is LAB_INVALID naming the entry and field. */
export function loadCalibration(lab: Lab): CalibrationEntry[] {
  const file = calibrationFile(lab);
  if (!existsSync(file)) return [];
  const shown = relative(lab.root, file);
  const parsed = parseYaml(readFileSync(file, "utf8"), shown);
  const fail = (what: string, hint: string): never => {
    throw new GraderError("LAB_INVALID", `${shown}: ${what}`, { hint });
  };
  if (parsed.problems.length) fail(parsed.problems.map((p) => `line ${p.line ?? "?"}: ${p.message}`).join("; "), "fix the YAML syntax");
  if (!Array.isArray(parsed.value)) fail("is not a list of calibration entries", "write a list: - { name: ..., files: { ... } or patch: { ... }, expect: { score: [min, max] } }");
  const parts = ["score", "correctness", "overhead", ...Object.keys(lab.rubric.metrics ?? {})];
  const solution = (): Record<string, string> => solutionFiles(lab);
  return (parsed.value as unknown[]).map((raw, i) => {
    const e = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const name = typeof e.name === "string" && e.name ? e.name : fail(`entry ${i + 1} has no name`, "add name: <a word for the mistake>");
    const at = `entry ${name}`;
    let files: Record<string, string>;
    if (e.files !== undefined && e.patch === undefined) {
      files = {};
      for (const [student, path] of Object.entries(e.files as Record<string, unknown>)) {
        if (!lab.studentFiles.includes(student)) fail(`${at}: files names ${student}, which is not a student file`, `student files: ${lab.studentFiles.join(", ")}`);
        const full = join(dirname(file), String(path));
        if (!existsSync(full)) fail(`${at}: ${String(path)} does not exist`, "paths are relative to the calibration file");
        files[student] = readFileSync(full, "utf8");
      }
    } else if (e.patch !== undefined && e.files === undefined) {
      // One change, or several applied in order (each find text exactly once in the file as changed so far).
      files = { ...solution() };
      for (const p of (Array.isArray(e.patch) ? e.patch : [e.patch]) as Record<string, unknown>[]) {
        const target = String(p.file ?? lab.entry);
        const text = files[target] ?? fail(`${at}: the patch names ${target}, which is not a student file`, `student files: ${lab.studentFiles.join(", ")}`);
        const find = String(p.find ?? "");
        const count = find ? text.split(find).length - 1 : 0;
        if (count !== 1) fail(`${at}: the patch's find text occurs ${count} times in ${GRADER_PATHS.solutions}/${lab.id}/${target}`, "it must occur exactly once: the solution changed, so update the patch");
        files[target] = text.replace(find, () => String(p.replace ?? ""));
      }
    } else {
      return fail(`${at} needs either files: or patch: (one of them)`, "files: { policy.ts: calibration/mine.ts }, or patch: { find: ..., replace: ... } or a list of them");
    }
    const expect: Record<string, readonly [number, number]> = {};
    for (const [part, range] of Object.entries((e.expect ?? {}) as Record<string, unknown>)) {
      if (!parts.includes(part)) fail(`${at}: expect names '${part}'`, didYouMean(part, parts) ?? `parts: ${parts.join(", ")}`);
      const ok = Array.isArray(range) && range.length === 2 && typeof range[0] === "number" && typeof range[1] === "number" && range[0] <= range[1];
      if (!ok) fail(`${at}: expect.${part} is not [min, max]`, "write two numbers, the lower first, e.g. [60, 75]");
      const [min, max] = range as [number, number];
      expect[part] = [min, max];
    }
    if (!Object.keys(expect).length) fail(`${at} expects nothing`, "add expect: { score: [min, max] }");
    return { name, describe: typeof e.describe === "string" ? e.describe : name, files, expect };
  });
}

/** Writes an entry's submission into a fresh temporary folder; the caller removes it. */
export function materialize(entry: CalibrationEntry): string {
  const dir = mkdtempSync(join(tmpdir(), `vmlab-calibration-${entry.name}-`));
  for (const [f, text] of Object.entries(entry.files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** The value of one part of a result: its score, or one part of its breakdown. */
export function partScore(result: GradeResult, part: string): number | undefined {
  if (part === "score") return result.score;
  if (part === "correctness" || part === "overhead") return result.breakdown[part].score;
  return result.breakdown.metrics?.[part]?.score;
}

/** What falls outside the entry's ranges, one phrase each ([] when it scores as expected). */
export function calibrationMisses(entry: CalibrationEntry, result: GradeResult): string[] {
  return Object.entries(entry.expect).flatMap(([part, [min, max]]) => {
    const v = partScore(result, part);
    return v !== undefined && v >= min && v <= max ? [] : [`${part} ${v ?? "missing"} not in [${min}, ${max}]`];
  });
}

/** Grades one entry with `grade` in a temporary folder, removed afterwards. */
export async function gradeCalibration(entry: CalibrationEntry, grade: (dir: string) => Promise<GradeResult>): Promise<GradeResult> {
  const dir = materialize(entry);
  try {
    return await grade(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
