// Load a lab: find its folder, parse lab.yaml, validate it against the schema and the file system, and collect every problem at once.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { didYouMean } from "../../../src/core/suggest.js";
import { GraderError, LabInvalidError, type LabProblem } from "../errors.js";
import { GRADER_PATHS, graderCacheDir, packageRoot } from "../paths.js";
import { HARNESSES, harnessNames } from "../harnesses/index.js";
import type { CaseFile, Generated, Guest, LabConfig, Suite } from "./lab-config.generated.js";
import { DEFAULT_HIDDEN_FEEDBACK, type HiddenFeedback, type HiddenFeedbackPolicy } from "../disclosure.js";
import { dottedPath, labValidators, locate, problemsFromAjv } from "./schema.js";
import { parseYamlCached } from "./yaml.js";
import type { Amount, LatePolicy } from "../deadlines/late.js";

export type { LabConfig } from "./lab-config.generated.js";
/** The harness names the schema knows (the grader implements those in harnesses/). */
export type Harness = LabConfig["harness"];
export type Visibility = LabConfig["visibility"] & string;
export const VISIBILITIES: readonly Visibility[] = ["visible", "hidden", "after_due_date", "after_published"];
/** A guest entry of a suite, as written (a path alone, or an object). */
export type GuestConfig = Guest;
export type GeneratedConfig = Generated;
export type SuiteConfig = Suite;

/** One hand-written guest of a suite, its file found and read. */
export interface ResolvedGuest {
  readonly name: string;
  /** Absolute path of the assembly file, or undefined for a builtin. */
  readonly file?: string;
  readonly builtin?: string;
  readonly source?: string;
  readonly points: number;
  readonly visibility: Visibility;
  readonly timerPeriod?: number;
  readonly maxSteps: number;
  readonly describe?: string;
  /** What a student may be told the case exercises (a hint while its details are hidden). */
  readonly category?: string;
  readonly features?: readonly string[];
}
/** One case file of a suite (a harness's own format), found and read. */
export interface ResolvedCaseFile {
  readonly name: string;
  /** Absolute path. */
  readonly file: string;
  readonly text: string;
  readonly points: number;
  readonly visibility: Visibility;
  readonly describe?: string;
}
export interface ResolvedGenerated {
  readonly name: string;
  /** The harness's generator (trap: random). */
  readonly generator: string;
  readonly seed: number;
  readonly count: number;
  readonly size?: number;
  /** The trap generator's instruction kinds. */
  readonly mix?: readonly string[];
  /** Another harness's generator options. */
  readonly options: Readonly<Record<string, number | string | boolean>>;
  readonly points: number;
  readonly visibility: Visibility;
  readonly timerPeriod?: number;
  readonly maxSteps: number;
  /** student: the seed is mixed with each student's id (variants/seed.ts). */
  readonly variant: "none" | "student";
  readonly category?: string;
  readonly features?: readonly string[];
}
export interface ResolvedSuite {
  readonly name: string;
  /** Where the suite was declared: lab.yaml or a suite file under grader/labs/. */
  readonly declaredIn: string;
  readonly visibility: Visibility;
  readonly guests: readonly ResolvedGuest[];
  readonly cases: readonly ResolvedCaseFile[];
  readonly generated: readonly ResolvedGenerated[];
}

/** A loaded, validated lab. */
export interface Lab {
  readonly id: string;
  readonly title: string;
  readonly harness: Harness;
  /** The ISA profile, for harnesses that run guests (trap requires it). */
  readonly profile?: "strict" | "x86";
  readonly studentFiles: readonly string[];
  /** The module that exports the handlers (the first student file). */
  readonly entry: string;
  readonly exportName: string;
  readonly suites: readonly ResolvedSuite[];
  readonly limits: { readonly caseSeconds: number; readonly compileSeconds?: number; readonly memoryMb: number; readonly maxSteps: number; readonly outputBytes?: number };
  readonly cost: Readonly<Record<string, number>>;
  readonly rubric: LabConfig["rubric"];
  readonly due?: string;
  readonly late?: LatePolicy;
  /** What students learn of non-visible cases before and after a date (default: the total until the due date, per case after). */
  readonly hiddenFeedback: HiddenFeedbackPolicy;
  /** A handout's reference numbers (absolute path), used when the solution is not there. */
  readonly referenceFile?: string;
  /** Absolute folders and files. */
  readonly dir: string;
  readonly yamlPath: string;
  readonly solutionDir: string;
  readonly root: string;
  /** sha256 over lab.yaml, suite files and guest sources: results and caches are keyed by it. */
  readonly hash: string;
  readonly config: LabConfig;
}

