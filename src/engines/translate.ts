// The binary translator's code generation: basic blocks decoded from guest memory, and a region (the translated blocks of one code page) compiled into one JavaScript function.
//
// A region is the translation unit: every block found in one page, keyed by its physical frame and the
// virtual page it runs at, compiled into one function whose loop switches over its blocks (numbered
// densely, found from the PC's word offset through a table), so a loop inside the page stays in one
// function with the guest registers and lazy flags in locals (chained blocks: a block whose successor is
// a block of the region goes straight to its case, others `continue` to the switch through its checks,
// no return to the dispatcher; a loop's blocks nest inside one `for (;;)` case at the loop's head, see
// regionCases). Each block's instructions are the
// interpreter's code (codegen.ts instructionCode) with their fields decoded once at translation time;
// nothing here says what an instruction does.
//
// What a region must keep exact, and how (the interpreter is the definition):
// - the budget and the deadline: a block runs only when all of it fits before `limit` (`left - N >= limit`),
//   otherwise the region leaves and the dispatcher interprets across the boundary; an instruction that may
//   move the deadline, the masks or the clock's base ends its block;
// - instruction fetch: the region runs only while the code page's fast-view slot holds the entry it was
//   entered with (with the current ring's rights), which means every fetch the interpreter would make hits
//   the TLB; after any instruction that may change the TLB (a memory access's slow path, a helper) the
//   slot is compared again, and the region leaves at the next instruction if it changed;
// - counting: retired instructions are counted per block: the step budget before anything reads the
//   clock, and one count of the block's runs (`BC`) at its end, which become per-opcode counts
//   (runtime.ts countBlocks) when the region leaves or hands an event to the machine, the only times
//   anything else can read them; when an instruction raises, the handler completes the counts of the
//   instructions before it from the block's table and then runs the interpreter's event protocol
//   (codegen.ts eventHandler), `pc` holding the raising instruction's address; an event form leaves the
//   region's loop with the event in `ev` (REGION_LEAVE), a throw is caught into `ev`, and the handler runs
//   when `ev` holds one;
// - self-modifying code: the dispatcher guards the frames of translated code (see dbt.ts), and a store
//   to translated words drops the region and empties the code page's fast-view slot, which the next check
//   sees; stores to data beside code on a guarded page are written inline unless their line of memory
//   holds translated code (REGION_INLINE).
import { BY_OPCODE, type InstructionSpec, type Profile } from "../isa/table.js";
import { decode } from "../isa/encoding.js";
import { TLB_FAST_SLOTS, TLB_FAST_TAG } from "../machine/tlb.js";
import { tlbHit, word, type LoopState } from "./helpers.js";
import { declarations, eventHandler, finish, indent, instructionCode, profileConstant, STATE_SYNC, type ConstantFields, type InlineOverrides, type StateSync } from "./codegen.js";

/** The most instructions in one block (a longer straight line is split; the next block follows). */
export const MAX_BLOCK = 64;

/** Guest registers live in locals r0..r15 inside a region; `RR` is the machine's array they are written back to. */
const REG_LOCALS = Array.from({ length: 16 }, (_, i) => `r${i}`);
export const REGION_SYNC: Readonly<Record<LoopState, StateSync>> = {
  ...STATE_SYNC,
  regs: { save: REG_LOCALS.map((r, i) => `RR[${i}] = ${r};`), load: REG_LOCALS.map((r, i) => `${r} = RR[${i}];`) },
};

/** Translated code is tracked in lines of 2^CODE_LINE_SHIFT bytes of physical memory (the regions' `CODE`: 1 where a line holds translated instructions). */
export const CODE_LINE_SHIFT = 6;

/**
 * A store's second chance when the fast view refuses it: the frame is guarded (it holds translated code,
 * so its fast-view entry lacks DIRTY), the entry without the guard (`HELD`, Tlb.unguarded) grants the
 * write, and the line written holds no translated code. Data that shares a page with code is then
 * written inline too; a store to a line of code still takes the slow path, whose write watch drops the
 * regions holding the written words. Leaves the entry in `te`, as tlbHit does.
 */
