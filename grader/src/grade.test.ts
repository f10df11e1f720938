// The whole pipeline with a fake sandbox: the reference scores full marks, a slow or broken submission loses the right points, results are deterministic.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeSubmission, prepareLab } from "./grade.js";
import { loadLab, type Lab } from "./lab/load.js";
import { packageRoot } from "./paths.js";
import { withoutTimings } from "./result.js";
import { fakeDeps, fakeSandbox, fixtureRoot, writeFixtureLab, writeTree } from "./test-helpers.js";
import { schemaProblems } from "./validate-report.js";

let root: string;
let lab: Lab;
let subs: string;
// Cycles by what the code says: the reference and FAST run at 1000, SLOW at 2050 (half the overhead points), BROKEN diverges on b.
const sandbox = fakeSandbox((js, id) => {
  if (js.includes("BROKEN") && id.endsWith("/b")) return { cycles: 900, equivalent: false, divergence: "console differs at character 1: native 'B', virtualized ''" };
  if (js.includes("HANG") && id.startsWith("hidden/")) return { status: "timeout", message: "case exceeded 2 s" };
  return { cycles: js.includes("SLOW") ? 2050 : 1000 };
});

beforeAll(() => {
  root = fixtureRoot(packageRoot());
  writeFixtureLab(root);
  lab = loadLab("99-fixture", { root, cwd: root });
  subs = mkdtempSync(join(tmpdir(), "subs-"));
  writeTree(subs, {
    "fast/handlers.ts": "// FAST\nexport const handlers = {};\n",
    "slow/handlers.ts": "// SLOW\nexport const handlers = {};\n",
    "broken/handlers.ts": "// BROKEN HANG\nexport const handlers = {};\n",
    "empty/readme.txt": "forgot it",
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("gradeSubmission", () => {
  it("prepares a lab once: cases of every suite, native cycles, and the reference solution's cycles cached under out/", async () => {
    const cache = join(root, "cache");
    const p = await prepareLab(lab, "all", fakeDeps(sandbox, cache));
    expect(p.cases.map((c) => c.id)).toEqual(["public/a", "public/b", "hidden/c", "hidden/gen-7-000", "hidden/gen-7-001"]);
    expect([...p.numbers.reference.values()]).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(readdirSync(cache).map((f) => f.replace(/-[0-9a-f]+\.json$/, "")).sort()).toEqual(["cases", "trusted"]);
    const again = await prepareLab(lab, "all", { ...fakeDeps(fakeSandbox(() => ({ status: "crashed", message: "not called" })), cache) });
    expect(again.numbers.reference.get("public/a")).toBe(1000);
  });

  it("gives a submission as fast as the reference full marks, in a result that follows the published schema", async () => {
    const deps = fakeDeps(sandbox, join(root, "cache"));
    const r = await gradeSubmission(join(subs, "fast"), await prepareLab(lab, "all", deps), deps);
    expect(r.score).toBe(100);
    expect(r.status).toBe("graded");
    expect(r.cases.every((c) => c.status === "passed")).toBe(true);
    expect(schemaProblems("result", JSON.parse(JSON.stringify(r)), root)).toEqual([]);
  });

  it("gives a correct but slow submission its correctness points and part of the overhead points", async () => {
    const deps = fakeDeps(sandbox, join(root, "cache"));
    const r = await gradeSubmission(join(subs, "slow"), await prepareLab(lab, "all", deps), deps);
    expect(r.breakdown.correctness.score).toBe(80);
    expect(r.breakdown.overhead.score).toBe(10);
    expect(r.cases[0]!.relative).toBe(2.05);
  });

  it("reports a divergence and a timeout per case without failing the run", async () => {
    const deps = fakeDeps(sandbox, join(root, "cache"));
    const r = await gradeSubmission(join(subs, "broken"), await prepareLab(lab, "all", deps), deps);
    const b = r.cases.find((c) => c.id === "public/b")!;
    expect(b.status).toBe("failed");
    expect(b.divergence!.message).toMatch(/console differs/);
    expect(r.cases.filter((c) => c.outcome === "timeout").map((c) => c.id)).toEqual(["hidden/c", "hidden/gen-7-000", "hidden/gen-7-001"]);
    // a: 80·1/7 of the weights (a=1, b=3, c=1, gen=1+1) + overhead 20/5.
    expect(r.score).toBeCloseTo((80 * 1) / 7 + 4, 3);
  });

  it("scores a submission without the lab's files as ungradable with feedback, at zero", async () => {
    const deps = fakeDeps(sandbox, join(root, "cache"));
    const r = await gradeSubmission(join(subs, "empty"), await prepareLab(lab, "public", deps), deps);
    expect(r.status).toBe("ungradable");
    expect(r.score).toBe(0);
    expect(r.feedback[0]!.message).toMatch(/handlers.ts is missing/);
  });

  it("gives byte-identical results for the same submission and lab, apart from the timings", async () => {
    const deps = fakeDeps(sandbox, join(root, "cache"));
    const p = await prepareLab(lab, "all", deps);
    const one = await gradeSubmission(join(subs, "slow"), p, deps);
    const two = await gradeSubmission(join(subs, "slow"), p, fakeDeps(sandbox, join(root, "cache")));
    expect(JSON.stringify(withoutTimings(one))).toBe(JSON.stringify(withoutTimings(two)));
  });
});
