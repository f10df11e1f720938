// Loading a lab: a good lab.yaml loads with its suites resolved; a bad one reports every problem at once, with path, position and fix.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LabInvalidError } from "../errors.js";
import { packageRoot } from "../paths.js";
import { FIXTURE_LAB_YAML, fixtureRoot, writeFixtureLab, writeTree } from "../test-helpers.js";
import { listLabs, loadLab } from "./load.js";

let root: string;
beforeEach(() => {
  root = fixtureRoot(packageRoot());
  writeFixtureLab(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function problemsOf(yaml: string): LabInvalidError {
  writeTree(root, { "exercises/99-fixture/lab.yaml": yaml });
  try {
    loadLab("99-fixture", { root, cwd: root });
  } catch (e) {
    if (e instanceof LabInvalidError) return e;
    throw e;
  }
  throw new Error("the lab loaded");
}

describe("loadLab", () => {
  it("finds a lab by id and resolves its public and hidden suites", () => {
    const lab = loadLab("99-fixture", { root, cwd: root });
    expect(lab.id).toBe("99-fixture");
    expect(lab.entry).toBe("handlers.ts");
    expect(lab.exportName).toBe("handlers");
    expect(lab.suites.map((s) => [s.name, s.visibility])).toEqual([["public", "visible"], ["hidden", "hidden"]]);
    expect(lab.suites[0]!.guests.map((g) => [g.name, g.points])).toEqual([["a", 1], ["b", 3]]);
    expect(lab.suites[1]!.declaredIn).toBe(join(root, "grader/labs/99-fixture/hidden.yaml"));
    expect(lab.suites[1]!.generated[0]).toMatchObject({ name: "gen-7", seed: 7, count: 2, generator: "random" });
    expect(lab.late).toEqual({ perDay: { percent: 10 }, maxDays: 3 });
    expect(lab.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("finds a lab by folder path and by lab.yaml path too", () => {
    expect(loadLab("exercises/99-fixture", { root, cwd: root }).id).toBe("99-fixture");
    expect(loadLab("exercises/99-fixture/lab.yaml", { root, cwd: root }).id).toBe("99-fixture");
    expect(listLabs(root)).toEqual(["99-fixture"]);
  });

  it("suggests the nearest lab id for a typo", () => {
    expect(() => loadLab("99-fixtur", { root, cwd: root })).toThrow(/no lab '99-fixtur'/);
    try {
      loadLab("99-fixtur", { root, cwd: root });
    } catch (e) {
      expect((e as { hint?: string }).hint).toBe("did you mean '99-fixture'?");
    }
  });

  it("reports every schema problem at once, each with its path, line and fix", () => {
    const bad = FIXTURE_LAB_YAML.replace("full_at: 1.1", "full_at: 0.5").replace("harness: trap", "harness: trapp").replace("memory_mb: 256", "memory_mb: lots");
    const e = problemsOf(bad);
    const byPath = Object.fromEntries(e.problems.map((p) => [p.path, p]));
    expect(byPath["rubric.overhead.full_at"]).toMatchObject({ message: "must be ≥ 1", line: 15 });
    expect(byPath["rubric.overhead.full_at"]!.hint).toMatch(/ratio ≥ 1/);
    expect(byPath["harness"]!.message).toMatch(/must be one of trap, bt, vtx, paravirt, containers, serverless/);
    expect(byPath["harness"]!.hint).toBe("did you mean 'trap'?");
    expect(byPath["limits.memory_mb"]!.message).toMatch(/must be a whole number/);
    expect(e.problems).toHaveLength(3);
    expect(e.format()).toContain("lab.yaml:15");
    expect(e.format()).toContain("rubric.overhead.full_at: must be ≥ 1");
  });

  it("refuses a lab whose harness the schema knows but the grader does not implement yet, listing the harnesses there are", () => {
    const e = problemsOf(FIXTURE_LAB_YAML.replace("harness: trap", "harness: vtx"));
    expect(e.problems).toEqual([expect.objectContaining({ code: "LAB_INVALID", path: "harness", message: "'vtx' is not implemented yet", hint: "use one of the harnesses there are: trap, bt, containers, serverless", line: 4 })]);
  });

  it("names unknown keys and suggests the key that was meant", () => {
    const e = problemsOf(FIXTURE_LAB_YAML.replace("rubric:", "rubrik:").replace("student_files:", "student_file:"));
    const unknown = e.problems.filter((p) => p.message.startsWith("unknown key"));
    expect(unknown.map((p) => [p.path, p.hint])).toEqual(
      expect.arrayContaining([["rubrik", "did you mean 'rubric'?"], ["student_file", "did you mean 'student_files'?"]]),
    );
    expect(e.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["rubric", "student_files"]));
  });

  it("says a guest needs either path or builtin, once", () => {
    const e = problemsOf(FIXTURE_LAB_YAML.replace("{ path: guests/b.s, points: 3 }", "{ points: 3 }"));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ path: "suites.public.guests[1]" });
    expect(e.problems[0]!.hint).toMatch(/either path: .* or builtin:/);
  });

  it("checks what the schema cannot: zero_at above full_at, the id against the folder, files that exist", () => {
    const bad = FIXTURE_LAB_YAML.replace("zero_at: 3.0", "zero_at: 1.05").replace("id: 99-fixture", "id: 98-fixture").replace("guests/a.s", "guests/nope.s");
    const e = problemsOf(bad);
    expect(e.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["id", "rubric.overhead.zero_at", "suites.public.guests[0]"]));
    expect(e.problems.find((p) => p.path === "rubric.overhead.zero_at")!.message).toBe("must be greater than full_at (1.1)");
  });

  it("reports YAML syntax errors with their line", () => {
    const e = problemsOf("id: 99-fixture\ntitle: [unclosed\n");
    expect(e.problems[0]!.code).toBe("LAB_YAML_SYNTAX");
    expect(e.problems[0]!.line).toBeGreaterThan(0);
  });

  it("validates a suite file against the same schema, with paths from the suite", () => {
    writeTree(root, { "grader/labs/99-fixture/hidden.yaml": "guests: [hidden/c.s]\ngenerated:\n  - { seed: -1, count: 2, mix: [cli], colour: red }\n" });
    const e = problemsOf(FIXTURE_LAB_YAML);
    expect(e.problems.map((p) => [p.path, p.file])).toEqual(
      expect.arrayContaining([["suites.hidden.generated[0].seed", "grader/labs/99-fixture/hidden.yaml"], ["suites.hidden.generated[0].colour", "grader/labs/99-fixture/hidden.yaml"]]),
    );
  });
});
