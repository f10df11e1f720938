// The serverless harness's cases: every trace file of a suite (Azure Functions 2021 schema), loaded and checked here; the fixed 10-minute keep-alive's run is the baseline.
import { loadAzure2021 } from "../../../src/serverless/azure-2021.js";
import { fixedKeepAlive } from "../../../src/serverless/keep-alive.js";
import { AWS_KEEP_ALIVE_MS } from "../../../src/serverless/policy-api.js";
import type { GradeCase } from "../cases.js";
import type { Lab, LabConfig, ResolvedSuite } from "../lab/load.js";
import { measureTrace } from "../sandbox/serverless/case.js";
import { traceFromWire, traceToWire, type ServerlessInput } from "../sandbox/serverless/wire.js";
import type { Baseline, CaseWords, ConfigProblem } from "./harness.js";

/** How reports speak of serverless cases. */
export const SERVERLESS_WORDS: CaseWords = {
  unit: "MB·s idle",
  baseline: "the fixed 10-minute keep-alive",
  passed: "replayed the trace with valid keep-alive windows",
  failed: "did not replay the trace with valid keep-alive windows",
};

/** lab.yaml for a serverless lab: traces under cases:, no guests, no profile, no generated sets. */
export function checkServerlessConfig(config: LabConfig, problem: ConfigProblem): void {
  if (config.profile) problem(["profile"], "is set, but the serverless harness runs traces, not guests", "remove profile:");
  for (const [name, suite] of Object.entries(config.suites)) {
    if (!suite) continue;
    if (suite.guests?.length) problem(["suites", name, "guests"], "names guests, but the serverless harness replays traces", "list trace files (Azure Functions 2021 schema, .csv) under cases: instead");
    if (suite.generated?.length) problem(["suites", name, "generated"], "asks for generated cases, but the serverless harness has no trace generator", "generate traces once with a seeded script and list the files under cases:");
  }
}

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

/**
 * What the reference's run of a serverless case costs the sandbox, from its counters: an estimate, not a timing.
 * In-process replays of the lab's traces take about 30 ms for a thousand invocations on the 2-core machine; the
 * figures below add room for the guarded policy calls (three per invocation) and a cold child. The limit a case
 * gets is 20 × this, at least a second (reference.ts caseLimit).
 */
const CASE_SECONDS = 0.02;
const INVOCATION_SECONDS = 40e-6;

export function serverlessPredictSeconds(counters: Readonly<Record<string, unknown>>): number {
  const invocations = typeof counters.invocations === "number" ? counters.invocations : 0;
  return CASE_SECONDS + invocations * INVOCATION_SECONDS;
}
