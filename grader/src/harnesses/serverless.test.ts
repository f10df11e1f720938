// The serverless harness on the grader's side: traces become cases, a malformed trace is refused with its file and line, lab.yaml is checked, and the baseline is the fixed 10-minute keep-alive.
import { describe, expect, it } from "vitest";
import { isVmlabError } from "../../../src/core/errors.js";
import { fixedKeepAlive } from "../../../src/serverless/keep-alive.js";
import { replayWithPolicy } from "../../../src/serverless/keep-alive-experiment.js";
import { buildCases } from "../cases.js";
import { realFactory, realTrusted } from "../deps.js";
import type { Lab, LabConfig, ResolvedSuite } from "../lab/load.js";
import { loadLab } from "../lab/load.js";
import { traceFromWire, type ServerlessInput } from "../sandbox/serverless/wire.js";
import { buildServerlessCases, serverlessBaseline } from "./serverless-cases.js";
import { checkServerlessConfig, serverlessPredictSeconds } from "./serverless-config.js";

const lab = loadLab("05-keep-alive");
const deps = { factory: realFactory, trusted: realTrusted };

function suiteOf(text: string): ResolvedSuite {
  return { name: "public", declaredIn: lab.yamlPath, visibility: "visible", guests: [], generated: [], cases: [{ name: "bad", file: `${lab.root}/exercises/x/traces/bad.csv`, text, points: 1, visibility: "visible" }] };
}

describe("the serverless harness", () => {
  it("builds one case per trace, in declaration order, with the trace as its input", async () => {
    const cases = await buildCases(lab, "all", deps);
    expect(cases.map((c) => c.id)).toEqual(["public/timers", "public/mixed", "hidden/timers-b", "hidden/bursty", "hidden/mixed-b", "hidden/sparse"]);
    expect(cases[0]!.origin).toEqual({ kind: "file", file: "exercises/05-keep-alive/traces/timers.csv" });
    const trace = traceFromWire((cases[0]!.input as unknown as ServerlessInput).trace);
    expect(trace.arrivalMs.length).toBe(741);
    expect(trace.apps).toHaveLength(7);
    // Plain JSON, as the sandbox receives it.
    expect(JSON.parse(JSON.stringify(cases[0]!.input))).toEqual(cases[0]!.input);
  });

  it("refuses a malformed trace with TRACE_BAD_ROW, its file relative to the package root and its line", () => {
    const text = "app,func,end_timestamp,duration\na1,f1,1.5,0.1\na1,f1,soon,0.1\n";
    let error: unknown;
    try {
      buildServerlessCases(suiteOf(text), lab as Lab);
    } catch (e) {
      error = e;
    }
    expect(isVmlabError(error)).toBe(true);
    expect(error).toMatchObject({ code: "TRACE_BAD_ROW", where: { file: "exercises/x/traces/bad.csv", line: 3, column: 7 }, message: "end_timestamp is 'soon', not a number ≥ 0" });
    expect(() => buildServerlessCases(suiteOf("app,func,end_timestamp\na1,f1,1\n"), lab)).toThrow(/column 4 of the header is '', expected 'duration'/);
    expect(() => buildServerlessCases(suiteOf("app,func,end_timestamp,duration\na1,f1,1.5\n"), lab)).toThrow(/the row has 3 fields, the header 4/);
  });

  it("refuses lab.yaml that names guests, a profile or generated cases", () => {
    const problems: string[] = [];
    const config = { ...lab.config, profile: "strict", suites: { public: { guests: ["a.s"], generated: [{ seed: 1, count: 2 }] } } } as unknown as LabConfig;
    checkServerlessConfig(config, (path, what) => problems.push(`${path.join(".")} ${what}`));
    expect(problems).toEqual([
      "profile is set, but the serverless harness runs traces, not guests",
      "suites.public.guests names guests, but the serverless harness replays traces",
      "suites.public.generated asks for generated cases, but the serverless harness has no trace generator",
    ]);
  });

  it("computes the baseline in the grader's process: the fixed 10-minute keep-alive's wasted MB·s and metrics", async () => {
    const [timers] = await buildCases(lab, "public", deps);
    const b = serverlessBaseline(timers!);
    const r = replayWithPolicy(traceFromWire((timers!.input as unknown as ServerlessInput).trace), fixedKeepAlive(600_000));
    expect(b.cost).toBeCloseTo(r.wastedGbSeconds * 1024, 6);
    expect(b.metrics).toEqual({ cold_start_pct: r.coldStartRate * 100, p50_ms: r.latency.p50, p99_ms: r.latency.p99 });
    expect(b.cost).toBeGreaterThan(0);
  });

  it("predicts a case's CPU seconds from its invocations", () => {
    expect(serverlessPredictSeconds({ invocations: 1000 })).toBeCloseTo(0.06, 12);
    expect(serverlessPredictSeconds({})).toBe(0.02);
  });
});
