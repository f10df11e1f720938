// The instruction table: the single source of truth for encoding, syntax, privilege, cost and semantics.
//
// Every other view of the ISA is derived from this list: the decoder and encoder (encoding.ts), the
// assembler and disassembler, the interpreter (engines/interpreter.ts generates its dispatch loop from
// the `exec` templates below) and, later, the binary translator. Nothing else may restate what an
// instruction does.
//
// Encoding: one 32-bit little-endian word, optionally followed by a second word (`size: 8`):
//
//   31      24 23  20 19  16 15  12 11         0
//   | opcode  |  a   |  b   |  c   |            |      register form
//   | opcode  |  a   |  b   |      imm16        |      immediate form (imm16 sign-extended unless u16)
//   | opcode  |  a   |  b   | 0... |  + word 2: imm32  (size 8)
//
// Opcode 0x00 is never assigned, so zeroed memory raises #UD.

/**
 * Operand kinds, in assembly order.
 * - `a`, `b`, `c`: a general register in that field;
 * - `i16`: a signed 16-bit immediate in bits 15..0; `u16`: an unsigned one (ports, vectors, shift counts);
 * - `i32`: a 32-bit immediate in the second word (constants and branch targets);
 * - `mem`: a memory operand `[rb + i16]` (base register in field b, displacement in bits 15..0);
 * - `cr`: a control register (cr0 cr2 cr3 cr8 ksp sep) whose index is in field b;
 * - `cs`: the literal code-segment register.
 */
export type OperandKind = "a" | "b" | "c" | "i16" | "u16" | "i32" | "mem" | "cr" | "cs";

/**
 * How an instruction behaves outside ring 0, per profile, as the hardware manual would state it.
 * The Popek–Goldberg classifier never reads this: it finds the classes by experiment, and a test
 * checks that the two agree.
 */
export type PrivilegeClass =
  | "innocuous" /** behaves the same in every ring and touches no privileged state */
  | "privileged" /** traps (#GP) when executed above its allowed ring */
  | "sensitive" /** reads or changes privileged state without trapping */;

/** The two machine profiles: `strict` traps every sensitive instruction; `x86` has the Pentium's holes. */
export type Profile = "strict" | "x86";
/** Both profiles, `strict` first. */
export const PROFILES: readonly Profile[] = ["strict", "x86"];

/** Robin & Irvine's two groups of Pentium sensitive-unprivileged instructions. */
export type SensitiveGroup = "sensitive-register" | "protection-system";

/** Instruction families, for reports and random program generation. */
export const FAMILIES = ["alu", "memory", "stack", "branch", "system", "io", "misc"] as const;
export type Family = (typeof FAMILIES)[number];

export interface InstructionSpec {
  /** The opcode byte. */
  readonly op: number;
  /** Unique name of this form, e.g. `MOV_CR_R`. */
  readonly name: string;
  /** Assembly mnemonic; several forms may share one and are told apart by operand kinds. */
  readonly mnemonic: string;
  readonly operands: readonly OperandKind[];
  /** Encoded size in bytes: 4, or 8 when an `i32` operand follows. */
  readonly size: 4 | 8;
  /** Cycles when executed directly (memory and trap costs are added by the cost model). */
  readonly cycles: number;
  readonly family: Family;
  /** Does the instruction transfer control (so the template sets `pc` itself)? */
  readonly branch?: boolean;
  /** Does it end a basic block for a translator (branches, and anything that may change mode or mapping)? */
  readonly endsBlock?: boolean;
  /** Privilege class per profile, as documented behaviour. */
  readonly privilege: Readonly<Record<Profile, PrivilegeClass>>;
  /** Robin & Irvine group, for instructions that are sensitive on some profile. */
  readonly group?: SensitiveGroup;
  /** One line for the disassembly listing and the reference card. */
  readonly summary: string;
  /**
   * Semantics as a JavaScript statement template. In scope: `m` (the machine), `R` (Int32Array of
   * registers), `a` `b` `c` (register fields), `imm` (the immediate, sign-extended for i16/i32,
   * zero-extended for u16), `pc` (this instruction's address), `next` (the next one's), and the
   * constant `STRICT` (true on the strict profile). Non-branch templates fall through to `pc = next`;
   * a branch template sets `pc` on every path that does not raise an event.
   * A template must fault (through an `m.` helper) before it changes any state; a helper with an event form
   * (engines/helpers.ts `event`: the privilege checks, HLT, INT, BRK, VMCALL) is called as a statement of
   * its own, which generated engines turn into a jump to their event handler. Every `m.` name it
   * uses is declared in engines/helpers.ts (what it reads and changes of an engine's loop state); templates
   * assign `pc` but never read it, and declare no local named like a field.
   */
  readonly exec: string;
}

