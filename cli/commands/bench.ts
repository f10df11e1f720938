// `vmlab bench`: interpreter and binary-translator speed on the bundled compute programs against the same algorithms in JavaScript, and the discrete-event models' speed.
import type { Command } from "commander";
import { runBench, type BenchResult } from "../../src/analysis/bench.js";
import { benchSim, type SimBenchResult } from "../../src/sim/bench.js";
import { benchServerless, type ServerlessBenchResult } from "../../src/serverless/bench.js";
import { benchContainers, type ContainerBenchResult } from "../../src/containers/bench.js";
import { type CliContext, CliError, EXIT, parseCount } from "../context.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("bench")
    .description("measure the interpreter on the bundled compute programs against the same algorithms written in JavaScript")
    .option("--json", "print one JSON object")
    .option("--repetitions <n>", "timed repetitions per kernel (median is reported; default 5, with --grader 3)")
    .option("--scale <factor>", "multiply every kernel's work", "1")
    .option("--only <names>", "comma-separated kernel names")
    .option("--check", "exit 1 when the interpreter's speed target (interp_vs_plain_switch) is not met")
    .option("--no-sim", "leave out the discrete-event models (event engine, serverless, containers)")
    .option("--grader", "measure grading instead, in wall and CPU seconds: one vmlab grade process with lab 01's full suite, and a grade-batch of 50 with two jobs")
    .option("--submissions <n>", "with --grader: submissions in the batch (default 50)")
    .action(async (opts: { json?: boolean; repetitions?: string; scale: string; only?: string; check?: boolean; grader?: boolean; submissions?: string; sim: boolean }) => {
      if (opts.grader) {
        const { benchGrader } = await import("../../grader/src/bench.js");
        const batch = opts.submissions === undefined ? undefined : parseCount(opts.submissions, "--submissions");
        const g = await benchGrader({ ...(opts.repetitions === undefined ? {} : { repetitions: parseCount(opts.repetitions, "--repetitions") }), ...(batch ? { batch } : {}) });
        const { single, batch: b } = g.grader;
        const met = single.cpu_s !== null && single.cpu_s <= g.targets.single_cpu_s && b.cpu_s_per_submission !== null && b.cpu_s_per_submission <= g.targets.batch_cpu_s_per_submission;
        ctx.stdout(opts.json ? JSON.stringify({ ...g, met }) + "\n" : [
          `vmlab bench --grader — lab ${g.lab}, ${g.cases_per_submission} cases per submission, median of ${g.repetitions} runs (CPU: the grader and all its children)`,
          `one vmlab grade process: ${single.wall_s} s wall, ${single.cpu_s ?? "?"} CPU-s (target ≤ ${g.targets.single_cpu_s})`,
          `grade-batch of ${b.submissions} with --jobs ${b.jobs}: ${b.wall_s} s wall, ${b.cpu_s_per_submission ?? "?"} CPU-s per submission (target ≤ ${g.targets.batch_cpu_s_per_submission}), ${b.submissions_per_min} submissions per minute`,
          `targets ${met ? "met" : "not met"}`,
          "",
        ].join("\n"));
        if (opts.check && !met) ctx.setExitCode(EXIT.FAILED);
        return;
      }
      const repetitions = parseCount(opts.repetitions ?? "5", "--repetitions");
      const scale = Number(opts.scale);
      if (!(scale > 0) || !Number.isFinite(scale)) throw new CliError("CLI_BAD_NUMBER", `--scale expects a positive number, got '${opts.scale}'`);
      if (repetitions < 1) throw new CliError("CLI_BAD_NUMBER", "--repetitions must be at least 1");
      const machine = runBench({ repetitions, scale, ...(opts.only ? { only: opts.only.split(",").map((s) => s.trim()) } : {}) });
      const result: BenchResult & { sim?: ModelBench } = opts.sim ? { ...machine, sim: benchModels(repetitions) } : machine;
      ctx.stdout(opts.json ? JSON.stringify(result) + "\n" : formatBench(result) + (result.sim ? formatModelBench(result.sim) : ""));
      if (opts.check && !(result.target.met && (!result.sim || result.sim.met))) ctx.setExitCode(EXIT.FAILED);
    });
}

/** The discrete-event models' figures: `sim` in `vmlab bench --json`. */
export interface ModelBench extends SimBenchResult {
  readonly target_events_per_second: number;
  readonly openlambda: ServerlessBenchResult["openlambda"];
  readonly invocations: ServerlessBenchResult["invocations"];
  readonly containers: ContainerBenchResult;
  /** Every model target met: the engine's events per second, the OpenLambda experiment and the million invocations. */
  readonly met: boolean;
}

/** The event engine's target: events per CPU second. */
export const SIM_TARGET_EVENTS_PER_SECOND = 1_000_000;

/** Time the event engine, the serverless experiments and a container experiment, each as medians (the million invocations at most three times). */
export function benchModels(repetitions: number): ModelBench {
  const engine = benchSim({ repetitions });
  const serverless = benchServerless({ repetitions, invocationRepetitions: Math.min(3, repetitions) });
  const containers = benchContainers({ repetitions });
  const met = engine.events_per_second >= SIM_TARGET_EVENTS_PER_SECOND && serverless.openlambda.met && serverless.invocations.met;
  return { ...engine, target_events_per_second: SIM_TARGET_EVENTS_PER_SECOND, openlambda: serverless.openlambda, invocations: serverless.invocations, containers, met };
}

