// `vmlab run FILE.s`: assemble a guest, run it on the bare machine, and show what it printed and what it cost.
import { runBinaryTranslation } from "../../src/vmm/bt.js";
import { Command, Option } from "commander";
import { runNative, runTrapAndEmulate, emulatingHandlers, type MonitoredRun, type MonitorStop } from "../../src/vmm/index.js";
import { decodeCanonical, formatInstruction } from "../../src/isa/disassembler.js";
import { vectorName } from "../../src/isa/arch.js";
import { Machine, hex, type Stop } from "../../src/machine/machine.js";
import type { Profile } from "../../src/isa/table.js";
import { type CliContext, CliError, EXIT, parseCount, parseMemory } from "../context.js";
import { formatCounters, formatState, formatStop, namedEvents } from "../format.js";
import { resolveGuest } from "../guest-input.js";
import { counted } from "../../src/core/plural.js";
import { engineNamed } from "../../src/engines/registry.js";
import { machineEngineOption } from "../engine-option.js";

export interface RunOptions {
  profile: Profile;
  engine: string;
  monitor?: "native" | "trap" | "bt";
  maxSteps: string;
  memory: string;
  trace?: boolean;
  json?: boolean;
}

/** Did the run end the way a guest should (powered off with 0, or halted on purpose)? */
export function succeeded(stop: Stop | MonitorStop): boolean {
  return (stop.kind === "poweroff" && stop.code === 0) || (stop.kind === "halted" && !stop.interruptsEnabled);
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("run")
    .description("assemble a guest and run it: console output, stop reason, registers, counters, cycles")
    .argument("<guest>", "assembly source (.s) or a bundled guest name (see 'vmlab guests')")
    .addOption(new Option("--profile <profile>", "ISA profile").choices(["strict", "x86"]).default("strict"))
    .addOption(machineEngineOption())
    .addOption(new Option("--monitor <monitor>", "run under a monitor: native (guest kernel in ring 0, the reference) trap (trap-and-emulate with the reference handlers) or bt (binary translation, the same handlers behind callouts)").choices(["native", "trap", "bt"]))
    .option("--max-steps <n>", "stop after this many instructions", "10000000")
    .option("--memory <bytes>", "physical memory in bytes", String(1 << 20))
    .option("--trace", "print every instruction as it executes, with the registers it changed")
    .option("--json", "print one JSON object instead of text")
    .action((file: string, opts: RunOptions) => {
      const maxSteps = parseCount(opts.maxSteps, "--max-steps");
      const memoryBytes = parseMemory(opts.memory, "--memory");
      const guest = resolveGuest(ctx.cwd, file);
      if (opts.monitor) {
        if (opts.trace) throw new CliError("CLI_BAD_OPTIONS", "--trace works on the bare machine only", EXIT.USAGE, "drop --monitor to trace");
        if (opts.monitor === "bt" && opts.engine !== "interpreter") {
          throw new CliError("CLI_BAD_OPTIONS", "--engine chooses the real machine's engine natively and under trap-and-emulate; the bt monitor runs on its own translator", EXIT.USAGE, "drop --engine, or use --monitor trap or native");
        }
        const options = { profile: opts.profile, memoryBytes: Math.max(memoryBytes, guest.memoryBytes), maxSteps, engine: engineNamed(opts.engine) };
        const run = opts.monitor === "trap" ? runTrapAndEmulate(guest.loadable, emulatingHandlers(opts.profile), options)
          : opts.monitor === "bt" ? runBinaryTranslation(guest.loadable, emulatingHandlers(opts.profile), options) : runNative(guest.loadable, options);
        reportMonitored(run, ctx, opts.json === true);
        if (!succeeded(run.stop)) ctx.setExitCode(EXIT.FAILED);
        return;
      }
      const m = new Machine({ profile: opts.profile, memoryBytes: Math.max(memoryBytes, guest.memoryBytes), engine: engineNamed(opts.engine) });
      m.load(guest.loadable);
      const stop = opts.trace ? traceRun(m, maxSteps, ctx) : m.run({ maxSteps });
      const retired = m.retired();
      const raw = m.counters.toJSON();
      const counters = { retired, ...raw, events: namedEvents(raw.events as Record<string, number>) };
      if (opts.json) {
        ctx.stdout(JSON.stringify({ console: m.consoleText(), stop, registers: m.state().registers, state: m.state(), counters, cycles: m.cycles(), profile: opts.profile }) + "\n");
      } else {
        const text = m.consoleText();
        ctx.stdout(text + (text.endsWith("\n") || text === "" ? "" : "\n"));
        ctx.stdout(`--- ${formatStop(stop, retired)}\n${formatState(m.state())}\ncounters:\n${formatCounters(counters)}\ncycles: ${m.cycles().toLocaleString("en-US")} (cost model: see src/machine/cost.ts)\n`);
      }
      if (!succeeded(stop)) {
        if (opts.json) ctx.stderr(`vmlab run: ${formatStop(stop, retired)}\n`);
        ctx.setExitCode(EXIT.FAILED);
      }
    });
}

