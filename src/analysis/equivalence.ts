// Equivalence checker (Popek–Goldberg's first property): run a guest natively and under a monitor, compare what the guest can observe, find the first divergent instruction.
//
// The monitor is any GuestSession (vmm/kit/session.ts) a factory makes: trap-and-emulate with a set of
// handlers (passing the handlers is the short way to say so), or any later monitor built on the kit.
//
// Fast path: run both to the end and compare console output, the port-I/O trace, interrupt delivery
// times (guest-instruction time), how the run ended, final guest registers/flags/control registers and
// guest-physical memory. Both run on the options' engine (the interpreter unless told; the answer is the
// same on every engine, grader/src/engines.e2e.test.ts). Only when they differ, re-run both in lockstep — one guest instruction at a
// time, comparing guest-visible state after each — to name the first instruction after which the two
// machines disagree. Memory is compared at checkpoints; a difference found there is narrowed down by
// re-running to the last good checkpoint and comparing memory after every instruction.
//
// The guarantee covers what the architecture defines. A translation cached in the TLB after its page-table
// entry changed is not defined: it lasts until INVLPG, a CR3 load or a CR0.PG/WP change, or until the TLB
// happens to drop it, and the TLB's size and replacement are the implementation's (the shadow page tables
// of a monitor behave as a TLB that never runs out of room). So before blaming the monitor for a
// difference, the checker runs the guest on bare machines with no TLB and with a very large one: if the
// bare machine's own result changes with the TLB, the guest relies on stale translations, and the report
// says so instead of naming a divergence.
import { Buffer } from "node:buffer";
import { decode } from "../isa/encoding.js";
import { formatInstruction } from "../isa/disassembler.js";
import { vectorName } from "../isa/arch.js";
import type { Loadable } from "../machine/machine.js";
import type { TrapHandlers } from "../vmm/api.js";
import type { GuestSession, SessionFactory } from "../vmm/kit/session.js";
import { NativeSession } from "../vmm/native.js";
import { MAX_TLB_ENTRIES } from "../machine/tlb.js";
import { trapSession } from "../vmm/trap.js";
import {
  MONITOR_MAX_STEPS, describeStop, hex8, type CoreCounters, type GuestState, type MonitorStop, type MonitoredRun, type RunOptions,
} from "../vmm/types.js";

/** What kind of observation differed first. */
export type DivergenceKind = "stop" | "pc" | "cpl" | "registers" | "flags" | "control-registers" | "time" | "console" | "io" | "interrupts" | "memory";

/** The first point where the virtualized guest stopped behaving like the native one. */
export interface Divergence {
  readonly what: DivergenceKind;
  /** 1-based number of the guest instruction after which the states differ (0: before the first one). */
  readonly guestInstruction: number;
  /** Guest pc of that instruction (native view). */
  readonly pc: number;
  /** Its disassembly, e.g. `popf`, `mov r1, cs`. */
  readonly disassembly: string;
  /** States after that instruction. */
  readonly native: GuestState;
  readonly virtual: GuestState;
  /** Each differing observation, `IF: native 1, virtualized 0`. */
  readonly differences: readonly string[];
  readonly message: string;
}

/** TLB capacities the checker runs the bare machine with to see whether a guest relies on stale translations. */
export const TLB_VARIANTS: readonly number[] = [0, MAX_TLB_ENTRIES];

/** A guest whose bare-machine result depends on the TLB: it used a translation after changing its page-table entry without invalidating it. */
export interface TlbDependence {
  /** Each TLB capacity whose native run differed from the reference run (64 entries), with its differences. */
  readonly variants: readonly { readonly tlbEntries: number; readonly differences: readonly string[] }[];
  readonly message: string;
}

/** The checker's answer, as data. */
export interface EquivalenceReport {
  readonly equivalent: boolean;
  /** Observable differences of the complete runs (empty when equivalent). */
  readonly differences: readonly string[];
  /** Present when not equivalent (and lockstep was not switched off), unless the guest is outside the guarantee. */
  readonly divergence?: Divergence;
  /** Present when the runs differ but the guest's own bare-machine result depends on the TLB: outside the equivalence guarantee, so no divergence is named. */
  readonly tlbDependent?: TlbDependence;
  /** Virtualized cycles / native cycles. */
  readonly overhead: number;
  readonly native: MonitoredRun;
  readonly virtualized: MonitoredRun<CoreCounters>;
}

/** The monitor to check: a factory of its sessions, or trap-and-emulate's handlers (short for `trapSession(handlers)`). */
export type MonitorUnderTest = SessionFactory | TrapHandlers;

function sessionsOf(monitor: MonitorUnderTest): SessionFactory {
  return typeof monitor === "function" ? monitor : trapSession(monitor);
}

