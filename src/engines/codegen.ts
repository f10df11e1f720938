// Code generation from the instruction table, shared by every generated engine: the loop's locals, field decoding, inline expansions, syncing around helpers, counting and the event protocol.
//
// A generated engine is JavaScript text compiled with `new Function`. Its hot state lives in locals (the
// table below); the machine's fields are written back and reloaded around anything that reads or changes
// them — a helper call (as helpers.ts declares), an instruction boundary, an event, the end of the run.
// The interpreter (interpreter.ts) builds one loop with a `switch` over the opcode whose cases decode
// their fields from the instruction word at run time. A translator builds functions over known code, so
// it passes the fields it decoded once as constants; everything else is the same text.
//
// Locals of a generated loop (`declarations` declares them):
//   R FAST MEM MEM8 OPS   the machine's registers, TLB fast view, memory (words, bytes) and per-opcode counts
//   pc                    the PC (Machine.pc is stale while the loop runs)
//   left                  instructions left in this call's budget
//   base limit            the clock: machine time is `base - left`; leave the fast path when `left <= limit`,
//                         i.e. at the budget's end or at Machine.checkAt, whichever comes first
//   fop fres fa fb fstat  the lazy flags
//   rmask wmask           TLB bits a read / a write needs at the current ring
//   op w                  the opcode being executed (the event handler counts it) and its first word
//   va te tv              scratch of the inline memory accesses; dh counts their fast-view hits
//   slowFetches faulted   instruction fetches that took the slow path, instructions that faulted
//   stop                  the Stop being returned
//   ev                    the event an instruction raised, for the event handler (see eventHandler)
// An instruction raises an event in one of two ways. A helper with an event form (helpers.ts `event`: the
// privilege checks, HLT, INT n, BRK, VMCALL) and an unassigned opcode store it in `ev` and jump to the
// handler (the engine's `leave` statement, `break events;` in the interpreter); anything raised deeper
// (a page fault on a memory access's slow path, a port exit, IRET's checks) is thrown, and the engine's
// catch stores it in `ev` for the same handler.
// TLB hits of instruction fetches are not counted one by one: an engine adds `retired + faulted -
// slowFetches` when it leaves (every instruction started was fetched, fast unless counted slow).
import { imm16Kind } from "../isa/encoding.js";
import { VECTOR } from "../isa/arch.js";
import type { InstructionSpec, Profile } from "../isa/table.js";
import { HELPERS, helperSpec, LOOP_STATE, tlbHit, word, type HelperSpec, type LoopState } from "./helpers.js";
import { findCall, helperUses, mentions, statements, substitute } from "./template.js";

/** How one class of loop state is written back to the machine and reloaded from it. */
export interface StateSync {
  readonly save: readonly string[];
  readonly load: readonly string[];
}

/** The interpreter's locals for each class of loop state (a translator keeping registers in locals supplies its own `regs`). */
export const STATE_SYNC: Readonly<Record<LoopState, StateSync>> = {
  pc: { save: ["m.pc = pc;"], load: ["pc = m.pc >>> 0;"] },
  time: { save: ["m.time = base - left;"], load: ["base = m.time + left;"] },
  // The loop never moves the deadline itself; reloading it recomputes where the fast path ends.
  deadline: { save: [], load: ["limit = Math.max(0, base - m.checkAt);"] },
  flags: {
    save: ["m.fop = fop;", "m.fres = fres;", "m.fa = fa;", "m.fb = fb;", "m.fstat = fstat;"],
    load: ["fop = m.fop;", "fres = m.fres;", "fa = m.fa;", "fb = m.fb;", "fstat = m.fstat;"],
  },
  masks: { save: [], load: ["rmask = m.readMask;", "wmask = m.writeMask;"] },
  // The interpreter's R is the machine's own array.
  regs: { save: [], load: [] },
};

/** Code that brings the machine up to date before a call and the locals up to date after it. */
export interface Sync {
  readonly before: string[];
  readonly after: string[];
}

/**
 * Statements around a call that reads `reads` and changes `writes`: state it reads or changes is written
 * back first (a partial change must not be undone by a later write-back of stale locals); state it
 * changes is reloaded after. The clock's base moves with the time, so reloading the time reloads the
 * deadline too.
 */
