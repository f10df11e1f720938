// Lab 05 as committed: it loads on the serverless harness, its starter is what the solution generates, its reference is the paper's policy as the library implements it, and its calibration set applies to the solution.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAzure2021 } from "../../../src/serverless/azure-2021.js";
import { hybridHistogramPolicy } from "../../../src/serverless/hybrid-policy.js";
import { AWS_KEEP_ALIVE_MS } from "../../../src/serverless/policy-api.js";
import { policy as reference } from "../../../solutions/05-keep-alive/policy.js";
import { measureTrace } from "../sandbox/serverless/case.js";
import { loadCalibration } from "./calibration.js";
import { loadLab } from "./load.js";
import { starterDrift } from "./validate.js";

describe("lab 05-keep-alive", () => {
  const lab = loadLab("05-keep-alive");

  it("loads on the serverless harness with public traces students see and hidden ones kept under grader/labs/", () => {
    expect(lab.harness).toBe("serverless");
    expect(lab.exportName).toBe("policy");
    expect(lab.suites.map((s) => [s.name, s.visibility, s.cases.length])).toEqual([["public", "visible", 2], ["hidden", "after_due_date", 4]]);
    expect(lab.suites[1]!.declaredIn).toMatch(/grader\/labs\/05-keep-alive\/hidden\.yaml$/);
  });

  it("has a committed starter that is exactly what the solution's regions generate", () => {
    expect(starterDrift(lab).map((d) => d.file)).toEqual([]);
  });

  it("has a reference that measures exactly as the library's hybrid policy with a 10-minute fallback, on every trace", () => {
    for (const suite of lab.suites) {
      for (const c of suite.cases) {
        const trace = loadAzure2021({ file: c.name, text: c.text });
        expect(measureTrace(trace, reference), c.name).toEqual(measureTrace(trace, hybridHistogramPolicy({ fallbackKeepAliveMs: AWS_KEEP_ALIVE_MS })));
      }
    }
  });

  it("has a calibration set whose patches still apply to the solution", () => {
    const entries = loadCalibration(lab);
    expect(entries.map((e) => e.name)).toEqual(["never-expire", "expire-at-once", "histogram-off-by-one", "paper-fallback"]);
    const solution = readFileSync(join(lab.solutionDir, "policy.ts"), "utf8");
    const offByOne = entries[2]!.files["policy.ts"]!;
    expect(offByOne).not.toBe(solution);
    expect(offByOne).toContain("const loadedUntilMs = percentileBin(this, TAIL) * BIN_MS * (1 + MARGIN);");
    expect(entries[0]!.expect).toEqual({ score: [65, 75], overhead: [0, 0], cold_start_pct: [30, 30] });
  });
});
