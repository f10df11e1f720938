// The trap harness's cases: every guest of a suite, hand-written, bundled or generated, assembled into an image; its native run is the baseline.
import type { Loadable } from "../../../src/machine/machine.js";
import { caseSeed } from "../case-seed.js";
import type { CaseOrigin, GradeCase } from "../cases.js";
import type { Lab, LabConfig, ResolvedSuite } from "../lab/load.js";
import { fromWire, toWire, type TrapInput } from "../sandbox/trap/wire.js";
import type { Baseline, CaseWords, ConfigProblem, HarnessDeps } from "./harness.js";

export { fromWire, toWire, type TrapInput } from "../sandbox/trap/wire.js";

/** How reports speak of trap cases. */
export const TRAP_WORDS: CaseWords = { unit: "cycles", baseline: "native", passed: "equivalent to the native run", failed: "diverged from the native run" };

/** How guests are made; injected so tests can supply their own. */
export interface GuestFactory {
  /** Assemble a source file; `defines` carries TIMER_PERIOD. Throws (or rejects with) AssemblyError on bad source. */
  assemble(source: string, file: string, defines: Readonly<Record<string, number>>): Loadable | Promise<Loadable>;
  /** A bundled guest by name. */
  builtin(name: string, options: { timerPeriod?: number }): Loadable | Promise<Loadable>;
  /** A seeded random guest's assembly source. */
  generate(options: { seed: number; size?: number; mix: readonly string[]; timerPeriod?: number }): { source: string } | Promise<{ source: string }>;
}

/** Runs a guest on the bare machine in the grader's own process (trusted code only). */
export interface TrustedRunner {
  nativeCycles(guest: Loadable, options: { profile: "strict" | "x86"; maxSteps: number; cost: Readonly<Record<string, number>> }): number | Promise<number>;
}


/** The trap input of a case built by this harness. */
export function trapInput(c: GradeCase): TrapInput {
  return c.input as unknown as TrapInput;
}

/** lab.yaml for a trap lab: a profile, guests (not case files), a mix on every generated set. */
export function checkTrapConfig(config: LabConfig, problem: ConfigProblem): void {
  if (!config.profile) problem(["profile"], "is missing: a trap lab runs guests on a profile", "add profile: strict (or x86)");
  for (const [name, suite] of Object.entries(config.suites)) {
    if (!suite) continue;
    if (suite.cases?.length) problem(["suites", name, "cases"], "names case files, but the trap harness runs guests", "list assembly files under guests: instead");
    (suite.generated ?? []).forEach((g, i) => {
      if (g.generator && g.generator !== "random") problem(["suites", name, "generated", i, "generator"], `'${g.generator}' is not a guest generator`, "use generator: random (or leave it out)");
      if (!g.mix?.length) problem(["suites", name, "generated", i], "has no mix: the guest generator needs the instruction kinds to draw from", "add mix: [cli, sti, popf, iret, in, out, timer]");
    });
  }
}

/** The guests of one suite, in declaration order: hand-written and bundled ones first, then each generated set. */
export async function buildTrapCases(suite: ResolvedSuite, lab: Lab, deps: HarnessDeps): Promise<GradeCase[]> {
  const factory = deps.factory;
  const profile = lab.profile ?? "strict";
  const cases: GradeCase[] = [];
  for (const g of suite.guests) {
    const defines: Record<string, number> = g.timerPeriod === undefined ? {} : { TIMER_PERIOD: g.timerPeriod };
    let guest: Loadable;
    let origin: CaseOrigin;
    if (g.builtin) {
      guest = await factory.builtin(g.builtin, g.timerPeriod === undefined ? {} : { timerPeriod: g.timerPeriod });
      origin = { kind: "builtin", name: g.builtin };
    } else {
      const file = g.file!.slice(lab.root.length + 1);
      guest = await factory.assemble(g.source!, file, defines);
      origin = { kind: "file", file };
    }
    cases.push({
      id: `${suite.name}/${g.name}`, suite: suite.name, group: `${suite.name}/${g.name}`, name: g.name, visibility: g.visibility,
      weight: g.points, describe: g.describe ?? firstComment(g.source) ?? `guest ${g.name}`, origin,
      input: { guest: toWire(guest), profile, maxSteps: g.maxSteps } satisfies TrapInput,
    });
  }
  for (const set of suite.generated) {
    const mix = set.mix ?? [];
    for (let i = 0; i < set.count; i++) {
      const seed = caseSeed(set.seed, i);
      const options = { seed, mix, ...(set.size ? { size: set.size } : {}), ...(set.timerPeriod === undefined ? {} : { timerPeriod: set.timerPeriod }) };
      const { source } = await factory.generate(options);
      const name = `${set.name}-${String(i).padStart(3, "0")}`;
      const defines: Record<string, number> = set.timerPeriod === undefined ? {} : { TIMER_PERIOD: set.timerPeriod };
      const guest = await factory.assemble(source, `${name}.s`, defines);
      cases.push({
        id: `${suite.name}/${name}`, suite: suite.name, group: `${suite.name}/${set.name}`, name, visibility: set.visibility, weight: set.points,
        describe: `random guest #${i} of set ${set.name} (seed ${seed}, mix ${mix.join(", ")})`,
        origin: { kind: "generated", generator: set.generator, seed, ...(set.size ? { size: set.size } : {}), mix },
        input: { guest: toWire(guest), profile, maxSteps: set.maxSteps } satisfies TrapInput,
      });
    }
  }
  return cases;
}

/** A trap case's baseline: its native run's cycles, computed here. */
export async function trapBaseline(c: GradeCase, lab: Lab, deps: HarnessDeps): Promise<Baseline> {
  const input = trapInput(c);
  return { cost: await deps.trusted.nativeCycles(fromWire(input.guest), { profile: input.profile, maxSteps: input.maxSteps, cost: lab.cost }) };
}

/**
 * What the reference's run of a trap case costs the sandbox, from its counters. Upper values measured on
 * the 2-core CI machine with a cold child (Node 20): a case's fixed work (two machines, the native run,
 * the comparison) 25 ms, an exit to a handler through the facade 30 µs, a directly run instruction 0.5 µs.
 */
const CASE_SECONDS = 0.025;
const EXIT_SECONDS = 30e-6;
const INSTRUCTION_SECONDS = 0.5e-6;

export function trapPredictSeconds(counters: Readonly<Record<string, unknown>>): number {
  const n = (k: string) => (typeof counters[k] === "number" ? (counters[k] as number) : 0);
  return CASE_SECONDS + n("exits") * EXIT_SECONDS + (n("directInstructions") + n("emulatedInstructions")) * INSTRUCTION_SECONDS;
}

/** The first comment line of an assembly source (`; what this guest does` or `// ...`), for feedback. */
function firstComment(source: string | undefined): string | undefined {
  const line = source?.split(/\r?\n/).find((l) => /^\s*(;|\/\/)/.test(l));
  return line?.replace(/^\s*(;+|\/\/+)\s*/, "").trim() || undefined;
}
