// Adapters from the machine's snapshots (CpuState, Stop, counters) to the plain data the display helpers draw.
import { FLAG, IOPL_SHIFT, SP, vectorName } from "../isa/arch.js";
import type { CpuState, Stop } from "../machine/machine.js";
import { describeExit } from "../machine/exit-policy.js";
import type { MachineStateData } from "./machine-view.js";
import type { NamedValue } from "./tables.js";

/** Names registers the way the assembler does: r0..r14, and sp for r15. */
function registerName(index: number): string {
  return index === SP ? "sp" : `r${index}`;
}

/** The general registers of a snapshot as named values. */
export function registerValues(registers: readonly number[]): NamedValue[] {
  return registers.map((value, i) => ({ name: registerName(i), value }));
}

/** Decodes a FLAGS word into the flags a student reads: IF, IOPL and the four status flags. */
export function flagRecord(word: number): Record<string, boolean | number> {
  return {
    IF: (word & FLAG.IF) !== 0,
    IOPL: (word & FLAG.IOPL) >>> IOPL_SHIFT,
    ZF: (word & FLAG.ZF) !== 0,
    SF: (word & FLAG.SF) !== 0,
    CF: (word & FLAG.CF) !== 0,
    OF: (word & FLAG.OF) !== 0,
  };
}

/** Says in words why a run stopped. */
export function stopText(stop: Stop): string {
  switch (stop.kind) {
    case "budget":
      return "step budget used up";
    case "halted":
      return `halted (${stop.reason})`;
    case "poweroff":
      return `powered off with code ${stop.code}`;
    case "triple-fault":
      return `triple fault: ${stop.message}`;
    case "machine-check":
      return `machine check: ${stop.message}`;
    case "exit":
      return `exit to the monitor: ${describeExit(stop.event)}`;
  }
}

export interface StateViewOptions {
  readonly profile?: string;
  /** Disassembly of the instruction at pc. */
  readonly next?: string;
  readonly stop?: Stop;
  /** The snapshot one step earlier: registers that differ are highlighted. */
  readonly previous?: CpuState;
}

/** Turns a CPU snapshot into the data `machineView` draws. */
export function stateData(state: CpuState, options: StateViewOptions = {}): MachineStateData {
  const previous = options.previous;
  const changed = previous ? state.registers.flatMap((v, i) => (v !== previous.registers[i] ? [registerName(i)] : [])) : [];
  return {
    pc: state.pc,
    cpl: state.cpl,
    registers: registerValues(state.registers),
    flags: flagRecord(state.flags),
    changed,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.next ? { next: options.next } : {}),
    ...(options.stop ? { status: stopText(options.stop) } : {}),
  };
}

/** The plain-data form of a run's counters (`Counters.toJSON()`), with events named by vector. */
export interface CountersJson {
  readonly [name: string]: number | Readonly<Record<string, number>>;
}

/** Flattens counters into named values, listing each exception vector that occurred by name; zero counters are left out unless asked. */
export function counterValues(counters: { toJSON(): CountersJson } | CountersJson, options: { keepZeros?: boolean } = {}): NamedValue[] {
  const json = "toJSON" in counters && typeof counters.toJSON === "function" ? (counters as { toJSON(): CountersJson }).toJSON() : (counters as CountersJson);
  const out: NamedValue[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (typeof value === "number") {
      if (value !== 0 || options.keepZeros) out.push({ name, value });
    } else {
      for (const [vector, n] of Object.entries(value)) out.push({ name: `${name}: ${vectorName(Number(vector))}`, value: n });
    }
  }
  return out;
}
