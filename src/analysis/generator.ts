// Seeded random guest kernels: readable assembly that boots at CPL 0, mixes user-ISA work with sensitive instructions, and always powers off.
//
// A generated guest is a small kernel. It sets up an IDT (every vector present: the timer, #DE, #GP,
// #PF and INT 0x80 have real handlers, the rest power off with UNEXPECTED_EXIT), optionally paging
// (an identity map, a scratch page that blocks remap to another frame followed by INVLPG or a CR3
// reload, and a demand page whose fault the #PF handler serves), optionally a timer with a random
// period, then runs a bounded loop of random blocks. Blocks mix arithmetic, memory and branch work
// with the sensitive instructions the `mix` enables. It may end by dropping to a user segment at
// CPL 3 through IRET; the user code computes, makes INT 0x80 system calls and exits through one.
// Every path ends with `out 0xF0, r` (power off, exit code 0), so a guest terminates natively on both
// profiles: the kernel runs at CPL 0, where the profiles agree, and the user segment uses only the
// user ISA, INT 0x80 and (on purpose) CLI, which traps on both profiles and the #GP handler skips.
//
// The fixed parts are assembly files: guests/generator/layout.s (memory map, names, macros) opens every
// guest and guests/generator/kernel.s (the handlers) closes it, their includes inlined, so the source
// is one self-contained text. Same seed and options → byte-identical source (all choices come from
// src/sim/rng.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { vmlabRoot } from "../core/package-root.js";
import { assemble, inlineIncludes, type Program, readerFromDisk } from "../isa/assembler.js";
import { createRng, type Rng } from "../sim/rng.js";

/** Features a guest may use; `mix` enables a subset (default: all). */
export const FEATURES = ["cli", "sti", "popf", "pushf", "iret", "in", "out", "timer", "paging", "syscall", "user", "cr8", "lidt"] as const;
export type Feature = (typeof FEATURES)[number];

export interface GeneratorOptions {
  readonly seed: number | string;
  /** Random blocks in the kernel's loop body (default 8); the loop runs 2–4 times. */
  readonly size?: number;
  /** Features to enable (default: all of FEATURES). */
  readonly mix?: readonly Feature[];
  /** Also assemble the source (default true). */
  readonly assemble?: boolean;
}

export interface GeneratedGuest {
  readonly seed: number | string;
  readonly mix: readonly Feature[];
  /** Assembly text with comments. */
  readonly source: string;
  /** The assembled program (segments and entry), unless `assemble: false`. */
  readonly loadable?: Program;
  /** The timer period chosen (0 when the timer is off). */
  readonly timerPeriod: number;
}

/** Exit code of a guest that took a vector it has no handler for (UNEXPECTED_EXIT of guests/generator/layout.s). */
export const UNEXPECTED_EXIT = 0xee;
/** Highest address a generated guest touches (memory it needs, in bytes; GUEST_MEMORY of guests/generator/layout.s). */
export const GUEST_MEMORY = 0x40000;

/** The file that opens every generated guest, and the one that closes it. */
export const GENERATOR_LAYOUT_FILE = "guests/generator/layout.s";
export const GENERATOR_KERNEL_FILE = "guests/generator/kernel.s";

/** Random blocks in the kernel's loop body by default, and at most. */
const DEFAULT_SIZE = 8;
const MAX_SIZE = 200;
/** Ranges the random choices are drawn from (inclusive). */
const TIMER_PERIODS = [30, 300] as const;
const RETIMER_PERIODS = [40, 400] as const;
const KERNEL_ROUNDS = [2, 4] as const;
const USER_ROUNDS = [2, 3] as const;
const INITIAL_VALUE = 100_000;
const IMMEDIATE = 2000;
/** The largest immediate a branch block XORs in, and a scratch frame's marker: a positive 16-bit value. */
const MARKER_MAX = 0x7fff;
const SHIFT_MAX = 31;
/** Words of the data page the memory blocks touch, and of the demand page the demand block reads. */
const DATA_WORDS = 64;
const DEMAND_WORDS = 100;
/** Task priorities a CR8 block raises to (above the timer's class). */
const PRIORITIES = [2, 15] as const;
/** The four counters at KDATA: ticks, #DE, #GP, #PF. */
const COUNTERS = 4;
const WORD = 4;
/** Probabilities: a loop block is work (else a system block); a divide block faults on purpose; an out block prints. */
const P_WORK = 0.5;
const P_FAULT = 0.3;
const P_PRINT = 0.6;
const P_RELOAD_CR3 = 0.3;
/** A user block is work for 0..5 of 0..9, a system call for 6..7, and CLI (when enabled) for 8..9. */
const USER_PICKS = 9;
const USER_WORK_BELOW = 6;
const USER_SYSCALL_BELOW = 8;

