// What a batch warms its kept sandbox children with: the lab's reference solution (trusted code) on the public cases, before any submission arrives.
import { existsSync } from "node:fs";
import type { SandboxRequest } from "./contract.js";
import type { GraderDeps, PreparedLab } from "./grade.js";
import { compilePass } from "./passes/compile.js";
import { sandboxRequest } from "./passes/run.js";
import { solutionFiles } from "./reference.js";

/**
 * The warm-up request (the reference on the public cases, or the first case when there are none) and a
 * request like those the batch will send (the reference on every case, for the children's CPU caps).
 * Undefined where the solution does not ship (a handout) or does not compile: the children then start cold.
 */
export async function warmUpRequests(prepared: PreparedLab, deps: Pick<GraderDeps, "sandbox" | "engine">): Promise<{ readonly warm: SandboxRequest; readonly like: SandboxRequest } | undefined> {
  const { lab, cases } = prepared;
  if (!existsSync(lab.solutionDir)) return undefined;
  const compiled = await compilePass({ name: "reference", kind: "folder", files: solutionFiles(lab), feedback: [] }, lab, deps.sandbox.compileSubmission.bind(deps.sandbox));
  if (!compiled.ok) return undefined;
  const open = cases.filter((c) => c.suite === "public");
  return {
    warm: sandboxRequest(compiled.js, open.length ? open : cases.slice(0, 1), lab, prepared.numbers.limits, deps.engine),
    like: sandboxRequest(compiled.js, cases, lab, prepared.numbers.limits, deps.engine),
  };
}
