// Pass 4, run: send every case to the sandbox in one request; a sandbox failure becomes a per-case result, never a grader crash.
import type { GradeCase } from "../cases.js";
import type { SandboxCaseResult, SandboxPort, SandboxRequest } from "../contract.js";
import type { Lab } from "../lab/load.js";
import { harnessOf } from "../harnesses/index.js";
import type { CompiledSubmission } from "./compile.js";

/** The sandbox request for a submission's JavaScript (a compiled submission's `js`) and a list of cases. */
export function sandboxRequest(
  js: Readonly<Record<string, string>>, cases: readonly GradeCase[], lab: Pick<Lab, "entry" | "exportName" | "limits" | "cost" | "harness">, limits?: ReadonlyMap<string, number>, engine?: string,
): SandboxRequest {
  const runaway = harnessOf(lab.harness).runaway;
  return {
    harness: lab.harness,
    entry: lab.entry,
    exportName: lab.exportName,
    js,
    cases: cases.map((c) => {
      const seconds = limits?.get(c.id);
      return { id: c.id, input: c.input, ...(seconds === undefined ? {} : { seconds }) };
    }),
    limits: {
      caseSeconds: lab.limits.caseSeconds,
      memoryMb: lab.limits.memoryMb,
      ...(lab.limits.outputBytes ? { outputBytes: lab.limits.outputBytes } : {}),
    },
    ...(Object.keys(lab.cost).length ? { cost: { ...lab.cost } } : {}),
    ...(runaway ? { runaway } : {}),
    ...(engine ? { engine } : {}),
  };
}

/** Run the cases; returns one result per case id, in case order. */
export async function runPass(
  compiled: CompiledSubmission,
  cases: readonly GradeCase[],
  lab: Pick<Lab, "entry" | "exportName" | "limits" | "cost" | "harness">,
  run: SandboxPort["runInSandbox"],
  options: { signal?: AbortSignal; limits?: ReadonlyMap<string, number>; onResult?: (result: SandboxCaseResult) => void; engine?: string | undefined } = {},
): Promise<SandboxCaseResult[]> {
  if (!compiled.ok) return cases.map((c) => ({ id: c.id, status: "load-error", message: "not run: the submission did not compile" }));
  let results: SandboxCaseResult[];
  try {
    results = await run(sandboxRequest(compiled.js, cases, lab, options.limits, options.engine), { ...(options.signal ? { signal: options.signal } : {}), ...(options.onResult ? { onResult: options.onResult } : {}) });
  } catch (e) {
    const message = `the sandbox failed: ${(e as Error).message ?? String(e)}`;
    return cases.map((c) => ({ id: c.id, status: "crashed", message }));
  }
  const byId = new Map(results.map((r) => [r.id, r]));
  return cases.map((c) => byId.get(c.id) ?? { id: c.id, status: "crashed", message: "the sandbox returned no result for this case (the process may have died before reaching it)" });
}
