// Two-pass assembler for vmlab assembly: source text in, a Program (segments, symbols, entry, listing) out.
//
// Pass 0 parses every line once (labels, local-label scope, operands, expressions). Pass 1 lays out
// addresses: an instruction's size depends only on its form, and the form only on operand kinds
// (register, control register, `cs`, memory, immediate), so every label is known after it. Pass 2
// evaluates expressions, checks ranges and encodes through encoding.ts. Every problem becomes a
// diagnostic with a stable code; all of them are thrown together as one AssemblyError.
import { CR_INDEX, SP } from "./arch.js";
import { encode, type Fields } from "./encoding.js";
import { type Diagnostic, formatDiagnostic, quote, VmlabError } from "../core/errors.js";
import { didYouMean } from "../core/suggest.js";
import { ALIASES, BY_MNEMONIC, type InstructionSpec, type OperandKind } from "./table.js";

/** Diagnostic codes of the assembler; stable, so tests and tools may branch on them. */
export const ASM_CODES = {
  /** A line that does not parse: a stray character, a missing comma or bracket. */
  ASM_SYNTAX: "syntax error",
  /** A malformed number, character or string literal (bad digit, unknown escape, missing quote). */
  ASM_BAD_LITERAL: "bad literal",
  /** The mnemonic is not in the instruction table nor an alias. */
  ASM_UNKNOWN_MNEMONIC: "unknown mnemonic",
  /** A `.name` that is not a directive. */
  ASM_UNKNOWN_DIRECTIVE: "unknown directive",
  /** The operands match none of the mnemonic's forms. */
  ASM_BAD_OPERANDS: "wrong operands",
  /** A register name that does not exist (`r16`, `cr1`). */
  ASM_BAD_REGISTER: "no such register",
  /** A name used in an expression that no label, constant or define provides. */
  ASM_UNDEFINED_SYMBOL: "undefined symbol",
  /** A label or constant defined twice. */
  ASM_DUPLICATE_SYMBOL: "duplicate symbol",
  /** A label or constant named like a register. */
  ASM_RESERVED_NAME: "reserved name",
  /** Constants that depend on each other in a cycle. */
  ASM_CIRCULAR: "circular definition",
  /** `.org`, `.align` or `.space` whose value depends on a label defined later. */
  ASM_NOT_YET_KNOWN: "value needed in the first pass",
  /** Division or remainder by zero in an expression. */
  ASM_DIV_ZERO: "division by zero",
  /** An expression whose value leaves the exact-integer range. */
  ASM_OVERFLOW: "expression overflow",
  /** A signed 16-bit immediate outside -32768..32767. */
  ASM_IMM16_RANGE: "immediate out of range",
  /** An unsigned 16-bit immediate outside 0..65535. */
  ASM_UIMM16_RANGE: "unsigned immediate out of range",
  /** A memory displacement outside -32768..32767. */
  ASM_DISP_RANGE: "displacement out of range",
  /** A shift count outside 0..31. */
  ASM_SHIFT_RANGE: "shift count out of range",
  /** An interrupt vector outside 0..255. */
  ASM_VECTOR_RANGE: "vector out of range",
  /** A 32-bit value (imm32, `.word`) outside -2^31..2^32-1. */
  ASM_WORD_RANGE: "value does not fit in 32 bits",
  /** A `.byte` value outside -128..255. */
  ASM_BYTE_RANGE: "value does not fit in a byte",
  /** A bad directive argument (`.align 0`, negative `.space`, a string where a number goes). */
  ASM_BAD_ARGUMENT: "bad directive argument",
  /** An instruction that does not start at a multiple of 4. */
  ASM_MISALIGNED: "misaligned instruction",
  /** Code or data beyond the 32-bit address space, or a single directive too large to hold. */
  ASM_ADDRESS_RANGE: "address out of range",
  /** Two pieces of output placed at the same addresses. */
  ASM_OVERLAP: "overlapping output",
  /** A bad `assemble` option (origin, defines). */
  ASM_BAD_OPTION: "bad option",
  /** `Program.image()` of segments spread too far apart for one flat array. */
  ASM_IMAGE_TOO_LARGE: "image too large",
  /** An expression nested more than 100 levels deep, or with more than 1000 operators on one line. */
  ASM_TOO_COMPLEX: "expression too complex",
  /** A bug in the assembler itself, reported instead of a raw exception. */
  ASM_INTERNAL: "internal assembler error",
} as const;
export type AsmCode = keyof typeof ASM_CODES;

/** A problem found while assembling; `code` is one of ASM_CODES. */
export interface AsmDiagnostic extends Diagnostic {
  readonly code: AsmCode;
}

/** Options for `assemble`. */
export interface AssembleOptions {
  /** File name used in diagnostics and the listing (default `<input>`). */
  readonly file?: string;
  /** Address of the first statement (default 0). */
  readonly origin?: number;
  /** Predefined constants; they take precedence over `NAME = expr` in the source, which acts as a default. */
  readonly defines?: Readonly<Record<string, number>>;
}

/** A contiguous run of output bytes. */
export interface Segment {
  readonly address: number;
  readonly bytes: Uint8Array;
}

/** One emitting statement of the listing: where it went and which source line produced it. */
export interface SourceLine {
  readonly address: number;
  readonly size: number;
  readonly line: number;
  readonly file: string;
  readonly text: string;
}

/** The result of assembling: bytes, symbols, entry point and a line map for listings and debuggers. */
export interface Program {
  /** Output in source order (contiguous runs merged). */
  readonly segments: readonly Segment[];
  /** Every label, constant and define, by full name (local labels as `global.local`). */
  readonly symbols: Map<string, number>;
  /** The `_start` symbol if defined, else the first segment's address (the origin when empty). */
  readonly entry: number;
  readonly lines: readonly SourceLine[];
  /** One flat image from the lowest to the highest address, gaps zero-filled. */
  image(): { base: number; bytes: Uint8Array };
}

/** All diagnostics of a failed assembly; `message` renders each with its source line, caret and hint. */
export class AssemblyError extends VmlabError {
  readonly diagnostics: readonly AsmDiagnostic[];

