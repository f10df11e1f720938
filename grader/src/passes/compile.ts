// Pass 3, compile: type-check the staged files against the handler API and emit JavaScript; TypeScript errors become feedback with file:line.
import type { CompileResult, SandboxPort } from "../contract.js";
import type { Lab } from "../lab/load.js";
import type { Feedback } from "../result.js";
import type { StagedSubmission } from "./stage.js";

export interface CompiledSubmission {
  readonly ok: boolean;
  readonly js: Readonly<Record<string, string>>;
  readonly feedback: readonly Feedback[];
}

/** Compile a staged submission. A staged submission with problems is not compiled (its feedback carries over). */
export async function compilePass(
  staged: StagedSubmission,
  lab: Pick<Lab, "entry"> & { readonly harness?: string; readonly limits?: Pick<Lab["limits"], "compileSeconds"> },
  compile: SandboxPort["compileSubmission"],
): Promise<CompiledSubmission> {
  if (staged.feedback.length) return { ok: false, js: {}, feedback: staged.feedback };
  let result: CompileResult;
  try {
    const seconds = lab.limits?.compileSeconds;
    result = await compile({ ...staged.files }, { entry: lab.entry, ...(seconds ? { seconds } : {}), ...(lab.harness ? { harness: lab.harness } : {}) });
  } catch (e) {
    return { ok: false, js: {}, feedback: [{ kind: "compile", code: "GRADE_COMPILER_FAILED", message: `the compiler failed on this submission: ${(e as Error).message}` }] };
  }
  const feedback: Feedback[] = [...result.diagnostics]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code))
    .map((d) => ({ kind: "compile", code: d.code, file: d.file, line: d.line, column: d.column, message: d.message }));
  if (!result.ok && !feedback.length) feedback.push({ kind: "compile", code: "GRADE_COMPILE_FAILED", message: "the submission did not compile" });
  return { ok: result.ok, js: result.ok ? result.js : {}, feedback };
}
