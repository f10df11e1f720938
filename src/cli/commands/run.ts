// `vmlab run FILE.s`: assemble a guest, run it on the bare machine, and show what it printed and what it cost.
import { Command, Option } from "commander";
import { assemble } from "../../isa/assembler.js";
import { decodeCanonical, formatInstruction } from "../../isa/disassembler.js";
import { Machine, hex, type Stop } from "../../machine/machine.js";
import type { Profile } from "../../isa/table.js";
import { type CliContext, EXIT, parseCount } from "../context.js";
import { readInput } from "../input.js";
import { formatCounters, formatState, formatStop, namedEvents } from "../format.js";

export interface RunOptions {
  profile: Profile;
  maxSteps: string;
  memory: string;
  trace?: boolean;
  json?: boolean;
}

/** Did the run end the way a guest should (powered off with 0, or halted on purpose)? */
export function succeeded(stop: Stop): boolean {
  return (stop.kind === "poweroff" && stop.code === 0) || (stop.kind === "halted" && stop.reason.includes("IF = 0"));
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command("run")
    .description("assemble a guest and run it on the bare machine: console output, stop reason, registers, counters, cycles")
    .argument("<file>", "assembly source (.s)")
    .addOption(new Option("--profile <profile>", "ISA profile").choices(["strict", "x86"]).default("strict"))
    .option("--max-steps <n>", "stop after this many instructions", "10000000")
    .option("--memory <bytes>", "physical memory in bytes", String(1 << 20))
    .option("--trace", "print every instruction as it executes, with the registers it changed")
    .option("--json", "print one JSON object instead of text")
    .action((file: string, opts: RunOptions) => {
      const maxSteps = parseCount(opts.maxSteps, "--max-steps");
      const memoryBytes = parseCount(opts.memory, "--memory");
      const source = readInput(ctx.cwd, file, "utf8");
      const program = assemble(source, { file });
      const m = new Machine({ profile: opts.profile, memoryBytes });
      m.load(program);
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

/** Step one instruction at a time, printing each with the registers it changed. */
function traceRun(m: Machine, maxSteps: number, ctx: CliContext): Stop {
  let stop: Stop = { kind: "budget", pc: m.pc };
  for (let i = 0; i < maxSteps; i++) {
    const before = Array.from(m.R);
    const pc = m.pc;
    const pa = m.probe(pc);
    const w0 = pa === undefined ? undefined : m.memory.read32(pa);
    const pa1 = m.probe(pc + 4);
    const d = w0 === undefined ? undefined : decodeCanonical(w0, pa1 === undefined ? 0 : m.memory.read32(pa1));
    const text = d ? formatInstruction(d) : "(unreadable)";
    stop = m.step();
    const changed = before.flatMap((v, r) => (m.R[r] !== v ? [`${r === 15 ? "sp" : "r" + r}=${hex(m.R[r]!)}`] : []));
    ctx.stdout(`${hex(pc)}  ${text.padEnd(28)}${changed.length ? " ; " + changed.join(" ") : ""}${m.pc !== pc + (d?.spec.size ?? 4) && stop.kind === "budget" ? ` → ${hex(m.pc)}` : ""}\n`);
    if (stop.kind !== "budget") return stop;
  }
  return stop;
}