/** Where an instruction's comment starts, after the 4-space indent. */
const COMMENT_COLUMN = 30;

/** Registers: r0–r8 are the random computation's, r9 the data base, r10 the loop counter, r11–r12 scratch for system blocks. */
const WORK = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/** A fixed part of the guests, with its includes inlined. */
function fixedPart(file: string): string {
  const root = vmlabRoot();
  const text = readFileSync(join(root, file), "utf8").replace(/\n+$/, "");
  return inlineIncludes(text, { file, readFile: readerFromDisk(root) });
}

class Emitter {
  readonly lines: string[] = [];
  private labels = 0;
  constructor(readonly rng: Rng) {}
  op(text: string, comment?: string): void {
    this.lines.push(comment ? `    ${text.padEnd(COMMENT_COLUMN - 1)} ; ${comment}` : `    ${text}`);
  }
  label(name: string): void {
    this.lines.push(`${name}:`);
  }
  comment(text: string): void {
    this.lines.push(`    ; ${text}`);
  }
  blank(): void {
    this.lines.push("");
  }
  fresh(stem: string): string {
    return `${stem}_${++this.labels}`;
  }
  reg(): string {
    return `r${this.rng.pick(WORK)}`;
  }
}

function has(mix: ReadonlySet<Feature>, f: Feature): boolean {
  return mix.has(f);
}

/** One block of user-ISA work on r0–r8 and the data page at r9 (valid in either ring). */
function workBlock(e: Emitter, allowFaults: boolean): void {
  const r = e.rng;
  const kind = r.pick(["alu", "alu", "imm", "mem", "mem", "branch", "divide", "stack", "call"] as const);
  switch (kind) {
    case "alu": {
      e.comment("arithmetic");
      for (let i = r.int(2, 4); i > 0; i--) e.op(`${r.pick(["add", "sub", "and", "or", "xor", "mul", "shl", "shr", "sar"])} ${e.reg()}, ${e.reg()}, ${e.reg()}`);
      return;
    }
    case "imm": {
      e.comment("arithmetic with immediates");
      for (let i = r.int(2, 4); i > 0; i--) {
        const m = r.pick(["add", "sub", "xor", "or", "and", "mul", "shl", "shr", "sar"]);
        const imm = m === "shl" || m === "shr" || m === "sar" ? r.int(0, SHIFT_MAX) : r.int(-IMMEDIATE, IMMEDIATE);
        e.op(`${m} ${e.reg()}, ${e.reg()}, ${imm}`);
      }
      return;
    }
    case "mem": {
      e.comment("memory");
      for (let i = r.int(2, 4); i > 0; i--) {
        const off = WORD * r.int(0, DATA_WORDS - 1);
        const m = r.pick(["st", "ld", "stb", "ldb"] as const);
        if (m === "st" || m === "stb") e.op(`${m} [r9 + ${off + (m === "stb" ? r.int(0, WORD - 1) : 0)}], ${e.reg()}`);
        else e.op(`${m} ${e.reg()}, [r9 + ${off + (m === "ldb" ? r.int(0, WORD - 1) : 0)}]`);
      }
      return;
    }
    case "branch": {
      const skip = e.fresh("skip");
      e.comment("a forward branch");
      e.op(`cmp ${e.reg()}, ${e.reg()}`);
      e.op(`${r.pick(["jz", "jnz", "jl", "jge", "jle", "jg", "jb", "jae", "js", "jns"])} ${skip}`);
      e.op(`add ${e.reg()}, ${e.reg()}, ${e.reg()}`);
      e.op(`xor ${e.reg()}, ${e.reg()}, ${r.int(1, MARKER_MAX)}`);
      e.label(skip);
      return;
    }
    case "divide": {
      if (allowFaults && r.chance(P_FAULT)) {
        e.comment("divide by zero on purpose: the #DE handler skips the DIV");
        e.op("mov r11, 0");
        e.op(`${r.pick(["div", "rem", "divu"])} ${e.reg()}, ${e.reg()}, r11`);
      } else {
        e.comment("division by a non-zero divisor");
        const d = e.reg();
        e.op(`or r11, ${d}, 1`, "never zero");
        e.op(`${r.pick(["div", "divu", "rem", "remu"])} ${e.reg()}, ${e.reg()}, r11`);
      }
      return;
    }
    case "stack": {
      e.comment("stack");
      const a = e.reg(), b = e.reg();
      e.op(`push ${a}`);
      e.op(`push ${b}`);
      e.op(`pop ${a}`);
      e.op(`pop ${b}`);
      return;
    }
    case "call": {
      e.comment("call a leaf routine");
      e.op("call mix_routine");
      return;
    }
  }
}

