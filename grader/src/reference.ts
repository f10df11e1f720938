// Trusted numbers for scoring: native cycles per case (computed in the grader's own process) and the reference solution's cycles (run through the sandbox like any submission), cached under out/ by content hash.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Loadable } from "../../src/machine/machine.js";
import { toWire, type GradeCase } from "./cases.js";
import type { SandboxPort } from "./contract.js";
import { GraderError } from "./errors.js";
import { studentImports } from "./lab/regions.js";
import type { Lab } from "./lab/load.js";
import { compilePass } from "./passes/compile.js";
import { runPass } from "./passes/run.js";
import { GRADER_PATHS } from "./paths.js";

/** Runs a guest on the bare machine in the grader's own process (trusted code only). */
export interface TrustedRunner {
  nativeCycles(guest: Loadable, options: { profile: "strict" | "x86"; maxSteps: number; cost: Readonly<Record<string, number>> }): number | Promise<number>;
}

/** Numbers one lab's scoring needs, per case id. */
export interface TrustedNumbers {
  readonly native: ReadonlyMap<string, number>;
  readonly reference: ReadonlyMap<string, number>;
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
 * What the reference's run of a case costs the sandbox, predicted from its counters rather than timed,
 * so the same case gets the same limit on every machine and every run. Upper values measured on the
 * 2-core CI machine with a cold child (Node 20): a case's fixed work (two machines, the native run, the
 * comparison) 25 ms, an exit to a handler through the facade 30 µs, a directly run instruction 0.5 µs.
 */
const CASE_SECONDS = 0.025;
const EXIT_SECONDS = 30e-6;
const INSTRUCTION_SECONDS = 0.5e-6;

export function predictedSeconds(counters: Readonly<Record<string, unknown>>): number {
  const n = (k: string) => (typeof counters[k] === "number" ? (counters[k] as number) : 0);
  return CASE_SECONDS + n("exits") * EXIT_SECONDS + (n("directInstructions") + n("emulatedInstructions")) * INSTRUCTION_SECONDS;
}

/**
 * The CPU seconds a submission may spend on one case: LIMIT_FACTOR × the reference solution's predicted
 * time on it, at least LIMIT_FLOOR_SECONDS, rounded up to a whole second, and never more than the lab's
 * case_seconds. A handler that loops forever then costs about a second per case, not the lab's whole limit.
 */
export function caseLimit(referenceSeconds: number | undefined, labSeconds: number): number {
  if (referenceSeconds === undefined || !Number.isFinite(referenceSeconds)) return labSeconds;
  return Math.min(labSeconds, Math.max(LIMIT_FLOOR_SECONDS, Math.ceil(referenceSeconds * LIMIT_FACTOR)));
}

/**
 * sha256 of every source file a grading run depends on: the whole library (src/) and the grader
 * (grader/src/), tests left out — so no list can forget a folder that affects the numbers.
 */
export function engineHash(root: string): string {
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(name) && !/\.test\.(ts|js)$/.test(name)) h.update(name).update(readFileSync(p));
    }
  };
  // The sources where they ship (a repository), else the built code (a handout's vendored vmlab).
  for (const d of existsSync(join(root, "src")) ? ["src", "grader/src"] : ["dist/src", "dist/grader/src"]) walk(join(root, d));
  return h.digest("hex");
}

