// The interpreter: a fetch/decode/execute loop generated from the instruction table's semantics templates.
//
// The loop is one `switch` over the opcode whose cases are the table's `exec` templates, compiled once
// per profile with `new Function`. That keeps the table the only place that says what an instruction
// does, and gives V8 a monomorphic loop whose hot state lives in locals.
//
// A few machine helpers that templates call on every other instruction (flags, memory, the stack) are
// expanded inline here as "intrinsics" with the same meaning as the Machine methods they stand for; the
// binary translator will reuse the same expansions. Everything else is a call into the machine.
import { INSTRUCTIONS, type InstructionSpec, type Profile } from "../isa/table.js";
import { imm16Kind } from "../isa/encoding.js";
import { VECTOR } from "../isa/arch.js";
import { CpuEvent, type Stop } from "../machine/events.js";
import { evalCond } from "../machine/flags.js";
import type { Machine } from "../machine/machine.js";
import { TLB_FAST_SLOTS, TLB_FAST_TAG } from "../machine/tlb.js";

/** A compiled engine runs a machine for at most `maxSteps` instructions and says why it stopped. */
export type Engine = (m: Machine, maxSteps: number) => Stop;

/**
 * Templates that call these helpers read or change state the loop keeps in locals (time, lazy flags,
 * the ring's TLB masks): the loop writes its locals back before such a template and reloads them after.
 */
const SYNCING_HELPERS = /\bm\.(portIn|portOut|iret|sysret|syscall|writeCr|sti|flagsWord|setFlagsWord|status)\(/;

/** Split `m.name(args)` occurrences: returns [before, args[], after] for the first call of `name`, or undefined. */
function findCall(text: string, name: string): [string, string[], string] | undefined {
  const start = text.search(new RegExp(`\\bm\\.${name}\\(`));
  if (start < 0) return undefined;
  const open = text.indexOf("(", start);
  let depth = 0;
  let argStart = open + 1;
  const args: string[] = [];
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") {
      depth--;
      if (depth === 0) {
        const last = text.slice(argStart, i).trim();
        if (last) args.push(last);
        return [text.slice(0, start), args, text.slice(i + 1)];
      }
    } else if (ch === "," && depth === 1) {
      args.push(text.slice(argStart, i).trim());
      argStart = i + 1;
    }
  }
  throw new Error(`unbalanced call to m.${name} in template: ${text}`);
}

/** Direct tests for compare-and-branch (lazy flags from a SUB or CMP), by condition code; see evalCond. */
const SUB_TESTS = ["fa === fb", "fa !== fb", "fa < fb", "fa >= fb", "fa <= fb", "fa > fb", "(fa >>> 0) < (fb >>> 0)", "(fa >>> 0) >= (fb >>> 0)", "(fa >>> 0) <= (fb >>> 0)", "(fa >>> 0) > (fb >>> 0)"];

/** A condition as an expression: the compare-and-branch case and zero tests inline, the rest through evalCond. */
function condExpression(cc: number): string {
  const general = `evalCond(${cc}, fop, fres, fa, fb, fstat)`;
  if (cc === 0) return `(fop !== 0 ? fres === 0 : ${general})`;
  if (cc === 1) return `(fop !== 0 ? fres !== 0 : ${general})`;
  const sub = SUB_TESTS[cc];
  return sub ? `(fop === 2 ? ${sub} : ${general})` : general;
}

/**
 * Look up the page of address `va` (a local) in the TLB's fast view (see machine/tlb.ts), leaving the
 * word in local `te`: true when it holds this page's entry with every bit of `mask` (a local) set. Any
 * other case — a miss, a page displaced from its fast slot, missing rights — is false and takes the
 * machine's slow path.
 */
function tlbHit(va: string, mask: string): string {
  return `(te = FAST[(${va} >>> 12) & ${TLB_FAST_SLOTS - 1}], (te & (${mask} | ${TLB_FAST_TAG})) === (((${va} >>> 20) & ${TLB_FAST_TAG}) | ${mask}))`;
}

