// Before any test file starts: build the sandbox child (dist/) once if its sources are newer, so two workers never run tsc over dist/ at once.
//
// Test files that start sandbox children call ensureChildBuilt() in their beforeAll; with two files running at once,
// both would find dist/ stale and rebuild it together, one writing files while the other's children load them. Here
// the whole run builds first, in one place. A run given test file filters (`vitest run path/to/file.test.ts`) skips
// this: a single file builds for itself if it needs to, and a unit test does not wait on tsc.
import type { TestProject } from "vitest/node";
import { ensureChildBuilt } from "../grader/src/sandbox/built.js";
import { vmlabRoot } from "../src/core/package-root.js";

export async function setup(project: TestProject): Promise<void> {
  // The run's file filters are not public API; when they cannot be read, build (the safe choice).
  const filters = (project.vitest as unknown as { filenamePattern?: readonly string[] }).filenamePattern;
  if (filters?.length) return;
  await ensureChildBuilt(vmlabRoot());
}
