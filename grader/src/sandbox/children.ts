// The child sides of the grader's harnesses, by name: the sandbox child loads the one it was started for, and no other.
//
// A child is started for one harness (runner.ts passes its name after the script); it imports that
// harness's modules alone, before lockdown(). Lab 01's trap child then skips the container and
// serverless models and the binary translator's harness: about 60 modules, 0.08 CPU-seconds of every child.
import type { ChildHarness } from "./harness.js";

export const CHILD_HARNESSES: Readonly<Record<string, () => Promise<ChildHarness>>> = {
  trap: async () => (await import("./trap/child.js")).trapChild,
  bt: async () => (await import("./bt/child.js")).btChild,
  containers: async () => (await import("./containers/child.js")).containersChild,
  serverless: async () => (await import("./serverless/child.js")).serverlessChild,
};

/** The harness a child was started for, loaded; undefined for a name that is none. */
export function loadChildHarness(name: string | undefined): Promise<ChildHarness> | undefined {
  return name !== undefined && Object.hasOwn(CHILD_HARNESSES, name) ? CHILD_HARNESSES[name]!() : undefined;
}
