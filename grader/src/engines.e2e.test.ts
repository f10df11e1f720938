// Grading on either engine: the interpreter and the binary translator give byte-identical results (timings aside) for lab 01's golden gradings (on the default engine: e2e.test.ts), lab 02's reference, starter and calibration set, and the threat fixtures' verdicts.
//
// The sandbox child runs the translator after SES's lockdown (its regions compiled with the realm's own
// Function constructor, src/engines/runtime.ts, which no compartment reaches): the probe fixture, run on
// the translator, must still find no host power. Which engine grades faster is the commit message's
// measurement; GRADER_ENGINE (sandbox/protocol.ts) is the default.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { buildGuest } from "../../src/guests/index.js";
import { createRealSandbox, realDeps } from "./deps.js";
import { gradeSubmission, prepareLab } from "./grade.js";
import { toWire } from "./harnesses/trap-cases.js";
import { gradeCalibration, loadCalibration } from "./lab/calibration.js";
import { loadLab } from "./lab/load.js";
import { packageRoot } from "./paths.js";
import type { GradeResult } from "./result.js";
import { ensureChildBuilt } from "./sandbox/built.js";
import { compileSubmission } from "./sandbox/compile.js";
import { CompileWorker } from "./sandbox/compile-worker.js";
import { GRADER_ENGINE, type SandboxCaseResult } from "./sandbox/protocol.js";
import { createSandbox } from "./sandbox/runner.js";
import { goldenMismatch } from "./test-helpers.js";

const root = packageRoot();
const ENGINES = ["interpreter", "dbt"] as const;
type EngineName = (typeof ENGINES)[number];
/** Lab 01 on the grader's default engine is e2e.test.ts's golden test; here, every other engine against the same golden files. */
const OTHER_ENGINES = ENGINES.filter((e) => e !== GRADER_ENGINE);

/** A result as its golden file holds it: everything but the timings. */
const stable = (r: GradeResult): string => {
  const { timings: _t, ...rest } = r;
  return JSON.stringify(rest, null, 2) + "\n";
};

/** `vmlab grade` of lab 01's reference or starter as the golden results were made (every suite, instructor's view), on `engine`: result.json less its timings. */
async function gradeLab01(who: "reference" | "starter", engine: EngineName): Promise<string> {
  const dir = join(work, `lab01-${who}-${engine}`);
  const code = await main(["grade", who === "reference" ? "solutions/01-trap-and-emulate" : "exercises/01-trap-and-emulate", "--lab", "01-trap-and-emulate", "--suite", "all",
    "--audience", "instructor", "--format", "json", "--out", dir, "--engine", engine], { cwd: root, env: { CI: "1" }, stdout: () => {}, stderr: (t) => void (errors += t) });
  expect(code, `${who} on the ${engine}: ${errors}`).toBe(0);
  return stable(JSON.parse(readFileSync(join(dir, "result.json"), "utf8")) as GradeResult);
}

/** Lab 02's reference, starter and calibration set graded on every suite, on `engine`, one after another in kept children. */
async function gradeLab02(engine: EngineName): Promise<Map<string, string>> {
  const lab = loadLab("02-binary-translation");
  const sandbox = createRealSandbox(new CompileWorker(), { pool: {} });
  try {
    const deps = realDeps({ engine, sandbox });
    const prepared = await prepareLab(lab, "all", deps);
    const out = new Map<string, string>();
    for (const [name, dir] of [["reference", lab.solutionDir], ["starter", lab.dir]] as const) out.set(name, stable(await gradeSubmission(dir, prepared, deps, { name })));
    for (const e of loadCalibration(lab)) out.set(e.name, stable(await gradeCalibration(e, (dir) => gradeSubmission(dir, prepared, deps, { name: e.name }))));
    return out;
  } finally {
    await sandbox.close?.();
  }
}

