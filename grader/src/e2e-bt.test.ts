// End to end for lab 02: the reference, the starter and the calibration set graded on the public suite through the real sandbox, and the handout it releases.
//
// Lean on purpose: the whole calibration set over every suite is `vmlab lab validate 02-binary-translation`'s
// job (calibration.yaml holds its ranges); here each mistake is graded on the public guests and must fail
// exactly where it should, in the words a student reads.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realDeps } from "./deps.js";
import { gradeSubmission, prepareLab, type PreparedLab } from "./grade.js";
import { calibrationFile, gradeCalibration, loadCalibration } from "./lab/calibration.js";
import { loadLab } from "./lab/load.js";
import { releaseLab } from "./lab/release.js";
import { studentSecrets } from "./lab/secrets.js";
import { packageRoot } from "./paths.js";
import type { GradeResult } from "./result.js";
import { ensureChildBuilt } from "./sandbox/built.js";
import { handoutLeaks } from "./test-helpers.js";

const root = packageRoot();
const LAB = "02-binary-translation";
const lab = loadLab(LAB);
const calibration = loadCalibration(lab);
const deps = realDeps();
const results = new Map<string, GradeResult>();
let work: string;
let prepared: PreparedLab;

beforeAll(async () => {
  await ensureChildBuilt(root);
  work = mkdtempSync(join(tmpdir(), "vmlab-e2e-bt-"));
  prepared = await prepareLab(lab, "public", deps);
  const graded = await Promise.all([
    ...([["reference", lab.solutionDir], ["starter", lab.dir]] as const).map(async ([name, dir]) => [name, await gradeSubmission(dir, prepared, deps, { name })] as const),
    ...calibration.map(async (e) => [e.name, await gradeCalibration(e, (dir) => gradeSubmission(dir, prepared, deps, { name: e.name }))] as const),
  ]);
  for (const [name, r] of graded) results.set(name, r);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const outcomes = (name: string) => Object.fromEntries(results.get(name)!.cases.map((c) => [c.name, c.status]));
const caseOf = (name: string, id: string) => results.get(name)!.cases.find((c) => c.name === id)!;

describe("vmlab grade on lab 02, public suite", () => {
  it("gives the reference full marks on the bt harness, each x86 guest equivalent to its native run", () => {
    const r = results.get("reference")!;
    expect([r.score, r.max_score, r.lab.harness]).toEqual([100, 100, "bt"]);
    expect(outcomes("reference")).toEqual({ hello: "passed", syscalls: "passed", sleep: "passed", "popf-irq": "passed", "ring-check": "passed" });
  });

  it("scores the starter 0 and names the policy it has not written", () => {
    const r = results.get("starter")!;
    expect(r.score).toBe(0);
    expect(r.cases[0]!.message).toMatch(/Your `policy` function threw Error: not implemented: policy at translator\.ts:\d+/);
  });

  it("passes every guest with all callouts but takes overhead points where CLI and STI are frequent", () => {
    const r = results.get("all-callout")!;
    expect(r.breakdown.correctness.score).toBe(r.breakdown.correctness.max);
    expect(r.breakdown.overhead.score).toBeLessThan(r.breakdown.overhead.max);
    expect(caseOf("all-callout", "popf-irq").cost!).toBeGreaterThan(caseOf("reference", "popf-irq").cost! * 1.2);
  });

  it("fails popf-irq alone when POPF is copied, ring-check alone when a callout does not resume, and nothing public when PUSHF shows the real IF (the hidden suite catches that)", () => {
    const failed = (name: string) => Object.entries(outcomes(name)).filter(([, s]) => s !== "passed").map(([n]) => n);
    expect(failed("ident-popf")).toEqual(["popf-irq"]);
    expect(caseOf("ident-popf", "popf-irq").message).toMatch(/IF/);
    expect(failed("pushf-real-if")).toEqual([]);
    expect(failed("readcs-no-skip")).toEqual(["ring-check"]);
    expect(caseOf("readcs-no-skip", "ring-check").message).toMatch(/handler .readCs. returned without resuming the guest \(emulating mov r\d+, cs at 0x[0-9a-f]{8}\)/);
  });
});

describe("vmlab lab release 02-binary-translation", () => {
  it("writes the starter, the public tests and a lab.yaml with the public suite only, and no solution line, hidden guest or calibration text", async () => {
    const out = join(work, "handout");
    const files = await releaseLab(lab, out, deps);
    expect(files).toEqual(expect.arrayContaining(["translator.ts", "tests/public.lab.ts", "README.md", "lab.yaml", ".vmlab/reference.json"]));
    expect(readFileSync(join(out, "translator.ts"), "utf8")).toBe(readFileSync(join(lab.dir, "translator.ts"), "utf8"));
    expect(readFileSync(join(out, "lab.yaml"), "utf8")).not.toMatch(/hidden/);
    const secrets = studentSecrets(root).filter((s) => s.what.includes(LAB));
    expect(secrets.map((s) => s.what)).toEqual(expect.arrayContaining([expect.stringMatching(/hidden guest critical-sections/), expect.stringMatching(/a line of 02-binary-translation's solution/)]));
    const leaks = handoutLeaks(out, secrets, join(lab.solutionDir, "translator.ts"), calibrationFile(lab));
    expect(leaks).toEqual([]);
  }, 60_000);
});
