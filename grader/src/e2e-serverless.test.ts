// End to end for lab 05: the reference, the starter and the calibration set graded through the real sandbox (one prepared lab, as grade-batch does), and the handout it releases.
//
// The CLI's own plumbing is proven on lab 01 (e2e.test.ts); here the grading functions are called directly, so
// the test does not compile the whole CLI.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realDeps } from "./deps.js";
import { gradeSubmission, prepareLab, type PreparedLab } from "./grade.js";
import { calibrationMisses, gradeCalibration, loadCalibration } from "./lab/calibration.js";
import { loadLab } from "./lab/load.js";
import { findLeaks, releaseLab } from "./lab/release.js";
import { secretsOf, studentSecrets } from "./lab/secrets.js";
import { packageRoot } from "./paths.js";
import type { GradeResult } from "./result.js";
import { ensureChildBuilt } from "./sandbox/built.js";
import { walkFiles } from "./test-helpers.js";

const root = packageRoot();
const LAB = "05-keep-alive";
const lab = loadLab(LAB);
const calibration = loadCalibration(lab);
const deps = realDeps();

let work: string;
let prepared: PreparedLab;
const results = new Map<string, GradeResult>();

function submission(name: string, policy: string): string {
  const dir = join(work, "subs", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "policy.ts"), policy);
  return dir;
}

beforeAll(async () => {
  await ensureChildBuilt(root);
  work = mkdtempSync(join(tmpdir(), "vmlab-e2e-serverless-"));
  prepared = await prepareLab(lab, "all", deps);
  const infinite = submission("infinite", 'import type { KeepAlivePolicy } from "vmlab";\nexport const policy: KeepAlivePolicy = { name: "forever", forApp: () => ({ onInvocation() {}, windows: () => ({ preWarmMs: 0, keepAliveMs: Infinity }) }) };\n');
  const borrowed = submission("borrowed", 'import { hybridHistogramPolicy } from "vmlab";\nexport const policy = hybridHistogramPolicy();\n');
  const graded = await Promise.all([
    ...(
      [["reference", lab.solutionDir], ["starter", lab.dir], ["infinite", infinite], ["borrowed", borrowed]] as const
    ).map(async ([name, dir]) => [name, await gradeSubmission(dir, prepared, deps, { name })] as const),
    ...calibration.map(async (e) => [e.name, await gradeCalibration(e, (dir) => gradeSubmission(dir, prepared, deps, { name: e.name }))] as const),
  ]);
  for (const [name, r] of graded) results.set(name, r);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("vmlab grade on lab 05", () => {
  it("gives the reference full marks, every case replayed with valid windows and measured against the fixed 10-minute keep-alive", () => {
    const r = results.get("reference")!;
    expect([r.score, r.max_score, r.lab.harness]).toEqual([100, 100, "serverless"]);
    expect(r.cases.map((c) => [c.id, c.status])).toEqual(lab.suites.flatMap((s) => s.cases.map((c) => [`${s.name}/${c.name}`, "passed"])));
    const timers = r.cases.find((c) => c.id === "public/timers")!;
    // On timers the histogram pre-warms before each tick: less memory held and fewer cold starts than the fixed 10 minutes.
    expect(timers.cost!).toBeLessThan(timers.baseline_cost!);
    expect(timers.metrics!.cold_start_pct!.value!).toBeLessThan(timers.metrics!.cold_start_pct!.baseline!);
  });

  it("scores the starter 0 and names the method it has not implemented", () => {
    const r = results.get("starter")!;
    expect(r.score).toBe(0);
    expect(r.cases[0]!.message).toMatch(/^a handler failed: Your `onInvocation` method threw Error: not implemented: onInvocation at policy\.ts:\d+/);
  });

  it("grades every calibration submission as calibration.yaml expects", () => {
    expect(calibration.map((e) => e.name)).toEqual(["never-expire", "expire-at-once", "histogram-off-by-one", "paper-fallback"]);
    for (const e of calibration) expect(calibrationMisses(e, results.get(e.name)!), e.name).toEqual([]);
    const score = (n: string) => results.get(n)!.score;
    // Below the reference, the off-by-one above both extremes.
    expect(score("histogram-off-by-one")).toBeGreaterThan(Math.max(score("never-expire"), score("expire-at-once")));
    expect(Math.max(...calibration.map((e) => score(e.name)))).toBeLessThan(100);
  });

  it("fails a case whose policy returns an infinite keep-alive, saying how to keep an instance instead", () => {
    const r = results.get("infinite")!;
    expect(r.breakdown.correctness.score).toBe(0);
    expect(r.cases[0]!.message).toMatch(/Your `windows` method returned keepAliveMs: Infinity for application \w+ at [\d.]+ s into the trace; .*return a window longer than the trace/);
  });

  it("does not compile a submission that imports the library's hybrid policy: vmlab is the policy interface alone", () => {
    const r = results.get("borrowed")!;
    expect([r.status, r.score]).toEqual(["ungradable", 0]);
    expect(r.feedback.map((f) => f.message).join("\n")).toMatch(/has no exported member .*hybridHistogramPolicy/);
  });
});

describe("vmlab lab release on lab 05", () => {
  let handout: string;
  let files: string[];

  beforeAll(async () => {
    handout = join(work, "h5");
    files = await releaseLab(lab, handout, deps);
    expect(walkFiles(handout)).toEqual(files);
  }, 60_000);

  it("ships the starter, the public tests and the public traces, and a lab.yaml with the public suite only", () => {
    expect(files).toEqual(expect.arrayContaining(["policy.ts", "tests/public.lab.ts", "traces/timers.csv", "traces/mixed.csv", "README.html", "lab.yaml", ".vmlab/reference.json"]));
    expect(readFileSync(join(handout, "policy.ts"), "utf8")).toBe(readFileSync(join(root, "exercises", LAB, "policy.ts"), "utf8"));
    expect(readFileSync(join(handout, "lab.yaml"), "utf8")).not.toMatch(/hidden/);
    expect(loadLab(handout, { cwd: handout }).suites.map((s) => s.cases.map((c) => c.name))).toEqual([["timers", "mixed"]]);
  });

  it("carries no solution, no hidden trace, no calibration and no path under grader/labs", () => {
    expect(files.filter((f) => !f.startsWith("vendor/") && /solution|calibration|timers-b|bursty|mixed-b|sparse|INSTRUCTOR/.test(f))).toEqual([]);
    expect(findLeaks(handout, secretsOf(lab))).toEqual([]);
    const secrets = studentSecrets(root).filter((s) => s.what.includes(LAB));
    expect(secrets.some((s) => s.what.includes("hidden case"))).toBe(true);
    expect(secrets.some((s) => s.what.includes("solution"))).toBe(true);
    const leaks = files.flatMap((f) => {
      const text = readFileSync(join(handout, f), "utf8");
      return secrets.filter((s) => text.includes(s.text)).map((s) => `${f}: ${s.what}`);
    });
    expect(leaks).toEqual([]);
  });

  it("refuses with LAB_LEAK a handout whose public traces hold a hidden one", async () => {
    const copy = join(work, "labs", LAB);
    cpSync(lab.dir, copy, { recursive: true });
    writeFileSync(join(copy, "traces/mixed.csv"), readFileSync(join(root, "grader/labs", LAB, "traces/sparse.csv")));
    await expect(releaseLab(loadLab(copy, { cwd: work }), join(work, "leaky"), deps)).rejects.toMatchObject({
      code: "LAB_LEAK",
      message: expect.stringMatching(/^the handout of 05-keep-alive would leak:\n {2}traces\/mixed\.csv carries hidden case sparse/),
    });
  });
});