  constructor(diagnostics: readonly AsmDiagnostic[], source = "") {
    const first = diagnostics[0] ?? { code: "ASM_INTERNAL", file: "<input>", line: 0, column: 0, message: "assembly failed" };
    const lines = source.split(/\r?\n/);
    const body = diagnostics.map((d) => formatDiagnostic(d, { source: lines })).join("\n");
    const summary = diagnostics.length > 1 ? `\n${diagnostics.length} errors` : "";
    super(first.code, body + summary, {
      where: { file: first.file, line: first.line, column: first.column, length: first.length },
      hint: first.hint,
    });
    this.diagnostics = diagnostics;
  }

  override format(): string {
    return this.message;
  }
}

/** The largest single `.space`/`.align` fill, and the largest image span, in bytes. */
const MAX_FILL = 16 * 1024 * 1024;
const MAX_IMAGE = 256 * 1024 * 1024;
const ADDRESS_LIMIT = 2 ** 32;

// ---- registers and names -------------------------------------------------------------------

/** Parse a general-register name (`r0`..`r15`, `sp`), case-insensitive. */
export function parseRegister(name: string): number | undefined {
  const n = name.toLowerCase();
  if (n === "sp") return SP;
  const m = /^r(\d{1,2})$/.exec(n);
  if (!m) return undefined;
  const r = Number(m[1]);
  return r <= 15 && String(r) === m[1] ? r : undefined;
}

function crIndex(name: string): number | undefined {
  const n = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(CR_INDEX, n) ? CR_INDEX[n as keyof typeof CR_INDEX] : undefined;
}

function isReservedName(name: string): boolean {
  const n = name.toLowerCase();
  return parseRegister(n) !== undefined || crIndex(n) !== undefined || n === "cs" || /^r\d+$/.test(n);
}

const DIRECTIVES = [".org", ".align", ".word", ".byte", ".string", ".asciz", ".ascii", ".space", ".equ"] as const;
type DirectiveName = (typeof DIRECTIVES)[number];

const PLACEHOLDER_IMM: Record<string, string> = { in: "port", out: "port", int: "vector", shl: "count", shr: "count", sar: "count" };

/** The syntax of one form, for hints: `add rd, rs, rt`, `ld rd, [rs + disp]`, `out port, rs`. */
export function formSyntax(spec: InstructionSpec): string {
  const writesA = /R\[a\]\s*=[^=]/.test(spec.exec);
  const regNames = writesA ? ["rd", "rs", "rt"] : ["rs", "rt", "ru"];
  let nextReg = 0;
  const parts = spec.operands.map((k: OperandKind) => {
    switch (k) {
      case "a": case "b": case "c": return regNames[nextReg++] ?? "r";
      case "mem":
        if (nextReg === 0 && !writesA) nextReg = 1; // the base is rs, so a stored register is rt
        return "[rs + disp]";
      case "cr": return "crN";
      case "cs": return "cs";
      case "i16": return "imm16";
      case "u16": return PLACEHOLDER_IMM[spec.mnemonic] ?? "uimm16";
      case "i32": return spec.branch ? "target" : "imm32";
    }
  });
  return parts.length ? `${spec.mnemonic} ${parts.join(", ")}` : spec.mnemonic;
}

/**
 * The values the assembler accepts for a form's immediate: the field's own limits narrowed by the ISA
 * (shift counts 0..31, interrupt vectors 0..255). The disassembler uses it too, so whatever it prints
 * as an instruction re-assembles.
 */
export function immediateRange(spec: InstructionSpec): { lo: number; hi: number; code: AsmCode } | undefined {
  if (spec.operands.includes("i32")) return { lo: -(2 ** 31), hi: 2 ** 32 - 1, code: "ASM_WORD_RANGE" };
  if (spec.operands.includes("mem")) return { lo: -32768, hi: 32767, code: "ASM_DISP_RANGE" };
  if (spec.operands.includes("i16")) return { lo: -32768, hi: 32767, code: "ASM_IMM16_RANGE" };
  if (spec.operands.includes("u16")) {
    if (spec.mnemonic === "shl" || spec.mnemonic === "shr" || spec.mnemonic === "sar") return { lo: 0, hi: 31, code: "ASM_SHIFT_RANGE" };
    if (spec.mnemonic === "int") return { lo: 0, hi: 255, code: "ASM_VECTOR_RANGE" };
    return { lo: 0, hi: 65535, code: "ASM_UIMM16_RANGE" };
  }
  return undefined;
}

// ---- tokens --------------------------------------------------------------------------------

interface Token {
  readonly kind: "ident" | "num" | "str" | "punct";
  readonly text: string;
  /** 1-based column and length in the source line. */
  readonly col: number;
  readonly len: number;
  /** Value of a number or character literal. */
  readonly value?: number;
  /** Bytes of a string literal. */
  readonly bytes?: readonly number[];
}

/** A diagnostic in flight: thrown inside a statement, caught and recorded by the statement loop. */
class Fail {
  constructor(
    readonly code: AsmCode,
    readonly message: string,
    readonly line: number,
    readonly col: number,
    readonly len = 1,
    readonly hint?: string,
  ) {}
}

/** Thrown to abandon a statement whose problem was already reported. */
class Silent {}

const IDENT_START = /[A-Za-z_.$]/;
const IDENT_CHAR = /[A-Za-z0-9_.$]/;
const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, "0": 0, "\\": 92, "'": 39, '"': 34 };

function utf8(ch: string): number[] {
  return [...new TextEncoder().encode(ch)];
}