function heldHit(va: string): string {
  return `(te = HELD[(${va} >>> 12) & ${TLB_FAST_SLOTS - 1}], (te & (wmask | ${TLB_FAST_TAG})) === (((${va} >>> 20) & ${TLB_FAST_TAG}) | wmask) && CODE[((te & ~0xfff) | (${va} & 0xfff)) >>> ${CODE_LINE_SHIFT}] === 0)`;
}

/** The region's stores: the registry's, with heldHit as the second chance (same counts: a store written inline is a fast-view hit either way). */
export const REGION_INLINE: InlineOverrides = {
  wr32: ([va, v]) => `(va = ${va}, tv = ${v}, (va & 3) === 0 && (${tlbHit("va", "wmask")} || ${heldHit("va")}) ? (dh++, ${word("va")} = tv) : m.wr32.call(m, va, tv))`,
  wr8: ([va, v]) => `(va = ${va}, tv = ${v}, ${tlbHit("va", "wmask")} || ${heldHit("va")} ? (dh++, MEM8[(te & ~0xfff) | (va & 0xfff)] = tv) : m.wr8.call(m, va, tv))`,
  push: ([v]) =>
    `(tv = ${v}, va = (R[15] - 4) >>> 0, (va & 3) === 0 && (${tlbHit("va", "wmask")} || ${heldHit("va")}) ? (dh++, ${word("va")} = tv) : m.wr32.call(m, va, tv), R[15] = va)`,
};

/** How an instruction of a region hands its event (in `ev`) to the handler: out of the dispatch loop, to where the handler runs when there is one. */
export const REGION_LEAVE = "break dispatch;";

/** One decoded instruction of a block. */
export interface BlockInstruction {
  readonly spec: InstructionSpec;
  /** Its virtual address and decoded fields. */
  readonly fields: ConstantFields;
  /** Its statements (registers as locals, PC advanced by the block). */
  readonly lines: readonly string[];
  readonly raises: boolean;
  /** It reads the clock (the step budget is brought up to date before it). */
  readonly readsTime: boolean;
  /** It may touch the TLB or memory outside the fast path (the code page's slot is checked after it). */
  readonly touchesMachine: boolean;
  /** Its code came from the rewrite (a callout may read the machine's counters, so they are brought up to date before it). */
  readonly rewritten: boolean;
}

/** Why a block ends where it does. */
export type BlockEnd = "ends-block" | "changes-state" | "page-end" | "straddles" | "invalid" | "max-length";

/** A basic block: straight-line instructions within one page, ending at a branch or anything that may change mode, mapping or deadline. */
export interface Block {
  /** Virtual address of its first instruction. */
  readonly va: number;
  readonly instructions: readonly BlockInstruction[];
  readonly end: BlockEnd;
  /** Where control may go next inside the same page, as virtual addresses (fall-through, direct targets, return address of a call). */
  readonly successors: readonly number[];
}

/** How an instruction's code is rewritten for a translation (the BT monitor's callouts); undefined keeps the interpreter's code. */
export type Rewrite = (spec: InstructionSpec, fields: ConstantFields) => RewrittenCode | undefined;

/** Replacement code for one instruction: statements over the region's locals (PC advanced by the block unless `branch`). */
export interface RewrittenCode {
  readonly lines: readonly string[];
  readonly raises: boolean;
  /** It sets `pc` itself (and so ends its block). */
  readonly branch?: boolean;
}

const REG_REF = /(?<![\w$.])R\[(\d+)\]/g;
const hex32 = (v: number) => "0x" + (v >>> 0).toString(16).padStart(8, "0");

/** Statements of one instruction with guest registers as locals. */
function localLines(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(REG_REF, "r$1"));
}

/**
 * Decode the block at virtual address `va`, whose page's words are `page` (1024 words of physical
 * memory, the frame the page maps to). Stops before an undecodable word or an 8-byte instruction that
 * straddles the page's end (the interpreter runs those), and after a block-ending instruction.
 */
