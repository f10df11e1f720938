// `vmlab check`: run a guest natively and under a monitor, and say whether the guest could tell the difference.
import { btSession } from "../../src/vmm/bt.js";
import { type Command, Option } from "commander";
import { checkEquivalence, splitDifference, type EquivalenceReport } from "../../src/analysis/equivalence.js";
import { counted } from "../../src/core/plural.js";
import { emulatingHandlers } from "../../src/vmm/index.js";
import type { Profile } from "../../src/isa/table.js";
import { basename } from "node:path";
import { type CliContext, CliError, EXIT, parseCount } from "../context.js";
import { resolveGuest, type ResolvedGuest } from "../guest-input.js";
import { readInput } from "../input.js";
import { engineNamed } from "../../src/engines/registry.js";
import { machineEngineOption } from "../engine-option.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("check")
    .description("equivalence check (Popek–Goldberg's first property): run the guest natively and under the monitor and compare what it can observe")
    .argument("<guest>", "assembly source (.s) or a bundled guest name (see 'vmlab guests')")
    .addOption(new Option("--monitor <monitor>", "the monitor under test: trap (trap-and-emulate) or bt (binary translation: the kernel's sensitive instructions become callouts)").choices(["trap", "bt"]).default("trap"))
    .addOption(new Option("--profile <profile>", "ISA profile").choices(["strict", "x86"]).default("strict"))
    .addOption(machineEngineOption())
    .option("--max-steps <n>", "guest-instruction budget for each run", "5000000")
    .option("--handlers <file>", "your own handlers (a TypeScript module exporting `handlers`, as in lab 01) instead of the built-in instruction emulator; they run in the grader's sandbox")
    .option("--json", "print one JSON object")
    .action(async (file: string, opts: { monitor: "trap" | "bt"; profile: Profile; engine: string; maxSteps: string; json?: boolean; handlers?: string }) => {
      const maxSteps = parseCount(opts.maxSteps, "--max-steps");
      const guest = resolveGuest(ctx.cwd, file);
      if (opts.handlers) {
        if (opts.monitor === "bt") throw new CliError("CLI_BAD_OPTIONS", "--handlers runs lab 01's handlers under trap-and-emulate only", EXIT.USAGE, "drop --monitor bt, or drop --handlers to check the BT monitor with the built-in emulator");
        await checkOwnHandlers(ctx, guest, opts.handlers, { profile: opts.profile, engine: opts.engine, maxSteps, json: opts.json === true });
        return;
      }
      const report = checkEquivalence(guest.loadable, opts.monitor === "bt" ? btSession(emulatingHandlers(opts.profile)) : emulatingHandlers(opts.profile), {
        profile: opts.profile, maxSteps, memoryBytes: Math.max(1 << 20, guest.memoryBytes), engine: engineNamed(opts.engine),
      });
      ctx.stdout(opts.json ? JSON.stringify(checkJson(report, opts)) + "\n" : formatCheck(report, guest.label, opts.profile, opts.monitor));
      if (!report.equivalent) ctx.setExitCode(EXIT.FAILED);
    });
}

/** Compiler errors shown for handlers that do not compile; the first ones are the ones to fix. */
const MAX_COMPILE_ERRORS = 10;

/** What --handlers accepts: a TypeScript module (or plain JavaScript, which is TypeScript too). */
const TYPESCRIPT_FILE = /\.[cm]?[jt]sx?$/;

/**
 * Check a student's own handlers on a guest, exactly as the grader runs them: compiled against the
 * handler API, then run in the sandbox (separate process, frozen intrinsics, time and memory limits).
 */
async function checkOwnHandlers(
  ctx: CliContext,
  guest: ResolvedGuest,
  handlersFile: string,
  opts: { profile: Profile; engine: string; maxSteps: number; json: boolean },
): Promise<void> {
  const { compileSubmission } = await import("../../grader/src/sandbox/compile.js");
  const { runInSandbox } = await import("../../grader/src/sandbox/runner.js");
  const { toWire } = await import("../../grader/src/harnesses/trap-cases.js");
  if (!TYPESCRIPT_FILE.test(handlersFile)) {
    throw new CliError("CLI_NOT_TYPESCRIPT", `'${handlersFile}' is not a TypeScript file: --handlers takes the .ts module that exports your handlers`, EXIT.USAGE,
      "give the file you wrote in lab 01, e.g. --handlers handlers.ts (it exports `handlers: TrapHandlers`)");
  }
  const name = basename(handlersFile).replace(/\.[cm]?[jt]sx?$/, "") + ".ts";
  const compiled = compileSubmission({ [name]: readInput(ctx.cwd, handlersFile, "utf8") }, { entry: name });
  if (!compiled.ok) {
    const all = compiled.diagnostics.map((d) => `${handlersFile}:${d.line}:${d.column}: ${d.message} (${d.code})`);
    const lines = all.length > MAX_COMPILE_ERRORS ? [...all.slice(0, MAX_COMPILE_ERRORS), `(${all.length - MAX_COMPILE_ERRORS} more)`] : all;
    throw new CliError("CLI_HANDLERS_DO_NOT_COMPILE", `${handlersFile} does not compile:\n${lines.join("\n")}`, EXIT.USAGE, "fix the errors above; the handlers must export `handlers: TrapHandlers` (import type { TrapHandlers } from \"vmlab\")");
  }
  const [result] = await runInSandbox({
    harness: "trap", entry: name, exportName: "handlers", js: compiled.js,
    cases: [{ id: guest.label, input: { guest: toWire(guest.loadable), profile: opts.profile, maxSteps: opts.maxSteps } }],
    limits: { caseSeconds: 30, memoryMb: 512 }, engine: opts.engine,
  });
  const r = result!;
  const ok = r.status === "ok" && r.equivalent;
  if (opts.json) {
    ctx.stdout(JSON.stringify(r.status === "ok"
      ? { equivalent: r.equivalent, divergence: r.divergence ?? null, overhead: Math.round((r.cost / r.baseline!) * 1000) / 1000, cycles: r.cost, nativeCycles: r.baseline, handlers: handlersFile, profile: opts.profile }
      : { equivalent: false, status: r.status, message: r.message, handlers: handlersFile, profile: opts.profile }) + "\n");
  } else {
    const lines = [`${guest.label} on the ${opts.profile} profile under trap-and-emulate with the handlers in ${handlersFile}:`];
    if (r.status !== "ok") lines.push(`  did not finish: ${r.message}`);
    else {
      if (r.equivalent) lines.push("  equivalent: the guest saw the same console, port I/O, interrupt times, registers and memory as on the bare machine");
      else lines.push("  NOT equivalent", `  ${r.divergence?.message ?? "the runs differ"}`);
      lines.push(`  overhead: ${(r.cost / r.baseline!).toFixed(2)}× the native cycles (${r.cost.toLocaleString("en-US")} against ${r.baseline!.toLocaleString("en-US")})`);
    }
    ctx.stdout(lines.join("\n") + "\n");
  }
  if (!ok) ctx.setExitCode(EXIT.FAILED);
}