const user = { strict: "innocuous", x86: "innocuous" } as const;
const priv = { strict: "privileged", x86: "privileged" } as const;
const hole = { strict: "privileged", x86: "sensitive" } as const;

type Row = Omit<InstructionSpec, "size" | "family"> & { size?: 4 | 8; family?: Family };

function alu3(op: number, name: string, mnemonic: string, expr: string, summary: string): Row {
  return { op, name, mnemonic, operands: ["a", "b", "c"], cycles: 1, privilege: user, summary, exec: `R[a] = ${expr};` };
}
function aluImm(op: number, name: string, mnemonic: string, expr: string, summary: string, kind: OperandKind = "i16"): Row {
  return { op, name, mnemonic, operands: ["a", "b", kind], cycles: 1, privilege: user, summary, exec: `R[a] = ${expr};` };
}
function jcc(op: number, mnemonic: string, cond: string, summary: string): Row {
  return {
    op, name: mnemonic.toUpperCase(), mnemonic, operands: ["i32"], cycles: 1, family: "branch", branch: true, endsBlock: true,
    privilege: user, summary, exec: `pc = m.cond(${cond}) ? imm >>> 0 : next;`,
  };
}

/** Condition codes understood by `m.cond`. */
export const COND = { Z: 0, NZ: 1, L: 2, GE: 3, LE: 4, G: 5, B: 6, AE: 7, BE: 8, A: 9, S: 10, NS: 11 } as const;