/** Split one line into tokens, stopping at a `;` or `//` comment. */
function tokenize(text: string, line: number): Token[] {
  const toks: Token[] = [];
  let i = 0;
  const fail = (msg: string, at: number, len = 1, hint?: string): never => {
    throw new Fail("ASM_BAD_LITERAL", msg, line, at + 1, len, hint);
  };
  /** Read one (possibly escaped) character at position j of a quoted literal; returns its bytes, its code and the next position. */
  const readChar = (j: number, quote: string): { bytes: number[]; code: number; next: number } => {
    const ch = text[j];
    if (ch === undefined) fail(`missing closing ${quote}`, j - 1);
    if (ch !== "\\") {
      const cp = text.codePointAt(j)!;
      const s = String.fromCodePoint(cp);
      return { bytes: utf8(s), code: cp, next: j + s.length };
    }
    const e = text[j + 1];
    if (e === undefined) return fail(`missing closing ${quote}`, j);
    if (e === "x") {
      const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(j + 2));
      if (!hex) return fail("'\\x' needs two hex digits", j, 2, "write a byte as \\x41");
      const v = parseInt(hex[0], 16);
      return { bytes: [v], code: v, next: j + 4 };
    }
    const v = ESCAPES[e];
    if (v === undefined) return fail(`unknown escape '\\${e}'`, j, 2, "escapes are \\n \\t \\r \\0 \\\\ \\' \\\" \\xHH");
    return { bytes: [v], code: v, next: j + 2 };
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\v") { i++; continue; }
    if (ch === ";" || (ch === "/" && text[i + 1] === "/")) break;
    const start = i;
    if (/[0-9]/.test(ch)) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9][0-9_]*)/.exec(text.slice(i))!;
      let end = i + m[0].length;
      if (end < text.length && IDENT_CHAR.test(text[end]!)) {
        while (end < text.length && IDENT_CHAR.test(text[end]!)) end++;
        fail(`bad number ${quote(text.slice(i, end))}`, i, end - i, "numbers are decimal, 0x hex or 0b binary");
      }
      const digits = m[0].replace(/_/g, "");
      const value = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16)
        : /^0[bB]/.test(digits) ? parseInt(digits.slice(2), 2) : parseInt(digits, 10);
      if (!Number.isSafeInteger(value)) fail(`number ${quote(m[0])} is too large`, i, m[0].length);
      toks.push({ kind: "num", text: m[0], col: start + 1, len: end - start, value });
      i = end;
      continue;
    }
    if (IDENT_START.test(ch)) {
      let end = i + 1;
      while (end < text.length && IDENT_CHAR.test(text[end]!)) end++;
      toks.push({ kind: "ident", text: text.slice(i, end), col: start + 1, len: end - start });
      i = end;
      continue;
    }
    if (ch === "'") {
      if (text[i + 1] === "'") fail("empty character literal", i, 2);
      const c = readChar(i + 1, "'");
      if (text[c.next] !== "'") fail("a character literal holds one character: missing closing '", i, Math.max(1, c.next - i));
      toks.push({ kind: "num", text: text.slice(i, c.next + 1), col: start + 1, len: c.next + 1 - i, value: c.code });
      i = c.next + 1;
      continue;
    }
    if (ch === '"') {
      const bytes: number[] = [];
      let j = i + 1;
      for (;;) {
        if (j >= text.length) fail('missing closing "', i, text.length - i);
        if (text[j] === '"') break;
        const c = readChar(j, '"');
        bytes.push(...c.bytes);
        j = c.next;
      }
      toks.push({ kind: "str", text: text.slice(i, j + 1), col: start + 1, len: j + 1 - i, bytes });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "<<" || two === ">>") {
      toks.push({ kind: "punct", text: two, col: start + 1, len: 2 });
      i += 2;
      continue;
    }
    if (",:[]()+-*/%&^|~=".includes(ch)) {
      toks.push({ kind: "punct", text: ch, col: start + 1, len: 1 });
      i++;
      continue;
    }
    throw new Fail("ASM_SYNTAX", `unexpected character ${quote(ch)}`, line, start + 1, 1);
  }
  return toks;
}

// ---- syntax tree -------------------------------------------------------------------------

type Expr =
  | { readonly k: "num"; readonly v: number; readonly col: number; readonly len: number }
  | { readonly k: "sym"; readonly name: string; readonly written: string; readonly col: number; readonly len: number }
  | { readonly k: "dot"; readonly col: number; readonly len: number }
  | { readonly k: "un"; readonly op: string; readonly e: Expr; readonly col: number; readonly len: number }
  | { readonly k: "bin"; readonly op: string; readonly l: Expr; readonly r: Expr; readonly col: number; readonly len: number; readonly opCol: number };

type Operand =
  | { readonly k: "reg"; readonly r: number; readonly col: number; readonly len: number }
  | { readonly k: "cr"; readonly index: number; readonly col: number; readonly len: number }
  | { readonly k: "cs"; readonly col: number; readonly len: number }
  | { readonly k: "mem"; readonly base: number; readonly disp?: Expr; readonly col: number; readonly len: number }
  | { readonly k: "imm"; readonly e: Expr; readonly col: number; readonly len: number }
  | { readonly k: "str"; readonly bytes: readonly number[]; readonly col: number; readonly len: number };

interface Insn {
  readonly kind: "insn";
  readonly mnemonic: string;
  readonly written: string;
  readonly col: number;
  readonly len: number;
  readonly operands: readonly Operand[];
}
interface Directive {
  readonly kind: "dir";
  readonly name: DirectiveName;
  readonly col: number;
  readonly len: number;
  readonly args: readonly Operand[];
}
interface Const {
  readonly kind: "const";
  readonly name: string;
  readonly col: number;
  readonly len: number;
  readonly e: Expr;
}

interface Label {
  readonly name: string;
  readonly col: number;
  readonly len: number;
}

interface Stmt {
  readonly line: number;
  readonly text: string;
  readonly labels: readonly Label[];
  readonly body?: Insn | Directive | Const;
  /** Filled by pass 1. */
  address: number;
  size: number;
  form?: InstructionSpec;
  /** Pass 1 rejected it; pass 2 skips it. */
  bad: boolean;
}

const BINARY_PRECEDENCE: Record<string, number> = { "|": 1, "^": 2, "&": 3, "<<": 4, ">>": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6 };

/** Deepest nesting of parentheses and unary operators in an expression, and most binary operators on one line (parsing and evaluation recurse over them). */
export const MAX_EXPR_DEPTH = 100;
export const MAX_EXPR_OPERATORS = 1000;

/** Parser for the tokens of one line; `scope` is the global label that local names hang under. */
class LineParser {
  private i = 0;
  /** Current nesting of parentheses and unary operators, and binary operators seen on this line. */
  private depth = 0;
  private operators = 0;
  constructor(
    private readonly toks: readonly Token[],
    private readonly line: number,
    private readonly lineLength: number,
    private scope: string,
  ) {}

  get currentScope(): string {
    return this.scope;
  }

  private peek(offset = 0): Token | undefined {
    return this.toks[this.i + offset];
  }
  private isPunct(t: Token | undefined, p: string): boolean {
    return t?.kind === "punct" && t.text === p;
  }
  private fail(code: AsmCode, message: string, t: Token | undefined, hint?: string): never {
    const col = t ? t.col : this.lineLength + 1;
    throw new Fail(code, message, this.line, col, t ? t.len : 1, hint);
  }
  private describe(t: Token | undefined): string {
    return t ? `${quote(t.text)}` : "end of line";
  }

