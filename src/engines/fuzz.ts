// Random machines for differential testing: memory full of seeded random instructions, a random IDT and page tables, random registers, ring and flags.
//
// The generated guests (analysis/generator.ts) are well-behaved kernels; these are not. Code jumps into
// data and unmapped pages, stores into itself, faults while delivering faults, halts, powers off, reads
// ports no device claims. Two engines must still agree on every observable, instruction by instruction.
import { CR0, CR_INDEX, CR_NAMES, PORT, PTE, SP, STATUS_MASK } from "../isa/arch.js";
import { encode } from "../isa/encoding.js";
import { INSTRUCTIONS, PROFILES, type Profile } from "../isa/table.js";
import { Machine } from "../machine/machine.js";
import { EVERY_EVENT_SPEC, exitPolicy, type ExitPolicySpec } from "../machine/exit-policy.js";
import { createRng, type Rng } from "../sim/rng.js";
import type { Engine } from "./engine.js";

/** Memory of a random machine: 16 pages. */
export const FUZZ_MEMORY = 0x10000;
const IDT = 0x8000;
const PAGE_DIR = 0xc000;
const PAGE_TABLE = 0xd000;
/** Pages that hold random code (the rest hold data, the IDT and the page tables). */
const CODE_PAGES = [0, 1, 2, 3];
const PORTS = [PORT.CONSOLE_CHAR, PORT.CONSOLE_DEC, PORT.CONSOLE_HEX, PORT.PIC_PENDING, PORT.PIC_MASK, PORT.TIMER_PERIOD, PORT.TIMER_NOW, PORT.POWER_OFF, 0x99];

/** A random machine: how to build it, so two engines start from identical copies. */
export interface FuzzCase {
  readonly seed: number;
  readonly profile: Profile;
  readonly tlbEntries: number;
  /** What exits to the caller instead of running on the machine (as under a monitor); `{}` is a bare machine. */
  readonly exits: ExitPolicySpec;
  /** Build a fresh machine in the case's initial state. */
  create(engine?: Engine): Machine;
}

/** A random value for an operand: small numbers, addresses inside memory, or anything. */
function value(r: Rng): number {
  switch (r.int(0, 3)) {
    case 0: return r.int(-8, 8);
    case 1: return r.int(0, FUZZ_MEMORY / 4 - 1) * 4;
    case 2: return r.int(0, FUZZ_MEMORY - 1);
    default: return r.nextU32() | 0;
  }
}

/** How a form's immediate is drawn: a port, any 16 bits, a code address, or a value. */
type ImmKind = "port" | "u16" | "target" | "value" | "none";
const FORMS = INSTRUCTIONS.map((s) => ({
  s,
  cr: s.operands.includes("cr"),
  imm: (s.name === "IN" || s.name === "OUT" ? "port" : s.operands.includes("u16") ? "u16" : s.size === 8 && s.branch ? "target" : s.operands.includes("cr") ? "none" : "value") as ImmKind,
}));
const CR_FIELDS = [...Object.values(CR_INDEX), 7];

/** One random instruction's words: a table form with random fields (sometimes a raw random word). */
function randomInstruction(r: Rng): number[] {
  if (r.chance(0.05)) return [r.nextU32()];
  const f = FORMS[r.int(0, FORMS.length - 1)]!;
  const imm = f.imm === "port" ? (r.chance(0.7) ? r.pick(PORTS) : r.int(0, 0xffff)) : f.imm === "u16" ? r.int(0, 0xffff)
    : f.imm === "target" ? r.int(0, CODE_PAGES.length * 1024 - 1) * 4 : f.imm === "value" ? value(r) : 0;
  const bits = r.nextU32();
  return encode(f.s, { a: bits & 15, b: f.cr ? r.pick(CR_FIELDS) : (bits >>> 4) & 15, c: (bits >>> 8) & 15, imm });
}

/** A random exit policy: mostly none, sometimes every event (trap-and-emulate), sometimes a random mix of every kind of exit. */
export function randomExits(r: Rng): ExitPolicySpec {
  const roll = r.int(0, 9);
  if (roll < 6) return {};
  if (roll < 8) return EVERY_EVENT_SPEC;
  const some = <T>(all: readonly T[]): T[] => all.filter(() => r.chance(0.3));
  return {
    vectors: r.chance(0.3) ? "all" : some([...Array(32).keys(), 0x80]),
    interrupts: r.chance(0.5), interruptWindow: r.chance(0.3), syscall: r.chance(0.5), hlt: r.chance(0.5),
    ioPorts: some(PORTS), crReads: some(Object.values(CR_NAMES)), crWrites: some(Object.values(CR_NAMES)),
  };
}

/** Forms that compute on registers and cannot fault (no division): a loop body of them keeps turning. */
const ALU_FORMS = INSTRUCTIONS.filter((s) => /^(MOV|ADD|SUB|AND|OR|XOR|SHL|SHR|SAR|MUL|NOT|NEG|CMP|TEST)I?$/.test(s.name));

/**
 * A self-modifying loop, for a quarter of the seeds: a few random register computations, `addi rV, rV, 1`,
 * `st rV -> [rB + d]` into a random word of the loop itself, `jmp` back. With rB holding the loop's
 * address and rV a random one-word instruction, each turn rewrites that word with another instruction
 * (its low bits count up), so a translator must drop what it translated of the loop on every turn.
 */