/** The models' figures as text; targets are judged on CPU time, wall time is shown beside it. */
export function formatModelBench(m: ModelBench): string {
  const n = (v: number) => Math.round(v).toLocaleString("en-US");
  const verdict = (met: boolean) => (met ? "met" : "not met");
  return [
    "discrete-event models (median CPU time, wall beside it; targets are judged on CPU time, which a shared machine's load does not inflate):",
    `  event engine: ${n(m.events)} events in ${m.cpu_ms.toFixed(0)} ms CPU (${m.wall_ms.toFixed(0)} ms wall) = ${n(m.events_per_second)} events/s (${n(m.events_per_wall_second)} per wall second); target ≥ ${n(m.target_events_per_second)} — ${verdict(m.events_per_second >= m.target_events_per_second)}`,
    `  OpenLambda experiment: ${n(m.openlambda.requests)} requests in ${m.openlambda.cpu_ms.toFixed(1)} ms CPU (${m.openlambda.wall_ms.toFixed(1)} ms wall); target < ${m.openlambda.target_ms} ms — ${verdict(m.openlambda.met)}`,
    `  ${n(m.invocations.count)} invocations: ${(m.invocations.cpu_ms / 1000).toFixed(2)} s CPU (${(m.invocations.wall_ms / 1000).toFixed(2)} s wall); target < ${m.invocations.target_ms / 1000} s — ${verdict(m.invocations.met)}`,
    `  containers, ${m.containers.experiment}: ${m.containers.median_cpu_ms.toFixed(1)} ms CPU (${m.containers.median_wall_ms.toFixed(1)} ms wall), ${n(m.containers.events)} events`,
    "",
  ].join("\n");
}

/** The best case under the translator (src/analysis/best-case.ts), when the kernels have one. */
function bestCaseLines(r: BenchResult): string[] {
  const kernels = r.kernels.filter((k) => k.best_case_vs_native !== undefined);
  if (kernels.length === 0 || r.ratios.best_case_vs_native === undefined) return [];
  return [
    `best case for a translator of this design (the guest's loops by hand, every memory access through the TLB's fast view, the budget per block): ${r.ratios.best_case_vs_native}× JavaScript (median; ${kernels.map((k) => `${k.name} ${k.best_case_ms!.toFixed(2)} ms = ${k.best_case_vs_native!.toFixed(1)}×`).join(", ")})`,
  ];
}

/** The benchmark as a text table. */
export function formatBench(r: BenchResult): string {
  const rows = r.kernels.map((k) => [
    k.name,
    k.guest_instructions.toLocaleString("en-US"),
    k.native_ms.toFixed(2),
    k.interp_ms.toFixed(2),
    k.interp_vs_native.toFixed(1) + "×",
    (k.interp_ips / 1e6).toFixed(1),
    k.dbt_ms.toFixed(2),
    k.dbt_cpu_ms.toFixed(2),
    k.dbt_cold_ms.toFixed(2),
    k.dbt_vs_native.toFixed(1) + "×",
    k.dbt_vs_interp.toFixed(2) + "×",
    Math.round(k.dbt_translated_share * 100) + "%",
  ]);
  const head = ["kernel", "guest instr", "native ms", "interp ms", "interp/native", "M instr/s", "dbt ms", "dbt cpu ms", "dbt cold ms", "dbt/native", "dbt/interp", "translated"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    `vmlab bench — median of ${r.repetitions} runs each, Node ${r.node}`,
    line(head),
    ...rows.map(line),
    "",
    `interpreter vs JavaScript (median over kernels): ${r.ratios.interp_vs_native}× (no target: running near JavaScript speed is the binary translator's job)`,
    `binary translator (median over kernels): ${r.ratios.dbt_vs_native}× JavaScript (target ≤ ${r.dbt_target.dbt_vs_native}×), ${r.ratios.dbt_vs_interp}× the interpreter (target ≤ ${r.dbt_target.dbt_vs_interp}×) — ${r.dbt_target.met ? "met" : "not met"}`,
    "  (dbt ms: a fresh machine whose regions' JavaScript V8 compiled for an earlier machine; dbt cold ms: a new translator, every region compiled afresh)",
    ...bestCaseLines(r),
    "",
    `calibration, sum of i² for ${r.calibration.iterations.toLocaleString("en-US")} iterations (5 instructions each):`,
    `  JavaScript ${r.calibration.native_ms} ms; plain switch interpreter (no MMU, flags or interrupts) ${r.calibration.plain_switch_ms} ms = ${r.calibration.plain_switch_vs_native}× JavaScript;`,
    `  vmlab's interpreter ${r.calibration.interp_ms} ms = ${r.calibration.interp_vs_plain_switch}× the plain switch interpreter`,
    `interpreter target: interp_vs_plain_switch ≤ ${r.target.interp_vs_plain_switch}× — ${r.target.met ? "met" : "not met"} (${r.calibration.interp_vs_plain_switch}×)`,
    ...(r.reference ? [`reference engine (the differential oracle, no fast paths): ${r.reference.ms} ms for ${r.reference.iterations.toLocaleString("en-US")} iterations = ${r.reference.vs_interp}× the interpreter per iteration`] : []),
    "",
    "analyses (median wall and CPU time):",
    `  Popek–Goldberg classification of the x86 profile (pg_classify): ${r.analysis.pg_classify.wall_ms} ms wall, ${r.analysis.pg_classify.cpu_ms} ms CPU`,
    `  one equivalence check of a small guest, 100 rounds of CLI and STI (equivalence_check): ${r.analysis.equivalence_check.wall_ms} ms wall, ${r.analysis.equivalence_check.cpu_ms} ms CPU`,
    "",
  ].join("\n");
}