export function decodeBlock(page: Int32Array, va: number, rewrite?: Rewrite): Block {
  const instructions: BlockInstruction[] = [];
  let end: BlockEnd = "max-length";
  let at = va >>> 0;
  const pageBase = (va & ~0xfff) >>> 0;
  const successors: number[] = [];
  const inPage = (t: number) => ((t ^ pageBase) >>> 12 === 0 && (t & 3) === 0 ? [t >>> 0] : []);
  while (instructions.length < MAX_BLOCK) {
    const off = at - pageBase;
    if (off >= 4096) {
      end = "page-end";
      break;
    }
    const w0 = page[off >>> 2]!;
    const spec = BY_OPCODE[w0 >>> 24];
    if (!spec) {
      end = "invalid";
      break;
    }
    if (spec.size === 8 && off + 8 > 4096) {
      end = "straddles";
      break;
    }
    const d = decode(w0, spec.size === 8 ? page[(off + 4) >>> 2]! : 0)!;
    const fields: ConstantFields = { pc: at, a: d.a, b: d.b, c: d.c, imm: d.imm };
    const rewritten = rewrite?.(spec, fields);
    const code = rewritten ?? instructionCode(spec, fields, { advance: false, sync: REGION_SYNC, inline: REGION_INLINE, leave: REGION_LEAVE });
    const lines = rewritten ? [...rewritten.lines] : localLines(code.lines);
    const text = lines.join("\n");
    const instruction: BlockInstruction = {
      spec, fields, lines, raises: code.raises, readsTime: text.includes("base - left"), touchesMachine: text.includes("m."), rewritten: rewritten !== undefined,
    };
    instructions.push(instruction);
    const next = (at + spec.size) >>> 0;
    // Anything after which the deadline, the masks, the clock's base or the PC came from the machine ends the block.
    const changesState = /\b(limit|rmask|base) = |\bpc = m\.pc\b/.test(text);
    if (spec.endsBlock || spec.branch || rewritten) {
      end = "ends-block";
      if (spec.branch && spec.size === 8) successors.push(...inPage(d.imm >>> 0));
      // Where control comes back to: the fall-through of a conditional branch, a call's or a trap's return address, or the next instruction.
      if (!spec.branch || /\bnext\b/.test(spec.exec)) successors.push(...inPage(next));
      break;
    }
    if (changesState) {
      end = "changes-state";
      successors.push(...inPage(next));
      break;
    }
    at = next;
  }
  if (end === "max-length") successors.push(...inPage(at));
  return { va: va >>> 0, instructions, end, successors };
}

/** What the region's catch handler needs about one block: each instruction's address and opcode, and the retired count not yet taken from the budget there. */
export interface BlockFixup {
  readonly pcs: readonly number[];
  readonly ops: readonly number[];
  readonly unflushed: readonly number[];
}

/** A region's source and what its function is compiled with. */
export interface RegionSource {
  readonly source: string;
  readonly fixups: readonly BlockFixup[];
  readonly instructions: number;
}

/** One block's statements in the region, up to and including its count (how it goes on is regionCases's), and its fixup. */
function blockBody(block: Block, index: number): { readonly body: readonly string[]; readonly fixup: BlockFixup } {
  const ins = block.instructions;
  const body: string[] = [`if (left - ${ins.length} < limit) { stall = ${ins.length}; break dispatch; }`, `blk = ${index};`];
  let pending = 0;
  let pcHolds = block.va;
  const pcs: number[] = [], ops: number[] = [], unflushed: number[] = [];
  ins.forEach((inst, k) => {
    const at = inst.fields.pc;
    pcs.push(at);
    ops.push(inst.spec.op);
    if (inst.readsTime && pending > 0) {
      body.push(`left -= ${pending};`);
      pending = 0;
    }
    unflushed.push(pending);
    if (inst.raises && pcHolds !== at) {
      body.push(`pc = ${hex32(at)};`);
      pcHolds = at;
    }
    if (inst.rewritten) body.push("chained += countBlocks(OPS, BC, FIX);");
    body.push(`{ // ${inst.spec.name}`, ...indent(inst.lines), "}");
    pending++;
    const last = k === ins.length - 1;
    const next = (at + inst.spec.size) >>> 0;
    if (!last && inst.touchesMachine) {
      // The code page's slot must still hold the entry the region runs under, or the next fetch may not hit:
      // leave before the next instruction (`part` is 1 + the retired count not yet taken from the budget; the
      // exit completes the per-opcode counts from the block's table).
      body.push(`if (FAST[S] !== ce) { pc = ${hex32(next)}; part = ${pending + 1}; break dispatch; }`);
    }
    if (last) {
      if (pending > 0) body.push(`left -= ${pending};`);
      if (!inst.spec.branch && !inst.lines.some((l) => /^pc = /.test(l))) body.push(`pc = ${hex32(next)};`);
      body.push(`BC[${index}]++;`);
    }
  });
  return { body, fixup: { pcs, ops, unflushed } };
}

