// Trusted numbers for scoring: each case's baseline (computed in the grader's own process by the lab's harness) and the reference solution's cost and metrics (run through the sandbox like any submission), cached under out/ by content hash.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GradeCase } from "./cases.js";
import type { SandboxPort } from "./contract.js";
import { GraderError } from "./errors.js";
import type { HarnessDeps } from "./harnesses/harness.js";
import { harnessOf } from "./harnesses/index.js";
import { studentImports } from "./lab/regions.js";
import type { Lab } from "./lab/load.js";
import { compilePass } from "./passes/compile.js";
import { runPass } from "./passes/run.js";
import { labCacheDir } from "./paths.js";
import { GRADER_ENGINE } from "./sandbox/protocol.js";
import { writeAtomic } from "./write-atomic.js";
import { engineHash } from "./engine-hash.js";

export type { TrustedRunner } from "./harnesses/trap-cases.js";

/** Numbers one lab's scoring needs, per case id. */
export interface TrustedNumbers {
  /** The harness's trusted baseline cost (trap: native cycles), null where it has none. */
  readonly baseline: ReadonlyMap<string, number | null>;
  readonly baselineMetrics: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** The reference solution's cost and metrics. */
  readonly reference: ReadonlyMap<string, number>;
  readonly referenceMetrics: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Cases the reference solution itself did not pass, with the reason (lab validate reports them). */
  readonly referenceFailures: ReadonlyMap<string, string>;
  /** CPU seconds a submission may take per case: derived from the reference's own time (caseLimit). */
  readonly limits: ReadonlyMap<string, number>;
}

/** A case's CPU limit: this many times the reference's time on it ... */
export const LIMIT_FACTOR = 20;
/** ... but never less than this (a cold child, a naive but honest handler) ... */
export const LIMIT_FLOOR_SECONDS = 1;

/**
 * The CPU seconds a submission may spend on one case: LIMIT_FACTOR × the reference solution's predicted
 * time on it, at least LIMIT_FLOOR_SECONDS, rounded up to a whole second, and never more than the lab's
 * case_seconds. A handler that loops forever then costs about a second per case, not the lab's whole limit.
 */
export function caseLimit(referenceSeconds: number | undefined, labSeconds: number): number {
  if (referenceSeconds === undefined || !Number.isFinite(referenceSeconds)) return labSeconds;
  return Math.min(labSeconds, Math.max(LIMIT_FLOOR_SECONDS, Math.ceil(referenceSeconds * LIMIT_FACTOR)));
}

/** The reference solution's numbers as plain data (a handout ships the public suite's: lab release writes, trustedNumbers reads). */
export interface ReferenceRecord {
  reference: Record<string, number>;
  reference_metrics?: Record<string, Record<string, number>>;
  limits: Record<string, number>;
}
export function referenceRecord(numbers: TrustedNumbers): ReferenceRecord {
  return {
    reference: Object.fromEntries(numbers.reference),
    ...(numbers.referenceMetrics.size ? { reference_metrics: Object.fromEntries(numbers.referenceMetrics) } : {}),
    limits: Object.fromEntries(numbers.limits),
  };
}

/** Each case's trusted baseline, computed here by the lab's harness. */
async function baselines(lab: Lab, cases: readonly GradeCase[], deps: HarnessDeps): Promise<Pick<TrustedNumbers, "baseline" | "baselineMetrics">> {
  const harness = harnessOf(lab.harness);
  const baseline = new Map<string, number | null>();
  const baselineMetrics = new Map<string, Readonly<Record<string, number>>>();
  for (const c of cases) {
    const b = await harness.baseline(c, lab, deps);
    baseline.set(c.id, b.cost);
    if (b.metrics) baselineMetrics.set(c.id, b.metrics);
  }
  return { baseline, baselineMetrics };
}

/** Read the reference solution's student files. */
export function solutionFiles(lab: Pick<Lab, "solutionDir" | "studentFiles" | "id">): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of lab.studentFiles) {
    const p = join(lab.solutionDir, f);
    if (!existsSync(p)) throw new GraderError("LAB_MISSING_FILE", `the reference solution has no ${f} (looked in ${p})`, { hint: `write solutions/${lab.id}/${f} with BEGIN SOLUTION / END SOLUTION regions` });
    files[f] = studentImports(readFileSync(p, "utf8"));
  }
  return files;
}

/**
 * A handout's numbers: baselines computed here (trusted code, as always), the reference solution's
 * cost, metrics and the CPU limits from the file lab release wrote (the solution itself never ships).
 */
