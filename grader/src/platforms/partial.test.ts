import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SandboxCaseResult } from "../contract.js";
import { gradeSubmission, prepareLab } from "../grade.js";
import { loadLab } from "../lab/load.js";
import { packageRoot } from "../paths.js";
import { fakeDeps, fakeSandbox, fixtureRoot, writeFixtureLab, writeTree } from "../test-helpers.js";
import { prepareVariant } from "../variants/prepare.js";
import { variantSeed } from "../variants/seed.js";
import { partialResult } from "./partial.js";

const root = fixtureRoot(packageRoot());
writeFixtureLab(root);
writeTree(root, { "grader/labs/99-fixture/hidden.yaml": "guests: [hidden/c.s]\ngenerated:\n  - { name: mine, seed: 7, count: 2, mix: [cli, sti], variant: student }\n" });
const lab = loadLab("99-fixture", { root, cwd: root });
const deps = fakeDeps(fakeSandbox(() => ({ cycles: 1100 })), mkdtempSync(join(tmpdir(), "vmlab-partial-cache-")));

describe("a result written mid-grading", () => {
  it("scores the cases graded so far, marks the rest not graded yet, and names the student's variant as the final result does", async () => {
    const prepared = await prepareVariant(await prepareLab(lab, "all", deps), "alice", deps);
    const done: SandboxCaseResult[] = [];
    const final = await gradeSubmission(join(root, "exercises/99-fixture"), prepared, deps, { name: "alice", onCaseResult: (r) => done.push(r) });
    const partial = partialResult(prepared, "alice", done.slice(0, 1));
    expect(partial.variant).toEqual({ key: "alice", seeds: { "hidden/mine": variantSeed(7, "alice") } });
    expect(partial.variant).toEqual(final.variant);
    expect(partial.cases.filter((c) => c.message.startsWith("not graded yet"))).toHaveLength(prepared.cases.length - 1);
    expect(partialResult(prepared, "alice", done).score).toBe(final.score);
  });
});
