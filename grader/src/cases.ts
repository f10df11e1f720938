// The cases of a lab: what each case is (its place in the rubric, where it came from, its harness-defined input) and how a suite selection's cases are built.
import { GraderError } from "./errors.js";
import type { HarnessDeps } from "./harnesses/harness.js";
import { harnessOf } from "./harnesses/index.js";
import type { Lab, Visibility } from "./lab/load.js";
import { variantSeed } from "./variants/seed.js";

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
  /** What a student may be told the case exercises (lab.yaml category/features), when given. */
  readonly category?: string;
  readonly features?: readonly string[];
  /** Set on the cases of a `variant: student` set: the set's base seed for this student. */
  readonly variantSeed?: number;
}

/** Options of buildCases: whose variant to build (the student id; `variant: student` sets only). */
export interface CaseOptions {
  readonly variant?: string;
}

/** Is this suite part of the selection? */
export function inSelection(suite: string, selection: SuiteSelection): boolean {
  return selection === "all" || (selection === "public" ? suite === "public" : suite !== "public");
}

/**
 * Build the cases of the selected suites, in declaration order, through the lab's harness. A `variant:
 * student` set is handed to the harness with its seed mixed with the student's id; every case of a group
 * (`suite/guest` or `suite/set`, as harnesses name them) carries its guest's or set's category and features.
 */
export async function buildCases(lab: Lab, selection: SuiteSelection, deps: HarnessDeps, options: CaseOptions = {}): Promise<GradeCase[]> {
  const harness = harnessOf(lab.harness);
  const cases: GradeCase[] = [];
  for (const suite of lab.suites) {
    if (!inSelection(suite.name, selection)) continue;
    const own = new Map<string, number>();
    const generated = suite.generated.map((set) => {
      if (set.variant !== "student" || options.variant === undefined) return set;
      const seed = variantSeed(set.seed, options.variant);
      own.set(`${suite.name}/${set.name}`, seed);
      return { ...set, seed };
    });
    const hints = new Map<string, { category?: string; features?: readonly string[] }>();
    for (const g of [...suite.guests, ...suite.generated]) hints.set(`${suite.name}/${g.name}`, hintOf(g));
    for (const c of await harness.buildCases({ ...suite, generated }, lab, deps)) {
      const seed = own.get(c.group);
      cases.push({ ...c, ...hints.get(c.group), ...(seed !== undefined ? { variantSeed: seed } : {}) });
    }
  }
  if (!cases.length) throw new GraderError("GRADE_BAD_OPTION", `lab ${lab.id} has no cases in the ${selection} suite${selection === "all" ? "s" : ""}`, { hint: "use --suite all" });
  return cases;
}

/** A guest's or set's category and features, when lab.yaml gives them. */
function hintOf(g: { category?: string; features?: readonly string[] }): { category?: string; features?: readonly string[] } {
  return { ...(g.category ? { category: g.category } : {}), ...(g.features ? { features: g.features } : {}) };
}

/** Whether any set of the selection gives each student their own guests. */
export function hasVariants(lab: Lab, selection: SuiteSelection): boolean {
  return lab.suites.some((s) => inSelection(s.name, selection) && s.generated.some((g) => g.variant === "student"));
}
