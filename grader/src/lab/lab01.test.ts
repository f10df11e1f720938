// Lab 01 as committed: its lab.yaml follows the schema, its hidden suite stays under grader/labs/, and its starter is what the solution generates.
import { describe, expect, it } from "vitest";
import { buildCases } from "../cases.js";
import { realFactory, realTrusted } from "../deps.js";
import { loadLab } from "./load.js";
import { starterDrift } from "./validate.js";

describe("lab 01-trap-and-emulate", () => {
  const lab = loadLab("01-trap-and-emulate");

  it("loads with a public suite students see and a hidden suite kept under grader/labs/", () => {
    expect(lab.harness).toBe("trap");
    expect(lab.suites.map((s) => [s.name, s.visibility])).toEqual([["public", "visible"], ["hidden", "after_due_date"]]);
    expect(lab.suites[1]!.declaredIn).toMatch(/grader\/labs\/01-trap-and-emulate\/hidden\.yaml$/);
  });

  it("has a committed starter that is exactly what the solution's regions generate", () => {
    expect(starterDrift(lab).map((d) => d.file)).toEqual([]);
  });

  it("builds every case of every suite: bundled, hand-written and generated guests", async () => {
    const cases = await buildCases(lab, "all", { factory: realFactory, trusted: realTrusted });
    expect(cases.filter((c) => c.suite === "public")).toHaveLength(5);
    expect(cases.filter((c) => c.origin.kind === "generated")).toHaveLength(20);
    expect(cases.find((c) => c.id === "hidden/tick-count")!.origin).toEqual({ kind: "file", file: "grader/labs/01-trap-and-emulate/hidden/tick-count.s" });
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });
});
