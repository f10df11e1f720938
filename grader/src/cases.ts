// The cases of a lab: every guest of the selected suites, hand-written or generated, assembled into a runnable image.
import type { Loadable } from "../../src/machine/machine.js";
import { GraderError } from "./errors.js";
import type { WireGuest } from "./contract.js";
import type { Lab, Visibility } from "./lab/load.js";
import { variantSeed } from "./variants/seed.js";

/** Which suites a grading run covers: `public`, `hidden` (every suite but public) or `all`. */
export type SuiteSelection = "public" | "hidden" | "all";
export const SUITE_SELECTIONS: readonly SuiteSelection[] = ["public", "hidden", "all"];

/** Where a case's guest came from, for feedback ("what was run"). */
export type CaseOrigin =
  | { readonly kind: "file"; readonly file: string }
  | { readonly kind: "builtin"; readonly name: string }
  | { readonly kind: "generated"; readonly generator: string; readonly seed: number; readonly size?: number; readonly mix: readonly string[] };

/** One case: a guest, run natively and under the student's monitor. */
export interface GradeCase {
  /** `suite/name`, unique in the lab. */
  readonly id: string;
  readonly suite: string;
  /** The rubric group: a hand-written guest is its own group, a generated set is one group. */
  readonly group: string;
  readonly name: string;
  readonly visibility: Visibility;
  /** Weight of the case in the correctness score. */
  readonly weight: number;
  readonly describe: string;
  readonly origin: CaseOrigin;
  readonly guest: Loadable;
  readonly profile: "strict" | "x86";
  readonly maxSteps: number;
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

/** How guests are made; injected so tests (and later harnesses) can supply their own. */
export interface GuestFactory {
  /** Assemble a source file; `defines` carries TIMER_PERIOD. Throws AssemblyError on bad source. */
  assemble(source: string, file: string, defines: Readonly<Record<string, number>>): Loadable;
  /** A bundled guest by name. */
  builtin(name: string, options: { timerPeriod?: number }): Loadable | Promise<Loadable>;
  /** A seeded random guest's assembly source. */
  generate(options: { seed: number; size?: number; mix: readonly string[]; timerPeriod?: number }): { source: string } | Promise<{ source: string }>;
}

/** Is this suite part of the selection? */
export function inSelection(suite: string, selection: SuiteSelection): boolean {
  return selection === "all" || (selection === "public" ? suite === "public" : suite !== "public");
}

/** The seed of case i of a generated set: distinct per case, stable across runs and machines. */
export function caseSeed(seed: number, index: number): number {
  // splitmix-style mixing keeps neighbouring seeds' guests unrelated.
  let z = (seed + Math.imul(index + 1, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Build the cases of the selected suites, in declaration order. */
export async function buildCases(lab: Lab, selection: SuiteSelection, factory: GuestFactory, options: CaseOptions = {}): Promise<GradeCase[]> {
  const cases: GradeCase[] = [];
  for (const suite of lab.suites) {
    if (!inSelection(suite.name, selection)) continue;
    for (const g of suite.guests) {
      const defines: Record<string, number> = g.timerPeriod === undefined ? {} : { TIMER_PERIOD: g.timerPeriod };
      let guest: Loadable;
      let origin: CaseOrigin;
      if (g.builtin) {
        guest = await factory.builtin(g.builtin, g.timerPeriod === undefined ? {} : { timerPeriod: g.timerPeriod });
        origin = { kind: "builtin", name: g.builtin };
      } else {
        const file = g.file!.slice(lab.root.length + 1);
        guest = factory.assemble(g.source!, file, defines);
        origin = { kind: "file", file };
      }
      cases.push({
        id: `${suite.name}/${g.name}`, suite: suite.name, group: `${suite.name}/${g.name}`, name: g.name, visibility: g.visibility,
        weight: g.points, describe: g.describe ?? firstComment(g.source) ?? `guest ${g.name}`, origin, guest, profile: lab.profile, maxSteps: g.maxSteps, ...hintOf(g),
      });
    }
    for (const set of suite.generated) {
      const perStudent = set.variant === "student" && options.variant !== undefined;
      const base = perStudent ? variantSeed(set.seed, options.variant!) : set.seed;
      for (let i = 0; i < set.count; i++) {
        const seed = caseSeed(base, i);
        const options = { seed, mix: set.mix, ...(set.size ? { size: set.size } : {}), ...(set.timerPeriod === undefined ? {} : { timerPeriod: set.timerPeriod }) };
        const { source } = await factory.generate(options);
        const name = `${set.name}-${String(i).padStart(3, "0")}`;
        const defines: Record<string, number> = set.timerPeriod === undefined ? {} : { TIMER_PERIOD: set.timerPeriod };
        const guest = factory.assemble(source, `${name}.s`, defines);
        cases.push({
          id: `${suite.name}/${name}`, suite: suite.name, group: `${suite.name}/${set.name}`, name, visibility: set.visibility, weight: set.points,
          describe: `random guest #${i} of set ${set.name} (seed ${seed}, mix ${set.mix.join(", ")})`,
          origin: { kind: "generated", generator: set.generator, seed, ...(set.size ? { size: set.size } : {}), mix: set.mix },
          guest, profile: lab.profile, maxSteps: set.maxSteps, ...hintOf(set), ...(perStudent ? { variantSeed: base } : {}),
        });
      }
    }
  }
  if (!cases.length) throw new GraderError("GRADE_BAD_OPTION", `lab ${lab.id} has no cases in the ${selection} suite${selection === "all" ? "s" : ""}`, { hint: "use --suite all" });
  return cases;
}

function hintOf(g: { category?: string; features?: readonly string[] }): { category?: string; features?: readonly string[] } {
  return { ...(g.category ? { category: g.category } : {}), ...(g.features ? { features: g.features } : {}) };
}

/** Whether any set of the selection gives each student their own guests. */
export function hasVariants(lab: Lab, selection: SuiteSelection): boolean {
  return lab.suites.some((s) => inSelection(s.name, selection) && s.generated.some((g) => g.variant === "student"));
}

/** The first comment line of an assembly source (`; what this guest does` or `// ...`), for feedback. */
function firstComment(source: string | undefined): string | undefined {
  const line = source?.split(/\r?\n/).find((l) => /^\s*(;|\/\/)/.test(l));
  return line?.replace(/^\s*(;+|\/\/+)\s*/, "").trim() || undefined;
}

/** A guest in transport form for the sandbox (bytes as base64). */
export function toWire(guest: Loadable): WireGuest {
  return {
    segments: guest.segments.map((s) => ({ address: s.address, bytes: Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength).toString("base64") })),
    entry: guest.entry,
  };
}