/** One block of sensitive kernel work, from the enabled features (CPL 0 only). */
function systemBlock(e: Emitter, mix: ReadonlySet<Feature>): void {
  const r = e.rng;
  const kinds: string[] = [];
  if (has(mix, "cli")) kinds.push("cli");
  if (has(mix, "sti")) kinds.push("sti");
  if (has(mix, "pushf")) kinds.push("pushf");
  if (has(mix, "pushf") && has(mix, "popf") && has(mix, "cli")) kinds.push("irqsave");
  if (has(mix, "popf")) kinds.push("popf");
  if (has(mix, "iret")) kinds.push("iret");
  if (has(mix, "in")) kinds.push("in");
  if (has(mix, "out")) kinds.push("out");
  if (has(mix, "out") && has(mix, "timer")) kinds.push("retime");
  if (has(mix, "syscall")) kinds.push("int80");
  if (has(mix, "cr8")) kinds.push("cr8");
  if (has(mix, "lidt")) kinds.push("lidt");
  if (has(mix, "paging")) kinds.push("remap", "cr3", "demand");
  if (kinds.length === 0) return workBlock(e, has(mix, "iret"));
  const reg = e.reg();
  switch (r.pick(kinds)) {
    case "cli":
      e.comment("interrupts off for a while");
      e.op("cli");
      workBlock(e, has(mix, "iret"));
      if (has(mix, "sti")) e.op("sti");
      return;
    case "sti":
      e.comment("interrupts on");
      e.op("sti");
      e.op(`add ${reg}, ${reg}, 1`, "the instruction in STI's shadow");
      return;
    case "pushf":
      e.comment("read FLAGS (IF and IOPL show) into the checksum");
      e.op("pushf");
      e.op("pop r11");
      e.op(`add ${reg}, ${reg}, r11`);
      return;
    case "irqsave":
      e.comment("irqsave: PUSHF; CLI; work; POPF restores the caller's IF");
      e.op("pushf");
      e.op("cli");
      workBlock(e, has(mix, "iret"));
      e.op("popf");
      return;
    case "popf": {
      const on = has(mix, "sti") && r.chance(0.5);
      e.comment(`POPF ${on ? "sets" : "clears"} IF (and loads status bits)`);
      e.op(`mov r11, ${on ? "FLAGS_IF" : "0"}${r.chance(0.5) ? " | FLAGS_CF | FLAGS_ZF" : ""}`, "IF? plus CF ZF");
      e.op("push r11");
      e.op("popf");
      return;
    }
    case "iret": {
      const back = e.fresh("iret_back");
      e.comment("IRET to the same ring through a frame built by hand: FLAGS, CS, PC, error slot");
      e.op("pushf");
      e.op("push cs");
      e.op(`mov r11, ${back}`);
      e.op("push r11");
      e.op("mov r11, 0");
      e.op("push r11");
      e.op("iret");
      e.label(back);
      return;
    }
    case "in":
      e.comment("read device state");
      e.op(`in r11, ${r.pick(["PORT_TIMER", "PORT_PIC_MASK"])}`);
      e.op(`add ${reg}, ${reg}, r11`);
      return;
    case "out":
      if (r.chance(P_PRINT)) {
        e.comment("print a register");
        e.op(`out PORT_DEC, ${reg}`);
        e.op("mov r11, ' '");
        e.op("out PORT_CHAR, r11");
      } else {
        e.comment("rewrite the PIC mask (nothing masked)");
        e.op("mov r11, 0");
        e.op("out PORT_PIC_MASK, r11");
      }
      return;
    case "retime":
      e.comment("reprogram the timer");
      e.op(`mov r11, ${r.int(...RETIMER_PERIODS)}`);
      e.op("out PORT_TIMER, r11");
      return;
    case "int80":
      e.comment("system call from the kernel: print a register");
      e.op(`mov r1, ${reg}`);
      e.op("SYS SYS_PRINT_DEC");
      return;
    case "cr8":
      e.comment("raise the task priority over the timer's class, work, read it back, lower it");
      e.op(`mov r11, ${r.int(...PRIORITIES)}`);
      e.op("mov cr8, r11");
      workBlock(e, has(mix, "iret"));
      e.op("mov r11, cr8");
      e.op(`add ${reg}, ${reg}, r11`);
      e.op("mov r11, 0");
      e.op("mov cr8, r11");
      return;
    case "lidt":
      e.comment("reload the same IDT");
      e.op("mov r11, IDT");
      e.op("lidt r11");
      return;
    case "remap": {
      const frame = r.pick(["FRAME_A", "FRAME_B"]);
      const reload = r.chance(P_RELOAD_CR3);
      e.comment(`map the scratch page to ${frame}, then ${reload ? "reload CR3" : "INVLPG"} and read it`);
      e.op("mov r11, PAGE_TABLE + (SCRATCH_VA >> PAGE_SHIFT) * ENTRY_BYTES");
      e.op(`mov r12, ${frame} | PTE_PWU`);
      e.op("st [r11], r12");
      e.op("mov r11, SCRATCH_VA");
      if (reload) {
        e.op("mov r12, cr3");
        e.op("mov cr3, r12");
      } else e.op("invlpg r11");
      e.op("ld r12, [r11]");
      e.op(`add ${reg}, ${reg}, r12`);
      return;
    }
    case "cr3":
      e.comment("reload CR3 (flushes the TLB)");
      e.op("mov r11, cr3");
      e.op("mov cr3, r11");
      return;
    case "demand":
      e.comment("unmap the demand page and touch it: the #PF handler maps it back and the load is retried");
      e.op("mov r11, PAGE_TABLE + (DEMAND_VA >> PAGE_SHIFT) * ENTRY_BYTES");
      e.op("mov r12, 0");
      e.op("st [r11], r12");
      e.op("mov r11, DEMAND_VA");
      e.op("invlpg r11");
      e.op(`ld r12, [r11 + ${WORD * r.int(0, DEMAND_WORDS)}]`);
      e.op(`add ${reg}, ${reg}, r12`);
      return;
  }
}

