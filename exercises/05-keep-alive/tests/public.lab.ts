// Public tests of lab 05: your policy replays each public trace with valid windows, starts fewer invocations cold
// than the fixed 10-minute keep-alive and wastes less memory than never unloading.
// Run them with `npm test` in the handout. The grader replays the same traces (and hidden ones) in a sandbox;
// `npx vmlab grade . --suite public` grades them exactly as it will.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fixedKeepAlive, noUnloading, readTrace, replayWithPolicy, type AppKeepAlive, type KeepAlivePolicy, type KeepAliveWindows } from "vmlab";
import { policy } from "../policy.js";

const traces = fileURLToPath(new URL("../traces/", import.meta.url));
const PUBLIC = ["timers.csv", "mixed.csv"];

/** Your policy, with every answer of `windows` checked as the grader checks it: finite numbers of milliseconds ≥ 0. */
function checked(inner: KeepAlivePolicy, problems: string[]): KeepAlivePolicy {
  return {
    name: inner.name,
    forApp(app: string): AppKeepAlive {
      const state = inner.forApp(app);
      return {
        onInvocation: (now, idle) => state.onInvocation(now, idle),
        windows(now): KeepAliveWindows {
          const w = state.windows(now);
          for (const field of ["preWarmMs", "keepAliveMs"] as const) {
            const v: unknown = w?.[field];
            if (typeof v !== "number" || !Number.isFinite(v) || v < 0) problems.push(`${field} ${String(v)} for ${app} at ${now} ms`);
          }
          return problems.length ? { preWarmMs: 0, keepAliveMs: 0 } : w;
        },
      };
    },
  };
}

describe("lab 05, public suite", () => {
  for (const file of PUBLIC) {
    const trace = readTrace(file, traces);
    const fixed = replayWithPolicy(trace, fixedKeepAlive(10 * 60_000));

    it(`${file}: your policy replays the whole trace with finite windows ≥ 0`, () => {
      const problems: string[] = [];
      const report = replayWithPolicy(trace, checked(policy, problems));
      expect(problems.slice(0, 3)).toEqual([]);
      expect(report.warm + report.cold).toBe(trace.arrivalMs.length);
    });

    it(`${file}: fewer invocations start cold than under the fixed 10-minute keep-alive`, () => {
      const report = replayWithPolicy(trace, policy);
      expect(report.coldStartRate).toBeLessThan(fixed.coldStartRate);
    });

    it(`${file}: less memory is wasted than by never unloading`, () => {
      const report = replayWithPolicy(trace, policy);
      expect(report.wastedGbSeconds).toBeLessThan(replayWithPolicy(trace, noUnloading()).wastedGbSeconds);
    });
  }
});
