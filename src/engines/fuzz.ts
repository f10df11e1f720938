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
