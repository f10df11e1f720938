// Text renderings of machine state for the terminal: registers, flags, stop reasons, counters.
import { FLAG, vectorName } from "../src/isa/arch.js";
import { hex, type CpuState, type Stop } from "../src/machine/machine.js";
import { counted } from "../src/core/plural.js";

/** FLAGS as letters: the set status bits, IF, and the IOPL. */
export function formatFlags(flags: number): string {
  const bits = (["CF", "ZF", "SF", "OF", "IF"] as const).filter((b) => flags & FLAG[b]);
  return `${bits.join(" ") || "-"} IOPL=${(flags >>> 12) & 3}`;
}

/** Registers four to a line, then PC, CPL, FLAGS and the control registers. */
export function formatState(s: CpuState): string {
  const lines: string[] = [];
  for (let row = 0; row < 4; row++) {
    lines.push(
      [0, 1, 2, 3]
        .map((col) => {
          const r = row * 4 + col;
          const name = r === 15 ? "sp" : `r${r}`;
          return `${name.padStart(3)} ${hex(s.registers[r]!)}`;
        })
        .join("  "),
    );
  }
  lines.push(` pc ${hex(s.pc)}  cpl ${s.cpl}  flags ${formatFlags(s.flags)}`);
  lines.push(`cr0 ${hex(s.cr0)}  cr2 ${hex(s.cr2)}  cr3 ${hex(s.cr3)}  cr8 ${s.cr8}  idt ${hex(s.idtr)}  ksp ${hex(s.ksp)}`);
  return lines.join("\n");
}

/** One line saying why a run stopped. */
export function formatStop(stop: Stop, retired: number): string {
  const after = `after ${counted(retired, "instruction")}`;
  switch (stop.kind) {
    case "poweroff": return `powered off with exit code ${stop.code} at ${hex(stop.pc)} ${after}`;
    case "halted": return `halted at ${hex(stop.pc)} ${after}: ${stop.reason}`;
    case "budget": return `stopped at ${hex(stop.pc)}: the step budget ran out ${after} (a runaway guest? raise --max-steps if it just needs longer)`;
    case "triple-fault": return `${stop.message} (${after})`;
    case "machine-check": return `machine check at ${hex(stop.pc)}: ${stop.message} (${after})`;
    case "exit": return `exit to the monitor at ${hex(stop.pc)}: ${stop.event.kind} ${vectorName(stop.event.vector)}`;
  }
}

/** Counters as aligned `name value` lines, skipping zeros. */
export function formatCounters(counters: Record<string, unknown>, indent = "  "): string {
  const rows: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === "number") {
      if (value !== 0) rows.push([prefix, value.toLocaleString("en-US")]);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    }
  };
  walk("", counters);
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`).join("\n");
}

/** Event counters keyed by vector get readable names. */
export function namedEvents(events: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(events).map(([v, n]) => [vectorName(Number(v)), n]));
}
