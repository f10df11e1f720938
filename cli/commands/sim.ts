// `vmlab sim`: the serverless model's experiments from the command line — OpenLambda, SimFaaS's steady state, keep-alive on a trace, billing, Borg, the synthetic trace.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { didYouMean } from "../../src/core/suggest.js";
import { sideBySideBill, billFunction, LAMBDA_PRICING_2019, LAMBDA_PRICING_2021 } from "../../src/serverless/billing.js";
import { runBorg } from "../../src/serverless/borg.js";
import { computeTimeMs, vcpusFor } from "../../src/serverless/cpu.js";
import { comparePolicies, policyByName } from "../../src/serverless/keep-alive-experiment.js";
import { POLICY_NAMES } from "../../src/serverless/keep-alive.js";
import { runOpenLambda, type OpenLambdaSide } from "../../src/serverless/openlambda.js";
import { steadyState } from "../../src/serverless/steady-state.js";
import { generateSyntheticTrace, SYNTHETIC_SEED } from "../../src/serverless/synthetic-trace.js";
import { readTrace } from "../../src/serverless/trace-files.js";
import { traceLength } from "../../src/serverless/trace.js";
import { type CliContext, CliError, EXIT, parseCount } from "../context.js";

/** Parses a number option: finite, ≥ 0 (or > 0 with `positive`), or a CliError naming the option. */
export function parseNumber(value: string, option: string, options: { readonly positive?: boolean; readonly unit?: string; readonly example?: string } = {}): number {
  const n = Number(value.replace(/_/g, ""));
  const ok = value.trim() !== "" && Number.isFinite(n) && (options.positive ? n > 0 : n >= 0);
  if (!ok) {
    const what = options.positive ? "a number > 0" : "a number ≥ 0";
    throw new CliError("CLI_BAD_NUMBER", `${option} expects ${what}${options.unit ? ` (${options.unit})` : ""}, got '${value}'`, EXIT.USAGE, `e.g. ${option} ${options.example ?? "1"}`);
  }
  return n;
}

const fmt = (x: number, digits = 3) => (Number.isInteger(x) ? x.toLocaleString("en-US") : x.toLocaleString("en-US", { maximumFractionDigits: digits }));

/** Aligned columns for the terminal; numbers right-aligned. */
function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: readonly string[], numeric: readonly boolean[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const numeric = head.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number"));
  return [line(head, numeric), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map((r) => line(r, numeric))].join("\n");
}

