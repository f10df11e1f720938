// The serverless harness's cases: every trace file of a suite (Azure Functions 2021 schema), loaded and checked here; the fixed 10-minute keep-alive's run is the baseline.
import { loadAzure2021 } from "../../../src/serverless/azure-2021.js";
import { fixedKeepAlive } from "../../../src/serverless/keep-alive.js";
import { AWS_KEEP_ALIVE_MS } from "../../../src/serverless/policy-api.js";
import type { GradeCase } from "../cases.js";
import type { Lab, ResolvedSuite } from "../lab/load.js";
import { measureTrace } from "../sandbox/serverless/case.js";
import { traceFromWire, traceToWire, type ServerlessInput } from "../sandbox/serverless/wire.js";
import type { Baseline } from "./harness.js";

/** The traces of one suite, in declaration order; a malformed trace is a TraceError naming its file (relative to the package root) and line. */
export function buildServerlessCases(suite: ResolvedSuite, lab: Lab): GradeCase[] {
  return suite.cases.map((c) => {
    const file = c.file.startsWith(lab.root + "/") ? c.file.slice(lab.root.length + 1) : c.file;
    const trace = loadAzure2021({ file, text: c.text });
    const apps = trace.apps.length;
    return {
      id: `${suite.name}/${c.name}`, suite: suite.name, group: `${suite.name}/${c.name}`, name: c.name, visibility: c.visibility, weight: c.points,
      describe: c.describe ?? `trace ${c.name}: ${trace.arrivalMs.length} invocations of ${apps} application${apps === 1 ? "" : "s"}`,
      origin: { kind: "file", file },
      input: { trace: traceToWire(trace) } satisfies ServerlessInput,
    };
  });
}

/** A serverless case's baseline: the fixed 10-minute keep-alive (AWS Lambda's) replaying the same trace, here in the grader's process. */
export function serverlessBaseline(c: GradeCase): Baseline {
  const m = measureTrace(traceFromWire((c.input as unknown as ServerlessInput).trace), fixedKeepAlive(AWS_KEEP_ALIVE_MS));
  return { cost: m.cost, metrics: m.metrics };
}