const rows: Row[] = [
  // ---- user ISA: data movement -------------------------------------------------------------
  { op: 0x01, name: "NOP", mnemonic: "nop", operands: [], cycles: 1, family: "misc", privilege: user, summary: "do nothing", exec: "" },
  { op: 0x02, name: "MOV", mnemonic: "mov", operands: ["a", "b"], cycles: 1, family: "alu", privilege: user, summary: "rd ← rs", exec: "R[a] = R[b];" },
  { op: 0x03, name: "MOVI", mnemonic: "mov", operands: ["a", "i32"], cycles: 1, family: "alu", privilege: user, summary: "rd ← imm32", exec: "R[a] = imm;" },
  { op: 0x04, name: "LD", mnemonic: "ld", operands: ["a", "mem"], cycles: 1, family: "memory", privilege: user, summary: "rd ← word at [rs + disp]; any alignment; across a page boundary a fault on the second page sets CR2 to that page's first byte", exec: "R[a] = m.rd32((R[b] + imm) >>> 0);" },
  { op: 0x05, name: "ST", mnemonic: "st", operands: ["mem", "a"], cycles: 1, family: "memory", privilege: user, summary: "word at [rs + disp] ← rt; any alignment; across a page boundary both pages are checked before anything is written, and a fault on the second sets CR2 to its first byte", exec: "m.wr32((R[b] + imm) >>> 0, R[a]);" },
  { op: 0x06, name: "LDB", mnemonic: "ldb", operands: ["a", "mem"], cycles: 1, family: "memory", privilege: user, summary: "rd ← byte at [rs + disp], zero-extended", exec: "R[a] = m.rd8((R[b] + imm) >>> 0);" },
  { op: 0x07, name: "STB", mnemonic: "stb", operands: ["mem", "a"], cycles: 1, family: "memory", privilege: user, summary: "byte at [rs + disp] ← low byte of rt", exec: "m.wr8((R[b] + imm) >>> 0, R[a]);" },
  { op: 0x08, name: "PUSH", mnemonic: "push", operands: ["a"], cycles: 1, family: "stack", privilege: user, summary: "sp ← sp − 4; [sp] ← rs (push sp stores sp as it was before the push)", exec: "m.push(R[a]);" },
  { op: 0x09, name: "POP", mnemonic: "pop", operands: ["a"], cycles: 1, family: "stack", privilege: user, summary: "rd ← [sp]; sp ← sp + 4 (pop sp leaves sp holding the popped word)", exec: "{ const v = m.pop(); R[a] = v; }" },

  // ---- user ISA: arithmetic and logic (set ZF SF CF OF lazily) -----------------------------
  alu3(0x10, "ADD", "add", "m.add(R[b], R[c])", "rd ← rs + rt; sets ZF SF CF OF"),
  alu3(0x11, "SUB", "sub", "m.sub(R[b], R[c])", "rd ← rs − rt; sets ZF SF CF OF"),
  alu3(0x12, "AND", "and", "m.logic(R[b] & R[c])", "rd ← rs & rt; sets ZF SF, clears CF OF"),
  alu3(0x13, "OR", "or", "m.logic(R[b] | R[c])", "rd ← rs | rt; sets ZF SF, clears CF OF"),
  alu3(0x14, "XOR", "xor", "m.logic(R[b] ^ R[c])", "rd ← rs ^ rt; sets ZF SF, clears CF OF"),
  alu3(0x15, "SHL", "shl", "m.logic(R[b] << (R[c] & 31))", "rd ← rs << (rt mod 32); sets ZF SF, clears CF OF (no bit shifted out into CF, unlike x86)"),
  alu3(0x16, "SHR", "shr", "m.logic(R[b] >>> (R[c] & 31))", "rd ← rs >>> (rt mod 32), logical; sets ZF SF, clears CF OF"),
  alu3(0x17, "SAR", "sar", "m.logic(R[b] >> (R[c] & 31))", "rd ← rs >> (rt mod 32), arithmetic; sets ZF SF, clears CF OF"),
  { ...alu3(0x18, "MUL", "mul", "Math.imul(R[b], R[c])", "rd ← low 32 bits of rs × rt; flags unchanged"), cycles: 3 },
  { ...alu3(0x19, "DIV", "div", "(R[b] / m.divisor(R[c])) | 0", "rd ← rs ÷ rt, signed, truncated; #DE if rt = 0; −2^31 ÷ −1 = −2^31 without a fault (x86 raises #DE); flags unchanged"), cycles: 20 },
  { ...alu3(0x1a, "DIVU", "divu", "((R[b] >>> 0) / (m.divisor(R[c]) >>> 0)) | 0", "rd ← rs ÷ rt, unsigned; #DE if rt = 0; flags unchanged"), cycles: 20 },
  { ...alu3(0x1b, "REM", "rem", "(R[b] % m.divisor(R[c])) | 0", "rd ← rs mod rt, signed (takes the sign of rs); #DE if rt = 0; −2^31 mod −1 = 0; flags unchanged"), cycles: 20 },
  { ...alu3(0x1c, "REMU", "remu", "((R[b] >>> 0) % (m.divisor(R[c]) >>> 0)) | 0", "rd ← rs mod rt, unsigned; #DE if rt = 0; flags unchanged"), cycles: 20 },
  { op: 0x1d, name: "NOT", mnemonic: "not", operands: ["a", "b"], cycles: 1, family: "alu", privilege: user, summary: "rd ← ~rs; flags unchanged", exec: "R[a] = ~R[b];" },
  { op: 0x1e, name: "NEG", mnemonic: "neg", operands: ["a", "b"], cycles: 1, family: "alu", privilege: user, summary: "rd ← −rs; sets ZF SF CF OF as 0 − rs does", exec: "R[a] = m.sub(0, R[b]);" },
  aluImm(0x20, "ADDI", "add", "m.add(R[b], imm)", "rd ← rs + imm16; sets ZF SF CF OF"),
  aluImm(0x21, "SUBI", "sub", "m.sub(R[b], imm)", "rd ← rs − imm16; sets ZF SF CF OF"),
  aluImm(0x22, "ANDI", "and", "m.logic(R[b] & imm)", "rd ← rs & imm16 (sign-extended); sets ZF SF, clears CF OF"),
  aluImm(0x23, "ORI", "or", "m.logic(R[b] | imm)", "rd ← rs | imm16 (sign-extended); sets ZF SF, clears CF OF"),
  aluImm(0x24, "XORI", "xor", "m.logic(R[b] ^ imm)", "rd ← rs ^ imm16 (sign-extended); sets ZF SF, clears CF OF"),
  aluImm(0x25, "SHLI", "shl", "m.logic(R[b] << (imm & 31))", "rd ← rs << (imm mod 32: the assembler takes 0..31, a raw encoding's count is reduced); sets ZF SF, clears CF OF", "u16"),
  aluImm(0x26, "SHRI", "shr", "m.logic(R[b] >>> (imm & 31))", "rd ← rs >>> (imm mod 32), logical; sets ZF SF, clears CF OF", "u16"),
  aluImm(0x27, "SARI", "sar", "m.logic(R[b] >> (imm & 31))", "rd ← rs >> (imm mod 32), arithmetic; sets ZF SF, clears CF OF", "u16"),
  { ...aluImm(0x28, "MULI", "mul", "Math.imul(R[b], imm)", "rd ← rs × imm16; flags unchanged"), cycles: 3 },
  { op: 0x2a, name: "CMP", mnemonic: "cmp", operands: ["a", "b"], cycles: 1, family: "alu", privilege: user, summary: "set ZF SF CF OF from rs − rt", exec: "m.sub(R[a], R[b]);" },
  { op: 0x2b, name: "CMPI", mnemonic: "cmp", operands: ["a", "i16"], cycles: 1, family: "alu", privilege: user, summary: "set ZF SF CF OF from rs − imm16", exec: "m.sub(R[a], imm);" },
  { op: 0x2c, name: "TEST", mnemonic: "test", operands: ["a", "b"], cycles: 1, family: "alu", privilege: user, summary: "set ZF SF from rs & rt, clear CF OF", exec: "m.logic(R[a] & R[b]);" },

  // ---- user ISA: control transfer ------------------------------------------------------------
  { op: 0x30, name: "JMP", mnemonic: "jmp", operands: ["i32"], cycles: 1, family: "branch", branch: true, endsBlock: true, privilege: user, summary: "pc ← target", exec: "pc = imm >>> 0;" },
  jcc(0x31, "jz", "0", "jump if zero (equal)"),
  jcc(0x32, "jnz", "1", "jump if not zero (not equal)"),
  jcc(0x33, "jl", "2", "jump if less, signed"),
  jcc(0x34, "jge", "3", "jump if greater or equal, signed"),
  jcc(0x35, "jle", "4", "jump if less or equal, signed"),
  jcc(0x36, "jg", "5", "jump if greater, signed"),
  jcc(0x37, "jb", "6", "jump if below, unsigned"),
  jcc(0x38, "jae", "7", "jump if above or equal, unsigned"),
  jcc(0x39, "jbe", "8", "jump if below or equal, unsigned"),
  jcc(0x3a, "ja", "9", "jump if above, unsigned"),
  jcc(0x3b, "js", "10", "jump if sign (negative)"),
  jcc(0x3c, "jns", "11", "jump if not sign"),
  { op: 0x3d, name: "CALL", mnemonic: "call", operands: ["i32"], cycles: 2, family: "branch", branch: true, endsBlock: true, privilege: user, summary: "push return address; pc ← target", exec: "m.push(next); pc = imm >>> 0;" },
  { op: 0x3e, name: "RET", mnemonic: "ret", operands: [], cycles: 2, family: "branch", branch: true, endsBlock: true, privilege: user, summary: "pc ← pop", exec: "pc = m.pop() >>> 0;" },
  { op: 0x3f, name: "JMPR", mnemonic: "jmp", operands: ["a"], cycles: 2, family: "branch", branch: true, endsBlock: true, privilege: user, summary: "pc ← rs (indirect jump)", exec: "pc = R[a] >>> 0;" },
  { op: 0x40, name: "CALLR", mnemonic: "call", operands: ["a"], cycles: 2, family: "branch", branch: true, endsBlock: true, privilege: user, summary: "push return address; pc ← rs (indirect call)", exec: "{ const t = R[a] >>> 0; m.push(next); pc = t; }" },

  // ---- system ISA ----------------------------------------------------------------------------
  { op: 0x50, name: "CLI", mnemonic: "cli", operands: [], cycles: 3, family: "system", privilege: priv, summary: "IF ← 0; #GP if CPL > IOPL", exec: "m.needIopl(); m.setIF(false);" },
  { op: 0x51, name: "STI", mnemonic: "sti", operands: [], cycles: 3, family: "system", endsBlock: true, privilege: priv, summary: "IF ← 1 after the next instruction; #GP if CPL > IOPL", exec: "m.needIopl(); m.sti();" },
  { op: 0x52, name: "PUSHF", mnemonic: "pushf", operands: [], cycles: 2, family: "system", privilege: hole, group: "sensitive-register", summary: "push FLAGS (strict: #GP if CPL > 0; x86: the real IF and IOPL show)", exec: "if (STRICT) m.needCpl0(); m.push(m.flagsWord());" },
  { op: 0x53, name: "POPF", mnemonic: "popf", operands: [], cycles: 3, family: "system", endsBlock: true, privilege: hole, group: "sensitive-register", summary: "FLAGS ← pop: status bits always, IF where CPL ≤ IOPL, IOPL in ring 0 (strict: #GP if CPL > IOPL; x86: IF and IOPL silently kept above their ring)", exec: "if (STRICT) m.needIopl(); m.setFlagsWord(m.pop(), m.cpl);" },
  { op: 0x54, name: "IRET", mnemonic: "iret", operands: [], cycles: 20, family: "system", branch: true, endsBlock: true, privilege: hole, group: "protection-system", summary: "pop error slot, PC, CS, FLAGS (and SP when returning outward) (strict: #GP if CPL > 0)", exec: "if (STRICT) m.needCpl0(); pc = m.iret();" },
  { op: 0x55, name: "HLT", mnemonic: "hlt", operands: [], cycles: 1, family: "system", branch: true, endsBlock: true, privilege: priv, summary: "wait for an interrupt the CPU would take (line unmasked in the PIC, priority above CR8); stops for good when IF = 0 or none can come; #GP if CPL > 0", exec: "m.needCpl0(); m.halt(next);" },
  { op: 0x56, name: "IN", mnemonic: "in", operands: ["a", "u16"], cycles: 1, family: "io", privilege: priv, summary: "rd ← port; #GP if CPL > IOPL", exec: "m.needIopl(); R[a] = m.portIn(imm);" },
  { op: 0x57, name: "OUT", mnemonic: "out", operands: ["u16", "a"], cycles: 1, family: "io", endsBlock: true, privilege: priv, summary: "port ← rs; #GP if CPL > IOPL", exec: "m.needIopl(); m.portOut(imm, R[a]);" },
  { op: 0x58, name: "INVLPG", mnemonic: "invlpg", operands: ["a"], cycles: 10, family: "system", endsBlock: true, privilege: priv, summary: "drop the TLB entry for the page holding address rs; #GP if CPL > 0. A changed page-table entry surely takes effect only after INVLPG of its page, a CR3 load or a CR0.PG/WP change; until then an access may use the old translation or the new one (the TLB's size and replacement are not architectural)", exec: "m.needCpl0(); m.invlpg(R[a] >>> 0);" },
  { op: 0x59, name: "MOV_CR_R", mnemonic: "mov", operands: ["cr", "a"], cycles: 10, family: "system", endsBlock: true, privilege: priv, summary: "control register ← rs; #GP if CPL > 0, #UD for a register the machine lacks. CR3 (low 12 bits cleared) always flushes the TLB; CR0 keeps PE set and flushes the TLB when PG or WP changes; CR8, the task priority, keeps its low 4 bits and holds back interrupts whose vector ÷ 16 ≤ CR8", exec: "m.needCpl0(); m.writeCr(b, R[a]);" },
  { op: 0x5a, name: "MOV_R_CR", mnemonic: "mov", operands: ["a", "cr"], cycles: 2, family: "system", privilege: priv, summary: "rd ← control register; #GP if CPL > 0, #UD for a register the machine lacks", exec: "m.needCpl0(); R[a] = m.readCr(b);" },
  { op: 0x5b, name: "LIDT", mnemonic: "lidt", operands: ["a"], cycles: 10, family: "system", privilege: priv, summary: "IDT base ← rs; #GP if CPL > 0", exec: "m.needCpl0(); m.idtr = R[a] >>> 0;" },
  { op: 0x5c, name: "SIDT", mnemonic: "sidt", operands: ["a"], cycles: 2, family: "system", privilege: hole, group: "sensitive-register", summary: "rd ← IDT base (strict: #GP if CPL > 0; x86: readable in any ring)", exec: "if (STRICT) m.needCpl0(); R[a] = m.idtr;" },
  { op: 0x5d, name: "INT", mnemonic: "int", operands: ["u16"], cycles: 2, family: "system", branch: true, endsBlock: true, privilege: user, summary: "software interrupt through the IDT gate of vector (taken mod 256 from the raw field; the assembler takes 0..255); #GP with error code vector × 8 + 2 if the gate is absent or its DPL < CPL", exec: "m.softInt(imm & 255, next);" },
  { op: 0x5e, name: "SYSCALL", mnemonic: "syscall", operands: [], cycles: 2, family: "system", branch: true, endsBlock: true, privilege: user, summary: "r13 ← return PC, r12 ← FLAGS, IF ← 0, CPL ← 0, pc ← SEP", exec: "pc = m.syscall(next);" },
  { op: 0x5f, name: "SYSRET", mnemonic: "sysret", operands: [], cycles: 2, family: "system", branch: true, endsBlock: true, privilege: priv, summary: "pc ← r13, FLAGS ← r12, CPL ← 3; #GP if CPL > 0", exec: "m.needCpl0(); pc = m.sysret();" },
  { op: 0x60, name: "CPUID", mnemonic: "cpuid", operands: [], cycles: 30, family: "misc", privilege: user, summary: "leaf r0 = 0: r0 ← 1 (highest leaf), r1 r2 r3 ← \"vmla\" \"b-cp\" \"u   \" (ASCII, low byte first); leaf 1: r0 ← 0x100 (version), r1 ← features (bit 0 paging, bit 1 x86 profile), r2 r3 ← 0; other leaves: r0..r3 ← 0", exec: "m.cpuid();" },
  { op: 0x61, name: "RDTSC", mnemonic: "rdtsc", operands: ["a"], cycles: 20, family: "misc", privilege: user, summary: "rd ← time-stamp counter, low 32 bits: machine time (instructions retired + time halted) plus the TSC offset a monitor sets so a guest counts only its own time (0 on a bare machine); readable in any ring", exec: "R[a] = (m.time + m.tscOffset) | 0;" },
  { op: 0x62, name: "VMCALL", mnemonic: "vmcall", operands: [], cycles: 1, family: "system", endsBlock: true, privilege: user, summary: "call the monitor; #UD on a bare machine", exec: "m.vmcall();" },
  { op: 0x63, name: "PUSH_CS", mnemonic: "push", operands: ["cs"], cycles: 2, family: "stack", privilege: hole, group: "protection-system", summary: "push the CS selector, whose low bits are the CPL (strict: #GP if CPL > 0)", exec: "if (STRICT) m.needCpl0(); m.push(m.cs());" },
  { op: 0x64, name: "MOV_R_CS", mnemonic: "mov", operands: ["a", "cs"], cycles: 1, family: "alu", privilege: hole, group: "protection-system", summary: "rd ← CS selector (strict: #GP if CPL > 0)", exec: "if (STRICT) m.needCpl0(); R[a] = m.cs();" },
  { op: 0x65, name: "SMSW", mnemonic: "smsw", operands: ["a"], cycles: 2, family: "system", privilege: hole, group: "sensitive-register", summary: "rd ← low 16 bits of CR0 (strict: #GP if CPL > 0)", exec: "if (STRICT) m.needCpl0(); R[a] = m.cr0 & 0xffff;" },
  { op: 0x66, name: "BRK", mnemonic: "brk", operands: [], cycles: 2, family: "misc", branch: true, endsBlock: true, privilege: user, summary: "breakpoint trap (#BP) for debuggers", exec: "m.trap(3, next);" },
];