export function syncAround(reads: readonly LoopState[], writes: readonly LoopState[], sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC): Sync {
  const touched = new Set([...reads, ...writes]);
  const changed = new Set(writes);
  if (changed.has("time")) changed.add("deadline");
  return {
    before: LOOP_STATE.filter((s) => touched.has(s)).flatMap((s) => sync[s].save),
    after: LOOP_STATE.filter((s) => changed.has(s)).flatMap((s) => sync[s].load),
  };
}

/** Sync around one of the registry's protocol methods (fetch, boundary, onEvent). */
export function syncAroundHelper(name: string, sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC): Sync {
  const h = HELPERS[name]!;
  return syncAround(h.reads, h.writes, sync);
}

/** Write every class of loop state back (before leaving the loop). */
export function saveAll(sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC): string[] {
  return LOOP_STATE.flatMap((s) => sync[s].save);
}

/** Load every class of loop state (on entry). */
export function loadAll(sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC): string[] {
  return syncAround([], LOOP_STATE, sync).after;
}

// ---------------------------------------------------------------- one template

/** A template turned into statements over the loop's locals. */
export interface TemplateCode {
  readonly lines: string[];
  /**
   * `locals`: every helper the template calls is expanded inline or touches no loop state, so it runs on the
   * locals. `machine`: some helper reads or changes loop state, so the template runs on the machine's fields
   * (nothing expanded), with the union of its helpers' state written back before and reloaded after.
   */
  readonly mode: "locals" | "machine";
  /** Can it end the instruction with an event (some helper it calls raises)? */
  readonly raises: boolean;
}

/** The registry's entries for every machine use in a template, checked against how the template uses them. */
function helpersOf(template: string, where: string): Map<string, HelperSpec> {
  const found = new Map<string, HelperSpec>();
  for (const use of helperUses(template)) {
    const h = helperSpec(use.name, where);
    if ((use.kind === "call") !== (h.kind === "method") || (use.kind === "write" && !h.writable)) {
      const what = use.kind === "call" ? "calls" : use.kind === "write" ? "assigns" : "reads";
      throw new Error(`${where} ${what} m.${use.name}, which the helper registry declares as a ${h.writable ? "writable " : ""}${h.kind}`);
    }
    found.set(use.name, h);
  }
  return found;
}

/**
 * Expansions an engine supplies in place of the registry's for some helpers (same meaning, other locals
 * in scope: the translator's stores also try a guarded frame's unguarded entry). Only helpers that have
 * an expansion in the registry may be given one.
 */
export type InlineOverrides = Readonly<Record<string, (args: readonly string[]) => string>>;

/** Expand the inline helpers in a template, innermost arguments first; fields with an expansion (m.time) become their expression. */
export function expandInline(template: string, overrides: InlineOverrides = {}): string {
  let text = template;
  for (const [name, h] of Object.entries(HELPERS)) {
    if (h.kind === "field" && h.inline) text = text.replace(new RegExp(`(?<![\\w$.])m\\.${name}(?![\\w$(])`, "g"), h.inline([]));
  }
  for (let guard = 0; guard < 100; guard++) {
    let changed = false;
    for (const [name, h] of Object.entries(HELPERS)) {
      if (h.kind !== "method" || !h.inline) continue;
      const call = findCall(text, name);
      if (!call) continue;
      const [before, args, after] = call;
      text = before + (overrides[name] ?? h.inline)(args.map((a) => expandInline(a, overrides))) + after;
      changed = true;
    }
    if (!changed) return text;
  }
  throw new Error(`inline expansion did not terminate: ${template}`);
}

/** The interpreter's label for its inner loop, which an event leaves for the handler after it. */
export const EVENTS_LABEL = "events";
/** The interpreter's `leave`: how an instruction hands the event in `ev` to the loop's event handler. */
export const LEAVE_TO_HANDLER = `break ${EVENTS_LABEL};`;

/** A statement can start right after this text (the template's start, a statement's end, a block, `if (…)` or `else`). */
const STATEMENT_START = /(^|[;{}]|\)|\belse)$/;

/**
 * Turn each statement `m.name(…);` of a helper with an event form into that form (HelperSpec.event),
 * leaving with `leave`. Such a helper raises only by ending the instruction, so a template calls it as a
 * statement of its own; a call inside an expression is refused (it could not jump out of the expression).
 */
