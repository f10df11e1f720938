// The line parser: the tokens of one line into labels and a statement (instruction, directive or constant), expressions included.
import { CR_INDEX } from "../arch.js";
import { quote } from "../../core/errors.js";
import { didYouMean } from "../../core/suggest.js";
import type { AsmCode } from "./codes.js";
import { Fail, type Report } from "./diagnostics.js";
import { type Token, tokenize } from "./lexer.js";
import type { LogicalLine } from "./lines.js";
import { MAX_EXPR_DEPTH, MAX_EXPR_OPERATORS } from "./limits.js";
import { crIndex, isReservedName, parseRegister } from "./names.js";
import { type Const, type Directive, DIRECTIVES, type DirectiveName, type Expr, type Insn, type Label, type Operand, PREPROCESSOR_DIRECTIVES, type Stmt } from "./syntax.js";

/** Binding strength of the binary operators, C's order: `|` weakest, `* / %` strongest. */
const BINARY_PRECEDENCE: Record<string, number> = { "|": 1, "^": 2, "&": 3, "<<": 4, ">>": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6 };

/** Parser for the tokens of one line; `scope` is the global label that local names hang under. */
export class LineParser {
  private i = 0;
  /** Current nesting of parentheses and unary operators, and binary operators seen on this line. */
  private depth = 0;
  private operators = 0;
  constructor(
    private readonly toks: readonly Token[],
    private readonly at: number,
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
    throw new Fail(code, message, this.at, col, t ? t.len : 1, hint);
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
        const hint = didYouMean(name, [...DIRECTIVES, ...PREPROCESSOR_DIRECTIVES]) ?? `directives are ${DIRECTIVES.join(" ")}; a label needs a trailing ':'`;
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

/** Every statement of the logical lines, and the names of all labels (so a use before its definition is told apart from a typo). */
export interface Parsed {
  readonly stmts: Stmt[];
  readonly labelNames: ReadonlySet<string>;
}

/** Parse every code line once (labels, local-label scope, operands, expressions), reporting what does not parse. */
export function parseLines(lines: readonly LogicalLine[], report: Report): Parsed {
  const stmts: Stmt[] = [];
  const labelNames = new Set<string>();
  let scope = "";
  lines.forEach((l, at) => {
    if (!l.code) return;
    const text = l.text;
    try {
      const parsed = new LineParser(tokenize(text, at), at, text.length, scope).parse();
      scope = parsed.scope;
      for (const label of parsed.labels) labelNames.add(label.name);
      if (parsed.labels.length || parsed.body) {
        stmts.push({ at, text, labels: parsed.labels, ...(parsed.body ? { body: parsed.body } : {}), address: 0, size: 0, bad: false });
      }
    } catch (e) {
      report.caught(e, at);
      // Keep the line's labels so that their uses elsewhere do not cascade into more errors.
      const salvaged = /^\s*([A-Za-z_$][A-Za-z0-9_.$]*)\s*:/.exec(text);
      if (salvaged && !isReservedName(salvaged[1]!)) {
        const name = salvaged[1]!;
        scope = name;
        labelNames.add(name);
        stmts.push({ at, text, labels: [{ name, col: text.indexOf(name) + 1, len: name.length }], address: 0, size: 0, bad: true });
      }
    }
  });
  return { stmts, labelNames };
}