/** Inline expansions of the hot helpers, as expressions over the loop's locals (slow paths call the machine via `.call` so they are not expanded again). */
const INTRINSICS: Record<string, (args: string[]) => string> = {
  add: ([x, y]) => `(fa = ${x}, fb = ${y}, fop = 1, fres = (fa + fb) | 0)`,
  sub: ([x, y]) => `(fa = ${x}, fb = ${y}, fop = 2, fres = (fa - fb) | 0)`,
  logic: ([x]) => `(fop = 3, fres = (${x}) | 0)`,
  cond: ([cc]) => condExpression(Number(cc)),
  rd32: ([va]) =>
    `(va = ${va}, ${tlbHit("va", "rmask")} && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2]) : m.rd32.call(m, va))`,
  wr32: ([va, v]) =>
    `(va = ${va}, tv = ${v}, ${tlbHit("va", "wmask")} && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2] = tv) : m.wr32.call(m, va, tv))`,
  rd8: ([va]) => `(va = ${va}, ${tlbHit("va", "rmask")} ? (dh++, MEM8[(te & ~0xfff) | (va & 0xfff)]) : m.rd8.call(m, va))`,
  wr8: ([va, v]) =>
    `(va = ${va}, tv = ${v}, ${tlbHit("va", "wmask")} ? (dh++, MEM8[(te & ~0xfff) | (va & 0xfff)] = tv) : m.wr8.call(m, va, tv))`,
  push: ([v]) =>
    `(tv = ${v}, va = (R[15] - 4) >>> 0, ${tlbHit("va", "wmask")} && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2] = tv) : m.wr32.call(m, va, tv), R[15] = va)`,
  pop: () =>
    `(va = R[15] >>> 0, tv = ${tlbHit("va", "rmask")} && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2]) : m.rd32.call(m, va), R[15] = (va + 4) | 0, tv)`,
};

/** Expand the intrinsics in a template, innermost arguments first. */
export function expandIntrinsics(template: string): string {
  let text = template;
  for (let guard = 0; guard < 100; guard++) {
    let changed = false;
    for (const [name, expand] of Object.entries(INTRINSICS)) {
      const call = findCall(text, name);
      if (!call) continue;
      const [before, args, after] = call;
      text = before + expand(args.map(expandIntrinsics)) + after;
      changed = true;
    }
    if (!changed) return text;
  }
  throw new Error(`intrinsic expansion did not terminate: ${template}`);
}

const SAVE = "m.time = base - left; m.fop = fop; m.fres = fres; m.fa = fa; m.fb = fb; m.fstat = fstat;";
/** Leave the loop: write the locals back, fold this call's counts into the machine, return `stop`. */
const FINISH = `m.pc = pc; ${SAVE} m.counters.tlbHits += maxSteps - left + faulted - slowFetches + dh; { const ops = m.ops; for (let i = 0; i < 256; i++) if (counts[i] !== 0) ops[i] += counts[i]; } return stop;`;
const LOAD =
  "base = m.time + left; limit = Math.max(0, base - m.checkAt); fop = m.fop; fres = m.fres; fa = m.fa; fb = m.fb; fstat = m.fstat; rmask = m.readMask; wmask = m.writeMask;";