/** A loop's case holds at most this many guest instructions (its blocks, and paths through them copied where they join). */
export const MAX_LOOP_INSTRUCTIONS = 128;

/**
 * The region's switch cases, one per block (numbered as `blocks`), pushing each block's fixup.
 *
 * A block goes straight to a successor's case (`go`, `continue select`), without the checks at the
 * dispatch's head: its address is a constant in the page, the masks are unchanged (else the block could not
 * chain), and the code page's slot holds the entry (checked here only when the last instruction may have
 * touched the TLB; one before it that may is followed by a check).
 *
 * A loop runs inside one case: a block that a later block of its loop (or itself) branches back to is a
 * loop's head, and its case is a `for (;;)` holding the blocks of the loop as nested code, each successor
 * test leading to the next block's statements, and back to the head with `continue`. Through the switch
 * a loop costs V8 a jump through a table and, worse, a join of every local of the region at the switch for
 * every block; as one statement it keeps the loop's registers in machine registers. Blocks off the loop,
 * an inner loop's head, and code past the size bound go through the switch as before.
 */
function regionCases(blocks: readonly Block[], fixups: BlockFixup[]): string[] {
  const caseOf = new Map(blocks.map((b, i) => [b.va, i]));
  const made = blocks.map((b, i) => blockBody(b, i));
  fixups.push(...made.map((m) => m.fixup));
  const next = blocks.map((b) => (chainable(b) ? [...new Set(b.successors.filter((s) => caseOf.has(s)))].map((s) => caseOf.get(s)!) : []));
  // reach[i]: the blocks reachable from block i through chained transfers (i itself only on a cycle).
  const reach = blocks.map((_, i) => {
    const seen = new Set<number>();
    const work = [...next[i]!];
    while (work.length > 0) {
      const j = work.pop()!;
      if (seen.has(j)) continue;
      seen.add(j);
      work.push(...next[j]!);
    }
    return seen;
  });
  const onLoopOf = (h: number, j: number) => reach[h]!.has(j) && reach[j]!.has(h);
  const heads = blocks.map((_, h) => blocks.some((b, j) => next[j]!.includes(h) && blocks[h]!.va <= b.va && onLoopOf(h, j)));
  const guard = (i: number) => (blocks[i]!.instructions[blocks[i]!.instructions.length - 1]!.touchesMachine && next[i]!.length > 0 ? ["if (FAST[S] !== ce) continue dispatch;"] : []);
  const jump = (s: number) => `if (pc === ${hex32(blocks[s]!.va)}) { go = ${s}; continue select; }`;
  const plain = (i: number) => [`case ${i}: { // ${hex32(blocks[i]!.va)}`, ...indent([...made[i]!.body, ...guard(i), ...next[i]!.map(jump), "continue dispatch;"]), "}"];
  const loop = (h: number) => {
    let room = MAX_LOOP_INSTRUCTIONS;
    const nested = (i: number, path: readonly number[]): string[] => {
      room -= blocks[i]!.instructions.length;
      const goes = next[i]!.flatMap((s) => {
        if (s === h) return [`if (pc === ${hex32(blocks[s]!.va)}) continue loop${h};`];
        if (heads[s] || !onLoopOf(h, s) || path.includes(s) || room < blocks[s]!.instructions.length) return [jump(s)];
        return [`if (pc === ${hex32(blocks[s]!.va)}) {`, ...indent(nested(s, [...path, s])), "}"];
      });
      return [`// ${hex32(blocks[i]!.va)}`, ...made[i]!.body, ...guard(i), ...goes, "continue dispatch;"];
    };
    return [`case ${h}: loop${h}: for (;;) {`, ...indent(nested(h, [h])), "}"];
  };
  return blocks.flatMap((_, i) => (heads[i] ? loop(i) : plain(i)));
}

