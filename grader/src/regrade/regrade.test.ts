import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeBatch } from "../batch.js";
import { deadlineFor } from "../deadlines/resolve.js";
import { prepareLab } from "../grade.js";
import { loadLab } from "../lab/load.js";
import { packageRoot } from "../paths.js";
import { withoutTimings, type GradeResult } from "../result.js";
import { FIXTURE_LAB_YAML, fakeDeps, fakeSandbox, fixtureRoot, writeFixtureLab, writeTree } from "../test-helpers.js";
import { regrade, regradeText } from "./regrade.js";

let root: string;
let subs: string;
let first: string;
const sandbox = fakeSandbox((js, id) => ({ cycles: js.includes("MEDIUM") ? 1500 : 1000, equivalent: !(js.includes("WRONG_C") && id === "hidden/c") }));
const deps = () => fakeDeps(sandbox, join(root, "cache"));
const load = () => loadLab("99-fixture", { root, cwd: root });
const read = (dir: string, name: string): GradeResult => JSON.parse(readFileSync(join(dir, "results", `${name}.json`), "utf8")) as GradeResult;

beforeAll(async () => {
  root = fixtureRoot(packageRoot());
  writeFixtureLab(root);
  writeTree(root, { "grader/labs/99-fixture/hidden.yaml": "guests: [hidden/c.s]\ngenerated:\n  - { name: mine, seed: 7, count: 2, mix: [cli, sti], variant: student }\n" });
  subs = join(root, "subs");
  writeTree(subs, {
    "ann/handlers.ts": "// ok\n", "ben/handlers.ts": "// MEDIUM\n", "cid/handlers.ts": "// WRONG_C\n",
    "cid/vmlab-submission.json": JSON.stringify({ submitted_at: "2027-03-03T10:00:00Z" }),
  });
  first = join(root, "first");
  const lab = load();
  await gradeBatch(subs, first, await prepareLab(lab, "all", deps()), deps(), { jobs: 2, resume: false, deadline: (s, student) => deadlineFor({}, lab, s, student) });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("vmlab regrade", () => {
  it("gives every submission the same result when nothing changed: same variant, same late penalty", async () => {
    const again = join(root, "again");
    const report = await regrade(first, again, await prepareLab(load(), "all", deps()), deps(), { jobs: 2 });
    expect(report).toMatchObject({ dropped: 0, raised: 0, unchanged: 3, changes: [] });
    for (const n of ["ann", "ben", "cid"]) expect(withoutTimings(read(again, n)), n).toEqual(withoutTimings(read(first, n)));
    expect(read(again, "cid").late).toMatchObject({ days_late: 2, penalty: expect.any(Number), source: "declared" });
    expect(read(again, "ann").variant?.key).toBe("ann");
  });

  it("after a rubric change, reports each student's old and new score and flags every drop", async () => {
    writeTree(root, { "exercises/99-fixture/lab.yaml": FIXTURE_LAB_YAML.replace("zero_at: 3.0", "zero_at: 1.5") });
    try {
      const out = join(root, "stricter");
      const report = await regrade(first, out, await prepareLab(load(), "all", deps()), deps(), { jobs: 2 });
      const ben = report.rows.find((r) => r.submission === "ben")!;
      expect(ben.dropped).toBe(true);
      expect(ben.new!).toBeLessThan(ben.old!);
      expect(report.rows.filter((r) => r.dropped).map((r) => r.submission)).toEqual(["ben"]);
      expect(report.changes).toEqual(["lab 99-fixture changed since the first grading (another lab.yaml, suite or guest)"]);
      const text = regradeText(report);
      const p2 = (x: number) => String(Math.round(x * 100) / 100);
      expect(text).toMatch(new RegExp(`^ben +${p2(ben.old!)} → ${p2(ben.new!)}  DROPPED by ${p2(ben.old! - ben.new!)}$`, "m"));
      expect(text).toMatch(/^1 score dropped, 0 raised, 2 unchanged$/m);
      expect(readFileSync(join(out, "regrade.csv"), "utf8")).toMatch(/^ben,[\d.]+,[\d.]+,-[\d.]+,yes,$/m);
    } finally {
      writeTree(root, { "exercises/99-fixture/lab.yaml": FIXTURE_LAB_YAML });
    }
  });

  it("with --force-full gives the broken case full marks for everyone, and refuses a case the lab does not have", async () => {
    const out = join(root, "forced");
    const prepared = await prepareLab(load(), "all", deps());
    const report = await regrade(first, out, prepared, deps(), { jobs: 2, forceFull: ["hidden/c"] });
    const cid = report.rows.find((r) => r.submission === "cid")!;
    expect(cid.new!).toBeGreaterThan(cid.old!);
    expect(read(out, "cid").cases.find((c) => c.id === "hidden/c")).toMatchObject({ status: "passed", forced: true, message: expect.stringMatching(/^given full marks: this case was found broken/) });
    expect(report.changes).toContain("given full marks: hidden/c");
    await expect(regrade(first, join(root, "bad"), prepared, deps(), { jobs: 1, forceFull: ["hidden/cc"] })).rejects.toThrow(/--force-full hidden\/cc: lab 99-fixture has no such case[\s\S]*/);
  });

  it("notes a submission whose files changed since the first grading", async () => {
    writeFileSync(join(subs, "ann/handlers.ts"), "// ok, edited after the deadline\n");
    try {
      const report = await regrade(first, join(root, "edited"), await prepareLab(load(), "all", deps()), deps(), { jobs: 2 });
      expect(report.rows.find((r) => r.submission === "ann")!.notes).toContain("its files changed since the first grading");
    } finally {
      writeFileSync(join(subs, "ann/handlers.ts"), "// ok\n");
    }
  });
});