export function expandEvents(template: string, leave: string, where: string): string {
  let text = template;
  for (const [name, h] of Object.entries(HELPERS)) {
    if (!h.event) continue;
    for (let call = findCall(text, name); call; call = findCall(text, name)) {
      const [before, args, after] = call;
      const head = before.trimEnd(), rest = after.trimStart();
      if (!rest.startsWith(";") || !STATEMENT_START.test(head)) {
        throw new Error(`${where} calls m.${name} inside an expression; it raises its event as data, so the template must call it as a statement of its own (m.${name}(…);)`);
      }
      const form = h.event(args, leave);
      // After `if (…)` or `else` the form is the branch's one statement, whatever it expands to.
      const statement = /(\)|\belse)$/.test(head) ? `{ ${form} }` : form;
      text = (head === "" ? "" : head + " ") + statement + rest.slice(1);
    }
  }
  return text;
}

/**
 * A template's statements over the loop's locals, synced as its helpers require (see TemplateCode), with
 * its helpers' event forms leaving by `leave` (see expandEvents).
 */
export function templateCode(
  template: string, where: string, sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC, overrides: InlineOverrides = {}, leave: string = LEAVE_TO_HANDLER,
): TemplateCode {
  const helpers = [...helpersOf(template, where).values()];
  const raises = helpers.some((h) => h.raises);
  const onLocals = helpers.every((h) => h.inline || (h.reads.length === 0 && h.writes.length === 0));
  if (onLocals) return { lines: statements(expandEvents(expandInline(template, overrides), leave, where)), mode: "locals", raises };
  const s = syncAround(helpers.flatMap((h) => h.reads), helpers.flatMap((h) => h.writes), sync);
  return { lines: [...s.before, ...statements(expandEvents(template, leave, where)), ...s.after], mode: "machine", raises };
}

// ---------------------------------------------------------------- one instruction

/** Fields known at translation time: the instruction's address and its decoded fields (see encoding.ts decode). */
export interface ConstantFields {
  readonly pc: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly imm: number;
}

export interface InstructionOptions {
  /** Append `pc = next;` for a non-branch (default true). A translator that tracks the PC itself passes false. */
  readonly advance?: boolean;
  /** How loop state is synced (default: the interpreter's locals). */
  readonly sync?: Readonly<Record<LoopState, StateSync>>;
  /** Expansions in place of the registry's (default none). */
  readonly inline?: InlineOverrides;
  /** The statement that hands the event in `ev` to the engine's event handler (default LEAVE_TO_HANDLER, the interpreter's). */
  readonly leave?: string;
}

/** One instruction's code: its statements and what a translator needs to know about them. */
export interface InstructionCode extends TemplateCode {
  readonly spec: InstructionSpec;
}

const hex32 = (v: number) => "0x" + (v >>> 0).toString(16).padStart(8, "0");
const literal = (v: number) => (v < 0 ? `(${v})` : String(v));

/**
 * The statements that execute one instruction form: decode its fields (from the first word in local `w`
 * and, for an 8-byte form, the second word, when `fields` is "runtime"; or substituted as constants), bind
 * `next`, run its template, and advance the PC for a non-branch. In scope: the loop's locals (see the
 * header), `pc` holding this instruction's address (templates only assign it), `m`, and `STRICT`.
 * Counting the retired instruction is the caller's (see retire()).
 */
export function instructionCode(spec: InstructionSpec, fields: ConstantFields | "runtime", options: InstructionOptions = {}): InstructionCode {
  const lines: string[] = [];
  let template = spec.exec;
  if (fields === "runtime") {
    if (mentions(template, "a")) lines.push("const a = (w >>> 20) & 15;");
    if (mentions(template, "b")) lines.push("const b = (w >>> 16) & 15;");
    if (mentions(template, "c")) lines.push("const c = (w >>> 12) & 15;");
    if (mentions(template, "imm")) {
      if (spec.size === 8) {
        // The second word sits on the same page unless the instruction straddles a page boundary.
        lines.push("const p2 = (pc + 4) >>> 0;");
        lines.push(`const imm = ${tlbHit("p2", "rmask")} ? ${word("p2")} : fetchImmediate(m, p2) | 0;`);
      } else if (imm16Kind(spec) === "u16") lines.push("const imm = w & 0xffff;");
      else lines.push("const imm = (w << 16) >> 16;");
    }
    lines.push(`const next = (pc + ${spec.size}) >>> 0;`);
  } else {
    template = substitute(template, {
      a: String(fields.a), b: String(fields.b), c: String(fields.c), imm: literal(fields.imm), next: hex32(fields.pc + spec.size),
    });
  }
  const code = templateCode(template, `${spec.name}'s template`, options.sync, options.inline, options.leave);
  lines.push(...code.lines);
  if (!spec.branch && options.advance !== false) lines.push(fields === "runtime" ? "pc = next;" : `pc = ${hex32(fields.pc + spec.size)};`);
  return { spec, lines, mode: code.mode, raises: code.raises };
}