/** May the block go straight to the case of a successor? Not when its last instruction is rewritten or may change the masks, the deadline or the clock's base, or sets the PC from the machine. */
function chainable(block: Block): boolean {
  const last = block.instructions[block.instructions.length - 1];
  if (!last || last.rewritten || (block.end !== "ends-block" && block.end !== "max-length")) return false;
  return !last.lines.some((l) => /\b(limit|rmask|base) = |\bpc = m\.pc\b/.test(l));
}

/**
 * The source of one region: the blocks of virtual page `vpn` (all in one frame), compiled for `profile`.
 * The function (m, maxSteps, out) runs from m.pc while it stays on translated blocks of the page, and
 * returns a Stop, or undefined when it left the region with the machine up to date (out.left: the budget left).
 */
export function regionSource(profile: Profile, vpn: number, blocks: readonly Block[]): RegionSource {
  const fixups: BlockFixup[] = [];
  const cases = regionCases(blocks, fixups);
  const leave = (stop: string) => [`stop = ${stop};`, "out.left = left;", "out.stall = stall;", "chained += countBlocks(OPS, BC, FIX);", "out.chained += chained;", ...finish(REGION_SYNC)];
  const slot = vpn & 4095;
  const handler = eventHandler(REGION_SYNC).flatMap((l) => {
    const pad = l.slice(0, l.length - l.trimStart().length);
    return l.trim() === "stop = s;" ? [l, `${pad}out.left = left;`, `${pad}out.chained += chained;`] : [l];
  });
  const source = [
    '"use strict";',
    profileConstant(profile),
    "return function (FIX) {",
    `const BC = new Float64Array(${blocks.length}), IDX = new Int16Array(1024).fill(-1);`,
    "for (let i = 0; i < FIX.length; i++) IDX[(FIX[i].pcs[0] & 0xfff) >>> 2] = i;",
    "return function region(m, maxSteps, out) {",
    ...indent([
      `const RR = m.R, S = ${slot}, HELD = m.tlb.unguarded, CODE = out.code;`,
      `let ${REG_LOCALS.map((r) => `${r} = 0`).join(", ")}, blk = 0, chained = 0, part = 0, stall = 0, go = 0;`,
      ...declarations(REGION_SYNC),
      "const ce = FAST[S];",
      "try {",
      ...indent([
        "dispatch: for (;;) {",
        ...indent([
          `if (pc >>> 12 !== ${vpn} || (pc & 3) !== 0 || FAST[S] !== ce || (ce & rmask) !== rmask) break;`,
          "go = IDX[(pc & 0xfff) >>> 2];",
          "select: for (;;) {",
          ...indent(["switch (go) {", ...indent([...cases, "default:", "  break dispatch;"]), "}"]),
          "}",
        ]),
        "}",
      ]),
      "} catch (e) {",
      "  ev = e;",
      "}",
      "if (ev !== undefined) {",
      ...indent([
        "{",
        ...indent([
          "const fx = FIX[blk], k = fx.pcs.indexOf(pc);",
          "if (k < 0) throw ev;",
          "for (let i = 0; i < k; i++) OPS[fx.ops[i]]++;",
          "left -= fx.unflushed[k];",
          "op = fx.ops[k];",
        ]),
        "}",
        "chained += countBlocks(OPS, BC, FIX);",
        ...handler,
      ]),
      "}",
      "if (part !== 0) {",
      "  // Left inside a block, before the instruction at pc: count the ones before it.",
      "  const fx = FIX[blk], k = fx.pcs.indexOf(pc);",
      "  for (let i = 0; i < k; i++) OPS[fx.ops[i]]++;",
      "  left -= part - 1;",
      "}",
      ...leave("undefined"),
    ]),
    "};",
    "};",
    `//# sourceURL=vmlab-dbt-${profile}-${hex32(vpn << 12)}.js`,
    "",
  ].join("\n");
  return { source, fixups, instructions: blocks.reduce((n, b) => n + b.instructions.length, 0) };
}