  /** Full name of a symbol as written: `.loop` becomes `scope.loop`. */
  qualify(name: string): string {
    return name.startsWith(".") && this.scope ? this.scope + name : name;
  }

  parse(): { labels: Label[]; body?: Insn | Directive | Const; scope: string } {
    const labels: Label[] = [];
    while (this.peek()?.kind === "ident" && this.isPunct(this.peek(1), ":")) {
      const t = this.peek()!;
      if (t.text === ".") this.fail("ASM_SYNTAX", "'.' (the current address) cannot be a label", t);
      if (isReservedName(t.text)) this.fail("ASM_RESERVED_NAME", `${quote(t.text)} is a register name and cannot be a label`, t, "choose another name");
      if (!t.text.startsWith(".")) this.scope = t.text;
      labels.push({ name: this.qualify(t.text), col: t.col, len: t.len });
      this.i += 2;
    }
    const head = this.peek();
    if (!head) return { labels, scope: this.scope };
    if (head.kind !== "ident") this.fail("ASM_SYNTAX", `expected an instruction, a directive or a label, found ${this.describe(head)}`, head);
    if (this.isPunct(this.peek(1), "=")) {
      this.i += 2;
      const body = this.constant(head);
      return { labels, body, scope: this.scope };
    }
    if (head.text.startsWith(".") && head.text !== ".") {
      const name = head.text.toLowerCase();
      this.i++;
      if (!(DIRECTIVES as readonly string[]).includes(name)) {
        const hint = didYouMean(name, DIRECTIVES) ?? `directives are ${DIRECTIVES.join(" ")}; a label needs a trailing ':'`;
        this.fail("ASM_UNKNOWN_DIRECTIVE", `unknown directive ${quote(head.text)}`, head, hint);
      }
      if (name === ".equ") {
        const nameTok = this.peek();
        if (nameTok?.kind !== "ident" || nameTok.text === ".") this.fail("ASM_SYNTAX", `.equ needs a name, found ${this.describe(nameTok)}`, nameTok, "write .equ NAME, value");
        this.i++;
        if (!this.isPunct(this.peek(), ",")) this.fail("ASM_SYNTAX", `expected ',' after the name, found ${this.describe(this.peek())}`, this.peek(), "write .equ NAME, value");
        this.i++;
        return { labels, body: this.constant(nameTok), scope: this.scope };
      }
      const args = this.operandList();
      return { labels, body: { kind: "dir", name: name as DirectiveName, col: head.col, len: head.len, args }, scope: this.scope };
    }
    this.i++;
    const operands = this.operandList();
    return { labels, body: { kind: "insn", mnemonic: head.text.toLowerCase(), written: head.text, col: head.col, len: head.len, operands }, scope: this.scope };
  }

  private constant(nameTok: Token): Const {
    if (isReservedName(nameTok.text)) this.fail("ASM_RESERVED_NAME", `${quote(nameTok.text)} is a register name and cannot be a constant`, nameTok, "choose another name");
    const e = this.expr();
    this.end();
    return { kind: "const", name: this.qualify(nameTok.text), col: nameTok.col, len: nameTok.len, e };
  }

  private end(): void {
    const t = this.peek();
    if (t) this.fail("ASM_SYNTAX", `unexpected ${this.describe(t)}`, t, this.isPunct(t, ":") ? "a label must start the line" : undefined);
  }

  private operandList(): Operand[] {
    const out: Operand[] = [];
    if (!this.peek()) return out;
    for (;;) {
      out.push(this.operand());
      const t = this.peek();
      if (!t) return out;
      if (!this.isPunct(t, ",")) this.fail("ASM_SYNTAX", `expected ',' between operands, found ${this.describe(t)}`, t);
      this.i++;
      if (!this.peek()) this.fail("ASM_SYNTAX", "expected an operand after ','", undefined);
    }
  }

  private spanFrom(col: number): number {
    const last = this.toks[this.i - 1];
    return last ? last.col + last.len - col : 1;
  }

  private registerLike(t: Token): Operand | undefined {
    if (t.kind !== "ident") return undefined;
    const r = parseRegister(t.text);
    if (r !== undefined) return { k: "reg", r, col: t.col, len: t.len };
    const cr = crIndex(t.text);
    if (cr !== undefined) return { k: "cr", index: cr, col: t.col, len: t.len };
    if (t.text.toLowerCase() === "cs") return { k: "cs", col: t.col, len: t.len };
    if (/^r\d+$/i.test(t.text)) this.fail("ASM_BAD_REGISTER", `no register ${quote(t.text)}`, t, "general registers are r0..r15 and sp (= r15)");
    if (/^cr\d+$/i.test(t.text)) this.fail("ASM_BAD_REGISTER", `no control register ${quote(t.text)}`, t, `control registers are ${Object.keys(CR_INDEX).join(" ")}`);
    return undefined;
  }

  private operand(): Operand {
    const t = this.peek()!;
    if (this.isPunct(t, "[")) {
      this.i++;
      const bt = this.peek();
      const base = bt ? this.registerLike(bt) : undefined;
      if (!bt || base?.k !== "reg") {
        this.fail("ASM_SYNTAX", `a memory operand starts with its base register, found ${this.describe(bt)}`, bt ?? t, "write [rN], [rN + offset] or [rN - offset]");
      }
      this.i++;
      let disp: Expr | undefined;
      const next = this.peek();
      if (this.isPunct(next, "+") || this.isPunct(next, "-")) disp = this.expr();
      else if (!this.isPunct(next, "]")) this.fail("ASM_SYNTAX", `expected '+', '-' or ']' after the base register, found ${this.describe(next)}`, next, "write [rN + offset]");
      if (!this.isPunct(this.peek(), "]")) this.fail("ASM_SYNTAX", `expected ']', found ${this.describe(this.peek())}`, this.peek());
      this.i++;
      return { k: "mem", base: base.r, ...(disp ? { disp } : {}), col: t.col, len: this.spanFrom(t.col) };
    }
    if (t.kind === "str") {
      this.i++;
      return { k: "str", bytes: t.bytes ?? [], col: t.col, len: t.len };
    }
    const reg = this.registerLike(t);
    if (reg) {
      this.i++;
      const after = this.peek();
      if (after && !this.isPunct(after, ",")) {
        this.fail("ASM_SYNTAX", `unexpected ${this.describe(after)} after register ${quote(t.text)}`, after,
          this.isPunct(after, "+") || this.isPunct(after, "-") ? `a register plus an offset is a memory operand: [${t.text} ${after.text} ...]` : undefined);
      }
      return reg;
    }
    const e = this.expr();
    return { k: "imm", e, col: t.col, len: this.spanFrom(t.col) };
  }

