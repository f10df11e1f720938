// Public tests of lab 04: each case in cases/ must come out of your functions exactly as it comes out of the container model.
// Run them with `npm test` in the handout. The grader runs the same cases (and hidden ones) in a sandbox;
// `npx vmlab grade . --suite public` grades them exactly as it will, bytes written included.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkLabCase, formatLabDivergence, loadCaseFiles } from "vmlab";
import { lab } from "../overlay.js";

const cases = loadCaseFiles(fileURLToPath(new URL("../cases/", import.meta.url)));

describe("lab 04, public suite", () => {
  it("has cases to run", () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.describe ?? "as the model"}`, () => {
      const r = checkLabCase(lab, c.case);
      // The first difference from the model, in words, when there is one.
      expect(r.divergence ? formatLabDivergence(r.divergence, c.case.kind === "overlay" ? c.case.ops.length : 0) : "").toBe("");
      expect(r.ok).toBe(true);
    });
  }
});
