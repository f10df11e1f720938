// The serverless harness's light side: how reports speak of its cases, its lab.yaml checks and time predictions — what a grade needs without loading traces or the platform model (serverless-cases.ts).
import type { LabConfig } from "../lab/load.js";
import type { CaseWords, ConfigProblem } from "./harness.js";

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