async function shippedNumbers(lab: Lab, cases: readonly GradeCase[], deps: HarnessDeps): Promise<TrustedNumbers> {
  let shipped: Partial<ReferenceRecord>;
  try {
    shipped = JSON.parse(readFileSync(lab.referenceFile!, "utf8")) as typeof shipped;
  } catch (e) {
    throw new GraderError("LAB_MISSING_FILE", `the lab's reference numbers ${lab.referenceFile} cannot be read (${(e as Error).message})`, { hint: "release the lab again: vmlab lab release" });
  }
  return {
    ...(await baselines(lab, cases, deps)),
    reference: new Map(Object.entries(shipped.reference ?? {})), referenceMetrics: new Map(Object.entries(shipped.reference_metrics ?? {})),
    referenceFailures: new Map(), limits: new Map(Object.entries(shipped.limits ?? {})),
  };
}

/**
 * Baselines and the reference solution's numbers for the cases, from the cache under
 * out/grader-cache/<lab>/ when the lab, the solution, the cases, the sources and the engine they run on
 * are unchanged, else computed and cached.
 */
export async function trustedNumbers(
  lab: Lab,
  cases: readonly GradeCase[],
  deps: HarnessDeps & { sandbox: SandboxPort; cacheDir?: string; useCache?: boolean; engine?: string; /** engineHash(lab.root), when the caller has it already. */ sourcesHash?: string },
): Promise<TrustedNumbers> {
  if (lab.referenceFile && !existsSync(lab.solutionDir)) return shippedNumbers(lab, cases, deps);
  const solution = solutionFiles(lab);
  const key = createHash("sha256");
  // The engine too: its results are meant to be the same, but a cache must not be what hides a difference.
  key.update(lab.hash).update(deps.sourcesHash ?? engineHash(lab.root)).update(deps.engine ?? GRADER_ENGINE).update(JSON.stringify(lab.cost));
  for (const [f, s] of Object.entries(solution)) key.update(f).update(s);
  for (const c of cases) key.update(c.id).update(JSON.stringify(c.input));
  const digest = key.digest("hex").slice(0, 32);
  const dir = labCacheDir(lab, deps.cacheDir);
  const file = join(dir, `trusted-${digest}.json`);
  if (deps.useCache !== false && existsSync(file)) {
    try {
      const cached = JSON.parse(readFileSync(file, "utf8")) as ReferenceRecord & { baseline?: Record<string, number | null>; baseline_metrics?: Record<string, Record<string, number>> };
      if (cached.baseline && cached.limits) {
        return {
          baseline: new Map(Object.entries(cached.baseline)), baselineMetrics: new Map(Object.entries(cached.baseline_metrics ?? {})),
          reference: new Map(Object.entries(cached.reference)), referenceMetrics: new Map(Object.entries(cached.reference_metrics ?? {})),
          referenceFailures: new Map(), limits: new Map(Object.entries(cached.limits)),
        };
      }
    } catch {
      // a damaged cache entry is recomputed
    }
  }
  const base = await baselines(lab, cases, deps);
  const compiled = await compilePass({ name: "reference", kind: "folder", files: solution, feedback: [] }, lab, deps.sandbox.compileSubmission.bind(deps.sandbox));
  if (!compiled.ok) {
    throw new GraderError("LAB_INVALID", `the reference solution of ${lab.id} does not compile:\n${compiled.feedback.map((f) => `  ${f.file ?? ""}:${f.line ?? ""}: ${f.message}`).join("\n")}`, {
      hint: `fix solutions/${lab.id}/`,
    });
  }
  const results = await runPass(compiled, cases, lab, deps.sandbox.runInSandbox.bind(deps.sandbox), { engine: deps.engine });
  const harness = harnessOf(lab.harness);
  const reference = new Map<string, number>();
  const referenceMetrics = new Map<string, Readonly<Record<string, number>>>();
  const failures = new Map<string, string>();
  const limits = new Map<string, number>();
  for (const r of results) {
    if (r.status === "ok" && r.equivalent) {
      reference.set(r.id, r.cost);
      if (r.metrics) referenceMetrics.set(r.id, r.metrics);
    } else failures.set(r.id, r.status === "ok" ? `diverged: ${r.divergence?.message ?? "no detail"}` : `${r.status}: ${r.message}`);
    limits.set(r.id, caseLimit(r.status === "ok" ? harness.predictSeconds(r.counters) : undefined, lab.limits.caseSeconds));
  }
  const numbers: TrustedNumbers = { ...base, reference, referenceMetrics, referenceFailures: failures, limits };
  // Only a clean reference run is cached: a failure may be a transient sandbox problem.
  if (!failures.size) {
    mkdirSync(dir, { recursive: true });
    const record = { lab: lab.id, baseline: Object.fromEntries(base.baseline), ...(base.baselineMetrics.size ? { baseline_metrics: Object.fromEntries(base.baselineMetrics) } : {}), ...referenceRecord(numbers) };
    writeAtomic(file, JSON.stringify(record, null, 1) + "\n");
  }
  return numbers;
}
