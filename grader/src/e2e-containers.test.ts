// End to end for lab 04 on the containers harness: the reference, the starter and the calibration set graded through the real sandbox, and the handout released without a secret.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realDeps } from "./deps.js";
import { gradeSubmission, prepareLab, type PreparedLab } from "./grade.js";
import { calibrationFile, calibrationMisses, loadCalibration, materialize, type CalibrationEntry } from "./lab/calibration.js";
import { loadLab, type Lab } from "./lab/load.js";
import { releaseLab } from "./lab/release.js";
import { studentSecrets } from "./lab/secrets.js";
import { packageRoot } from "./paths.js";
import type { GradeResult } from "./result.js";
import { compileSubmission } from "./sandbox/compile.js";
import { ensureChildBuilt } from "./sandbox/built.js";
import { handoutLeaks } from "./test-helpers.js";

const root = packageRoot();
const LAB = "04-containers";
let work: string;
let lab: Lab;
let prepared: PreparedLab;
let reference: GradeResult;
let starter: GradeResult;
let entries: CalibrationEntry[];
const materialized: (readonly [string, string])[] = [];
const calibrated = new Map<string, GradeResult>();

beforeAll(async () => {
  await ensureChildBuilt(root);
  work = mkdtempSync(join(tmpdir(), "vmlab-e2e-04-"));
  lab = loadLab(LAB);
  const deps = realDeps();
  prepared = await prepareLab(lab, "all", { ...deps, useCache: false });
  entries = loadCalibration(lab);
  const subs = entries.map((e) => [e.name, materialize(e)] as const);
  materialized.push(...subs);
  const results = await Promise.all([lab.solutionDir, lab.dir, ...subs.map(([, dir]) => dir)].map((dir, i) => gradeSubmission(dir, prepared, deps, { name: i === 0 ? "reference" : i === 1 ? "starter" : subs[i - 2]![0] })));
  [reference, starter] = [results[0]!, results[1]!];
  subs.forEach(([name], i) => calibrated.set(name, results[i + 2]!));
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  for (const [, dir] of materialized) rmSync(dir, { recursive: true, force: true });
});

const caseOf = (r: GradeResult, id: string) => r.cases.find((c) => c.id === id)!;

describe("lab 04 graded through the sandbox", () => {
  it("gives the reference solution full marks, every case the same as the container model", () => {
    expect(reference).toMatchObject({ status: "graded", score: 100, max_score: 100, feedback: [] });
    expect(reference.cases.filter((c) => c.status !== "passed")).toEqual([]);
    expect(reference.cases.length).toBe(36);
    // Overlay cases have a cost in bytes written, below a full copy of the image; cgroup cases have none.
    const copyUp = caseOf(reference, "public/copy-up");
    expect(copyUp.cost).toBe(copyUp.reference_cost);
    expect(copyUp.cost!).toBeGreaterThan(0);
    expect(copyUp.cost!).toBeLessThan(copyUp.baseline_cost!);
    expect(caseOf(reference, "public/weights")).toMatchObject({ cost: 0, baseline_cost: null });
  });

  it("gives the starter zero, naming the function it has not written", () => {
    expect(starter.status).toBe("graded");
    expect(starter.score).toBe(0);
    expect(caseOf(starter, "public/lookup").message).toMatch(/^differed from the container model: at operation 1: lookup\(\/app\/main\.js\) returned: expected \{"type":"file","content":"console\.log\('v2'\)\\n"\}, got an error \(Error: not implemented: find at overlay\.ts:\d+/);
    expect(caseOf(starter, "public/weights").message).toMatch(/not implemented: allocateCpu/);
  });

  it("grades every calibration submission within its ranges", () => {
    expect(entries.map((e) => e.name)).toEqual(["forgets-whiteouts", "forgets-opaque", "copies-whole-image", "no-work-conservation"]);
    for (const e of entries) expect(calibrationMisses(e, calibrated.get(e.name)!), e.name).toEqual([]);
  });

  it("fails forgotten whiteouts where the image's file shows through again, and only there", () => {
    const r = calibrated.get("forgets-whiteouts")!;
    expect(caseOf(r, "public/whiteout").message).toMatch(/^differed from the container model: at operation 1: after remove\(\/etc\/shadow\), lookup\(\/etc\/shadow\): expected null, got \{"type":"file"/);
    expect(caseOf(r, "public/copy-up").status).toBe("passed");
    expect(caseOf(r, "public/weights").status).toBe("passed");
  });

  it("fails a share without work conservation when a group idles, and passes it when every group is busy", () => {
    const r = calibrated.get("no-work-conservation")!;
    expect(caseOf(r, "public/weights").status).toBe("passed");
    expect(caseOf(r, "public/idle").message).toMatch(/CPUs for \/ on 2 CPUs: expected 2\.000000|CPUs for \/batch on 2 CPUs: expected 2\.000000, got 0\.666667/);
    expect(caseOf(r, "public/lookup").status).toBe("passed");
  });

  it("takes the cost points from a whole-image copy on every overlay case that writes, while its answers stay right", () => {
    const r = calibrated.get("copies-whole-image")!;
    const writing = r.cases.filter((c) => c.status === "passed" && (c.reference_cost ?? 0) > 0);
    expect(writing.length).toBeGreaterThan(5);
    for (const c of writing) {
      expect(c.cost, c.id).toBe(c.baseline_cost);
      expect(c.breakdown.overhead, c.id).toBe(0);
    }
    expect(r.breakdown.correctness.score).toBeGreaterThanOrEqual(70);
  });

  it("does not compile a submission that delegates to the model: vmlab offers a lab 04 submission types only", () => {
    const source = `import { ContainerFs } from "vmlab";\nexport const lab = { fs: ContainerFs };\n`;
    const r = compileSubmission({ "overlay.ts": source }, { entry: "overlay.ts", harness: "containers" });
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: expect.stringMatching(/^TS(2305|2724)$/), file: "overlay.ts", line: 1, message: expect.stringMatching(/no exported member named 'ContainerFs'/) })]);
  });
});

describe("vmlab lab release 04-containers", () => {
  it("writes the starter, the public cases and tests, and no solution line, hidden case or calibration text", async () => {
    const out = join(work, "handout");
    const files = await releaseLab(lab, out, realDeps());
    expect(files).toEqual(expect.arrayContaining(["overlay.ts", "cases/whiteout.yaml", "tests/public.lab.ts", "README.md", "lab.yaml", ".vmlab/reference.json"]));
    expect(readFileSync(join(out, "overlay.ts"), "utf8")).toBe(readFileSync(join(lab.dir, "overlay.ts"), "utf8"));
    expect(readFileSync(join(out, "lab.yaml"), "utf8")).not.toMatch(/hidden/);
    const secrets = studentSecrets(root).filter((s) => s.what.includes(LAB) || s.what.startsWith("hidden case"));
    expect(secrets.map((s) => s.what)).toEqual(expect.arrayContaining([expect.stringMatching(/hidden case deep-copy-up/), expect.stringMatching(/a line of 04-containers's solution/)]));
    const leaks = handoutLeaks(out, secrets, join(lab.solutionDir, "overlay.ts"), calibrationFile(lab));
    expect(leaks).toEqual([]);
  }, 60_000);
});