function selfModifyingLoop(r: Rng): { readonly base: number; readonly value: number; readonly initial: number; words(at: number): number[] } | undefined {
  if (!r.chance(0.25)) return undefined;
  const base = r.int(1, 14);
  const value = r.pick([...Array(15).keys()].filter((k) => k !== 0 && k !== base && k !== SP));
  const scratch = [...Array(15).keys()].filter((k) => k !== base && k !== value);
  const body = Array.from({ length: r.int(1, 6) }, () => encode(r.pick(ALU_FORMS), { a: r.pick(scratch), b: r.int(0, 15), c: r.int(0, 15), imm: r.int(0, 0xffff) })).flat();
  let initial = randomInstruction(r);
  while (initial.length !== 1) initial = randomInstruction(r);
  const length = body.length + 2 + 2; // body, addi, st, jmp (two words)
  const target = r.int(0, length - 1) * 4;
  const spec = (name: string) => INSTRUCTIONS.find((s) => s.name === name)!;
  return {
    base, value, initial: initial[0]! | 0,
    words: (at) => [...body, ...encode(spec("ADDI"), { a: value, b: value, imm: 1 }), ...encode(spec("ST"), { a: value, b: base, imm: target }), ...encode(spec("JMP"), { imm: at })],
  };
}

/** The random machine for one seed. */
export function fuzzCase(seed: number): FuzzCase {
  const r = createRng(`fuzz-${seed}`);
  const profile = r.pick(PROFILES);
  const tlbEntries = r.pick([64, 64, 4, 0]);
  const exits = randomExits(createRng(`fuzz-exits-${seed}`)); // its own stream: the machine itself is drawn as before
  const words = new Int32Array(FUZZ_MEMORY / 4);
  for (const page of CODE_PAGES) {
    for (let i = page * 1024; i < (page + 1) * 1024; ) {
      for (const w of randomInstruction(r)) if (i < (page + 1) * 1024) words[i++] = w;
    }
  }
  const smc = selfModifyingLoop(createRng(`fuzz-smc-${seed}`)); // its own stream too
  // Data after the code, up to the IDT (and the stack below it).
  for (let i = CODE_PAGES.length * 1024; i < 0x6000 / 4; i++) words[i] = value(r);
  // The IDT: most gates present (random DPL), each to a random code address.
  for (let v = 0; v < 256; v++) {
    words[(IDT >> 2) + v * 2] = r.int(0, CODE_PAGES.length * 1024 - 1) * 4;
    words[(IDT >> 2) + v * 2 + 1] = r.chance(0.85) ? 1 | (r.int(0, 3) << 1) : 0;
  }
  const paging = r.chance(0.5);
  if (paging) {
    words[PAGE_DIR >> 2] = PAGE_TABLE | PTE.P | PTE.W | PTE.U;
    for (let p = 0; p < FUZZ_MEMORY >> 12; p++) {
      const present = r.chance(0.9) ? PTE.P : 0;
      words[(PAGE_TABLE >> 2) + p] = (p << 12) | present | (r.chance(0.8) ? PTE.W : 0) | (r.chance(0.8) ? PTE.U : 0);
    }
  }
  const wp = r.chance(0.5);
  const regs = Array.from({ length: 16 }, () => value(r));
  regs[SP] = r.chance(0.9) ? r.int(0x6800 / 4, 0x8000 / 4) * 4 : value(r);
  const cpl = r.pick([0, 0, 3]);
  const iopl = r.int(0, 3);
  const iflag = r.chance(0.5);
  const lazy = [r.int(0, 3), value(r), value(r), value(r), r.nextU32() & STATUS_MASK] as const;
  const timer = r.chance(0.6) ? r.int(3, 200) : 0;
  const entry = r.int(0, CODE_PAGES.length * 1024 - 1) * 4;
  if (smc && ((entry >>> 2) & 1023) + smc.words(0).length <= 1024) {
    // The loop at the entry, which stores into its own code on every turn (so into its translation from the second turn on).
    words.set(smc.words(entry), entry >>> 2);
    regs[smc.base] = entry;
    regs[smc.value] = smc.initial;
  }
  const ksp = r.int(0x6800 / 4, 0x8000 / 4) * 4;
  const sep = r.int(0, CODE_PAGES.length * 1024 - 1) * 4;
  const bytes = new Uint8Array(words.buffer);
  return {
    seed, profile, tlbEntries, exits,
    create(engine?: Engine): Machine {
      const m = new Machine({ profile, memoryBytes: FUZZ_MEMORY, tlbEntries, ...(engine ? { engine } : {}) });
      m.load({ segments: [{ address: 0, bytes }], entry });
      m.R.set(regs);
      m.writeCr(CR_INDEX.ksp, ksp);
      m.writeCr(CR_INDEX.sep, sep);
      m.idtr = IDT;
      if (paging) {
        m.writeCr(CR_INDEX.cr3, PAGE_DIR);
        m.writeCr(CR_INDEX.cr0, CR0.PE | CR0.PG | (wp ? CR0.WP : 0));
      }
      m.cpl = cpl;
      m.iopl = iopl;
      m.iflag = iflag;
      m.refreshMasks();
      [m.fop, m.fres, m.fa, m.fb, m.fstat] = lazy;
      if (timer) m.bus.write(PORT.TIMER_PERIOD, timer);
      m.exits = exitPolicy(exits);
      return m;
    },
  };
}

/** Random chunk budgets summing to about `total` (some of 1 to 3 instructions, so run boundaries fall everywhere), for lockstep runs. */
export function randomChunks(seed: string, total: number): number[] {
  const r = createRng(seed);
  const out: number[] = [];
  for (let sum = 0; sum < total; ) {
    const n = r.chance(0.2) ? r.int(1, 3) : r.int(1, Math.max(1, total >> 2));
    out.push(n);
    sum += n;
  }
  return out;
}