export const DEFAULT_MAX_STEPS = 2_000_000;

/** Ids of the labs under exercises/. */
export function listLabs(root: string = packageRoot()): string[] {
  const dir = join(root, GRADER_PATHS.exercises);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, "lab.yaml")))
    .sort();
}

/** Find a lab folder from an id (`01-trap-and-emulate`), a folder or a lab.yaml path. */
export function resolveLabDir(ref: string, options: { root?: string; cwd?: string } = {}): string {
  const root = options.root ?? packageRoot();
  const cwd = options.cwd ?? process.cwd();
  const asPath = resolve(cwd, ref);
  if (existsSync(asPath)) {
    if (statSync(asPath).isFile() && basename(asPath) === "lab.yaml") return dirname(asPath);
    if (existsSync(join(asPath, "lab.yaml"))) return asPath;
  }
  const byId = join(root, GRADER_PATHS.exercises, ref);
  if (existsSync(join(byId, "lab.yaml"))) return byId;
  const ids = listLabs(root);
  throw new GraderError("LAB_NOT_FOUND", `no lab '${ref}': not a folder with a lab.yaml, nor an id under ${join(root, GRADER_PATHS.exercises)}`, {
    hint: didYouMean(ref, ids, { maxDistance: 4 }) ?? (ids.length ? `labs: ${ids.join(", ")}` : "create one with: vmlab lab new <id> --harness trap"),
  });
}

function sha256(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(String(p.length)).update(":").update(p);
  return h.digest("hex");
}