/** Latency at each decile of a CDF. */
function deciles(side: OpenLambdaSide): number[] {
  return [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((p) => (side.cdf.find((pt) => pt.p >= p - 1e-12) ?? side.cdf[side.cdf.length - 1]!).x);
}

function registerOpenLambda(sim: Command, ctx: CliContext): void {
  sim
    .command("openlambda")
    .description("rerun the OpenLambda experiment (HotCloud 2016): 100 outstanding 200 ms requests for a minute on Lambda and on Elastic Beanstalk")
    .option("--json", 'print {"lambda":{"median_s","p99_s"},"container_service":{"median_s","p99_s"}}')
    .option("--memory-mb <mb>", "Lambda's memory setting; CPU is memory / 1,769 MB of a vCPU", "256")
    .option("--path-ms <ms>", "Lambda's per-invocation path (front end and back)", "25")
    .option("--clients <n>", "outstanding requests", "100")
    .option("--duration-s <s>", "how long the clients send", "60")
    .option("--cpu-ms <ms>", "compute per request on one vCPU", "200")
    .action((o: { json?: boolean; memoryMb: string; pathMs: string; clients: string; durationS: string; cpuMs: string }) => {
      const memoryMb = parseNumber(o.memoryMb, "--memory-mb", { positive: true, unit: "MB", example: "256" });
      const r = runOpenLambda({
        memoryMb,
        invocationPathMs: parseNumber(o.pathMs, "--path-ms", { unit: "ms", example: "25" }),
        clients: Math.max(1, parseCount(o.clients, "--clients")),
        durationS: parseNumber(o.durationS, "--duration-s", { positive: true, unit: "s", example: "60" }),
        cpuMs: parseNumber(o.cpuMs, "--cpu-ms", { unit: "ms", example: "200" }),
      });
      if (o.json) {
        const s = (x: number) => Number(x.toFixed(6));
        ctx.stdout(JSON.stringify({ lambda: { median_s: s(r.lambda.median_s), p99_s: s(r.lambda.p99_s) }, container_service: { median_s: s(r.container_service.median_s), p99_s: s(r.container_service.p99_s) } }) + "\n");
        return;
      }
      const l = deciles(r.lambda);
      const c = deciles(r.container_service);
      ctx.stdout(
        [
          "The OpenLambda experiment (Hendrickson et al., HotCloud 2016), simulated",
          "",
          table(
            ["platform", "median s", "p99 s", "requests", "instances"],
            [
              ["AWS Lambda", r.lambda.median_s, r.lambda.p99_s, r.lambda.requests, r.lambda.peakInstances],
              ["Elastic Beanstalk", r.container_service.median_s, r.container_service.p99_s, r.container_service.requests, r.container_service.peakInstances],
            ],
          ),
          "",
          "Latency CDF (seconds at each share of requests):",
          table(["share", "Lambda s", "Beanstalk s"], l.map((x, i) => [`${(i + 1) * 10}%`, x, c[i]!])),
          "",
          "Parameters:",
          table(["parameter", "value", "unit", "source"], r.parameters.map((p) => [p.name, p.value, p.unit, p.source])),
          "",
          `Paper: Lambda's median 1.6 s, Beanstalk's 20 s. Here ${fmt(memoryMb)} MB buys ${vcpusFor(memoryMb).toFixed(3)} of a vCPU, so 200 ms of compute takes ${fmt(computeTimeMs(200, memoryMb), 0)} ms; vary --memory-mb to see the median move.`,
          "",
        ].join("\n"),
      );
    });
}

function registerSteady(sim: Command, ctx: CliContext): void {
  sim
    .command("steady")
    .description("the steady state in SimFaaS's parameterisation: cold-start and rejection probability, mean running and idle instances")
    .requiredOption("--rate <per-s>", "Poisson arrival rate λ (requests per second)")
    .requiredOption("--warm-ms <ms>", "mean warm service time (exponential)")
    .requiredOption("--cold-ms <ms>", "mean cold service time, start-up included (exponential)")
    .requiredOption("--expire-s <s>", "idle time after which an instance expires")
    .requiredOption("--max-concurrency <n>", "running instances at most; requests beyond are rejected")
    .option("--duration-s <s>", "simulated time", "200000")
    .option("--skip-s <s>", "start-up transient to leave out (default a tenth of the duration)")
    .option("--seed <n>", "random seed", "1")
    .option("--json", "print one JSON object")
    .action((o: { rate: string; warmMs: string; coldMs: string; expireS: string; maxConcurrency: string; durationS: string; skipS?: string; seed: string; json?: boolean }) => {
      const r = steadyState({
        ratePerSecond: parseNumber(o.rate, "--rate", { positive: true, unit: "requests per second", example: "0.9" }),
        warmMs: parseNumber(o.warmMs, "--warm-ms", { positive: true, unit: "ms", example: "1991" }),
        coldMs: parseNumber(o.coldMs, "--cold-ms", { positive: true, unit: "ms", example: "2244" }),
        expireS: parseNumber(o.expireS, "--expire-s", { unit: "s", example: "600" }),
        maxConcurrency: Math.max(1, parseCount(o.maxConcurrency, "--max-concurrency")),
        durationS: parseNumber(o.durationS, "--duration-s", { positive: true, unit: "s", example: "200000" }),
        ...(o.skipS === undefined ? {} : { skipS: parseNumber(o.skipS, "--skip-s", { unit: "s", example: "20000" }) }),
        seed: parseCount(o.seed, "--seed"),
      });
      if (o.json) {
        ctx.stdout(JSON.stringify(r) + "\n");
        return;
      }
      ctx.stdout(
        [
          `SimFaaS steady state: λ = ${o.rate}/s, warm ${o.warmMs} ms, cold ${o.coldMs} ms, expiry ${o.expireS} s, at most ${o.maxConcurrency} running`,
          `(${fmt(r.simulated_s)} s simulated, the first ${fmt(r.skipped_s)} s skipped, ${fmt(r.requests)} requests counted)`,
          "",
          table(
            ["measure", "value"],
            [
              ["cold-start probability", r.cold_start_probability.toFixed(5)],
              ["rejection probability", r.rejection_probability.toFixed(5)],
              ["mean running instances", r.mean_running.toFixed(4)],
              ["mean idle instances", r.mean_idle.toFixed(4)],
              ["mean instances", r.mean_instances.toFixed(4)],
            ],
          ),
          "",
        ].join("\n"),
      );
    });
}

function registerKeepAlive(sim: Command, ctx: CliContext): void {
  const names = Object.keys(POLICY_NAMES);
  sim
    .command("keepalive")
    .description("replay a trace (Azure Functions 2019 directory or file, or 2021 file) under keep-alive policies and compare cold starts with wasted memory")
    .requiredOption("--trace <path>", "trace file or dataset directory (try data/azure-synthetic)")
    .option("--policy <names>", `comma-separated: ${names.join(", ")}`, "fixed,hybrid,no-unloading")
    .option("--keep-alive-s <s>", "the fixed policy's keep-alive", "600")
    .option("--apps <n>", "replay a seeded sample of this many applications")
    .option("--minutes <n>", "replay this many minutes")
    .option("--days <n>", "days of a 2019 directory to read", "1")
    .option("--seed <n>", "seed for arrival offsets, durations and the sample", "1")
    .option("--json", "print one JSON object")
    .action((o: { trace: string; policy: string; keepAliveS: string; apps?: string; minutes?: string; days: string; seed: string; json?: boolean }) => {
      const keepAliveMs = parseNumber(o.keepAliveS, "--keep-alive-s", { unit: "s", example: "600" }) * 1000;
      const policies = o.policy.split(",").map((p) => p.trim()).filter((p) => p !== "");
      for (const p of policies) {
        if (!names.includes(p)) throw new CliError("CLI_UNKNOWN_POLICY", `unknown keep-alive policy '${p}'`, EXIT.USAGE, didYouMean(p, names, { maxDistance: 3 }) ?? `policies are ${names.join(", ")}`);
      }
      if (policies.length === 0) throw new CliError("CLI_UNKNOWN_POLICY", "--policy names no policy", EXIT.USAGE, `e.g. --policy fixed,hybrid`);
      const trace = readTrace(o.trace, ctx.cwd, {
        seed: parseCount(o.seed, "--seed"),
        days: Math.max(1, parseCount(o.days, "--days")),
        ...(o.apps === undefined ? {} : { apps: Math.max(1, parseCount(o.apps, "--apps")) }),
        ...(o.minutes === undefined ? {} : { minutes: Math.max(1, parseCount(o.minutes, "--minutes")) }),
      });
      const rows = comparePolicies(trace, policies.map((p) => policyByName(p, { keepAliveMs })));
      if (o.json) {
        ctx.stdout(JSON.stringify({ trace: trace.source, invocations: traceLength(trace), applications: trace.apps.length, notes: trace.notes, policies: rows }) + "\n");
        return;
      }
      ctx.stdout(
        [
          `Keep-alive policies on ${trace.source}: ${fmt(traceLength(trace))} invocations of ${trace.apps.length} applications`,
          ...trace.notes.map((n) => `note: ${n}`),
          "",
          table(
            ["policy", "cold starts", "cold %", "wasted GB-s", "vs first", "p50 ms", "p99 ms"],
            rows.map((r) => [r.policy, r.coldStarts, Number((100 * r.coldStartRate).toFixed(2)), Math.round(r.wastedGbSeconds), Number(r.wastedRelative.toFixed(3)), Number(r.p50Ms.toFixed(1)), Number(r.p99Ms.toFixed(1))]),
          ),
          "",
        ].join("\n"),
      );
    });
}

function registerBilling(sim: Command, ctx: CliContext): void {
  sim
    .command("billing")
    .description("a bill before and after Lambda's December 2020 change (100 ms to 1 ms), beside always-on containers and VMs")
    .option("--invocations <n>", "invocations in the period", "60000000")
    .option("--duration-ms <ms>", "duration of each invocation", "28")
    .option("--memory-mb <mb>", "memory setting", "1024")
    .option("--price-gb-s <dollars>", "price per GB-second", String(LAMBDA_PRICING_2021.perGbSecond))
    .option("--period-hours <h>", "the period the invocations spread over, for the always-on options", "720")
    .option("--json", "print one JSON object")
    .action((o: { invocations: string; durationMs: string; memoryMb: string; priceGbS: string; periodHours: string; json?: boolean }) => {
      const invocations = parseCount(o.invocations, "--invocations");
      const durationMs = parseNumber(o.durationMs, "--duration-ms", { unit: "ms", example: "28" });
      const memoryMb = parseNumber(o.memoryMb, "--memory-mb", { positive: true, unit: "MB", example: "1024" });
      const perGbSecond = parseNumber(o.priceGbS, "--price-gb-s", { unit: "$", example: "0.0000166667" });
      const periodHours = parseNumber(o.periodHours, "--period-hours", { positive: true, unit: "hours", example: "720" });
      const work = { count: invocations, durationMs };
      const before = billFunction(work, memoryMb, { ...LAMBDA_PRICING_2019, perGbSecond });
      const after = billFunction(work, memoryMb, { ...LAMBDA_PRICING_2021, perGbSecond });
      const lines = sideBySideBill({ invocations, durationMs, memoryMb, periodHours });
      if (o.json) {
        ctx.stdout(JSON.stringify({ before, after, side_by_side: lines }) + "\n");
        return;
      }
      const money = (x: number) => `$${x.toFixed(2)}`;
      ctx.stdout(
        [
          `${fmt(invocations)} invocations of ${fmt(durationMs)} ms at ${fmt(memoryMb)} MB, $${perGbSecond} per GB-s:`,
          "",
          table(
            ["billing", "billed per call", "GB-s", "compute", "requests", "total"],
            [
              ["100 ms (before Dec 2020)", `${before.billedMs / Math.max(1, invocations)} ms`, Math.round(before.gbSeconds), money(before.computeCost), money(before.requestCost), money(before.total)],
              ["1 ms (after Dec 2020)", `${after.billedMs / Math.max(1, invocations)} ms`, Math.round(after.gbSeconds), money(after.computeCost), money(after.requestCost), money(after.total)],
            ],
          ),
          "",
          `The same work over ${fmt(periodHours)} hours, side by side:`,
          table(["option", "instances", "cost", "how"], lines.map((l) => [l.option, l.instances, money(l.cost), l.note])),
          "",
        ].join("\n"),
      );
    });
}

function registerBorg(sim: Command, ctx: CliContext): void {
  sim
    .command("borg")
    .description("Borg's task start-up (EuroSys 2015): about 25 s, 80% of it package installation, and what a package cache changes")
    .option("--cache <n>", "job packages each machine keeps installed (0: none)", "0")
    .option("--placement <how>", "random or package-aware", "random")
    .option("--seed <n>", "random seed", "1")
    .option("--json", "print one JSON object")
    .action((o: { cache: string; placement: string; seed: string; json?: boolean }) => {
      const placements = ["random", "package-aware"];
      if (!placements.includes(o.placement)) throw new CliError("CLI_UNKNOWN_PLACEMENT", `unknown placement '${o.placement}'`, EXIT.USAGE, didYouMean(o.placement, placements, { maxDistance: 4 }) ?? "placements are random, package-aware");
      const r = runBorg({ cacheSize: parseCount(o.cache, "--cache"), placement: o.placement as "random" | "package-aware", seed: parseCount(o.seed, "--seed") });
      const { cdf: _cdf, ...summary } = r;
      if (o.json) {
        ctx.stdout(JSON.stringify(summary) + "\n");
        return;
      }
      ctx.stdout(
        [
          `Borg task start-up, ${fmt(r.tasks)} tasks, package cache ${o.cache} per machine, ${o.placement} placement:`,
          table(
            ["measure", "value"],
            [
              ["median start-up", `${r.median_s.toFixed(1)} s`],
              ["p90 start-up", `${r.p90_s.toFixed(1)} s`],
              ["share installing packages", `${(100 * r.installShare).toFixed(0)}%`],
              ["cache hit rate", `${(100 * r.cacheHitRate).toFixed(0)}%`],
            ],
          ),
          "",
          "Paper: median about 25 s, about 80% package installation. Try --cache 20 --placement package-aware.",
          "",
        ].join("\n"),
      );
    });
}

function registerSynthTrace(sim: Command, ctx: CliContext): void {
  sim
    .command("synth-trace")
    .description("write the seeded synthetic trace in the Azure Functions 2019 and 2021 columns (data/azure-synthetic is this with the default seed)")
    .requiredOption("--out <dir>", "directory to write into (created if missing)")
    .option("--seed <n>", "seed", String(SYNTHETIC_SEED))
    .option("--days <n>", "days of 2019-schema files", "1")
    .action((o: { out: string; seed: string; days: string }) => {
      const files = generateSyntheticTrace({ seed: parseCount(o.seed, "--seed"), days: Math.max(1, parseCount(o.days, "--days")) });
      const dir = resolve(ctx.cwd, o.out);
      mkdirSync(dir, { recursive: true });
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      ctx.stdout(`wrote ${Object.keys(files).length} synthetic trace files to ${o.out}\n`);
    });
}

export function register(program: Command, ctx: CliContext): void {
  const sim = program.command("sim").description("the serverless model: OpenLambda, SimFaaS's steady state, keep-alive policies on traces, billing, Borg start-up");
  registerOpenLambda(sim, ctx);
  registerSteady(sim, ctx);
  registerKeepAlive(sim, ctx);
  registerBilling(sim, ctx);
  registerBorg(sim, ctx);
  registerSynthTrace(sim, ctx);
  for (const c of sim.commands) c.exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
}
