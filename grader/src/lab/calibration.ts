// A lab's calibration set: wrong submissions (the reference solution with one mistake each) and the points each must land on, graded by `lab validate`.
//
// grader/labs/<id>/calibration.yaml (never shipped) lists them:
//   - name: forgets-whiteouts
//     describe: removes from the writable layer only
//     replace:                       # applied to the solution's files, each `find` exactly once
//       - { file: overlay.ts, find: "...", with: "" }
//     expect: { correctness: [10, 60], overhead: [0, 20] }   # inclusive ranges of points
// A calibrated lab shows that its cases tell the mistakes it is about apart: each loses the points it should.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { GraderError } from "../errors.js";
import { gradeSubmission, type GraderDeps, type PreparedLab } from "../grade.js";
import { GRADER_PATHS } from "../paths.js";
import type { GradeResult } from "../result.js";
import type { Lab } from "./load.js";

export interface CalibrationEntry {
  readonly name: string;
  readonly describe?: string;
  readonly replace: readonly { readonly file: string; readonly find: string; readonly with: string }[];
  /** Inclusive ranges of points per breakdown part (correctness, overhead, or a metric's name). */
  readonly expect: Readonly<Record<string, readonly [number, number]>>;
}

export interface CalibrationOutcome {
  readonly entry: CalibrationEntry;
  readonly result: GradeResult;
  /** What fell outside its range, in words; empty when the submission scored as expected. */
  readonly misses: readonly string[];
}

/** The lab's calibration file, or undefined when it has none. */
export function calibrationFile(lab: Pick<Lab, "root" | "id">): string | undefined {
  const f = join(lab.root, GRADER_PATHS.hiddenLabs, lab.id, "calibration.yaml");
  return existsSync(f) ? f : undefined;
}

/** Read a calibration file; LAB_INVALID naming the entry when one is malformed. */
export function readCalibration(file: string): CalibrationEntry[] {
  const doc: unknown = parse(readFileSync(file, "utf8"));
  const bad = (what: string): never => {
    throw new GraderError("LAB_INVALID", `${file}: ${what}`, { hint: "each entry has name:, replace: [{ file, find, with }] and expect: { correctness: [min, max] }" });
  };
  if (!Array.isArray(doc)) return bad("is not a list of submissions");
  return doc.map((e: unknown, i): CalibrationEntry => {
    const o = (e ?? {}) as Record<string, unknown>;
    if (typeof o.name !== "string") bad(`entry ${i + 1} has no name`);
    if (!Array.isArray(o.replace) || !o.replace.length) bad(`${String(o.name)} has no replace: list`);
    for (const r of o.replace as Record<string, unknown>[]) if (typeof r?.file !== "string" || typeof r.find !== "string" || typeof r.with !== "string") bad(`${String(o.name)} has a replace without file, find and with`);
    const expect = (o.expect ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(expect)) if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === "number")) bad(`${String(o.name)}: expect.${k} is not [min, max]`);
    if (!Object.keys(expect).length) bad(`${String(o.name)} expects nothing`);
    return { name: o.name as string, ...(typeof o.describe === "string" ? { describe: o.describe } : {}), replace: o.replace as CalibrationEntry["replace"], expect: expect as CalibrationEntry["expect"] };
  });
}

/** The solution's files with one entry's replacements applied, in a fresh folder (the caller removes it). */
export function writeCalibrated(lab: Pick<Lab, "solutionDir">, entry: CalibrationEntry, into: string): string {
  cpSync(lab.solutionDir, into, { recursive: true });
  for (const r of entry.replace) {
    const path = join(into, r.file);
    const text = readFileSync(path, "utf8");
    const at = text.indexOf(r.find);
    if (at < 0 || text.indexOf(r.find, at + 1) >= 0) {
      throw new GraderError("LAB_INVALID", `calibration ${entry.name}: ${at < 0 ? "does not find" : "finds more than once"} its text in ${r.file}`, { hint: "the solution changed: update the calibration's find: text" });
    }
    writeFileSync(path, text.slice(0, at) + r.with + text.slice(at + r.find.length));
  }
  return into;
}

/** Grade every calibration submission and say which landed outside their ranges. */
export async function gradeCalibration(lab: Lab, prepared: PreparedLab, deps: GraderDeps, entries: readonly CalibrationEntry[]): Promise<CalibrationOutcome[]> {
  const out: CalibrationOutcome[] = [];
  for (const entry of entries) {
    const dir = mkdtempSync(join(tmpdir(), `vmlab-calibration-${entry.name}-`));
    try {
      const result = await gradeSubmission(writeCalibrated(lab, entry, dir), prepared, deps, { name: entry.name });
      const misses: string[] = [];
      for (const [part, [min, max]] of Object.entries(entry.expect)) {
        const b = result.breakdown;
        const got = part === "score" ? result.score : part === "correctness" || part === "overhead" ? b[part].score : b.metrics?.[part]?.score;
        if (got === undefined || got < min || got > max) misses.push(`${part} ${got ?? "missing"} outside [${min}, ${max}]`);
      }
      out.push({ entry, result, misses });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