/** Expand `dir/*.s`-style globs in the last path component only. */
function expand(pattern: string, base: string): string[] {
  const abs = isAbsolute(pattern) ? pattern : join(base, pattern);
  const name = basename(abs);
  if (!name.includes("*")) return existsSync(abs) ? [abs] : [];
  const dir = dirname(abs);
  if (!existsSync(dir)) return [];
  const re = new RegExp("^" + name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Load and validate a lab; throws LabInvalidError with every problem found. */
export function loadLab(ref: string, options: { root?: string; cwd?: string } = {}): Lab {
  const root = options.root ?? packageRoot();
  const dir = resolveLabDir(ref, { root, ...(options.cwd ? { cwd: options.cwd } : {}) });
  const yamlPath = join(dir, "lab.yaml");
  const shown = relative(options.cwd ?? process.cwd(), yamlPath) || yamlPath;
  const text = readFileSync(yamlPath, "utf8");
  const yamlCache = graderCacheDir(root, "yaml");
  const parsed = parseYamlCached(text, shown, yamlCache);
  const problems = [...parsed.problems];
  const hashParts = [text];
  if (!problems.length) {
    const v = labValidators(root);
    if (!v.lab(parsed.value)) problems.push(...problemsFromAjv(v.lab.errors, shown, parsed.doc, parsed.lines));
  }
  if (problems.length) throw new LabInvalidError(problems, shown);

  const config = parsed.value as LabConfig;
  const at = (segs: (string | number)[], key?: string) => locate(parsed.doc, parsed.lines, segs, key);
  const problem = (code: LabProblem["code"], segs: (string | number)[], message: string, hint?: string): void => {
    problems.push({ code, path: dottedPath(segs), message, ...(hint ? { hint } : {}), file: shown, ...at(segs) });
  };

  // Facts the schema cannot state.
  // In the repository a lab lives in exercises/<id>; a copy elsewhere (a handout, a test) may sit in any folder.
  const inRepository = relative(join(root, GRADER_PATHS.exercises), dir) === basename(dir);
  if (inRepository && config.id !== basename(dir)) problem("LAB_INVALID", ["id"], `is '${config.id}' but the folder is '${basename(dir)}'`, `set id: ${basename(dir)} or rename the folder`);
  const curves: [string[], { full_at: number; zero_at: number | "baseline" }][] = [
    [["rubric", "overhead"], config.rubric.overhead],
    ...Object.entries(config.rubric.metrics ?? {}).flatMap(([name, m]) => (m ? [[["rubric", "metrics", name], m] as [string[], typeof m]] : [])),
  ];
  for (const [at, c] of curves) {
    if (c.zero_at !== "baseline" && c.zero_at <= c.full_at) problem("LAB_INVALID", [...at, "zero_at"], `must be greater than full_at (${c.full_at})`, `e.g. zero_at: ${Math.max(3, c.full_at * 2)}`);
  }
  const harness = HARNESSES[config.harness];
  if (!harness) {
    problem("LAB_INVALID", ["harness"], `'${config.harness}' is not implemented yet`, `use one of the harnesses there are: ${harnessNames().join(", ")}`);
  } else harness.checkConfig(config, (path, what, fix) => problem("LAB_INVALID", [...path], what, fix));
  if (config.late && !config.due) problem("LAB_INVALID", ["late"], "needs a due date", "add due: 2027-03-01T23:59:00Z");
  if (!config.suites.public) problem("LAB_INVALID", ["suites"], "has no public suite", "add suites.public with the guests students see");
  config.student_files.forEach((f, i) => {
    if (!existsSync(join(dir, f))) problem("LAB_MISSING_FILE", ["student_files", i], `${f} does not exist in ${relative(root, dir)}`, `generate it from the solution: vmlab lab validate ${config.id} --write-starter`);
  });

  const defaultVisibility = (suite: string): Visibility => config.visibility ?? (suite === "public" ? "visible" : "hidden");
  const maxSteps = config.limits.max_steps ?? DEFAULT_MAX_STEPS;
  const suites: ResolvedSuite[] = [];
  for (const [name, declared] of Object.entries(config.suites)) {
    if (!declared) continue;
    let suite: SuiteConfig = declared;
    let base = dir;
    let declaredIn = yamlPath;
    const segs: (string | number)[] = ["suites", name];
    if (declared.file) {
      const file = resolve(root, declared.file);
      if (!existsSync(file)) {
        problem("LAB_MISSING_FILE", [...segs, "file"], `${declared.file} does not exist (suite files are relative to the package root)`, `create ${declared.file} or fix the path`);
        continue;
      }
      const suiteText = readFileSync(file, "utf8");
      hashParts.push(suiteText);
      const sp = parseYamlCached(suiteText, relative(root, file), yamlCache);
      if (sp.problems.length) {
        problems.push(...sp.problems);
        continue;
      }
      const v = labValidators(root);
      if (!v.suite(sp.value)) {
        problems.push(...problemsFromAjv(v.suite.errors, relative(root, file), sp.doc, sp.lines, segs));
        continue;
      }
      const inner = sp.value as SuiteConfig;
      if (inner.file) {
        problem("LAB_INVALID", [...segs, "file"], `${declared.file} itself names a file:`, "a suite file holds guests and generated sets, not another file");
        continue;
      }
      suite = { ...inner, ...(declared.visibility ? { visibility: declared.visibility } : {}) };
      base = dirname(file);
      declaredIn = file;
    }
    const visibility = suite.visibility ?? defaultVisibility(name);
    const guests: ResolvedGuest[] = [];
    (suite.guests ?? []).forEach((g, i) => {
      const gc: GuestConfig = typeof g === "string" ? { path: g } : g;
      if (gc.builtin) {
        guests.push({
          name: gc.name ?? gc.builtin, builtin: gc.builtin, points: gc.points ?? 1, visibility: gc.visibility ?? visibility,
          maxSteps: gc.max_steps ?? maxSteps, ...optTimer(gc.timer_period ?? suite.timer_period), ...(gc.describe ? { describe: gc.describe } : {}), ...hintFields(gc),
        });
        return;
      }
      const files = expand(gc.path!, base);
      if (!files.length) {
        problem("LAB_MISSING_FILE", [...segs, "guests", i], `${gc.path} matches no file in ${relative(root, base) || "."}`, "guest paths are relative to the file that names them");
        return;
      }
      for (const file of files) {
        const source = readFileSync(file, "utf8");
        hashParts.push(source);
        guests.push({
          name: files.length === 1 && gc.name ? gc.name : basename(file).replace(/\.s$/, ""), file, source, points: gc.points ?? 1,
          visibility: gc.visibility ?? visibility, maxSteps: gc.max_steps ?? maxSteps, ...optTimer(gc.timer_period ?? suite.timer_period),
          ...(gc.describe ? { describe: gc.describe } : {}), ...hintFields(gc),
        });
      }
    });
    const caseFiles: ResolvedCaseFile[] = [];
    (suite.cases ?? []).forEach((entry, i) => {
      const cc: CaseFile = typeof entry === "string" ? { path: entry } : entry;
      const files = expand(cc.path, base);
      if (!files.length) {
        problem("LAB_MISSING_FILE", [...segs, "cases", i], `${cc.path} matches no file in ${relative(root, base) || "."}`, "case paths are relative to the file that names them");
        return;
      }
      for (const file of files) {
        const text = readFileSync(file, "utf8");
        hashParts.push(text);
        caseFiles.push({
          name: files.length === 1 && cc.name ? cc.name : basename(file).replace(/\.[^.]+$/, ""), file, text, points: cc.points ?? 1,
          visibility: cc.visibility ?? visibility, ...(cc.describe ? { describe: cc.describe } : {}),
        });
      }
    });
    const generated: ResolvedGenerated[] = (suite.generated ?? []).map((g) => ({
      name: g.name ?? `gen-${g.seed}`, generator: g.generator ?? "random", seed: g.seed, count: g.count, ...(g.size ? { size: g.size } : {}),
      ...(g.mix ? { mix: g.mix } : {}), options: definedOnly(g.options ?? {}), points: g.points ?? 1, visibility: g.visibility ?? visibility, maxSteps: g.max_steps ?? maxSteps,
      ...optTimer(g.timer_period ?? suite.timer_period), variant: g.variant ?? "none", ...hintFields(g),
    }));
    const names = new Set<string>();
    for (const n of [...guests.map((g) => g.name), ...caseFiles.map((c) => c.name), ...generated.map((g) => g.name)]) {
      if (names.has(n)) problem("LAB_INVALID", segs, `names two cases '${n}'`, "give one of them a name:");
      names.add(n);
    }
    if (!guests.length && !caseFiles.length && !generated.length) {
      problem("LAB_INVALID", segs, "has no cases", harness?.name === "trap" ? "add guests: [guests/cli-sti.s] or generated: [...]" : "add cases: [cases/*.yaml] or generated: [...]");
    }
    suites.push({ name, declaredIn, visibility, guests, cases: caseFiles, generated });
  }
  if (problems.length) throw new LabInvalidError(problems, shown);

  const amount = (a: string | number): Amount => (typeof a === "string" ? { percent: Number(a.slice(0, -1)) } : { points: a });
  const late: LatePolicy | undefined = config.late
    ? { perDay: amount(config.late.per_day), maxDays: config.late.max_days, ...(config.late.max_penalty !== undefined ? { maxPenalty: amount(config.late.max_penalty) } : {}) }
    : undefined;
  return {
    id: config.id, title: config.title, harness: config.harness, ...(config.profile ? { profile: config.profile } : {}), studentFiles: config.student_files,
    entry: config.student_files[0]!, exportName: config.export ?? "handlers", suites,
    limits: {
      caseSeconds: config.limits.case_seconds, memoryMb: config.limits.memory_mb, maxSteps,
      ...(config.limits.compile_seconds ? { compileSeconds: config.limits.compile_seconds } : {}),
      ...(config.limits.output_bytes ? { outputBytes: config.limits.output_bytes } : {}),
    },
    cost: config.cost ?? {}, rubric: config.rubric, ...(config.due ? { due: config.due } : {}), ...(late ? { late } : {}),
    hiddenFeedback: hiddenFeedbackPolicy(config),
    ...(config.reference ? { referenceFile: resolve(dir, config.reference) } : {}),
    dir, yamlPath, solutionDir: join(root, GRADER_PATHS.solutions, config.id), root, hash: sha256(...hashParts), config,
  };
}

/** lab.yaml's hidden_feedback (a level, or { before, after, from }) with its defaults. */
function hiddenFeedbackPolicy(config: LabConfig): HiddenFeedbackPolicy {
  const h = config.hidden_feedback;
  const given = typeof h === "string" ? { before: h } : (h ?? {});
  return {
    before: given.before ?? DEFAULT_HIDDEN_FEEDBACK.before,
    after: given.after ?? DEFAULT_HIDDEN_FEEDBACK.after,
    from: given.from ? new Date(given.from).toISOString() : (config.due ? new Date(config.due).toISOString() : null),
    ...(typeof h === "object" && h.hints === false ? { hints: false } : {}),
  };
}

/** A guest's or set's category and features, when lab.yaml gives them. */
function hintFields(g: { category?: string; features?: string[] }): { category?: string; features?: readonly string[] } {
  return { ...(g.category ? { category: g.category } : {}), ...(g.features ? { features: g.features } : {}) };
}

function definedOnly(options: Readonly<Record<string, number | string | boolean | undefined>>): Record<string, number | string | boolean> {
  return Object.fromEntries(Object.entries(options).filter((e): e is [string, number | string | boolean] => e[1] !== undefined));
}

function optTimer(period: number | undefined): { timerPeriod?: number } {
  return period === undefined ? {} : { timerPeriod: period };
}