  expr(minPrec = 1): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.kind !== "punct") return left;
      const prec = BINARY_PRECEDENCE[t.text];
      if (prec === undefined || prec < minPrec) return left;
      if (++this.operators > MAX_EXPR_OPERATORS) {
        this.fail("ASM_TOO_COMPLEX", `more than ${MAX_EXPR_OPERATORS} operators in the expressions of one line`, t, "split the computation into constants (NAME = expr) over several lines");
      }
      this.i++;
      const right = this.expr(prec + 1);
      left = { k: "bin", op: t.text, l: left, r: right, col: left.col, len: this.spanFrom(left.col), opCol: t.col };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (!t) this.fail("ASM_SYNTAX", "expected a value, found end of line", undefined);
    if (this.depth >= MAX_EXPR_DEPTH && t.kind === "punct" && "-~+(".includes(t.text)) {
      this.fail("ASM_TOO_COMPLEX", `expression nested more than ${MAX_EXPR_DEPTH} levels deep (parentheses and unary operators)`, t, "split it into constants (NAME = expr) over several lines");
    }
    this.depth++;
    try {
      return this.primary(t);
    } finally {
      this.depth--;
    }
  }

  private primary(t: Token): Expr {
    if (t.kind === "punct" && (t.text === "-" || t.text === "~" || t.text === "+")) {
      this.i++;
      const e = this.unary();
      return { k: "un", op: t.text, e, col: t.col, len: this.spanFrom(t.col) };
    }
    if (this.isPunct(t, "(")) {
      this.i++;
      const e = this.expr();
      if (!this.isPunct(this.peek(), ")")) this.fail("ASM_SYNTAX", `expected ')', found ${this.describe(this.peek())}`, this.peek());
      this.i++;
      return e;
    }
    if (t.kind === "num") {
      this.i++;
      return { k: "num", v: t.value ?? 0, col: t.col, len: t.len };
    }
    if (t.kind === "ident") {
      if (t.text === ".") {
        this.i++;
        return { k: "dot", col: t.col, len: t.len };
      }
      if (this.registerLike(t)) this.fail("ASM_SYNTAX", `register ${quote(t.text)} cannot appear in an expression`, t);
      this.i++;
      return { k: "sym", name: this.qualify(t.text), written: t.text, col: t.col, len: t.len };
    }
    return this.fail("ASM_SYNTAX", `expected a value, found ${this.describe(t)}`, t);
  }
}

// ---- symbols and evaluation --------------------------------------------------------------

type Sym =
  | { kind: "label"; value: number; line: number }
  | { kind: "define"; value: number }
  | { kind: "const"; e: Expr; line: number; col: number; len: number; dot?: number; state: "pending" | "busy" | "done" | "failed"; value: number };