/** Trusted numbers as plain data (a handout ships the public suite's: lab release writes, trustedNumbers reads). */
export function referenceRecord(numbers: TrustedNumbers): { reference: Record<string, number>; limits: Record<string, number> } {
  return { reference: Object.fromEntries(numbers.reference), limits: Object.fromEntries(numbers.limits) };
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
 * A handout's numbers: native cycles computed here (trusted code, as always), the reference solution's
 * cycles and the CPU limits from the file lab release wrote (the solution itself never ships).
 */
async function shippedNumbers(lab: Lab, cases: readonly GradeCase[], trusted: TrustedRunner): Promise<TrustedNumbers> {
  let shipped: { reference?: Record<string, number>; limits?: Record<string, number> };
  try {
    shipped = JSON.parse(readFileSync(lab.referenceFile!, "utf8")) as typeof shipped;
  } catch (e) {
    throw new GraderError("LAB_MISSING_FILE", `the lab's reference numbers ${lab.referenceFile} cannot be read (${(e as Error).message})`, { hint: "release the lab again: vmlab lab release" });
  }
  const native = new Map<string, number>();
  for (const c of cases) native.set(c.id, await trusted.nativeCycles(c.guest, { profile: c.profile, maxSteps: c.maxSteps, cost: lab.cost }));
  return {
    native, reference: new Map(Object.entries(shipped.reference ?? {})), referenceFailures: new Map(),
    limits: new Map(Object.entries(shipped.limits ?? {})),
  };
}

/** Write a file atomically: a temporary file in the same folder, then rename. */
export function writeAtomic(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Native and reference cycles for the cases, from the cache under out/grader-cache/<lab>/ when the lab,
 * the solution, the guests and the engine are unchanged, else computed and cached.
 */
export async function trustedNumbers(
  lab: Lab,
  cases: readonly GradeCase[],
  deps: { sandbox: SandboxPort; trusted: TrustedRunner; cacheDir?: string; useCache?: boolean },
): Promise<TrustedNumbers> {
  if (lab.referenceFile && !existsSync(lab.solutionDir)) return shippedNumbers(lab, cases, deps.trusted);
  const solution = solutionFiles(lab);
  const key = createHash("sha256");
  key.update(lab.hash).update(engineHash(lab.root)).update(JSON.stringify(lab.cost));
  for (const [f, s] of Object.entries(solution)) key.update(f).update(s);
  for (const c of cases) key.update(c.id).update(JSON.stringify(toWire(c.guest))).update(c.profile).update(String(c.maxSteps));
  const digest = key.digest("hex").slice(0, 32);
  const dir = deps.cacheDir ?? join(lab.root, GRADER_PATHS.out, "grader-cache", lab.id);
  const file = join(dir, `trusted-${digest}.json`);
  if (deps.useCache !== false && existsSync(file)) {
    try {
      const cached = JSON.parse(readFileSync(file, "utf8")) as { native: Record<string, number>; reference: Record<string, number>; failures: Record<string, string>; limits?: Record<string, number> };
      if (cached.limits) {
        return {
          native: new Map(Object.entries(cached.native)), reference: new Map(Object.entries(cached.reference)), referenceFailures: new Map(Object.entries(cached.failures)),
          limits: new Map(Object.entries(cached.limits)),
        };
      }
    } catch {
      // a damaged cache entry is recomputed
    }
  }
  const native = new Map<string, number>();
  for (const c of cases) native.set(c.id, await deps.trusted.nativeCycles(c.guest, { profile: c.profile, maxSteps: c.maxSteps, cost: lab.cost }));
  const compiled = await compilePass({ name: "reference", kind: "folder", files: solution, feedback: [] }, lab, deps.sandbox.compileSubmission.bind(deps.sandbox));
  if (!compiled.ok) {
    throw new GraderError("LAB_INVALID", `the reference solution of ${lab.id} does not compile:\n${compiled.feedback.map((f) => `  ${f.file ?? ""}:${f.line ?? ""}: ${f.message}`).join("\n")}`, {
      hint: `fix solutions/${lab.id}/`,
    });
  }
  const results = await runPass(compiled, cases, lab, deps.sandbox.runInSandbox.bind(deps.sandbox));
  const reference = new Map<string, number>();
  const failures = new Map<string, string>();
  const limits = new Map<string, number>();
  for (const r of results) {
    if (r.status === "ok" && r.equivalent) reference.set(r.id, r.cycles);
    else failures.set(r.id, r.status === "ok" ? `diverged: ${r.divergence?.message ?? "no detail"}` : `${r.status}: ${r.message}`);
    limits.set(r.id, caseLimit(r.status === "ok" ? predictedSeconds(r.counters) : undefined, lab.limits.caseSeconds));
  }
  // Only a clean reference run is cached: a failure may be a transient sandbox problem.
  if (!failures.size) {
    mkdirSync(dir, { recursive: true });
    writeAtomic(file, JSON.stringify({ lab: lab.id, native: Object.fromEntries(native), reference: Object.fromEntries(reference), failures: {}, limits: Object.fromEntries(limits) }, null, 1) + "\n");
  }
  return { native, reference, referenceFailures: failures, limits };
}
