// A lab's calibration set: entries as files or as a patch of the solution, ranges checked part by part, and a malformed entry refused with what to fix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { GradeResult } from "../result.js";
import { calibrationMisses, loadCalibration } from "./calibration.js";
import type { Lab } from "./load.js";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function labWith(calibration: string): Lab {
  const root = mkdtempSync(join(tmpdir(), "vmlab-calibration-test-"));
  roots.push(root);
  mkdirSync(join(root, "grader/labs/99-x/calibration"), { recursive: true });
  mkdirSync(join(root, "solutions/99-x"), { recursive: true });
  writeFileSync(join(root, "grader/labs/99-x/calibration.yaml"), calibration);
  writeFileSync(join(root, "grader/labs/99-x/calibration/lazy.ts"), "export const policy = 1;\n");
  writeFileSync(join(root, "solutions/99-x/policy.ts"), 'import { A } from "../../src/index.js";\nconst KEEP = 10;\n');
  return { root, id: "99-x", studentFiles: ["policy.ts"], entry: "policy.ts", solutionDir: join(root, "solutions/99-x"), rubric: { correctness: { points: 50, per: "case" }, overhead: { points: 50, full_at: 1.1, zero_at: 3 }, metrics: { p50_ms: { points: 0, full_at: 1.1, zero_at: 2 } } } } as unknown as Lab;
}

const result = (score: number, overhead: number): GradeResult => ({ score, breakdown: { correctness: { score: score - overhead, max: 50 }, overhead: { score: overhead, max: 50 } } }) as unknown as GradeResult;

describe("a calibration set", () => {
  it("reads entries given as files and as a patch of the solution (with the solution's imports as a student writes them)", () => {
    const lab = labWith(`- { name: lazy, files: { policy.ts: calibration/lazy.ts }, expect: { score: [0, 10] } }
- { name: short, patch: { find: "KEEP = 10", replace: "KEEP = 1" }, expect: { overhead: [20, 30], p50_ms: [0, 0] } }
`);
    const [lazy, short] = loadCalibration(lab);
    expect(lazy!.files).toEqual({ "policy.ts": "export const policy = 1;\n" });
    expect(short!.files["policy.ts"]).toBe('import { A } from "vmlab";\nconst KEEP = 1;\n');
    expect(short!.expect).toEqual({ overhead: [20, 30], p50_ms: [0, 0] });
  });

  it("names each part that falls outside its range", () => {
    const [entry] = loadCalibration(labWith(`- { name: e, files: { policy.ts: calibration/lazy.ts }, expect: { score: [60, 70], overhead: [0, 5] } }\n`));
    expect(calibrationMisses(entry!, result(65, 0))).toEqual([]);
    expect(calibrationMisses(entry!, result(80, 10))).toEqual(["score 80 not in [60, 70]", "overhead 10 not in [0, 5]"]);
  });

  it("refuses a patch that no longer applies, an unknown part and a range that is not [min, max], saying what to fix", () => {
    expect(() => loadCalibration(labWith(`- { name: p, patch: { find: "KEEP = 99", replace: "" }, expect: { score: [0, 1] } }\n`))).toThrow(
      /entry p: the patch's find text occurs 0 times in solutions\/99-x\/policy\.ts/,
    );
    expect(() => loadCalibration(labWith(`- { name: q, files: { policy.ts: calibration/lazy.ts }, expect: { scor: [0, 1] } }\n`))).toThrow(/entry q: expect names 'scor'/);
    expect(() => loadCalibration(labWith(`- { name: r, files: { policy.ts: calibration/lazy.ts }, expect: { score: [5, 1] } }\n`))).toThrow(/expect\.score is not \[min, max\]/);
    expect(() => loadCalibration(labWith(`- { name: s, expect: { score: [0, 1] } }\n`))).toThrow(/entry s needs either files: or patch:/);
    expect(() => loadCalibration(labWith(`name: t\n`))).toThrow(/is not a list of calibration entries/);
  });
});
