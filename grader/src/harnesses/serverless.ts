// The serverless harness on the grader's side: lab 05's keep-alive policy API for type-checking, and what `lab new --harness serverless` writes.
import { makeStarter } from "../lab/regions.js";
import { GRADER_PATHS } from "../paths.js";
import type { Harness } from "./harness.js";
import { serverlessTypeApi } from "./type-apis.js";
import { checkServerlessConfig, SERVERLESS_WORDS, serverlessPredictSeconds } from "./serverless-config.js";

const SOLUTION = `// Reference policy for this lab. Code between the markers is what students write.
import type { AppKeepAlive, KeepAlivePolicy, KeepAliveWindows } from "vmlab";

const MINUTE_MS = 60_000;

/** One application's state: how long it was idle last time. */
class LastIdle implements AppKeepAlive {
  last: number | undefined;

  onInvocation(_nowMs: number, idleMs: number | undefined): void {
    // BEGIN SOLUTION
    if (idleMs !== undefined) this.last = idleMs;
    // END SOLUTION
  }

  windows(_nowMs: number): KeepAliveWindows {
    // BEGIN SOLUTION
    return { preWarmMs: 0, keepAliveMs: Math.max(10 * MINUTE_MS, 1.1 * (this.last ?? 0)) };
    // END SOLUTION
  }
}

export const policy: KeepAlivePolicy = {
  name: "last-idle",
  forApp: () => new LastIdle(),
};
`;

/** A few invocations in the Azure Functions 2021 schema (app,func,end_timestamp,duration; seconds). */
const TRACE = `app,func,end_timestamp,duration
a1,f1,60.100,0.100
a1,f1,960.100,0.100
a1,f1,1860.100,0.100
a2,f2,30.050,0.050
a2,f2,40.050,0.050
a1,f1,2760.100,0.100
`;

const PUBLIC_TESTS = `// Public tests: your policy replays every trace in traces/ with valid windows.
// Run them with \`npm test\` in the handout. The grader replays the same traces (and hidden ones) in a sandbox.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTrace, replayWithPolicy } from "vmlab";
import { policy } from "../policy.js";

const dir = fileURLToPath(new URL("../traces/", import.meta.url));

describe("public suite", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".csv"))) {
    it(\`replays \${file} with your policy\`, () => {
      const report = replayWithPolicy(readTrace(file, dir), policy);
      expect(report.requests).toBeGreaterThan(0);
    });
  }
});
`;

export const serverlessHarness: Harness = {
  name: "serverless",
  describe: "serverless keep-alive: students write a keep-alive / pre-warm policy (KeepAlivePolicy), cases replay traces on the function platform",
  exportName: "policy",
  words: SERVERLESS_WORDS,
  runaway: "A policy method probably runs forever: a loop over idle times whose condition never changes, or a histogram walk that never reaches its end.",
  ...serverlessTypeApi,
  scaffoldYaml: (id) => `student_files: [policy.ts]
export: policy
limits: { case_seconds: 10, memory_mb: 256 }
suites:
  public:
    cases: [traces/*.csv]
  hidden:
    file: ${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml
rubric:
  correctness: { points: 25, per: case }
  overhead: { points: 30, full_at: 1.1, zero_at: baseline }
  metrics:
    cold_start_pct: { points: 30, full_at: 1.1, zero_at: 6 }
    p50_ms: { points: 15, full_at: 1.05, zero_at: 2 }
`,
  scaffold: (id, title) => ({
    [`${GRADER_PATHS.exercises}/${id}/README.md`]: `# ${title}\n\nWrite the keep-alive policy in \`policy.ts\`. Run the public tests with \`npm test\`.\n`,
    [`${GRADER_PATHS.exercises}/${id}/traces/sample.csv`]: TRACE,
    [`${GRADER_PATHS.exercises}/${id}/tests/public.lab.ts`]: PUBLIC_TESTS,
    [`${GRADER_PATHS.exercises}/${id}/policy.ts`]: makeStarter(SOLUTION, "policy.ts"),
    [`${GRADER_PATHS.solutions}/${id}/policy.ts`]: SOLUTION,
    [`${GRADER_PATHS.hiddenLabs}/${id}/hidden.yaml`]: `# Hidden suite of ${id}: never shipped.\ncases: [traces/*.csv]\n`,
    [`${GRADER_PATHS.hiddenLabs}/${id}/traces/hidden-sample.csv`]: TRACE.replace(/a1,/g, "h1,"),
  }),
  checkConfig: checkServerlessConfig,
  // Traces and the platform model are loaded only to build cases and their baselines (a grade whose cases and numbers are cached does neither).
  buildCases: async (suite, lab) => (await import("./serverless-cases.js")).buildServerlessCases(suite, lab),
  baseline: async (c) => (await import("./serverless-cases.js")).serverlessBaseline(c),
  predictSeconds: serverlessPredictSeconds,
};
