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
// Same seed and options → byte-identical source (all choices come from src/sim/rng.ts).
import { assemble, type Program } from "../isa/assembler.js";
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

/** Exit code of a guest that took a vector it has no handler for. */
export const UNEXPECTED_EXIT = 0xee;
/** Highest address a generated guest touches (memory it needs, in bytes). */
export const GUEST_MEMORY = 0x40000;

// Guest memory map (physical; identity-mapped when paging is on, except the scratch and demand pages).
const LAYOUT = `\
IDT          = 0x20000          ; 256 gates x 8 bytes: [handler, attributes]
PAGE_DIR     = 0x21000
PAGE_TABLE   = 0x22000          ; maps 0x00000-0x3FFFF (64 pages)
KSTACK_TOP   = 0x24000          ; kernel stack (and KSP for entries from CPL 3)
KDATA        = 0x25000          ; kernel data: counters, scratch words
SCRATCH_VA   = 0x26000          ; remapped by page-table blocks between FRAME_A and FRAME_B
FRAME_A      = 0x27000
FRAME_B      = 0x28000
DEMAND_VA    = 0x29000          ; unmapped by blocks, mapped again by the #PF handler
UDATA        = 0x2C000          ; user data
USTACK_TOP   = 0x2E000
TICKS        = KDATA            ; timer interrupts taken
DE_COUNT     = KDATA + 4        ; #DE faults skipped
GP_COUNT     = KDATA + 8        ; #GP faults skipped
PF_COUNT     = KDATA + 12       ; #PF faults served
GATE_KERNEL  = 1                ; present, DPL 0
GATE_USER    = 7                ; present, DPL 3
PTE_PWU      = 7                ; present, writable, user
FLAGS_IF     = 0x200
USER_CS      = 0x1B             ; CPL 3 code selector
PORT_CHAR    = 0x10
PORT_DEC     = 0x11
PORT_PIC_MASK = 0x21
PORT_TIMER   = 0x40
PORT_POWER   = 0xF0`;

/** Registers: r0–r8 are the random computation's, r9 the data base, r10 the loop counter, r11–r12 scratch for system blocks. */
const WORK = [0, 1, 2, 3, 4, 5, 6, 7, 8];