/** The JavaScript statements that decode one instruction's fields and execute its template. */
export function caseBody(s: InstructionSpec): string {
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(s.exec);
  const lines: string[] = [];
  if (uses("a")) lines.push("const a = (w >>> 20) & 15;");
  if (uses("b")) lines.push("const b = (w >>> 16) & 15;");
  if (uses("c")) lines.push("const c = (w >>> 12) & 15;");
  if (uses("imm")) {
    if (s.size === 8) {
      // The second word sits on the same page unless the instruction straddles a page boundary.
      lines.push("const p2 = (pc + 4) >>> 0;");
      lines.push(`const imm = ${tlbHit("p2", "rmask")} ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : m.fetch(p2) | 0;`);
    } else if (imm16Kind(s) === "u16") lines.push("const imm = w & 0xffff;");
    else lines.push("const imm = (w << 16) >> 16;");
  }
  lines.push(`const next = (pc + ${s.size}) >>> 0;`);
  // Reads of machine time see the loop's clock, which is derived from the step budget (see engineSource).
  const exec = s.exec.replace(/\bm\.time\b/g, "(base - left)");
  const syncing = SYNCING_HELPERS.test(exec);
  if (syncing) {
    lines.push(SAVE, exec, LOAD);
  } else {
    lines.push(expandIntrinsics(exec));
  }
  if (!s.branch) lines.push("pc = next;");
  return lines.join(" ");
}

/**
 * Source of the run loop for one profile (exported for inspection and golden tests).
 *
 * Hot state lives in locals: the PC, the step budget, lazy flags and the TLB masks of the current ring.
 * The clock is not counted separately: while the loop runs, machine time is `base - left`, and the
 * loop leaves its fast path when `left` reaches `limit` — the budget's end or the machine's next
 * `checkAt`, whichever comes first — so one compare per instruction covers both. Instruction fetch and
 * data accesses hit the TLB inline; anything unusual (a miss, a misaligned access, a fault) takes the
 * machine's slow path, and events leave the inner loop by exception. TLB hits on fetch are counted as
 * fetches minus slow fetches, so the fast path counts nothing but the opcode.
 */
export function engineSource(profile: Profile): string {
  const cases = INSTRUCTIONS.map((s) => `      case ${s.op}: { /* ${s.name} */ ${caseBody(s)} break; }`).join("\n");
  return `"use strict";
const STRICT = ${profile === "strict"};
return function run(m, maxSteps) {
  const R = m.R, FAST = m.tlb.fast, MEM = m.memory.words, MEM8 = m.memory.bytes;
  // Per-opcode counts for this call; a call runs at most 2^31 instructions (see Machine.run).
  const counts = new Uint32Array(256);
  let pc = m.pc >>> 0, left = maxSteps, op = 0, w = 0;
  let base = 0, limit = 0, fop = 0, fres = 0, fa = 0, fb = 0, fstat = 0, rmask = 0, wmask = 0;
  ${LOAD}
  let slowFetches = 0, faulted = 0, dh = 0, va = 0, te = 0, tv = 0, stop;
  for (;;) {
    try {
      for (;;) {
        if (left <= limit) {
          if (left <= 0) { stop = { kind: "budget", pc }; ${FINISH} }
          ${SAVE}
          m.pc = pc;
          const s = m.boundary();
          pc = m.pc >>> 0;
          ${LOAD}
          if (s !== undefined) { stop = s; ${FINISH} }
        }
        if (${tlbHit("pc", "rmask")} && (pc & 3) === 0) w = MEM[((te & ~0xfff) | (pc & 0xfff)) >>> 2];
        else { slowFetches++; w = m.fetch(pc); }
        op = w >>> 24;
        switch (op) {
${cases}
      default: throw m.fault(${VECTOR.INVALID_OPCODE});
        }
        counts[op]++; left--;
      }
    } catch (e) {
      if (e instanceof CpuEvent && e.returnPc !== undefined) { counts[op]++; left--; }
      else faulted++;
      ${SAVE}
      const s = m.onEvent(e, pc);
      pc = m.pc >>> 0;
      ${LOAD}
      if (s !== undefined) { stop = s; ${FINISH} }
    }
  }
};`;
}

const compiled = new Map<Profile, Engine>();

/** The compiled engine for a profile (compiled on first use; the code is a pure function of the table). */
export function compiledEngine(profile: Profile): Engine {
  let engine = compiled.get(profile);
  if (!engine) {
    engine = new Function("CpuEvent", "evalCond", engineSource(profile))(CpuEvent, evalCond) as Engine;
    compiled.set(profile, engine);
  }
  return engine;
}
