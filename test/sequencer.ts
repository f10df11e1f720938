// Test files in the order that keeps every worker busy to the end: the longest first, by vitest's own timings of the last run, else by an estimate.
//
// vitest orders files by the durations it cached from the last run (node_modules/.vite/vitest), and without them
// (a fresh install: `npm ci` removes that folder) by file size, largest first. Size misleads for a few short files
// that run long — one tsc over every test, a batch of sandboxed submissions, the notebooks' kernel — and one of
// those started last keeps one worker busy while the others have nothing left to do. Until vitest has timed a file,
// the estimates below (seconds, rounded, from a run on two cores) put those first; every other file keeps
// vitest's order.
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const ESTIMATED_SECONDS: Readonly<Record<string, number>> = {
  "grader/src/e2e.test.ts": 100,
  "grader/src/engines.e2e.test.ts": 100,
  "notebooks/notebooks.test.ts": 90,
  "grader/src/threats-batch.test.ts": 90,
  "grader/src/sandbox/threats.test.ts": 45,
  "test/typecheck.test.ts": 40,
  "grader/src/sandbox/compile-worker.test.ts": 27,
  "grader/src/platforms/platforms.e2e.test.ts": 27,
  "grader/src/handouts.e2e.test.ts": 26,
  "src/engines/dbt.differential.random.test.ts": 30,
  "src/engines/reference.test.ts": 22,
  "grader/src/e2e-containers.test.ts": 21,
};

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const key = (f: TestSpecification): string => relative(this.ctx.config.root, f.moduleId);
    if (sorted.every((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${key(f)}`))) return sorted;
    const estimate = (f: TestSpecification): number => ESTIMATED_SECONDS[key(f)] ?? 0;
    // Array.prototype.sort is stable: files without an estimate keep vitest's order among themselves.
    return sorted.sort((a, b) => estimate(b) - estimate(a));
  }
}