function describeSym(s: Sym): string {
  return s.kind === "define" ? "by options.defines" : `at line ${s.line}`;
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

// ---- the assembler ---------------------------------------------------------------------

/**
 * Assemble vmlab assembly into a Program.
 *
 * Throws AssemblyError carrying every diagnostic when the source has any problem; never throws
 * anything else for any source text.
 */
export function assemble(source: string, options: AssembleOptions = {}): Program {
  const file = options.file ?? "<input>";
  const origin = options.origin ?? 0;
  const diags: AsmDiagnostic[] = [];
  if (typeof source !== "string") {
    diags.push({ code: "ASM_BAD_OPTION", file, line: 0, column: 0, message: `the source must be a string, got ${typeof source}` });
    throw new AssemblyError(diags);
  }
  const report = (f: Fail): void => {
    diags.push({ code: f.code, file, line: f.line, column: f.col, message: f.message, ...(f.hint ? { hint: f.hint } : {}), length: f.len });
  };
  if (!Number.isInteger(origin) || origin < 0 || origin >= ADDRESS_LIMIT) {
    report(new Fail("ASM_BAD_OPTION", `origin ${String(origin)} is not an address (0..0xffffffff)`, 0, 0));
    throw new AssemblyError(diags, source);
  }

  const symbols = new Map<string, Sym>();
  for (const [name, value] of Object.entries(options.defines ?? {})) {
    if (!Number.isInteger(value)) {
      report(new Fail("ASM_BAD_OPTION", `define ${quote(name)} must be an integer, got ${String(value)}`, 0, 0));
      continue;
    }
    symbols.set(name, { kind: "define", value });
  }

  // Pass 0: parse.
  const texts = source.split(/\r\n|\n|\r/);
  const stmts: Stmt[] = [];
  const labelNames = new Set<string>();
  let scope = "";
  texts.forEach((text, idx) => {
    const line = idx + 1;
    try {
      const parser = new LineParser(tokenize(text, line), line, text.length, scope);
      const parsed = parser.parse();
      scope = parsed.scope;
      for (const l of parsed.labels) labelNames.add(l.name);
      if (parsed.labels.length || parsed.body) {
        stmts.push({ line, text, labels: parsed.labels, ...(parsed.body ? { body: parsed.body } : {}), address: 0, size: 0, bad: false });
      }
    } catch (e) {
      if (e instanceof Fail) report(e);
      else report(new Fail("ASM_INTERNAL", `internal assembler error: ${String(e)}`, line, 1));
      // Keep the line's labels so that their uses elsewhere do not cascade into more errors.
      const salvaged = /^\s*([A-Za-z_$][A-Za-z0-9_.$]*)\s*:/.exec(text);
      if (salvaged && !isReservedName(salvaged[1]!)) {
        const name = salvaged[1]!;
        scope = name;
        labelNames.add(name);
        stmts.push({ line, text, labels: [{ name, col: text.indexOf(name) + 1, len: name.length }], address: 0, size: 0, bad: true });
      }
    }
  });

  // Constants are known up front (their values are computed on demand), so forward references work.
  const define = (name: string, sym: Sym, line: number, col: number, len: number): void => {
    const old = symbols.get(name);
    if (!old) { symbols.set(name, sym); return; }
    if (old.kind === "define" && sym.kind === "const") return; // the define wins: the source value is a default
    const what = sym.kind === "label" ? "label" : "symbol";
    if (old.kind !== "define" && old.line > line) {
      // The existing one is the later definition: report there, keep the earlier.
      report(new Fail("ASM_DUPLICATE_SYMBOL", `duplicate symbol ${quote(name)}`, old.line, old.kind === "const" ? old.col : 1,
        old.kind === "const" ? old.len : 1, `first defined at line ${line}; rename one of them`));
      symbols.set(name, sym);
      return;
    }
    report(new Fail("ASM_DUPLICATE_SYMBOL", `duplicate ${what} ${quote(name)}`, line, col, len, `first defined ${describeSym(old)}; rename one of them`));
  };
  for (const s of stmts) {
    if (s.body?.kind === "const") define(s.body.name, { kind: "const", e: s.body.e, line: s.line, col: s.body.col, len: s.body.len, state: "pending", value: 0 }, s.line, s.body.col, s.body.len);
  }

  const allNames = (): string[] => [...symbols.keys()];

  /** Evaluate an expression. In pass 1 a label not reached yet is an error of its own kind. */
  const evaluate = (e: Expr, dot: number | undefined, line: number, pass: 1 | 2, what: string): number => {
    function fail(code: AsmCode, message: string, at: { col: number; len: number }, hint?: string): never {
      throw new Fail(code, message, line, at.col, at.len, hint);
    }
    const check = (v: number, at: Expr): number => {
      if (!Number.isSafeInteger(v)) fail("ASM_OVERFLOW", "expression value is too large", at);
      return v;
    };
    const ev = (x: Expr): number => {
      switch (x.k) {
        case "num": return x.v;
        case "dot":
          if (dot === undefined) fail("ASM_NOT_YET_KNOWN", `${what} needs a value known in the first pass; '.' here is not`, x);
          return dot;
        case "sym": {
          const s = symbols.get(x.name);
          if (!s) {
            if (labelNames.has(x.name) && pass === 1) {
              fail("ASM_NOT_YET_KNOWN", `${what} needs a value known in the first pass, but ${quote(x.written)} is a label defined later`, x, "move the label above, or compute the value from constants");
            }
            const guess = didYouMean(x.name, allNames(), { ignoreCase: false }) ?? (x.written.startsWith(".") ? "local labels are scoped to the last global label" : undefined);
            fail("ASM_UNDEFINED_SYMBOL", `undefined symbol ${quote(x.written)}`, x, guess);
          }
          if (s.kind !== "const") return s.value;
          return constValue(x.name, s, pass, what);
        }
        case "un": {
          const v = ev(x.e);
          return x.op === "-" ? check(-v, x) : x.op === "~" ? ~v : v;
        }
        case "bin": {
          const l = ev(x.l);
          const r = ev(x.r);
          switch (x.op) {
            case "+": return check(l + r, x);
            case "-": return check(l - r, x);
            case "*": return check(l * r, x);
            case "/":
            case "%":
              if (r === 0) fail("ASM_DIV_ZERO", `division by zero in ${what}`, { col: x.opCol, len: 1 }, "check the divisor's value");
              return check(x.op === "/" ? Math.trunc(l / r) : l % r, x);
            case "<<": return (l << (r & 31)) | 0;
            case ">>": return l >> (r & 31);
            case "&": return l & r;
            case "^": return l ^ r;
            case "|": return l | r;
          }
          return fail("ASM_INTERNAL", `unknown operator ${x.op}`, x);
        }
      }
    };
    return ev(e);
  };

  const constValue = (name: string, s: Extract<Sym, { kind: "const" }>, pass: 1 | 2, what: string): number => {
    if (s.state === "done") return s.value;
    if (s.state === "failed") throw new Silent();
    if (s.state === "busy") {
      s.state = "failed";
      throw new Fail("ASM_CIRCULAR", `circular definition: ${quote(name)} depends on itself`, s.line, s.col, s.len, "a constant may not depend on itself, directly or through others");
    }
    s.state = "busy";
    try {
      s.value = evaluate(s.e, s.dot, s.line, pass, what);
      s.state = "done";
      return s.value;
    } catch (err) {
      if (err instanceof Fail && err.code === "ASM_NOT_YET_KNOWN") {
        s.state = "pending";
        throw err;
      }
      s.state = "failed";
      if (err instanceof Fail) report(err);
      throw new Silent();
    }
  };

  /** Evaluate in a statement's context, turning failures into diagnostics; undefined when it failed. */
  const value = (e: Expr, s: Stmt, pass: 1 | 2, what: string): number | undefined => {
    try {
      return evaluate(e, s.address, s.line, pass, what);
    } catch (err) {
      if (err instanceof Fail) report(err);
      else if (!(err instanceof Silent)) report(new Fail("ASM_INTERNAL", `internal assembler error: ${String(err)}`, s.line, 1));
      return undefined;
    }
  };

  // Pass 1: layout.
  let pc = origin;
  for (const s of stmts) {
    s.address = pc;
    try {
      for (const l of s.labels) define(l.name, { kind: "label", value: pc, line: s.line }, s.line, l.col, l.len);
      const b = s.body;
      if (!b) continue;
      if (b.kind === "const") {
        const sym = symbols.get(b.name);
        if (sym?.kind === "const" && sym.line === s.line) sym.dot = pc;
        continue;
      }
      if (b.kind === "insn") {
        s.form = chooseForm(b, s.line);
        s.size = s.form.size;
        if (pc % 4 !== 0) {
          report(new Fail("ASM_MISALIGNED", `instruction at ${hex(pc)} is not 4-byte aligned`, s.line, b.col, b.len,
            "instructions must start at a multiple of 4: put '.align 4' before it"));
        }
      } else {
        s.size = directiveSize(b, s);
      }
      if (pc + s.size > ADDRESS_LIMIT) {
        throw new Fail("ASM_ADDRESS_RANGE", `output at ${hex(pc)} runs past the end of the 32-bit address space`, s.line, b.col, b.len);
      }
      if (b.kind === "dir" && b.name === ".org") continue; // pc already moved by directiveSize
      pc += s.size;
    } catch (err) {
      s.bad = true;
      s.size = 0;
      if (err instanceof Fail) report(err);
      else if (!(err instanceof Silent)) report(new Fail("ASM_INTERNAL", `internal assembler error: ${String(err)}`, s.line, 1));
    }
  }

  function chooseForm(b: Insn, line: number): InstructionSpec {
    const mnemonic = ALIASES[b.mnemonic] ?? b.mnemonic;
    const forms = BY_MNEMONIC.get(mnemonic);
    if (!forms) {
      const known = [...BY_MNEMONIC.keys(), ...Object.keys(ALIASES)];
      const hint = didYouMean(b.mnemonic, known) ?? (b.operands.length === 0 ? `a label needs a trailing ':' (${b.written}:)` : undefined);
      throw new Fail("ASM_UNKNOWN_MNEMONIC", `unknown mnemonic ${quote(b.written)}`, line, b.col, b.len, hint);
    }
    const classes = b.operands.map(operandClass);
    const form = forms.find((f) => f.operands.length === classes.length && f.operands.every((k, i) => kindClass(k) === classes[i]));
    if (!form) {
      const got = b.operands.length ? b.operands.map(describeOperand).join(", ") : "no operands";
      throw new Fail("ASM_BAD_OPERANDS", `no form of ${quote(b.written)} takes ${got}`, line, b.col, b.len,
        `${mnemonic} takes: ${forms.map(formSyntax).join(" | ")}`);
    }
    return form;
  }

  function directiveSize(d: Directive, s: Stmt): number {
    const numberArg = (): Expr => {
      const a = d.args[0];
      if (d.args.length !== 1 || a?.k !== "imm") throw new Fail("ASM_BAD_ARGUMENT", `${d.name} takes one number`, s.line, a?.col ?? d.col, a?.len ?? d.len);
      return a.e;
    };
    const need = (v: number | undefined): number => {
      if (v === undefined) throw new Silent();
      return v;
    };
    switch (d.name) {
      case ".org": {
        const e = numberArg();
        const v = need(value(e, s, 1, ".org"));
        if (v < 0 || v >= ADDRESS_LIMIT) throw new Fail("ASM_ADDRESS_RANGE", `.org ${v} is not an address (0..0xffffffff)`, s.line, e.col, e.len);
        pc = v;
        return 0;
      }
      case ".align": {
        const e = numberArg();
        const n = need(value(e, s, 1, ".align"));
        if (n < 1 || n > MAX_FILL) throw new Fail("ASM_BAD_ARGUMENT", `.align ${n}: the alignment must be 1..${MAX_FILL}`, s.line, e.col, e.len, "write .align 4 for instructions");
        return (n - (pc % n)) % n;
      }
      case ".space": {
        const e = numberArg();
        const n = need(value(e, s, 1, ".space"));
        if (n < 0 || n > MAX_FILL) throw new Fail("ASM_BAD_ARGUMENT", `.space ${n}: the size must be 0..${MAX_FILL}`, s.line, e.col, e.len);
        return n;
      }
      case ".word":
      case ".byte": {
        if (d.args.length === 0) throw new Fail("ASM_BAD_ARGUMENT", `${d.name} needs at least one value`, s.line, d.col, d.len);
        let n = 0;
        for (const a of d.args) {
          if (a.k === "str" && d.name === ".byte") n += a.bytes.length;
          else if (a.k === "imm") n += d.name === ".word" ? 4 : 1;
          else throw new Fail("ASM_BAD_ARGUMENT", `${d.name} takes numbers${d.name === ".byte" ? " and strings" : ""}, not ${describeOperand(a)}`, s.line, a.col, a.len);
        }
        return n;
      }
      case ".ascii":
      case ".string":
      case ".asciz": {
        if (d.args.length === 0) throw new Fail("ASM_BAD_ARGUMENT", `${d.name} needs a string`, s.line, d.col, d.len, `write ${d.name} "text"`);
        let n = 0;
        for (const a of d.args) {
          if (a.k !== "str") throw new Fail("ASM_BAD_ARGUMENT", `${d.name} takes strings, not ${describeOperand(a)}`, s.line, a.col, a.len, a.k === "imm" ? "use .byte for numbers" : undefined);
          n += a.bytes.length + (d.name === ".ascii" ? 0 : 1);
        }
        return n;
      }
      case ".equ":
        return 0; // parsed as a constant; never reaches here
    }
  }

  // Pass 2: encode.
  const out: { address: number; bytes: number[]; line: number }[] = [];
  const lines: SourceLine[] = [];
  let current: { address: number; bytes: number[]; line: number } | undefined;
  const emit = (s: Stmt, bytes: readonly number[]): void => {
    if (!current || current.address + current.bytes.length !== s.address) {
      current = { address: s.address, bytes: [], line: s.line };
      out.push(current);
    }
    for (const b of bytes) current.bytes.push(b & 0xff);
  };
  const wordBytes = (w: number): number[] => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff];

  for (const s of stmts) {
    const b = s.body;
    if (!b || s.bad) continue;
    try {
      if (b.kind === "const") {
        const sym = symbols.get(b.name);
        if (sym?.kind === "const" && sym.line === s.line) {
          try {
            constValue(b.name, sym, 2, `${quote(b.name)}`);
          } catch (err) {
            if (err instanceof Fail) report(err);
          }
        }
        continue;
      }
      if (b.kind === "insn") {
        const words = encodeInsn(b, s);
        if (words) {
          emit(s, words.flatMap(wordBytes));
          lines.push({ address: s.address, size: s.size, line: s.line, file, text: s.text.trim() });
        }
        continue;
      }
      const data = directiveBytes(b, s);
      if (data) {
        emit(s, data);
        lines.push({ address: s.address, size: s.size, line: s.line, file, text: s.text.trim() });
      }
    } catch (err) {
      if (err instanceof Fail) report(err);
      else if (!(err instanceof Silent)) report(new Fail("ASM_INTERNAL", `internal assembler error: ${String(err)}`, s.line, 1));
    }
  }

  function encodeInsn(b: Insn, s: Stmt): number[] | undefined {
    const form = s.form!;
    const f: Fields = {};
    let ok = true;
    const num = (e: Expr, what: string): number | undefined => {
      const v = value(e, s, 2, what);
      if (v === undefined) ok = false;
      return v;
    };
    const range = (v: number, lo: number, hi: number, code: AsmCode, message: string, at: { col: number; len: number }, hint?: string): void => {
      if (v < lo || v > hi) {
        report(new Fail(code, message, s.line, at.col, at.len, hint));
        ok = false;
      }
    };
    form.operands.forEach((kind, i) => {
      const o = b.operands[i]!;
      switch (kind) {
        case "a": case "b": case "c":
          if (o.k === "reg") f[kind] = o.r;
          return;
        case "cr":
          if (o.k === "cr") f.b = o.index;
          return;
        case "cs":
          return;
        case "mem": {
          if (o.k !== "mem") return;
          f.b = o.base;
          const d = o.disp ? num(o.disp, "a displacement") : 0;
          if (d === undefined) return;
          range(d, -32768, 32767, "ASM_DISP_RANGE", `displacement ${d} does not fit in a signed 16-bit field (-32768..32767)`, o,
            `compute the address into a register first: mov rX, ${d} then add rX, rX, r${o.base === SP ? "15" : o.base}`);
          f.imm = d;
          return;
        }
        case "i16": {
          if (o.k !== "imm") return;
          const v = num(o.e, "an immediate");
          if (v === undefined) return;
          range(v, -32768, 32767, "ASM_IMM16_RANGE", `immediate ${v} does not fit in a signed 16-bit field (-32768..32767)`, o,
            `load it with 'mov rX, ${v}' first and use the register form of ${quote(form.mnemonic)}`);
          f.imm = v;
          return;
        }
        case "u16": {
          if (o.k !== "imm") return;
          const v = num(o.e, "an immediate");
          if (v === undefined) return;
          const r = immediateRange(form)!;
          if (r.code === "ASM_SHIFT_RANGE") {
            range(v, r.lo, r.hi, r.code, `shift count ${v} is outside 0..31`, o, "a 32-bit value shifts by 0..31; use two shifts or a register count");
          } else if (r.code === "ASM_VECTOR_RANGE") {
            range(v, r.lo, r.hi, r.code, `interrupt vector ${v} is outside 0..255`, o, "vectors are 0..255 (0x80 is the system-call vector)");
          } else {
            range(v, r.lo, r.hi, r.code, `immediate ${v} does not fit in an unsigned 16-bit field (0..65535)`, o);
          }
          f.imm = v;
          return;
        }
        case "i32": {
          if (o.k !== "imm") return;
          const v = num(o.e, form.branch ? "a branch target" : "an immediate");
          if (v === undefined) return;
          range(v, -(2 ** 31), 2 ** 32 - 1, "ASM_WORD_RANGE", `value ${v} does not fit in 32 bits`, o);
          f.imm = v;
          return;
        }
      }
    });
    return ok ? encode(form, f) : undefined;
  }

  function directiveBytes(d: Directive, s: Stmt): number[] | undefined {
    switch (d.name) {
      case ".org":
      case ".equ":
        return undefined;
      case ".align":
      case ".space":
        return new Array<number>(s.size).fill(0);
      case ".ascii":
      case ".string":
      case ".asciz":
        return d.args.flatMap((a) => (a.k === "str" ? (d.name === ".ascii" ? [...a.bytes] : [...a.bytes, 0]) : []));
      case ".word":
      case ".byte": {
        const bytes: number[] = [];
        let ok = true;
        for (const a of d.args) {
          if (a.k === "str") { for (const x of a.bytes) bytes.push(x); continue; }
          if (a.k !== "imm") continue;
          const v = value(a.e, s, 2, d.name);
          if (v === undefined) { ok = false; continue; }
          if (d.name === ".word") {
            if (v < -(2 ** 31) || v > 2 ** 32 - 1) {
              report(new Fail("ASM_WORD_RANGE", `value ${v} does not fit in 32 bits`, s.line, a.col, a.len));
              ok = false;
            }
            bytes.push(...wordBytes(v));
          } else {
            if (v < -128 || v > 255) {
              report(new Fail("ASM_BYTE_RANGE", `value ${v} does not fit in a byte (-128..255)`, s.line, a.col, a.len, "use .word for 32-bit values"));
              ok = false;
            }
            bytes.push(v & 0xff);
          }
        }
        return ok ? bytes : undefined;
      }
    }
  }

  // Merge runs that ended up adjacent, then look for overlaps.
  const merged: { address: number; bytes: number[]; line: number }[] = [];
  for (const seg of out) {
    if (seg.bytes.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last && last.address + last.bytes.length === seg.address) {
      for (const b of seg.bytes) last.bytes.push(b); // a loop, not push(...): runs can hold megabytes
    } else {
      merged.push(seg);
    }
  }
  const byAddress = [...merged].sort((x, y) => x.address - y.address);
  for (let i = 1; i < byAddress.length; i++) {
    const prev = byAddress[i - 1]!;
    const seg = byAddress[i]!;
    if (prev.address + prev.bytes.length > seg.address) {
      const [early, late] = prev.line < seg.line ? [prev, seg] : [seg, prev];
      report(new Fail("ASM_OVERLAP", `output at ${hex(late.address)} overlaps output from line ${early.line}`, late.line, 1, 1,
        "move one of them with .org, or check the .org values"));
    }
  }

  if (diags.length) {
    diags.sort((x, y) => x.line - y.line || x.column - y.column);
    throw new AssemblyError(diags, source);
  }

  const table = new Map<string, number>();
  for (const [name, s] of symbols) table.set(name, s.value);
  const segments: Segment[] = merged.map((m) => ({ address: m.address, bytes: Uint8Array.from(m.bytes) }));
  const entry = table.get("_start") ?? segments[0]?.address ?? origin;
  return {
    segments,
    symbols: table,
    entry: entry >>> 0,
    lines,
    image() {
      if (segments.length === 0) return { base: origin, bytes: new Uint8Array(0) };
      const base = segments.reduce((m, x) => Math.min(m, x.address), Infinity);
      const end = segments.reduce((m, x) => Math.max(m, x.address + x.bytes.length), 0);
      if (end - base > MAX_IMAGE) {
        throw new VmlabError("ASM_IMAGE_TOO_LARGE", `the program spans ${hex(base)}..${hex(end)}, too large for one flat image`, {
          hint: "load the segments one by one instead of image()",
        });
      }
      const bytes = new Uint8Array(end - base);
      for (const seg of segments) bytes.set(seg.bytes, seg.address - base);
      return { base, bytes };
    },
  };
}

function kindClass(k: OperandKind): Operand["k"] {
  switch (k) {
    case "a": case "b": case "c": return "reg";
    case "i16": case "u16": case "i32": return "imm";
    case "mem": return "mem";
    case "cr": return "cr";
    case "cs": return "cs";
  }
}

function operandClass(o: Operand): Operand["k"] {
  return o.k;
}

function describeOperand(o: Operand): string {
  switch (o.k) {
    case "reg": return "a register";
    case "cr": return "a control register";
    case "cs": return "cs";
    case "mem": return "a memory operand";
    case "imm": return "a number";
    case "str": return "a string";
  }
}