function familyOf(r: Row): Family {
  if (r.family) return r.family;
  return "alu";
}

/** The instruction table, in opcode order. */
export const INSTRUCTIONS: readonly InstructionSpec[] = rows
  .map((r) => ({ ...r, family: familyOf(r), size: (r.operands.includes("i32") ? 8 : 4) as 4 | 8 }))
  .sort((x, y) => x.op - y.op);

/** Look-up by opcode byte (undefined entries decode as #UD). */
export const BY_OPCODE: readonly (InstructionSpec | undefined)[] = (() => {
  const t: (InstructionSpec | undefined)[] = new Array(256).fill(undefined);
  for (const s of INSTRUCTIONS) t[s.op] = s;
  return t;
})();

/** Look-up by form name. */
export const BY_NAME: ReadonlyMap<string, InstructionSpec> = new Map(INSTRUCTIONS.map((s) => [s.name, s]));

/** All forms of each mnemonic. */
export const BY_MNEMONIC: ReadonlyMap<string, readonly InstructionSpec[]> = (() => {
  const map = new Map<string, InstructionSpec[]>();
  for (const s of INSTRUCTIONS) {
    const list = map.get(s.mnemonic) ?? [];
    list.push(s);
    map.set(s.mnemonic, list);
  }
  return map;
})();

/** Mnemonic aliases the assembler accepts. */
export const ALIASES: Readonly<Record<string, string>> = { je: "jz", jne: "jnz", int3: "brk" };

/** Look up an instruction form by name; throws for a name the table does not have. */
export function spec(name: string): InstructionSpec {
  const s = BY_NAME.get(name);
  if (!s) throw new Error(`no instruction form named ${name}`);
  return s;
}