/** The JSON shape of `vmlab check --json`. */
export function checkJson(r: EquivalenceReport, opts: { monitor: string; profile: Profile; engine?: string }) {
  return {
    equivalent: r.equivalent,
    verdict: r.equivalent ? "equivalent" : r.tlbDependent ? "outside-guarantee" : "not-equivalent",
    ...(r.tlbDependent ? { tlbDependent: r.tlbDependent } : {}),
    monitor: opts.monitor,
    profile: opts.profile,
    ...(opts.engine ? { engine: opts.engine } : {}),
    divergence: r.divergence
      ? { ...r.divergence, pcHex: "0x" + r.divergence.pc.toString(16).padStart(8, "0") }
      : null,
    differences: r.differences,
    overhead: Math.round(r.overhead * 1000) / 1000,
    native: { verdict: r.native.verdict, cycles: r.native.cycles, console: r.native.console },
    virtualized: { verdict: r.virtualized.verdict, cycles: r.virtualized.cycles, console: r.virtualized.console, counters: r.virtualized.counters },
  };
}

/** Difference lines as an aligned table of what differs, its native value and its virtualized value (other lines as they are). */
function differenceTable(differences: readonly string[], indent: string): string[] {
  const parts = differences.map((d) => splitDifference(d));
  const rows = parts.filter((p): p is NonNullable<typeof p> => p !== undefined);
  const w0 = Math.max(4, ...rows.map((p) => p.what.length));
  const w1 = Math.max(6, ...rows.map((p) => p.native.length));
  const out = rows.length ? [`${indent}${"".padEnd(w0)}  ${"native".padEnd(w1)}  virtualized`] : [];
  differences.forEach((d, i) => {
    const p = parts[i];
    out.push(p ? `${indent}${p.what.padEnd(w0)}  ${p.native.padEnd(w1)}  ${p.virtualized}` : `${indent}${d}`);
  });
  return out;
}

/** The report in words: the verdict, the first divergence once (both states side by side), what it led to, and the cost. */
export function formatCheck(r: EquivalenceReport, label: string, profile: Profile, monitor: "trap" | "bt" = "trap"): string {
  const lines = [`${label} on the ${profile} profile under ${monitor === "bt" ? "binary translation" : "trap-and-emulate"}:`];
  if (r.equivalent) {
    lines.push(`  equivalent: the guest saw the same console, port I/O, interrupt times, registers and memory as on the bare machine`);
  } else if (r.tlbDependent) {
    lines.push(`  ${r.tlbDependent.message}`);
  } else {
    const d = r.divergence;
    if (d) {
      const where = d.guestInstruction === 0 ? "before the first guest instruction" : `after guest instruction ${d.guestInstruction.toLocaleString("en-US")}, ${d.disassembly} at 0x${d.pc.toString(16).padStart(8, "0")}`;
      lines.push(`  NOT equivalent: the first divergence is ${where}:`);
      lines.push(...differenceTable(d.differences, "    "));
    } else lines.push("  NOT equivalent:");
    // What the divergence led to by the end of the runs, without restating it.
    const seen = new Set(d?.differences ?? []);
    const later = r.differences.filter((x) => !seen.has(x) && !seen.has(x.replace(/^final /, "")));
    if (later.length) {
      lines.push(d ? "  by the end of the runs:" : "  at the end of the runs:");
      lines.push(...differenceTable(later, "    "));
    }
  }
  const c = r.virtualized.counters;
  lines.push(`  native: ${r.native.verdict}; ${counted(r.native.cycles, "cycle")}`);
  lines.push(`  virtualized: ${r.virtualized.verdict}; ${counted(r.virtualized.cycles, "cycle")}; ${counted(c.exits, "exit")}, ${c.emulatedInstructions.toLocaleString("en-US")} emulated, ${counted(c.injectedInterrupts, "virtual interrupt")}`);
  lines.push(`  overhead: ${r.overhead.toFixed(2)}× the native cycles`);
  return lines.join("\n") + "\n";
}