/** Generate one guest kernel from a seed. */
export function generateGuest(options: GeneratorOptions): GeneratedGuest {
  const mixList = options.mix ?? FEATURES;
  for (const f of mixList) {
    if (!(FEATURES as readonly string[]).includes(f)) throw new RangeError(`unknown guest feature '${f}' (features: ${FEATURES.join(", ")})`);
  }
  const mix = new Set<Feature>(mixList);
  const size = options.size ?? DEFAULT_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE) throw new RangeError(`size must be a whole number from 1 to ${MAX_SIZE}, got ${size}`);
  const rng = createRng(options.seed);
  const e = new Emitter(rng);
  const timerPeriod = has(mix, "timer") ? rng.int(...TIMER_PERIODS) : 0;
  const iterations = rng.int(...KERNEL_ROUNDS);
  const features = FEATURES.filter((f) => mix.has(f));

  e.lines.push(`; Generated guest kernel: seed ${JSON.stringify(options.seed)}, size ${size}, features: ${features.join(" ") || "(none)"}.`);
  e.lines.push("; Boots at CPL 0 with paging off and IF = 0, sets up its IDT" + (has(mix, "paging") ? ", paging" : "") + (timerPeriod ? ` and a timer (period ${timerPeriod})` : "") + ",");
  e.lines.push(`; runs ${iterations} rounds of random blocks` + (has(mix, "user") ? ", drops to a user segment at CPL 3," : "") + " and powers off with exit code 0.");
  e.blank();
  e.lines.push(fixedPart(GENERATOR_LAYOUT_FILE));
  e.blank();
  e.label("_start");
  e.op("cli");
  e.op("mov sp, KSTACK_TOP");
  e.blank();
  e.comment("1. The IDT: every vector goes to unexpected_handler, then the ones we serve.");
  e.op("mov r1, IDT");
  e.op("mov r2, unexpected_handler");
  e.op("mov r3, GATE_KERNEL");
  e.op("mov r4, IDT_GATES");
  e.label("idt_fill");
  e.op("st [r1], r2");
  e.op("st [r1 + 4], r3");
  e.op("add r1, r1, GATE_BYTES");
  e.op("sub r4, r4, 1");
  e.op("jnz idt_fill");
  e.op("SET_GATE IDT, VEC_DE, de_handler, GATE_KERNEL");
  e.op("SET_GATE IDT, VEC_GP, gp_handler, GATE_KERNEL");
  e.op("SET_GATE IDT, VEC_PF, pf_handler, GATE_KERNEL");
  e.op("SET_GATE IDT, VEC_TIMER, timer_handler, GATE_KERNEL");
  e.op("SET_GATE IDT, VEC_SYSCALL, syscall_handler, GATE_USER");
  e.op("mov r1, IDT");
  e.op("lidt r1");
  e.op("mov r1, KSTACK_TOP");
  e.op("mov ksp, r1", "stack for entries from CPL 3");
  e.blank();
  e.comment("Clear the counters; give the scratch frames recognisable contents.");
  e.op("mov r1, KDATA");
  e.op("mov r2, 0");
  for (let i = 0; i < COUNTERS; i++) e.op(`st [r1 + ${WORD * i}], r2`);
  e.op("mov r1, FRAME_A");
  e.op(`mov r2, ${rng.int(1, MARKER_MAX)}`);
  e.op("st [r1], r2");
  e.op("mov r1, FRAME_B");
  e.op(`mov r2, ${rng.int(1, MARKER_MAX)}`);
  e.op("st [r1], r2");
  if (has(mix, "paging")) {
    e.blank();
    e.comment("2. Paging: identity-map 0x00000-0x3FFFF (user-accessible), the scratch page to FRAME_A.");
    e.op("mov r1, PAGE_TABLE");
    e.op("mov r2, PTE_PWU", "frame 0, present, writable, user");
    e.op("mov r3, MAPPED_PAGES");
    e.label("pt_fill");
    e.op("st [r1], r2");
    e.op("add r1, r1, ENTRY_BYTES");
    e.op("add r2, r2, PAGE");
    e.op("sub r3, r3, 1");
    e.op("jnz pt_fill");
    e.op("mov r1, PAGE_TABLE + (SCRATCH_VA >> PAGE_SHIFT) * ENTRY_BYTES");
    e.op("mov r2, FRAME_A | PTE_PWU");
    e.op("st [r1], r2");
    e.op("mov r1, PAGE_DIR");
    e.op("mov r2, PAGE_TABLE | PTE_PWU");
    e.op("st [r1], r2");
    e.op("mov cr3, r1");
    e.op(`mov r1, CR0_PG | CR0_PE${rng.chance(0.5) ? " | CR0_WP" : ""}`, "paging on (and write protection)");
    e.op("mov cr0, r1");
  }
  if (timerPeriod) {
    e.blank();
    e.comment(`3. The timer: an interrupt every ${timerPeriod} instructions.`);
    e.op(`mov r1, ${timerPeriod}`);
    e.op("out PORT_TIMER, r1");
    if (has(mix, "sti")) e.op("sti");
  }
  e.blank();
  e.comment("4. Random initial values for r0-r8; r9 = data base, r10 = loop counter.");
  for (const r of WORK) e.op(`mov r${r}, ${rng.int(-INITIAL_VALUE, INITIAL_VALUE)}`);
  e.op("mov r9, DATA");
  e.op(`mov r10, ${iterations}`);
  e.label("main_loop");
  for (let i = 0; i < size; i++) {
    e.blank();
    if (rng.chance(P_WORK)) workBlock(e, has(mix, "iret"));
    else systemBlock(e, mix);
  }
  e.blank();
  e.op("sub r10, r10, 1");
  e.op("jnz main_loop");
  e.blank();
  e.comment("5. The checksum of r0-r8.");
  e.op("mov r11, 0");
  for (const r of WORK) e.op(`add r11, r11, r${r}`);
  if (has(mix, "user")) {
    e.op("mov r1, r11");
    e.op("SYS SYS_PRINT_DEC");
    const uIter = rng.int(...USER_ROUNDS);
    e.blank();
    e.comment("6. Drop to the user segment at CPL 3: IRET through a frame of SP, FLAGS, CS, PC, error slot.");
    e.op(`USER_FRAME user_entry, USTACK_TOP, ${timerPeriod ? "FLAGS_IF" : "0"}`, "user FLAGS: IOPL 0");
    e.op("iret");
    e.blank();
    e.lines.push("; ---------------------------------------------------------------------------------------------------");
    e.lines.push("; The user segment (CPL 3): user ISA, INT 0x80 system calls, and CLI on purpose (#GP, skipped).");
    e.label("user_entry");
    e.op("mov r9, UDATA");
    e.op(`mov r10, ${uIter}`);
    e.label("user_loop");
    for (let i = 0, n = Math.max(2, size >> 1); i < n; i++) {
      e.blank();
      const pick = rng.int(0, USER_PICKS);
      if (pick < USER_WORK_BELOW) workBlock(e, has(mix, "iret"));
      else if (pick < USER_SYSCALL_BELOW || !has(mix, "cli")) {
        e.comment("system call: print a register");
        e.op(`mov r1, ${e.reg()}`);
        e.op("SYS SYS_PRINT_DEC");
      } else {
        e.comment("CLI at CPL 3 traps on both profiles; the kernel's #GP handler skips it");
        e.op("cli");
      }
    }
    e.blank();
    e.op("sub r10, r10, 1");
    e.op("jnz user_loop");
    e.op("mov r1, 0");
    for (const r of WORK.slice(2)) e.op(`add r1, r1, r${r}`);
    e.op("SYS SYS_PRINT_DEC", "print the user checksum");
    e.op("SYS SYS_EXIT", "exit: does not return");
  } else {
    e.op("out PORT_DEC, r11");
    e.op("PUTC ' '");
    e.op("call report");
    e.op("POWER_OFF 0", "power off, exit code 0");
    e.op("cli");
    e.op("hlt");
  }
  e.blank();
  e.lines.push(fixedPart(GENERATOR_KERNEL_FILE));
  const source = e.lines.join("\n") + "\n";
  const file = `generated-${String(options.seed)}.s`;
  return {
    seed: options.seed, mix: features, source, timerPeriod,
    ...(options.assemble === false ? {} : { loadable: assemble(source, { file }) }),
  };
}