export interface EquivalenceOptions extends RunOptions {
  /** Locate the first divergent instruction when the runs differ (default true). */
  readonly lockstep?: boolean;
  /** Compare memory in lockstep every this many instructions (default 256). */
  readonly memoryCheckpoint?: number;
}

/** Compare two complete runs; each difference as one line. */
export function compareRuns(native: MonitoredRun<CoreCounters>, virtualized: MonitoredRun<CoreCounters>): string[] {
  const out: string[] = [];
  const sn = native.stop, sv = virtualized.stop;
  if (stopKey(sn) !== stopKey(sv)) out.push(`stop: native ${describeStop(sn)}; virtualized ${describeStop(sv)}`);
  if (native.console !== virtualized.console) out.push(`console: native ${clip(native.console)}; virtualized ${clip(virtualized.console)}`);
  const io = firstDifference(native.ioTrace, virtualized.ioTrace, (r) => `${r.dir} 0x${r.port.toString(16)} ${r.dir === "in" ? "→" : "←"} ${r.value} at t=${r.time}`);
  if (io) out.push(`io: ${io}`);
  const irq = firstDifference(native.interrupts, virtualized.interrupts, (r) => `${vectorName(r.vector)} at t=${r.time}`);
  if (irq) out.push(`interrupts: ${irq}`);
  out.push(...stateDifferences(native.finalState, virtualized.finalState).map((d) => `final ${d}`));
  const mem = memoryDifference(native.memory, virtualized.memory);
  if (mem) out.push(mem);
  return out;
}

/** Run a guest natively and under the monitor (its session factory, or trap-and-emulate's handlers); report whether the guest could tell. */
export function checkEquivalence(loadable: Loadable, monitor: MonitorUnderTest, options: EquivalenceOptions = {}): EquivalenceReport {
  const budget = options.maxSteps ?? MONITOR_MAX_STEPS;
  const sessions = sessionsOf(monitor);
  const nativeSession = new NativeSession(loadable, options);
  nativeSession.advance(budget);
  const native = nativeSession.result({ final: true });
  const vm = sessions(loadable, options);
  vm.advance(budget);
  const virtualized = vm.result({ final: true });
  const differences = compareRuns(native, virtualized);
  const overhead = native.cycles > 0 ? virtualized.cycles / native.cycles : 1;
  if (differences.length === 0) return { equivalent: true, differences, overhead, native, virtualized };
  const tlbDependent = tlbDependence(loadable, options, budget, native);
  if (tlbDependent) return { equivalent: false, differences, tlbDependent, overhead, native, virtualized };
  const divergence = options.lockstep === false ? undefined : findDivergence(loadable, sessions, options, budget);
  return divergence ? { equivalent: false, differences, divergence, overhead, native, virtualized } : { equivalent: false, differences, overhead, native, virtualized };
}

/** Run the guest natively with other TLB capacities; a different result means it relies on stale translations. */
export function tlbDependence(loadable: Loadable, options: RunOptions, budget: number, reference: MonitoredRun): TlbDependence | undefined {
  const variants: { tlbEntries: number; differences: string[] }[] = [];
  for (const tlbEntries of TLB_VARIANTS) {
    const session = new NativeSession(loadable, { ...options, tlbEntries });
    session.advance(budget);
    const differences = compareRuns(reference, session.result({ final: true }));
    if (differences.length) variants.push({ tlbEntries, differences });
  }
  if (variants.length === 0) return undefined;
  const name = (n: number) => (n === 0 ? "no TLB" : `a ${n.toLocaleString("en-US")}-entry TLB`);
  const first = variants[0]!;
  const example = first.differences[0]!.replace(/\bnative\b/g, "64 entries").replace(/\bvirtualized\b/g, name(first.tlbEntries));
  return {
    variants,
    message: `outside the equivalence guarantee: on the bare machine this guest behaves differently with ${variants.map((v) => name(v.tlbEntries)).join(" and with ")} than with the usual 64 entries (${example}). It uses a translation after changing its page-table entry without INVLPG or a CR3 load, which the architecture leaves undefined, so no monitor is bound to reproduce it; invalidate the entry after changing it`,
  };
}