// The threat fixtures that reach the monitor (the resource bombs and the time-out are the sandbox's limits, the same on any engine, and cost seconds each).
const FIXTURES = [
  "async-handler", "console-exfil", "deep-recursion", "fake-result", "float-arrays", "honest-comments", "hostile-returns", "huge-message", "huge-output",
  "leak-stack", "monkeypatch", "probe-host", "process-exit", "read-files", "spawn-process", "stop-exfil", "tamper-counters", "throw-non-error", "type-bomb", "wrong-exports",
] as const;
const correct = readFileSync(join(root, "solutions/01-trap-and-emulate/handlers.ts"), "utf8");
const threatCases = (["hello", "ring-check", "fault-divide"] as const).map((name) => ({ id: name, input: { guest: toWire(buildGuest(name)), profile: "strict" as const, maxSteps: 2_000_000 } }));

/** Every fixture's verdicts on `engine` (kept children, a fresh Compartment per fixture): each case's result as the sandbox returns it. */
async function threatVerdicts(engine: EngineName): Promise<Record<string, readonly SandboxCaseResult[]>> {
  const sandbox = createSandbox({ pool: {} });
  const out: Record<string, readonly SandboxCaseResult[]> = {};
  try {
    for (const name of FIXTURES) {
      const source = readFileSync(join(root, "grader/fixtures/threats", name, "handlers.ts"), "utf8");
      const compiled = compileSubmission({ "handlers.ts": source, "correct.ts": correct }, { entry: "handlers.ts" });
      out[name] = await sandbox.run({
        harness: "trap", entry: "handlers.ts", exportName: "handlers", js: compiled.js, cases: threatCases, engine,
        limits: { caseSeconds: 3, memoryMb: 128, outputBytes: 64 * 1024 },
      });
    }
  } finally {
    await sandbox.close();
  }
  return out;
}

let work: string;
let errors = "";
const lab01 = {} as Partial<Record<EngineName, Record<"reference" | "starter", string>>>;
let lab02: Record<EngineName, Map<string, string>>;
const threats = {} as Record<EngineName, Record<string, readonly SandboxCaseResult[]>>;

beforeAll(async () => {
  await ensureChildBuilt(root);
  work = mkdtempSync(join(tmpdir(), "vmlab-engines-"));
  // One thing at a time: grading is deterministic, but a loaded machine should not be what the comparison measures.
  for (const engine of OTHER_ENGINES) lab01[engine] = { reference: await gradeLab01("reference", engine), starter: await gradeLab01("starter", engine) };
  lab02 = { interpreter: await gradeLab02("interpreter"), dbt: await gradeLab02("dbt") };
  for (const engine of ENGINES) threats[engine] = await threatVerdicts(engine);
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("grading on the interpreter and on the binary translator", () => {
  it.each(OTHER_ENGINES)("grades lab 01's reference and starter on the %s exactly as the golden results say (timings aside)", (engine) => {
    for (const who of ["reference", "starter"] as const) {
      const mismatch = goldenMismatch(join(root, "grader/testdata/golden", `01-trap-and-emulate.${who}.result.json`), lab01[engine]![who], {});
      expect(mismatch?.actual, `${who} on the ${engine}`).toBe(mismatch?.expected);
    }
  });

  it("grades lab 02's reference, starter and every calibration submission byte for byte alike on both engines, every suite", () => {
    const [a, b] = ENGINES.map((e) => lab02[e]);
    expect([...b!.keys()]).toEqual([...a!.keys()]);
    expect(a!.size).toBeGreaterThan(2);
    for (const [name, result] of a!) expect(b!.get(name), name).toBe(result);
    expect(JSON.parse(a!.get("reference")!)).toMatchObject({ score: 100, max_score: 100 });
  });

  it("gives every threat fixture the same verdicts on both engines", () => {
    for (const name of FIXTURES) expect(threats.dbt[name], name).toEqual(threats.interpreter[name]);
  });

  it("keeps the Function constructor out of reach on the translator: the probe finds no host power, the honest cases pass", () => {
    const [hello, ringCheck, faultDivide] = threats.dbt["probe-host"]!;
    expect(hello).toMatchObject({ status: "ok", equivalent: true });
    expect(faultDivide).toMatchObject({ status: "ok", equivalent: true });
    expect(ringCheck).toMatchObject({ status: "handler-error" });
    expect(ringCheck && "message" in ringCheck ? ringCheck.message : "").toMatch(/host powers found: none\b/);
  });
});
