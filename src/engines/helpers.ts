// The declared registry of machine helpers that instruction templates call: their inline expansions and the loop state they read or change.
//
// A generated engine keeps hot machine state in locals of its loop (the PC, the clock, the lazy flags,
// the current ring's TLB masks) and the machine's fields are stale while it runs. A template may call
// any helper below. Each says which of that state it reads (the loop writes those locals back to the
// machine before the call) and which it changes (the loop reloads them after), and whether it has an
// inline expansion over the loop's locals (the interpreter and the translator use it instead of the
// call). Code generation refuses a template that uses a name missing here, and a test checks the claims
// by running every form with the helpers instrumented. A helper that can only end its instruction may
// say how a loop raises its event as data (`event`) instead of by a throw.
import { VECTOR } from "../isa/arch.js";
import { F_ADD, F_LOGIC, F_NONE, F_SUB } from "../machine/flags.js";
import { TLB_FAST_SLOTS, TLB_FAST_TAG } from "../machine/tlb.js";
import { VmlabError } from "../core/errors.js";
import { didYouMean } from "../core/suggest.js";

/**
 * Classes of machine state a generated loop may keep in locals, each written back and reloaded as a
 * whole (see codegen.ts for the locals of each):
 * - `pc`: Machine.pc;
 * - `time`: Machine.time (the loop derives it from its step budget);
 * - `deadline`: Machine.checkAt, when the loop must next call boundary();
 * - `flags`: the lazy flags fop fres fa fb fstat;
 * - `masks`: Machine.readMask and writeMask, the TLB rights the current ring needs;
 * - `regs`: the general registers R (the interpreter uses the machine's array itself; a translator may keep them in locals).
 */
export const LOOP_STATE = ["pc", "time", "deadline", "flags", "masks", "regs"] as const;
export type LoopState = (typeof LOOP_STATE)[number];

/** One helper a template may use. */
export interface HelperSpec {
  /** `method`: called as `m.name(…)`; `field`: read as `m.name` (or written, when `writable`). */
  readonly kind: "method" | "field";
  /** A field templates may assign. */
  readonly writable?: boolean;
  /** Loop state it reads: the loop writes these locals back to the machine before the call. */
  readonly reads: readonly LoopState[];
  /** Loop state it may change: the loop reloads these locals after the call. */
  readonly writes: readonly LoopState[];
  /** Can it end the instruction with a CPU event or a machine check (throw)? A translator keeps the PC exact before such a call. */
  readonly raises: boolean;
  /**
   * The inline expansion: an expression over the loop's locals that means what the call means, given the
   * argument expressions (already expanded). Slow paths inside it call the machine as `m.name.call(m, …)`
   * so they are not expanded again; their rights come from the loop's current masks, which they share.
   */
  readonly inline?: (args: readonly string[]) => string;
  /**
   * Its event as data, for a helper whose only way of raising is to end the instruction before it changed
   * anything (a privilege check, HLT, INT n): templates call it as a whole statement, and a generated
   * loop expands that statement into this one, given the argument expressions and `leave`, the engine's
   * jump to its event handler. It stores the event in the loop's `ev` and leaves — when the check fails,
   * or always. Raised this way, an event costs a jump, where a throw made V8 search the position tables of
   * the whole loop function to unwind it. The Machine method stays the throwing form (the reference engine
   * calls it; an event form of its own, `…Event`, returns what it throws).
   */
  readonly event?: (args: readonly string[], leave: string) => string;
  /** What it does, in a few words. */
  readonly doc: string;
}

/** Direct tests for compare-and-branch (lazy flags from a SUB or CMP), by condition code; see evalCond. */
const SUB_TESTS = ["fa === fb", "fa !== fb", "fa < fb", "fa >= fb", "fa <= fb", "fa > fb", "(fa >>> 0) < (fb >>> 0)", "(fa >>> 0) >= (fb >>> 0)", "(fa >>> 0) <= (fb >>> 0)", "(fa >>> 0) > (fb >>> 0)"];

/** A condition as an expression: the compare-and-branch case and zero tests inline, the rest through evalCond. */
function condExpression(cc: string): string {
  const n = Number(cc);
  const general = `evalCond(${cc}, fop, fres, fa, fb, fstat)`;
  if (!Number.isInteger(n)) return general;
  if (n === 0) return `(fop !== ${F_NONE} ? fres === 0 : ${general})`;
  if (n === 1) return `(fop !== ${F_NONE} ? fres !== 0 : ${general})`;
  const sub = SUB_TESTS[n];
  return sub ? `(fop === ${F_SUB} ? ${sub} : ${general})` : general;
}

/**
 * Look up the page of address `va` (a local) in the TLB's fast view (see machine/tlb.ts), leaving the
 * word in local `te`: true when it holds this page's entry with every bit of `mask` (a local) set. Any
 * other case — a miss, a page displaced from its fast slot, missing rights — is false and takes the
 * machine's slow path.
 */
