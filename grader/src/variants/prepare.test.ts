import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { studentView } from "../disclosure.js";
import { gradeSubmission, prepareLab } from "../grade.js";
import { loadLab } from "../lab/load.js";
import { fakeDeps, fakeSandbox, fixtureRoot, writeFixtureLab, writeTree } from "../test-helpers.js";
import { packageRoot } from "../paths.js";
import { prepareVariant } from "./prepare.js";
import { variantSeed } from "./seed.js";

const root = fixtureRoot(packageRoot());
writeFixtureLab(root);
writeTree(root, { "grader/labs/99-fixture/hidden.yaml": "guests: [hidden/c.s]\ngenerated:\n  - { name: mine, seed: 7, count: 2, mix: [cli, sti], variant: student }\n  - { name: shared, seed: 9, count: 1, mix: [cli] }\n" });
const lab = loadLab("99-fixture", { root, cwd: root });
const sandbox = fakeSandbox(() => ({ cycles: 1100 }));
const deps = fakeDeps(sandbox, mkdtempSync(join(tmpdir(), "vmlab-variant-cache-")));
const seedsOf = (cases: readonly { id: string; origin: { kind: string; seed?: number } }[]) => Object.fromEntries(cases.filter((c) => c.origin.kind === "generated").map((c) => [c.id, c.origin.seed]));

describe("per-student variants", () => {
  it("give two students different generated guests in the per-student set and the same in the shared one", async () => {
    const base = await prepareLab(lab, "all", deps);
    const [alice, bob] = await Promise.all([prepareVariant(base, "alice", deps), prepareVariant(base, "bob", deps)]);
    const a = seedsOf(alice.cases), b = seedsOf(bob.cases);
    expect(a["hidden/mine-000"]).not.toBe(b["hidden/mine-000"]);
    expect(a["hidden/mine-001"]).not.toBe(b["hidden/mine-001"]);
    expect(a["hidden/shared-000"]).toBe(b["hidden/shared-000"]);
    expect(alice.cases.map((c) => c.id)).toEqual(base.cases.map((c) => c.id));
  });

  it("write the student and each set's seed into the result, and grade the same variant the same way every time", async () => {
    const base = await prepareLab(lab, "all", deps);
    const sub = join(root, "exercises/99-fixture");
    const once = await gradeSubmission(sub, await prepareVariant(base, "alice", deps), deps, { name: "alice" });
    expect(once.variant).toEqual({ key: "alice", seeds: { "hidden/mine": variantSeed(7, "alice") } });
    const again = await gradeSubmission(sub, await prepareVariant(await prepareLab(lab, "all", deps), "alice", deps), deps, { name: "alice" });
    const { timings: _a, ...x } = once;
    const { timings: _b, ...y } = again;
    expect(y).toEqual(x);
    // A student reads whose variant it is, never the seeds a hidden guest could be regenerated from.
    expect(studentView(once).variant).toEqual({ key: "alice" });
  });

  it("leave a lab without per-student sets as it is", async () => {
    const plain = loadLab("99-fixture", { root: (() => { const r = fixtureRoot(packageRoot()); writeFixtureLab(r); return r; })(), cwd: root });
    const base = await prepareLab(plain, "all", deps);
    expect(await prepareVariant(base, "alice", deps)).toBe(base);
    expect((await gradeSubmission(join(plain.dir), base, deps)).variant).toBeUndefined();
  });
});