class Emitter {
  readonly lines: string[] = [];
  private labels = 0;
  constructor(readonly rng: Rng) {}
  op(text: string, comment?: string): void {
    this.lines.push(comment ? `    ${text.padEnd(30)}; ${comment}` : `    ${text}`);
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
        const imm = m === "shl" || m === "shr" || m === "sar" ? r.int(0, 31) : r.int(-2000, 2000);
        e.op(`${m} ${e.reg()}, ${e.reg()}, ${imm}`);
      }
      return;
    }
    case "mem": {
      e.comment("memory");
      for (let i = r.int(2, 4); i > 0; i--) {
        const off = 4 * r.int(0, 63);
        const m = r.pick(["st", "ld", "stb", "ldb"] as const);
        if (m === "st" || m === "stb") e.op(`${m} [r9 + ${off + (m === "stb" ? r.int(0, 3) : 0)}], ${e.reg()}`);
        else e.op(`${m} ${e.reg()}, [r9 + ${off + (m === "ldb" ? r.int(0, 3) : 0)}]`);
      }
      return;
    }
    case "branch": {
      const skip = e.fresh("skip");
      e.comment("a forward branch");
      e.op(`cmp ${e.reg()}, ${e.reg()}`);
      e.op(`${r.pick(["jz", "jnz", "jl", "jge", "jle", "jg", "jb", "jae", "js", "jns"])} ${skip}`);
      e.op(`add ${e.reg()}, ${e.reg()}, ${e.reg()}`);
      e.op(`xor ${e.reg()}, ${e.reg()}, ${r.int(1, 0x7fff)}`);
      e.label(skip);
      return;
    }
    case "divide": {
      if (allowFaults && r.chance(0.3)) {
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
      e.op(`mov r11, ${on ? "FLAGS_IF" : "0"}${r.chance(0.5) ? " | 0x41" : ""}`, "IF? plus CF ZF");
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
      if (r.chance(0.6)) {
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
      e.op(`mov r11, ${r.int(40, 400)}`);
      e.op("out PORT_TIMER, r11");
      return;
    case "int80":
      e.comment("system call from the kernel: print a register");
      e.op(`mov r1, ${reg}`);
      e.op("mov r0, 1", "sys_print_dec");
      e.op("int 0x80");
      return;
    case "cr8":
      e.comment("raise the task priority over the timer's class, work, read it back, lower it");
      e.op(`mov r11, ${r.int(2, 15)}`);
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
      const reload = r.chance(0.3);
      e.comment(`map the scratch page to ${frame}, then ${reload ? "reload CR3" : "INVLPG"} and read it`);
      e.op("mov r11, PAGE_TABLE + (SCRATCH_VA >> 12) * 4");
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
      e.op("mov r11, PAGE_TABLE + (DEMAND_VA >> 12) * 4");
      e.op("mov r12, 0");
      e.op("st [r11], r12");
      e.op("mov r11, DEMAND_VA");
      e.op("invlpg r11");
      e.op(`ld r12, [r11 + ${4 * r.int(0, 100)}]`);
      e.op(`add ${reg}, ${reg}, r12`);
      return;
  }
}

function handlers(e: Emitter, mix: ReadonlySet<Feature>): void {
  e.lines.push(`
; ---------------------------------------------------------------------------------------------------
; Handlers. Each saves what it clobbers; IRET restores FLAGS (status bits included) from the frame.
; Frame at [sp] on entry: error slot, PC, CS, FLAGS (and the old SP when entered from CPL 3).

timer_handler:                  ; vector 32: count the tick
    push r1
    push r2
    mov r1, TICKS
    ld r2, [r1]
    add r2, r2, 1
    st [r1], r2
    pop r2
    pop r1
    iret

de_handler:                     ; #DE: count it and skip the 4-byte DIV/REM
    push r1
    push r2
    ld r1, [sp + 12]            ; the faulting PC
    add r1, r1, 4
    st [sp + 12], r1
    mov r1, DE_COUNT
    ld r2, [r1]
    add r2, r2, 1
    st [r1], r2
    pop r2
    pop r1
    iret

gp_handler:                     ; #GP: count it and skip the 4-byte instruction (user-mode CLI)
    push r1
    push r2
    ld r1, [sp + 12]
    add r1, r1, 4
    st [sp + 12], r1
    mov r1, GP_COUNT
    ld r2, [r1]
    add r2, r2, 1
    st [r1], r2
    pop r2
    pop r1
    iret

pf_handler:                     ; #PF: map the faulting page (identity), INVLPG it, retry the access
    push r1
    push r2
    mov r1, cr2
    shr r1, r1, 12
    shl r1, r1, 2
    mov r2, PAGE_TABLE
    add r1, r1, r2              ; address of the PTE
    mov r2, cr2
    shr r2, r2, 12
    shl r2, r2, 12
    or r2, r2, PTE_PWU
    st [r1], r2
    mov r2, cr2
    invlpg r2
    mov r1, PF_COUNT
    ld r2, [r1]
    add r2, r2, 1
    st [r1], r2
    pop r2
    pop r1
    iret

syscall_handler:                ; INT 0x80: r0 = 1 print r1 in decimal, 2 print the character r1, 3 exit
    cmp r0, 1
    jnz sys_not_print
    out PORT_DEC, r1
    push r1
    mov r1, ' '
    out PORT_CHAR, r1
    pop r1
    mov r0, 0
    iret
sys_not_print:
    cmp r0, 2
    jnz sys_not_char
    out PORT_CHAR, r1
    mov r0, 0
    iret
sys_not_char:
    cmp r0, 3
    jnz sys_bad
    call report                 ; exit: print the counters, power off with code 0
    mov r1, 0
    out PORT_POWER, r1
    cli
    hlt
sys_bad:
    mov r0, -1
    iret

unexpected_handler:             ; any other vector: say so and power off with UNEXPECTED_EXIT
    mov r1, '!'
    out PORT_CHAR, r1
    mov r1, ${UNEXPECTED_EXIT}
    out PORT_POWER, r1
    cli
    hlt

; report: print "t=<ticks> d=<#DE> g=<#GP> p=<#PF>" and a newline (clobbers r1, r2)
report:
    mov r2, KDATA
${["ticks", "de", "gp", "pf"].map((n, i) => `    mov r1, '${n[0]}'\n    out PORT_CHAR, r1\n    mov r1, '='\n    out PORT_CHAR, r1\n    ld r1, [r2 + ${4 * i}]\n    out PORT_DEC, r1\n    mov r1, ' '\n    out PORT_CHAR, r1`).join("\n")}
    mov r1, '\\n'
    out PORT_CHAR, r1
    ret

; mix_routine: a leaf routine the random blocks call
mix_routine:
    add r0, r0, 1
    xor r1, r1, r0
    ret`);
  void mix;
}

/** Generate one guest kernel from a seed. */
export function generateGuest(options: GeneratorOptions): GeneratedGuest {
  const mixList = options.mix ?? FEATURES;
  for (const f of mixList) {
    if (!(FEATURES as readonly string[]).includes(f)) throw new RangeError(`unknown guest feature '${f}' (features: ${FEATURES.join(", ")})`);
  }
  const mix = new Set<Feature>(mixList);
  const size = options.size ?? 8;
  if (!Number.isInteger(size) || size < 1 || size > 200) throw new RangeError(`size must be a whole number from 1 to 200, got ${size}`);
  const rng = createRng(options.seed);
  const e = new Emitter(rng);
  const timerPeriod = has(mix, "timer") ? rng.int(30, 300) : 0;
  const iterations = rng.int(2, 4);
  const features = FEATURES.filter((f) => mix.has(f));

  e.lines.push(`; Generated guest kernel: seed ${JSON.stringify(options.seed)}, size ${size}, features: ${features.join(" ") || "(none)"}.`);
  e.lines.push("; Boots at CPL 0 with paging off and IF = 0, sets up its IDT" + (has(mix, "paging") ? ", paging" : "") + (timerPeriod ? ` and a timer (period ${timerPeriod})` : "") + ",");
  e.lines.push(`; runs ${iterations} rounds of random blocks` + (has(mix, "user") ? ", drops to a user segment at CPL 3," : "") + " and powers off with exit code 0.");
  e.blank();
  e.lines.push(LAYOUT);
  e.blank();
  e.label("_start");
  e.op("cli");
  e.op("mov sp, KSTACK_TOP");
  e.blank();
  e.comment("1. The IDT: every vector goes to unexpected_handler, then the ones we serve.");
  e.op("mov r1, IDT");
  e.op("mov r2, unexpected_handler");
  e.op("mov r3, GATE_KERNEL");
  e.op("mov r4, 256");
  e.label("idt_fill");
  e.op("st [r1], r2");
  e.op("st [r1 + 4], r3");
  e.op("add r1, r1, 8");
  e.op("sub r4, r4, 1");
  e.op("jnz idt_fill");
  const gate = (vector: string, handler: string, attr = "GATE_KERNEL") => {
    e.op(`mov r1, IDT + ${vector} * 8`);
    e.op(`mov r2, ${handler}`);
    e.op("st [r1], r2");
    e.op(`mov r2, ${attr}`);
    e.op("st [r1 + 4], r2");
  };
  gate("0", "de_handler");
  gate("13", "gp_handler");
  gate("14", "pf_handler");
  gate("32", "timer_handler");
  gate("0x80", "syscall_handler", "GATE_USER");
  e.op("mov r1, IDT");
  e.op("lidt r1");
  e.op("mov r1, KSTACK_TOP");
  e.op("mov ksp, r1", "stack for entries from CPL 3");
  e.blank();
  e.comment("Clear the counters; give the scratch frames recognisable contents.");
  e.op("mov r1, KDATA");
  e.op("mov r2, 0");
  for (let i = 0; i < 4; i++) e.op(`st [r1 + ${4 * i}], r2`);
  e.op("mov r1, FRAME_A");
  e.op(`mov r2, ${rng.int(1, 0x7fff)}`);
  e.op("st [r1], r2");
  e.op("mov r1, FRAME_B");
  e.op(`mov r2, ${rng.int(1, 0x7fff)}`);
  e.op("st [r1], r2");
  if (has(mix, "paging")) {
    e.blank();
    e.comment("2. Paging: identity-map 0x00000-0x3FFFF (user-accessible), the scratch page to FRAME_A.");
    e.op("mov r1, PAGE_TABLE");
    e.op("mov r2, PTE_PWU", "frame 0, present, writable, user");
    e.op("mov r3, 64");
    e.label("pt_fill");
    e.op("st [r1], r2");
    e.op("add r1, r1, 4");
    e.op("add r2, r2, 4096");
    e.op("sub r3, r3, 1");
    e.op("jnz pt_fill");
    e.op("mov r1, PAGE_TABLE + (SCRATCH_VA >> 12) * 4");
    e.op("mov r2, FRAME_A | PTE_PWU");
    e.op("st [r1], r2");
    e.op("mov r1, PAGE_DIR");
    e.op("mov r2, PAGE_TABLE | PTE_PWU");
    e.op("st [r1], r2");
    e.op("mov cr3, r1");
    e.op(`mov r1, 0x80000001${rng.chance(0.5) ? " | 0x10000" : ""}`, "PG | PE (| WP)");
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
  for (const r of WORK) e.op(`mov r${r}, ${rng.int(-100000, 100000)}`);
  e.op("mov r9, KDATA + 0x100");
  e.op(`mov r10, ${iterations}`);
  e.label("main_loop");
  for (let i = 0; i < size; i++) {
    e.blank();
    if (rng.chance(0.5)) workBlock(e, has(mix, "iret"));
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
    e.op("mov r0, 1");
    e.op("int 0x80");
    const uIter = rng.int(2, 3);
    e.blank();
    e.comment("6. Drop to the user segment at CPL 3: IRET through a frame of SP, FLAGS, CS, PC, error slot.");
    e.op("mov r1, USTACK_TOP");
    e.op("push r1");
    e.op(`mov r1, ${timerPeriod ? "FLAGS_IF" : "0"}`, "user FLAGS: IOPL 0");
    e.op("push r1");
    e.op("mov r1, USER_CS");
    e.op("push r1");
    e.op("mov r1, user_entry");
    e.op("push r1");
    e.op("mov r1, 0");
    e.op("push r1");
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
      const pick = rng.int(0, 9);
      if (pick < 6) workBlock(e, has(mix, "iret"));
      else if (pick < 8 || !has(mix, "cli")) {
        e.comment("system call: print a register");
        e.op(`mov r1, ${e.reg()}`);
        e.op("mov r0, 1");
        e.op("int 0x80");
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
    e.op("mov r0, 1");
    e.op("int 0x80", "print the user checksum");
    e.op("mov r0, 3");
    e.op("int 0x80", "exit: does not return");
  } else {
    e.op("out PORT_DEC, r11");
    e.op("mov r1, ' '");
    e.op("out PORT_CHAR, r1");
    e.op("call report");
    e.op("mov r1, 0");
    e.op("out PORT_POWER, r1", "power off, exit code 0");
    e.op("cli");
    e.op("hlt");
  }
  handlers(e, mix);
  const source = e.lines.join("\n") + "\n";
  const file = `generated-${String(options.seed)}.s`;
  return {
    seed: options.seed, mix: features, source, timerPeriod,
    ...(options.assemble === false ? {} : { loadable: assemble(source, { file }) }),
  };
}