/** Drive both machines one guest instruction at a time and return the first divergence (undefined if none within the budget). */
export function findDivergence(loadable: Loadable, monitor: MonitorUnderTest, options: EquivalenceOptions = {}, budget = options.maxSteps ?? MONITOR_MAX_STEPS): Divergence | undefined {
  const every = Math.max(1, options.memoryCheckpoint ?? 256);
  const sessions = sessionsOf(monitor);
  let a = new NativeSession(loadable, options);
  let b = sessions(loadable, options);
  let before = a.state(false);
  let lastGoodMemory = 0;
  const initial = compareStep(a, b, a.stopped, b.stopped);
  if (initial.length) return divergence(a, b, 0, before, initial);
  for (let k = 0; k < budget; k++) {
    const sa = a.advance(1);
    const sb = b.advance(1);
    const diffs = compareStep(a, b, sa, sb);
    if (diffs.length) return divergence(a, b, k + 1, before, diffs);
    const ended = sa !== undefined || sb !== undefined;
    if ((k + 1) % every === 0 || ended || k + 1 === budget) {
      if (memoryDifference(a.memory.bytes, b.memory.bytes)) {
        // Narrow down: replay to the last checkpoint where memory agreed, then compare memory after every instruction.
        a = new NativeSession(loadable, options);
        b = sessions(loadable, options);
        if (lastGoodMemory > 0) {
          a.advance(lastGoodMemory);
          b.advance(lastGoodMemory);
        }
        for (let j = lastGoodMemory; j <= k; j++) {
          before = a.state(false);
          const ra = a.advance(1);
          const rb = b.advance(1);
          const d = compareStep(a, b, ra, rb);
          const mem = memoryDifference(a.memory.bytes, b.memory.bytes);
          if (mem || d.length) return divergence(a, b, j + 1, before, mem ? [...d, mem] : d);
        }
        return undefined; // not reproducible: should not happen with deterministic machines
      }
      lastGoodMemory = k + 1;
    }
    if (ended) return undefined;
    before = a.state(false);
  }
  return undefined;
}

/** Cheap per-step comparison: how the step ended, CPU state, and the lengths and tails of the observation logs. */
function compareStep(a: GuestSession, b: GuestSession, sa: MonitorStop | undefined, sb: MonitorStop | undefined): string[] {
  const out: string[] = [];
  if ((sa ? stopKey(sa) : "running") !== (sb ? stopKey(sb) : "running")) {
    out.push(`stop: native ${sa ? describeStop(sa) : "still running"}; virtualized ${sb ? describeStop(sb) : "still running"}`);
  }
  out.push(...stateDifferences(a.state(false), b.state(false)));
  const ca = a.consoleText(), cb = b.consoleText();
  if (ca !== cb) out.push(`console: native ${clip(ca)}; virtualized ${clip(cb)}`);
  const io = tailDifference(a.ioTrace, b.ioTrace, (r) => `${r.dir} 0x${r.port.toString(16)} value ${r.value} at t=${r.time}`);
  if (io) out.push(`io: ${io}`);
  const irq = tailDifference(a.interrupts, b.interrupts, (r) => `${vectorName(r.vector)} at t=${r.time}`);
  if (irq) out.push(`interrupts: ${irq}`);
  return out;
}

function divergence(a: NativeSession, b: GuestSession, n: number, before: GuestState, differences: string[]): Divergence {
  const pc = before.pc >>> 0;
  const disassembly = disassembleAt(a, pc);
  const first = differences[0] ?? "";
  const what = kindOf(first);
  const where = n === 0 ? "before the first guest instruction" : `at guest instruction ${n}, pc 0x${hex8(pc)} (${disassembly})`;
  return {
    what, guestInstruction: n, pc, disassembly, native: a.state(), virtual: b.state(), differences,
    message: `first divergence ${where}: ${differences.join("; ")}`,
  };
}

function kindOf(d: string): DivergenceKind {
  const head = d.slice(0, d.indexOf(":"));
  if (head === "stop" || head === "console" || head === "io" || head === "interrupts" || head === "memory" || head === "pc" || head === "cpl" || head === "time") return head;
  if (head === "IF" || head === "IOPL" || head === "flags") return "flags";
  if (/^(r\d+|sp)$/.test(head)) return "registers";
  if (head === "retired") return "time";
  return "control-registers";
}

/** Disassemble the instruction at a guest-virtual pc of the native machine (no side effects). */
function disassembleAt(a: NativeSession, pc: number): string {
  const m = a.machine;
  const pa = m.probe(pc);
  if (pa === undefined || pc & 3) return "?";
  const w0 = m.memory.read32(pa);
  const d0 = decode(w0);
  if (!d0) return `.word 0x${(w0 >>> 0).toString(16)}`;
  let w1 = 0;
  if (d0.spec.size === 8) {
    const pa1 = m.probe(pc + 4);
    if (pa1 !== undefined) w1 = m.memory.read32(pa1);
  }
  return formatInstruction(decode(w0, w1)!);
}

const REG_NAMES = Array.from({ length: 16 }, (_, i) => (i === 15 ? "sp" : `r${i}`));