// ---------------------------------------------------------------- the loop's pieces

/** Declarations of the loop's locals, loaded from the machine (the run function's parameters are `m` and `maxSteps`). */
export function declarations(sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC): string[] {
  return [
    "const R = m.R, FAST = m.tlb.fast, MEM = m.memory.words, MEM8 = m.memory.bytes, OPS = m.ops;",
    "let pc = 0, left = maxSteps, base = 0, limit = 0;",
    "let fop = 0, fres = 0, fa = 0, fb = 0, fstat = 0, rmask = 0, wmask = 0;",
    "let op = 0, w = 0, va = 0, te = 0, tv = 0, dh = 0, slowFetches = 0, faulted = 0, stop, ev;",
    ...loadAll(sync),
  ];
}

/** Count one retired instruction of opcode `op` (an expression). */
export function retire(op: string): string[] {
  return [`OPS[${op}]++;`, "left--;"];
}

/** Leave the loop returning `stop` (a local holding the Stop): write the state back, add the fetch hits, return. */
export function finish(sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC): string[] {
  return [...saveAll(sync), "m.counters.tlbHits += maxSteps - left + faulted - slowFetches + dh;", "return stop;"];
}

/** At the top of every instruction: leave at the budget's end, or call the machine's boundary() when the deadline is reached. */
export function boundaryCheck(sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC): string[] {
  const b = syncAroundHelper("boundary", sync);
  return [
    "if (left <= limit) {",
    ...indent([
      "if (left <= 0) {",
      ...indent(['stop = { kind: "budget", pc };', ...finish(sync)]),
      "}",
      ...b.before,
      "const s = m.boundary();",
      ...b.after,
      "if (s !== undefined) {",
      ...indent(["stop = s;", ...finish(sync)]),
      "}",
    ]),
    "}",
  ];
}

/**
 * The handler of the event in `ev` (stored by an event form, or by the engine's catch around the
 * instructions): an event with a return PC (a trap, system call or HLT) retired its instruction; a fault
 * did not. The machine's onEvent delivers it, exits to a monitor or stops; `pc` must hold the
 * instruction's address (an exit names the instruction it stops before) and `op` its opcode.
 */
export function eventHandler(sync: Readonly<Record<LoopState, StateSync>> = STATE_SYNC): string[] {
  const s = syncAroundHelper("onEvent", sync);
  return [
    "if (ev instanceof CpuEvent && ev.returnPc !== undefined) {",
    ...indent(retire("op")),
    "} else faulted++;",
    ...s.before,
    "const s = m.onEvent(ev, pc);",
    ...s.after,
    "if (s !== undefined) {",
    ...indent(["stop = s;", ...finish(sync)]),
    "}",
  ];
}

/** The fetch of the first word into `w`: the fast view inline, the machine's fetch otherwise. */
export function fetchWord(): string[] {
  return [`if (${tlbHit("pc", "rmask")} && (pc & 3) === 0) w = ${word("pc")};`, "else {", "  slowFetches++;", "  w = m.fetch(pc);", "}"];
}

/** The default case of the interpreter's opcode switch: an unassigned opcode raises #UD (as data, like an event form). */
export const INVALID_OPCODE = `{ ev = m.fault(${VECTOR.INVALID_OPCODE}); ${LEAVE_TO_HANDLER} }`;

/** The constant every template may test, as the generated code declares it. */
export function profileConstant(profile: Profile): string {
  return `const STRICT = ${profile === "strict"};`;
}

/** Indent lines by two spaces per level. */
export function indent(lines: readonly string[], levels = 1): string[] {
  const pad = "  ".repeat(levels);
  return lines.map((l) => (l === "" ? l : pad + l));
}
