// What a grader harness is on the grader's side: the API a submission compiles against, what `lab new` writes, how its cases are built, and what they measure.
//
// A lab's `harness` names one of these (HARNESSES in index.ts); its child side, which binds and runs a
// submission inside the sandbox, is listed in sandbox/children.ts under the same name. A lab naming a
// harness that is not implemented is refused when it loads, with the list of harnesses.
//
// The pipeline (grade.ts) knows nothing of guests, traces or file systems: it asks the lab's harness to
// build the cases of each suite (their `input` is plain data the child side understands), to compute
// each case's trusted baseline in the grader's own process, and to predict the CPU time the reference's
// run took from its counters. Scoring is the same for every harness: correctness (a case passes or not),
// the cost relative to the reference solution, and any further metrics the lab's rubric names.
import type { GradeCase } from "../cases.js";
import type { Lab, LabConfig, ResolvedSuite } from "../lab/load.js";
import type { GuestFactory, TrustedRunner } from "./trap-cases.js";
import type { TypeApi } from "./type-apis.js";

/** The sources behind the `vmlab` module a submission imports, by file name (`api.ts`, `arch.ts`): `vmlab` re-exports them all. */
export interface ApiSources {
  readonly files: Readonly<Record<string, string>>;
}

/** What the grader's own process supplies to harnesses: the machine's services (assembling, bundled and generated guests, native runs). */
export interface HarnessDeps {
  readonly factory: GuestFactory;
  readonly trusted: TrustedRunner;
}

/** A case's trusted baseline, computed in the grader's process: the cost (and metrics) the overhead is measured against. */
export interface Baseline {
  /** trap: the native run's cycles; serverless: the fixed keep-alive policy's wasted memory-time. null: no baseline. */
  readonly cost: number | null;
  readonly metrics?: Readonly<Record<string, number>>;
}

/** How reports speak of a harness's cases: trap's are `cycles`, `native`, `equivalent to the native run`, `diverged from the native run`. */
export interface CaseWords {
  /** The unit of a case's cost: `cycles`, `bytes copied`, `MB·s idle`. */
  readonly unit: string;
  /** What the baseline is, after a ratio: `1.20× native`, `0.40× the fixed policy`. */
  readonly baseline: string;
  /** What a passing and a failing case mean. */
  readonly passed: string;
  readonly failed: string;
}

/** Reports a lab.yaml problem at a path (`suites.public.guests`), with what is wrong and the fix. */
export type ConfigProblem = (path: readonly (string | number)[], what: string, fix: string) => void;

export interface Harness extends TypeApi {
  readonly name: string;
  /** One line for `lab new --help` and error messages. */
  readonly describe: string;
  /** The export a submission's entry module provides unless lab.yaml says `export:`. */
  readonly exportName: string;
  /** How reports speak of this harness's cases (the result's lab block carries it). */
  readonly words: CaseWords;
  /** The likely cause of a case that does not finish, in the student's terms (the time-out message ends with it). */
  readonly runaway?: string;
  /** Commands a handout offers besides npm test and vmlab grade (`lab release` prints them), if any. */
  readonly studentCommands?: readonly string[];
  /** Files `vmlab lab new` writes for a lab on this harness, relative to the package root, besides lab.yaml. */
  scaffold(id: string, title: string): Readonly<Record<string, string>>;
  /** The lab.yaml lines after harness: (`profile:`, `student_files:`, `suites:`, `rubric:` …) `lab new` starts from. */
  readonly scaffoldYaml: (id: string) => string;
  /** What lab.yaml must say for this harness beyond the schema (trap: a profile, guests rather than case files). */
  checkConfig(config: LabConfig, problem: ConfigProblem): void;
  /** The cases of one suite, in declaration order. Throws VmlabError (with the file and line) on a bad case file. */
  buildCases(suite: ResolvedSuite, lab: Lab, deps: HarnessDeps): Promise<GradeCase[]>;
  /** The case's trusted baseline, computed here (never in the sandbox). */
  baseline(c: GradeCase, lab: Lab, deps: HarnessDeps): Baseline | Promise<Baseline>;
  /**
   * The CPU seconds the reference's run of a case costs the sandbox, predicted from its counters rather
   * than timed, so every machine and every run gives the case the same limit.
   */
  predictSeconds(counters: Readonly<Record<string, unknown>>): number;
}
