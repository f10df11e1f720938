// Differential runs: everything a run leaves observable on a machine, as data, and the first place where two runs differ.
//
// Two engines agree on a program when every observable below is identical after the same runs: why the
// run stopped, the architectural state (registers, FLAGS, CPL, control registers, IDT base, time), a
// hash of physical memory, the console, the port-I/O trace, the delivered interrupts and their times,
// every counter, the per-opcode mix and the cycles the cost model makes of them.
import { PF_ERR, VECTOR } from "../isa/arch.js";
import { CpuEvent, type Stop } from "../machine/events.js";
import type { CpuState, InterruptRecord, IoRecord, Machine } from "../machine/machine.js";
import type { DbtEngine } from "./dbt.js";
import type { Engine } from "./engine.js";
import { interpreter } from "./interpreter.js";
import { reference } from "./reference.js";

/** What a run left observable. */
export interface Observation {
  readonly stop: Stop;
  readonly state: CpuState;
  /** FNV-1a of physical memory, as 8 hex digits. */
  readonly memoryHash: string;
  readonly console: string;
  readonly ioTrace: readonly IoRecord[];
  readonly interrupts: readonly InterruptRecord[];
  readonly counters: Readonly<Record<string, unknown>>;
  /** Retired instructions by opcode (only opcodes that ran). */
  readonly ops: Readonly<Record<string, number>>;
  readonly cycles: number;
}

/** FNV-1a over a byte array, word by word (fast enough for a megabyte per run). */
export function memoryHash(bytes: Uint8Array): string {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Everything observable on `m` after a run that ended with `stop`. */
export function observe(m: Machine, stop: Stop): Observation {
  const ops: Record<string, number> = {};
  m.ops.forEach((n, op) => {
    if (n) ops[String(op)] = n;
  });
  return {
    stop, state: m.state(), memoryHash: memoryHash(m.memory.bytes), console: m.consoleText(), ioTrace: [...m.ioTrace],
    interrupts: [...m.interrupts], counters: m.counters.toJSON(), ops, cycles: m.cycles(),
  };
}

/** The first difference between two values, as `path: left ≠ right`, or undefined when they are equal (plain data). */
export function firstDifference(a: unknown, b: unknown, path = ""): string | undefined {
  if (Object.is(a, b)) return undefined;
  const show = (v: unknown) => (typeof v === "string" && v.length > 60 ? JSON.stringify(v.slice(0, 60)) + "…" : JSON.stringify(v));
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    if (typeof a === "string" && typeof b === "string") {
      let i = 0;
      while (a[i] === b[i]) i++;
      return `${path || "value"}: differs at character ${i}: ${show(a.slice(i))} ≠ ${show(b.slice(i))}`;
    }
    return `${path || "value"}: ${show(a)} ≠ ${show(b)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

/** One machine of a lockstep run and the engines it runs on: chunk i runs on `engines[i % engines.length]`. */
export interface LockstepRunner {
  readonly label: string;
  readonly machine: Machine;
  readonly engines: readonly Engine[];
}

export interface LockstepOptions {
  /** Instruction budgets of the successive run() calls; the run ends early when a machine stops. */
  readonly chunks: readonly number[];
  /** Called on every machine after a chunk that ended in an exit to a monitor, before the next (default: stop there). */
  readonly afterExit?: (m: Machine) => void;
}

export interface LockstepResult {
  /** The first difference, naming the runners, the chunk and the observable; undefined when all agreed throughout. */
  readonly difference?: string;
  /** Chunks run. */
  readonly chunks: number;
  /** The first runner's observation at the end. */
  readonly final: Observation;
}

/**
 * Run machines that start in the same state through the same chunks, each on its engines, and compare
 * the stop and the architectural state after every chunk and every observable at the end.
 */
export function lockstep(runners: readonly LockstepRunner[], options: LockstepOptions): LockstepResult {
  const [first, ...rest] = runners;
  if (!first) throw new RangeError("lockstep needs at least one runner");
  let chunk = 0;
  const compare = (full: boolean, stops: readonly Stop[]): string | undefined => {
    const look = (r: LockstepRunner, i: number) => (full ? observe(r.machine, stops[i]!) : { stop: stops[i], state: r.machine.state() });
    const base = look(first, 0);
    for (const [i, r] of rest.entries()) {
      const d = firstDifference(base, look(r, i + 1));
      if (d) return `${first.label} and ${r.label} differ after chunk ${chunk} (${options.chunks.slice(0, chunk).reduce((a, b) => a + b, 0)} steps asked): ${d}`;
    }
    return undefined;
  };
  let stops: Stop[] = [];
  while (chunk < options.chunks.length) {
    const budget = options.chunks[chunk]!;
    stops = runners.map((r) => r.machine.run({ maxSteps: budget, engine: r.engines[chunk % r.engines.length]! }));
    chunk++;
    const d = compare(false, stops);
    if (d) return { difference: d, chunks: chunk, final: observe(first.machine, stops[0]!) };
    const kind = stops[0]!.kind;
    if (kind === "budget") continue;
    if (kind === "exit" && options.afterExit) {
      for (const r of runners) options.afterExit(r.machine);
      continue;
    }
    break;
  }
  const d = stops.length ? compare(true, stops) : undefined;
  return { ...(d ? { difference: d } : {}), chunks: chunk, final: observe(first.machine, stops[0] ?? { kind: "budget", pc: first.machine.pc }) };
}

/**
 * The three machines of a differential case, built alike by `create`: one on the reference engine (the
 * oracle), one on `translator`, and one alternating chunk by chunk between the translator and the
 * interpreter (so a run crosses from one engine to the other at every chunk boundary).
 */
export function engineRunners(create: (engine?: Engine) => Machine, translator: Engine): LockstepRunner[] {
  return [
    { label: "the reference engine", machine: create(), engines: [reference] },
    { label: "the translator", machine: create(), engines: [translator] },
    { label: "a machine alternating translator and interpreter", machine: create(), engines: [translator, interpreter] },
  ];
}

/** The hard cases a translated run met, counted (what a differential test must prove its programs reach). */
export interface HardCases {
  /** Page faults of an instruction fetch from a page that is not present (a jump into an unmapped page). */
  unmappedFetches: number;
  /** Faults raised by the last instruction of a block the translator had translated at that moment. */
  lastInstructionFaults: number;
}

/**
 * Count the hard cases of `m`'s runs on `translator` from the events the machine is handed (it only
 * listens: each event goes on to the machine's own handling unchanged).
 */
export function watchHardCases(m: Machine, translator: DbtEngine, into: HardCases): void {
  const handle = m.onEvent.bind(m);
  let ends: Set<number> | undefined;
  let compiles = -1; // compiles + invalidations when `ends` was made
  m.onEvent = (e: unknown, pc: number): Stop | undefined => {
    if (e instanceof CpuEvent && e.kind === "fault") {
      if (e.vector === VECTOR.PAGE_FAULT && (e.error & (PF_ERR.P | PF_ERR.I)) === PF_ERR.I) into.unmappedFetches++;
      const s = translator.stats(m);
      if (s.compiles + s.invalidations !== compiles) {
        compiles = s.compiles + s.invalidations;
        ends = new Set(translator.regions(m).flatMap((r) => [...r.blocks.values()].map((b) => b.instructions[b.instructions.length - 1]!.fields.pc >>> 0)));
      }
      if (ends!.has(pc >>> 0)) into.lastInstructionFaults++;
    }
    return handle(e, pc);
  };
}
