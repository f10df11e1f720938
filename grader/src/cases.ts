// The cases of a lab: what each case is (its place in the rubric, where it came from, its harness-defined input) and how a suite selection's cases are built.
import { GraderError } from "./errors.js";
import type { HarnessDeps } from "./harnesses/harness.js";
import { harnessOf } from "./harnesses/index.js";
import type { Lab, Visibility } from "./lab/load.js";

export { caseSeed } from "./case-seed.js";

/** Which suites a grading run covers: `public`, `hidden` (every suite but public) or `all`. */
export type SuiteSelection = "public" | "hidden" | "all";
export const SUITE_SELECTIONS: readonly SuiteSelection[] = ["public", "hidden", "all"];

/** Where a case came from, for feedback ("what was run"). */
export type CaseOrigin =
  | { readonly kind: "file"; readonly file: string }
  | { readonly kind: "builtin"; readonly name: string }
  | {
      readonly kind: "generated"; readonly generator: string; readonly seed: number; readonly size?: number;
      /** The trap generator's instruction kinds. */
      readonly mix?: readonly string[];
      /** Another harness's generator options. */
      readonly options?: Readonly<Record<string, number | string | boolean>>;
    };

/** One case: what the rubric needs to know of it, and the input its harness runs. */
export interface GradeCase {
  /** `suite/name`, unique in the lab. */
  readonly id: string;
  readonly suite: string;
  /** The rubric group: a hand-written case is its own group, a generated set is one group. */
  readonly group: string;
  readonly name: string;
  readonly visibility: Visibility;
  /** Weight of the case in the correctness score. */
  readonly weight: number;
  readonly describe: string;
  readonly origin: CaseOrigin;
  /** Plain data the harness's child side runs (trap: the guest image, profile and step limit); sent to the sandbox as is. */
  readonly input: Readonly<Record<string, unknown>>;
}

/** Is this suite part of the selection? */
export function inSelection(suite: string, selection: SuiteSelection): boolean {
  return selection === "all" || (selection === "public" ? suite === "public" : suite !== "public");
}

/** Build the cases of the selected suites, in declaration order, through the lab's harness. */
export async function buildCases(lab: Lab, selection: SuiteSelection, deps: HarnessDeps): Promise<GradeCase[]> {
  const harness = harnessOf(lab.harness);
  const cases: GradeCase[] = [];
  for (const suite of lab.suites) {
    if (inSelection(suite.name, selection)) cases.push(...(await harness.buildCases(suite, lab, deps)));
  }
  if (!cases.length) throw new GraderError("GRADE_BAD_OPTION", `lab ${lab.id} has no cases in the ${selection} suite${selection === "all" ? "s" : ""}`, { hint: "use --suite all" });
  return cases;
}
