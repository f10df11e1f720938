// Batch grading: a worker pool writes each result atomically, --resume grades only what is missing, shards split and merge back.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeBatch, inShard, mergeShards, parseShard } from "./batch.js";
import { prepareLab, type PreparedLab } from "./grade.js";
import { loadLab } from "./lab/load.js";
import { packageRoot } from "./paths.js";
import { fakeDeps, fakeSandbox, fixtureRoot, writeFixtureLab, writeTree } from "./test-helpers.js";

let root: string;
let subs: string;
let prepared: PreparedLab;
const sandbox = fakeSandbox((js) => ({ cycles: js.includes("SLOW") ? 3000 : 1000, equivalent: !js.includes("WRONG") }));

beforeAll(async () => {
  root = fixtureRoot(packageRoot());
  writeFixtureLab(root);
  subs = join(root, "subs");
  writeTree(subs, {
    "ann/handlers.ts": "// ok\n", "bob/handlers.ts": "// SLOW\n", "cat/handlers.ts": "// WRONG\n", "dan/handlers.ts": "// ok\n",
  });
  prepared = await prepareLab(loadLab("99-fixture", { root, cwd: root }), "public", fakeDeps(sandbox, join(root, "cache")));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("gradeBatch", () => {
  it("grades every submission, writes results, grades.csv and a summary with the most common failing cases", async () => {
    const out = mkdtempSync(join(tmpdir(), "batch-"));
    const r = await gradeBatch(subs, out, prepared, fakeDeps(sandbox, join(root, "cache")), { jobs: 2, resume: false });
    expect(r.graded).toBe(4);
    expect(readdirSync(join(out, "results")).sort()).toEqual(["ann.json", "bob.json", "cat.json", "dan.json"]);
    const csv = readFileSync(join(out, "grades.csv"), "utf8").split("\n");
    expect(csv[0]).toBe("submission,score,max_score,correctness,overhead,status,passed,failed,errors,days_late,raw_score,late_penalty,grace_days_used,submitted_at,student_id,name,email,section");
    expect(csv[1]).toBe("ann,100,100,80,20,graded,2,0,0,0,100,0,0,,,,,");
    expect(csv[3]).toMatch(/^cat,0,100,0,0,graded,0,2,0,0,0,0,0,,,,,$/);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.failing).toEqual([{ case: "public/a", failures: 1 }, { case: "public/b", failures: 1 }]);
    expect(readFileSync(join(out, "summary.md"), "utf8")).toContain("## Most common failing cases");
  });

  it("with --resume grades only the submissions without a result", async () => {
    const out = mkdtempSync(join(tmpdir(), "batch-"));
    await gradeBatch(subs, out, prepared, fakeDeps(sandbox, join(root, "cache")), { jobs: 1, resume: false, shard: parseShard("1/2") });
    const r = await gradeBatch(subs, out, prepared, fakeDeps(sandbox, join(root, "cache")), { jobs: 2, resume: true });
    expect([r.graded, r.skipped, r.results.length]).toEqual([2, 2, 4]);
  });

  it("splits by shard and merges the shards back into one gradebook", async () => {
    expect(inShard(["a", "b", "c", "d", "e"], parseShard("2/2"))).toEqual(["b", "d"]);
    expect(() => parseShard("3/2")).toThrow(/--shard expects K\/N/);
    const one = mkdtempSync(join(tmpdir(), "s1-"));
    const two = mkdtempSync(join(tmpdir(), "s2-"));
    await gradeBatch(subs, one, prepared, fakeDeps(sandbox, join(root, "cache")), { jobs: 2, resume: false, shard: parseShard("1/2") });
    await gradeBatch(subs, two, prepared, fakeDeps(sandbox, join(root, "cache")), { jobs: 2, resume: false, shard: parseShard("2/2") });
    const merged = mkdtempSync(join(tmpdir(), "m-"));
    expect(mergeShards([one, two], merged)).toEqual({ merged: 4, missingShards: 0 });
    expect(readFileSync(join(merged, "grades.csv"), "utf8").split("\n").filter(Boolean)).toHaveLength(5);
  });

  it("turns a submission the grader itself fails on into that submission's result, finishes the batch, and grades it again on --resume", async () => {
    const dir = mkdtempSync(join(tmpdir(), "subs-"));
    writeTree(dir, { "ann/handlers.ts": "// ok\n", "eve/handlers.ts": "// EXPLODE\n", "fay/handlers.ts": "// ok\n" });
    let broken = true;
    // A grader bug stand-in: the compiler's answer for one submission is malformed while `broken` holds.
    const flaky = fakeSandbox(() => ({ cycles: 1000 }), {
      compile: (files) => (broken && Object.values(files).join("").includes("EXPLODE") ? ({ ok: true, js: {}, diagnostics: 42 } as never) : { ok: true, js: { "handlers.js": "" }, diagnostics: [] }),
    });
    const out = mkdtempSync(join(tmpdir(), "batch-"));
    const first = await gradeBatch(dir, out, prepared, fakeDeps(flaky, join(root, "cache")), { jobs: 2, resume: false });
    expect(first.results.map((r) => [r.submission.name, r.status])).toEqual([["ann", "graded"], ["eve", "grader-error"], ["fay", "graded"]]);
    expect(first.results[1]!.feedback[0]).toMatchObject({ code: "GRADE_INTERNAL", message: expect.stringMatching(/not the student's doing/) });
    expect(readFileSync(join(out, "grades.csv"), "utf8")).toMatch(/^eve,0,100,0,0,grader-error,/m);
    broken = false;
    const again = await gradeBatch(dir, out, prepared, fakeDeps(flaky, join(root, "cache")), { jobs: 2, resume: true });
    expect([again.graded, again.skipped]).toEqual([1, 2]);
    expect(again.results.find((r) => r.submission.name === "eve")!.status).toBe("graded");
  });

  it("refuses to merge an incomplete or duplicated set of shards, says what is missing, and merges a partial set only when told", async () => {
    const dirs = await Promise.all([1, 2, 3, 4].map(async (k) => {
      const d = mkdtempSync(join(tmpdir(), `q${k}-`));
      await gradeBatch(subs, d, prepared, fakeDeps(sandbox, join(root, "cache")), { jobs: 1, resume: false, shard: parseShard(`${k}/4`) });
      return d;
    }));
    const merged = () => mkdtempSync(join(tmpdir(), "m-"));
    expect(() => mergeShards([dirs[0]!, dirs[2]!], merged())).toThrow(/shards 2\/4, 4\/4 are missing/);
    expect(() => mergeShards([dirs[0]!, dirs[0]!, dirs[1]!, dirs[2]!, dirs[3]!], merged())).toThrow(/shard 1\/4 is given twice/);
    expect(() => mergeShards([dirs[0]!, dirs[0]!], merged(), { allowPartial: true })).toThrow(/given twice/);
    expect(mergeShards([dirs[0]!, dirs[2]!], merged(), { allowPartial: true })).toEqual({ merged: 2, missingShards: 2 });
    expect(mergeShards(dirs, merged())).toEqual({ merged: 4, missingShards: 0 });
  });
});
