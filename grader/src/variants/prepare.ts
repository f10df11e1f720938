// A prepared lab for one student's variant: the shared cases' trusted numbers reused, only the student's own generated cases computed (and cached).
import { buildCases, hasVariants } from "../cases.js";
import type { GraderDeps, PreparedLab } from "../grade.js";
import { trustedNumbers, type TrustedNumbers } from "../reference.js";

/**
 * `base` with the `variant: student` sets built for `student`. The reference solution runs only on those
 * cases (cached by content under out/grader-cache/), so a course costs one reference run per student on
 * their own guests, not on the whole lab. A lab without per-student sets gives `base` back.
 */
export async function prepareVariant(base: PreparedLab, student: string, deps: GraderDeps): Promise<PreparedLab> {
  if (!hasVariants(base.lab, base.suite)) return base;
  const t0 = deps.now();
  const cases = await buildCases(base.lab, base.suite, deps, { variant: student });
  const own = cases.filter((c) => c.variantSeed !== undefined);
  const fresh = await trustedNumbers(base.lab, own, deps);
  const merge = <V>(pick: (n: TrustedNumbers) => ReadonlyMap<string, V>): Map<string, V> => {
    const m = new Map<string, V>();
    for (const c of cases) {
      const v = (c.variantSeed !== undefined ? pick(fresh) : pick(base.numbers)).get(c.id);
      if (v !== undefined) m.set(c.id, v);
    }
    return m;
  };
  const numbers: TrustedNumbers = {
    baseline: merge((n) => n.baseline), baselineMetrics: merge((n) => n.baselineMetrics), reference: merge((n) => n.reference), referenceMetrics: merge((n) => n.referenceMetrics), referenceFailures: merge((n) => n.referenceFailures), limits: merge((n) => n.limits),
  };
  return { ...base, cases, numbers, variant: student, prepareMs: base.prepareMs + deps.now() - t0 };
}