/** Print a monitored run: console, verdict, the guest's (virtual) state, counters and cycles. */
function reportMonitored(run: MonitoredRun, ctx: CliContext, json: boolean): void {
  const s = run.finalState;
  if (json) {
    ctx.stdout(JSON.stringify({
      console: run.console, stop: run.stop, verdict: run.verdict, monitor: run.monitor, profile: run.profile,
      registers: s.registers, state: s, counters: run.counters, cycles: run.cycles,
    }) + "\n");
    if (!succeeded(run.stop)) ctx.stderr(`vmlab run: ${run.verdict}\n`);
    return;
  }
  ctx.stdout(run.console + (run.console.endsWith("\n") || run.console === "" ? "" : "\n"));
  ctx.stdout(`--- ${run.monitor === "trap" ? "trap-and-emulate" : run.monitor === "bt" ? "binary translation" : "native"} (${run.profile}): ${run.verdict} after ${counted(s.retired, "guest instruction")}\n`);
  ctx.stdout(formatState(s) + "\n");
  ctx.stdout(`counters:\n${formatCounters(run.counters as unknown as Record<string, unknown>)}\ncycles: ${run.cycles.toLocaleString("en-US")}\n`);
}

/** Step one instruction at a time, printing each with the registers it changed. */
function traceRun(m: Machine, maxSteps: number, ctx: CliContext): Stop {
  let stop: Stop = { kind: "budget", pc: m.pc };
  const start = m.retired();
  while (m.retired() - start < maxSteps) {
    const before = Array.from(m.R);
    const pc = m.pc;
    const pa = m.probe(pc);
    const w0 = pa === undefined ? undefined : m.memory.read32(pa);
    const pa1 = m.probe(pc + 4);
    const d = w0 === undefined ? undefined : decodeCanonical(w0, pa1 === undefined ? 0 : m.memory.read32(pa1));
    const delivered = m.interrupts.length;
    const retired = m.retired();
    stop = m.step();
    // A step that delivered an interrupt ran no instruction: say so, rather than name the one it interrupted.
    const interrupt = m.interrupts.length > delivered && m.retired() === retired ? m.interrupts[m.interrupts.length - 1] : undefined;
    const text = interrupt ? `(${vectorName(interrupt.vector)} delivered)` : d ? formatInstruction(d) : "(unreadable)";
    const changed = before.flatMap((v, r) => (m.R[r] !== v ? [`${r === 15 ? "sp" : "r" + r}=${hex(m.R[r]!)}`] : []));
    const jumped = interrupt !== undefined || m.pc !== pc + (d?.spec.size ?? 4);
    ctx.stdout(`${hex(pc)}  ${text.padEnd(28)}${changed.length ? " ; " + changed.join(" ") : ""}${jumped && stop.kind === "budget" ? ` → ${hex(m.pc)}` : ""}\n`);
    if (stop.kind !== "budget") return stop;
  }
  return stop;
}
