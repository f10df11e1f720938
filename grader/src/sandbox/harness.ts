// What a grader harness provides inside the sandbox child: the runtime API module, how a submission's export is bound, and how a case runs.
//
// The child (child.ts) is the same for every harness: it evaluates the submission in a Compartment
// (compartment.ts), then asks the harness named in the run message to bind the entry's export — check
// its shape, wrap every untrusted function in a guarded call — and runs each case with what it bound.
// A harness's child side is trusted code, imported before lockdown(); children.ts lists them.
import type { LoadFailure } from "./compartment.js";
import type { GuardContext } from "./guarded-call.js";
import type { SandboxCaseResult, WireCase } from "./protocol.js";

/** What the run message says about every case: the lab's cost overrides, the engine the machines run on (a registry name). */
export interface CaseRunOptions {
  readonly cost?: Readonly<Record<string, number>>;
  readonly engine?: string;
}

/** A submission bound to a harness: runs one case at a time. */
export interface BoundSubmission {
  readonly ok: true;
  run(c: WireCase, options: CaseRunOptions): SandboxCaseResult;
}

export interface ChildHarness {
  /** What `require("vmlab")` returns to the submission (a hardened object of copies). */
  runtimeApi(): object;
  /** Does a specifier name the API module? */
  isApiSpecifier(specifier: string): boolean;
  /** Check the entry's export and wrap it; a failure is the student's words for what is wrong. */
  bind(exported: unknown, context: { readonly js: Readonly<Record<string, string>>; readonly entry: string; readonly exportName: string; readonly ctx: GuardContext }): BoundSubmission | LoadFailure;
}