/** One difference line (`IF: native 1, virtualized 0`) as its parts, for a table of both states; undefined for a line of another shape. */
export function splitDifference(line: string): { readonly what: string; readonly native: string; readonly virtualized: string } | undefined {
  const m = /^([^:]+): (?:word at (guest-physical 0x[0-9a-f]+) |(entry \d+): )?native (?!has )(.*?)(?:, |; )virtualized (.*)$/s.exec(line);
  if (!m) return undefined;
  const where = m[2] ? ` at ${m[2]}` : m[3] ? ` ${m[3]}` : "";
  return { what: m[1]! + where, native: m[4]!, virtualized: m[5]! };
}

/** Field-by-field differences of two guest states (memory hash excluded). */
export function stateDifferences(n: GuestState, v: GuestState): string[] {
  const out: string[] = [];
  const h = (x: number) => `0x${hex8(x)}`;
  const cmp = (name: string, x: number, y: number, fmt: (x: number) => string = h) => {
    if (x !== y) out.push(`${name}: native ${fmt(x)}, virtualized ${fmt(y)}`);
  };
  cmp("pc", n.pc, v.pc);
  cmp("cpl", n.cpl, v.cpl, String);
  for (let i = 0; i < 16; i++) cmp(REG_NAMES[i]!, n.registers[i]!, v.registers[i]!);
  cmp("IF", Number(n.IF), Number(v.IF), String);
  cmp("IOPL", n.IOPL, v.IOPL, String);
  if (n.IF === v.IF && n.IOPL === v.IOPL) cmp("flags", n.flags, v.flags);
  cmp("cr0", n.cr0, v.cr0);
  cmp("cr2", n.cr2, v.cr2);
  cmp("cr3", n.cr3, v.cr3);
  cmp("cr8", n.cr8, v.cr8, String);
  cmp("ksp", n.ksp, v.ksp);
  cmp("sep", n.sep, v.sep);
  cmp("idtr", n.idtr, v.idtr);
  cmp("time", n.time, v.time, String);
  cmp("retired", n.retired, v.retired, String);
  return out;
}

/** The first differing word of two memories, as one line (undefined when equal). */
export function memoryDifference(x: Uint8Array, y: Uint8Array): string | undefined {
  if (x.length !== y.length) return `memory: native ${x.length} bytes, virtualized ${y.length} bytes`;
  // Equal memories are the common case: one memcmp, not a loop over every word.
  if (Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength))) return undefined;
  const wx = new Int32Array(x.buffer, x.byteOffset, x.byteLength >>> 2);
  const wy = new Int32Array(y.buffer, y.byteOffset, y.byteLength >>> 2);
  for (let i = 0; i < wx.length; i++) {
    if (wx[i] !== wy[i]) {
      let count = 0;
      for (let j = i; j < wx.length; j++) if (wx[j] !== wy[j]) count++;
      return `memory: word at guest-physical 0x${hex8(i * 4)} native 0x${hex8(wx[i]!)}, virtualized 0x${hex8(wy[i]!)}${count > 1 ? ` (${count} words differ)` : ""}`;
    }
  }
  return undefined;
}

function stopKey(s: MonitorStop): string {
  switch (s.kind) {
    case "poweroff": return `poweroff ${s.code}`;
    case "halted": return `halted ${s.pc}`;
    case "budget": return `budget ${s.pc}`;
    case "triple-fault": return `triple-fault ${s.pc}`;
    case "machine-check": return `machine-check ${s.pc}`;
    default: return `${s.kind} ${s.code}`;
  }
}

function firstDifference<T>(x: readonly T[], y: readonly T[], fmt: (r: T) => string): string | undefined {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const fx = fmt(x[i]!), fy = fmt(y[i]!);
    if (fx !== fy) return `entry ${i + 1}: native ${fx}, virtualized ${fy}`;
  }
  if (x.length !== y.length) {
    const longer = x.length > y.length ? "native" : "virtualized";
    const extra = (x.length > y.length ? x : y)[n]!;
    return `native has ${x.length} entries, virtualized ${y.length}; the first extra (${longer}) is ${fmt(extra)}`;
  }
  return undefined;
}

function tailDifference<T>(x: readonly T[], y: readonly T[], fmt: (r: T) => string): string | undefined {
  if (x.length !== y.length) {
    const longer = x.length > y.length ? x : y;
    return `native has ${x.length} entries, virtualized ${y.length}; the newest is ${fmt(longer[longer.length - 1]!)} (${x.length > y.length ? "native" : "virtualized"})`;
  }
  if (x.length === 0) return undefined;
  const fx = fmt(x[x.length - 1]!), fy = fmt(y[y.length - 1]!);
  return fx === fy ? undefined : `newest entry: native ${fx}, virtualized ${fy}`;
}

function clip(s: string): string {
  const j = JSON.stringify(s);
  return j.length > 120 ? `${j.slice(0, 117)}..."` : j;
}
