// The symbol table: labels, constants and defines; constants are computed on demand so forward references work, and cycles are caught.
import { quote } from "../../core/errors.js";
import { didYouMean } from "../../core/suggest.js";
import { Fail, type Report, Silent } from "./diagnostics.js";
import { evaluate } from "./expressions.js";
import type { Expr, Stmt } from "./syntax.js";

/** 1: layout, where labels not reached yet have no value; 2: encoding, where every label has one. */
export type Pass = 1 | 2;

type Sym =
  | { kind: "label"; value: number; at: number }
  | { kind: "define"; value: number }
  | { kind: "const"; e: Expr; at: number; col: number; len: number; dot?: number; state: "pending" | "busy" | "done" | "failed"; value: number };

export type ConstSym = Extract<Sym, { kind: "const" }>;

/** Labels, constants and defines of one assembly; problems go to the report. */
export class SymbolTable {
  private readonly symbols = new Map<string, Sym>();

  constructor(
    private readonly report: Report,
    /** Every label the source defines, so pass 1 can tell "defined later" from "undefined". */
    private readonly labelNames: ReadonlySet<string>,
  ) {}

  /** A value from `options.defines`: it wins over the source's `NAME = expr`, which acts as a default. */
  predefine(name: string, value: number): void {
    this.symbols.set(name, { kind: "define", value });
  }

  /** The constant defined by the statement at `at`, if that statement's definition is the one in force. */
  constantAt(name: string, at: number): ConstSym | undefined {
    const s = this.symbols.get(name);
    return s?.kind === "const" && s.at === at ? s : undefined;
  }

  /** Enter every constant of the statements, before layout, so they may be used above their definition. */
  declareConstants(stmts: readonly Stmt[]): void {
    for (const s of stmts) {
      const b = s.body;
      if (b?.kind === "const") this.define(b.name, { kind: "const", e: b.e, at: s.at, col: b.col, len: b.len, state: "pending", value: 0 }, s.at, b.col, b.len);
    }
  }

  /** A label at `value`, defined by the statement at `at`. */
  label(name: string, value: number, at: number, col: number, len: number): void {
    this.define(name, { kind: "label", value, at }, at, col, len);
  }

  private define(name: string, sym: Sym, at: number, col: number, len: number): void {
    const old = this.symbols.get(name);
    if (!old) { this.symbols.set(name, sym); return; }
    if (old.kind === "define" && sym.kind === "const") return; // the define wins: the source value is a default
    const what = sym.kind === "label" ? "label" : "symbol";
    if (old.kind !== "define" && old.at > at) {
      // The existing one is the later definition: report there, keep the earlier.
      this.report.add(new Fail("ASM_DUPLICATE_SYMBOL", `duplicate symbol ${quote(name)}`, old.at, old.kind === "const" ? old.col : 1,
        old.kind === "const" ? old.len : 1, `first defined at ${this.report.where(at, old.at)}; rename one of them`));
      this.symbols.set(name, sym);
      return;
    }
    const first = old.kind === "define" ? "by options.defines" : `at ${this.report.where(old.at, at)}`;
    const macro = this.report.macroAt(at);
    const fix = macro ? `each expansion of macro ${quote(macro)} defines it again: make it unique with \\@ (${name.replace(/^.*\./, ".")}\\@:)` : "rename one of them";
    this.report.add(new Fail("ASM_DUPLICATE_SYMBOL", `duplicate ${what} ${quote(name)}`, at, col, len, `first defined ${first}; ${fix}`));
  }

  /** Evaluate an expression at address `dot` (undefined: not known); throws a Fail. In pass 1 a label not reached yet is an error of its own kind. */
  evaluate(e: Expr, dot: number | undefined, at: number, pass: Pass, what: string): number {
    return evaluate(e, {
      dot, at, what,
      symbol: (x) => {
        const s = this.symbols.get(x.name);
        if (!s) {
          if (this.labelNames.has(x.name) && pass === 1) {
            throw new Fail("ASM_NOT_YET_KNOWN", `${what} needs a value known in the first pass, but ${quote(x.written)} is a label defined later`, at, x.col, x.len,
              "move the label above, or compute the value from constants");
          }
          const guess = didYouMean(x.name, [...this.symbols.keys()], { ignoreCase: false }) ?? (x.written.startsWith(".") ? "local labels are scoped to the last global label" : undefined);
          throw new Fail("ASM_UNDEFINED_SYMBOL", `undefined symbol ${quote(x.written)}`, at, x.col, x.len, guess);
        }
        return s.kind === "const" ? this.constValue(x.name, s, pass, what) : s.value;
      },
    });
  }

  /** The value of a constant, computing it (and what it depends on) the first time. */
  constValue(name: string, s: ConstSym, pass: Pass, what: string): number {
    if (s.state === "done") return s.value;
    if (s.state === "failed") throw new Silent();
    if (s.state === "busy") {
      s.state = "failed";
      throw new Fail("ASM_CIRCULAR", `circular definition: ${quote(name)} depends on itself`, s.at, s.col, s.len, "a constant may not depend on itself, directly or through others");
    }
    s.state = "busy";
    try {
      s.value = this.evaluate(s.e, s.dot, s.at, pass, what);
      s.state = "done";
      return s.value;
    } catch (err) {
      if (err instanceof Fail && err.code === "ASM_NOT_YET_KNOWN") {
        s.state = "pending";
        throw err;
      }
      s.state = "failed";
      if (err instanceof Fail) this.report.add(err);
      throw new Silent();
    }
  }

  /** Evaluate in a statement's context, reporting a failure; undefined when it failed. */
  value(e: Expr, s: Stmt, pass: Pass, what: string): number | undefined {
    try {
      return this.evaluate(e, s.address, s.at, pass, what);
    } catch (err) {
      this.report.caught(err, s.at);
      return undefined;
    }
  }

  /** Every symbol's value, by full name. */
  values(): Map<string, number> {
    const table = new Map<string, number>();
    for (const [name, s] of this.symbols) table.set(name, s.value);
    return table;
  }
}