export function tlbHit(va: string, mask: string): string {
  return `(te = FAST[(${va} >>> 12) & ${TLB_FAST_SLOTS - 1}], (te & (${mask} | ${TLB_FAST_TAG})) === (((${va} >>> 20) & ${TLB_FAST_TAG}) | ${mask}))`;
}

/** The word of memory the fast-view entry in `te` maps `va` to (after a tlbHit). */
export const word = (va: string) => `MEM[((te & ~0xfff) | (${va} & 0xfff)) >>> 2]`;
const byte = (va: string) => `MEM8[(te & ~0xfff) | (${va} & 0xfff)]`;

const NONE: readonly LoopState[] = [];

/** The registry: every name a template may use after `m.`. */
export const HELPERS: Readonly<Record<string, HelperSpec>> = {
  // ---- lazy flags
  add: {
    kind: "method", reads: NONE, writes: ["flags"], raises: false, doc: "x + y, recording ADD flags",
    inline: ([x, y]) => `(fa = ${x}, fb = ${y}, fop = ${F_ADD}, fres = (fa + fb) | 0)`,
  },
  sub: {
    kind: "method", reads: NONE, writes: ["flags"], raises: false, doc: "x − y, recording SUB flags",
    inline: ([x, y]) => `(fa = ${x}, fb = ${y}, fop = ${F_SUB}, fres = (fa - fb) | 0)`,
  },
  logic: {
    kind: "method", reads: NONE, writes: ["flags"], raises: false, doc: "a logic result, recording LOGIC flags",
    inline: ([x]) => `(fop = ${F_LOGIC}, fres = (${x}) | 0)`,
  },
  cond: { kind: "method", reads: ["flags"], writes: NONE, raises: false, doc: "a condition code against the lazy flags", inline: ([cc]) => condExpression(cc!) },
  flagsWord: { kind: "method", reads: ["flags"], writes: NONE, raises: false, doc: "FLAGS as a word (status bits, IF, IOPL)" },
  setFlagsWord: { kind: "method", reads: NONE, writes: ["flags", "deadline"], raises: false, doc: "load FLAGS as POPF does at a privilege level (IF may open the interrupt window)" },

  // ---- memory and the stack (rights from the current ring's masks)
  rd32: {
    kind: "method", reads: ["masks"], writes: NONE, raises: true, doc: "read a word at a linear address",
    inline: ([va]) => `(va = ${va}, ${tlbHit("va", "rmask")} && (va & 3) === 0 ? (dh++, ${word("va")}) : m.rd32.call(m, va))`,
  },
  wr32: {
    kind: "method", reads: ["masks"], writes: NONE, raises: true, doc: "write a word at a linear address",
    inline: ([va, v]) => `(va = ${va}, tv = ${v}, ${tlbHit("va", "wmask")} && (va & 3) === 0 ? (dh++, ${word("va")} = tv) : m.wr32.call(m, va, tv))`,
  },
  rd8: {
    kind: "method", reads: ["masks"], writes: NONE, raises: true, doc: "read a byte at a linear address",
    inline: ([va]) => `(va = ${va}, ${tlbHit("va", "rmask")} ? (dh++, ${byte("va")}) : m.rd8.call(m, va))`,
  },
  wr8: {
    kind: "method", reads: ["masks"], writes: NONE, raises: true, doc: "write a byte at a linear address",
    inline: ([va, v]) => `(va = ${va}, tv = ${v}, ${tlbHit("va", "wmask")} ? (dh++, ${byte("va")} = tv) : m.wr8.call(m, va, tv))`,
  },
  push: {
    kind: "method", reads: ["masks", "regs"], writes: ["regs"], raises: true, doc: "push a word on the stack (r15)",
    inline: ([v]) =>
      `(tv = ${v}, va = (R[15] - 4) >>> 0, ${tlbHit("va", "wmask")} && (va & 3) === 0 ? (dh++, ${word("va")} = tv) : m.wr32.call(m, va, tv), R[15] = va)`,
  },
  pop: {
    kind: "method", reads: ["masks", "regs"], writes: ["regs"], raises: true, doc: "pop a word from the stack (r15)",
    inline: () => `(va = R[15] >>> 0, tv = ${tlbHit("va", "rmask")} && (va & 3) === 0 ? (dh++, ${word("va")}) : m.rd32.call(m, va), R[15] = (va + 4) | 0, tv)`,
  },

  // ---- privilege and faults
  fault: { kind: "method", reads: NONE, writes: NONE, raises: true, doc: "the fault event for a vector (the caller throws it)" },
  needCpl0: {
    kind: "method", reads: NONE, writes: NONE, raises: true, doc: "#GP unless CPL = 0",
    event: (_, leave) => `if (m.cpl !== 0) { ev = m.fault(${VECTOR.GENERAL_PROTECTION}); ${leave} }`,
  },
  needIopl: {
    kind: "method", reads: NONE, writes: NONE, raises: true, doc: "#GP unless CPL ≤ IOPL",
    event: (_, leave) => `if (m.cpl > m.iopl) { ev = m.fault(${VECTOR.GENERAL_PROTECTION}); ${leave} }`,
  },
  divisor: { kind: "method", reads: NONE, writes: NONE, raises: true, doc: "the divisor, or #DE when it is 0" },
  cs: { kind: "method", reads: NONE, writes: NONE, raises: false, doc: "the CS selector (its low bits are the CPL)" },

  // ---- interrupts, traps, mode changes
  setIF: { kind: "method", reads: NONE, writes: ["deadline"], raises: false, doc: "set or clear IF (setting it opens the interrupt window)" },
  sti: { kind: "method", reads: ["time"], writes: ["deadline"], raises: false, doc: "STI: IF on after the next instruction" },
  halt: {
    kind: "method", reads: NONE, writes: NONE, raises: true, doc: "HLT: always raises the halt event (an exit when intercepted)",
    event: ([next], leave) => `{ ev = m.haltEvent(${next}); ${leave} }`,
  },
  softInt: {
    kind: "method", reads: NONE, writes: NONE, raises: true, doc: "INT n: checks the gate, always raises the trap event (or the gate's #GP)",
    event: ([vector, next], leave) => `{ ev = m.softIntEvent(${vector}, ${next}); ${leave} }`,
  },
  trap: {
    kind: "method", reads: NONE, writes: NONE, raises: true, doc: "always raises a trap event (BRK)",
    event: ([vector, next], leave) => `{ ev = m.trapEvent(${vector}, ${next}); ${leave} }`,
  },
  vmcall: {
    kind: "method", reads: NONE, writes: NONE, raises: true, doc: "VMCALL: #UD on a bare machine",
    event: (_, leave) => `{ ev = m.vmcallEvent(); ${leave} }`,
  },
  iret: { kind: "method", reads: ["masks", "regs"], writes: ["flags", "deadline", "masks", "regs"], raises: true, doc: "IRET: pops the frame, may change ring; returns the new PC" },
  syscall: { kind: "method", reads: ["flags", "regs"], writes: ["masks", "regs"], raises: true, doc: "SYSCALL: enters ring 0 (exits to a monitor when intercepted); returns the new PC" },
  sysret: { kind: "method", reads: ["regs"], writes: ["flags", "deadline", "masks"], raises: false, doc: "SYSRET: returns to ring 3; returns the new PC" },

  // ---- system state
  readCr: { kind: "method", reads: NONE, writes: NONE, raises: true, doc: "read a control register (#UD for one the machine lacks)" },
  writeCr: { kind: "method", reads: NONE, writes: ["deadline", "masks"], raises: true, doc: "write a control register (CR0 changes the masks, CR8 the interrupt window)" },
  invlpg: { kind: "method", reads: NONE, writes: NONE, raises: false, doc: "drop one page's TLB entry" },
  cpuid: { kind: "method", reads: ["regs"], writes: ["regs"], raises: false, doc: "CPUID: leaf in r0, results in r0..r3" },
  portIn: { kind: "method", reads: ["time"], writes: ["deadline"], raises: true, doc: "read a port (devices see the time; a device may schedule an event when read)" },
  portOut: { kind: "method", reads: ["time"], writes: ["deadline"], raises: true, doc: "write a port (may schedule a device event or power off)" },
  cpl: { kind: "field", reads: NONE, writes: NONE, raises: false, doc: "the current privilege level" },
  cr0: { kind: "field", reads: NONE, writes: NONE, raises: false, doc: "CR0" },
  idtr: { kind: "field", writable: true, reads: NONE, writes: NONE, raises: false, doc: "the IDT base" },
  tscOffset: { kind: "field", reads: NONE, writes: NONE, raises: false, doc: "what a monitor adds to the time-stamp counter" },
  time: { kind: "field", reads: ["time"], writes: NONE, raises: false, doc: "machine time (the loop's clock)", inline: () => "(base - left)" },

  // ---- the engine protocol (called by the loop itself, not by templates)
  fetch: { kind: "method", reads: ["masks"], writes: NONE, raises: true, doc: "the loop's slow-path instruction fetch" },
  boundary: {
    kind: "method", reads: ["pc", "time", "flags", "regs", "masks"], writes: ["pc", "deadline", "masks", "regs"], raises: false,
    doc: "at an instruction boundary: device events, power off, interrupt delivery; returns a Stop or undefined",
  },
  onEvent: {
    kind: "method", reads: ["time", "flags", "regs", "masks"], writes: ["pc", "time", "deadline", "masks", "regs"], raises: false,
    doc: "an instruction raised an event: deliver it, exit to a monitor or stop; returns a Stop or undefined",
  },
};

/** The registry's entry for a name a template uses; unknown names fail, naming the template and the nearest known helper. */
export function helperSpec(name: string, where: string): HelperSpec {
  const spec = Object.hasOwn(HELPERS, name) ? HELPERS[name] : undefined;
  if (!spec) {
    throw new VmlabError("ENGINE_UNKNOWN_HELPER", `${where} uses m.${name}, which the helper registry (src/engines/helpers.ts) does not declare`, {
      hint: didYouMean(name, Object.keys(HELPERS)) ?? "add it to HELPERS with the loop state it reads and writes, so generated engines sync their locals around it",
    });
  }
  return spec;
}
