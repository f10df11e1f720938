// Expression evaluation: C-like integer arithmetic over numbers, symbols and `.`, exact up to 2^53 and 32-bit for bitwise operators.
import type { AsmCode } from "./codes.js";
import { Fail } from "./diagnostics.js";
import type { Expr } from "./syntax.js";

/** Bits a shift count is masked to, as the machine's shifts do. */
const SHIFT_MASK = 31;

/** What an expression is evaluated against. */
export interface ExprContext {
  /** The address of the statement (`.`), undefined where it is not known yet. */
  readonly dot: number | undefined;
  /** The logical line, for diagnostics. */
  readonly at: number;
  /** What the value is for, in messages: "an immediate", "'.org'". */
  readonly what: string;
  /** The value of a symbol; throws a Fail when it has none (yet). */
  symbol(x: Extract<Expr, { k: "sym" }>): number;
}

/** Evaluate an expression; a problem (division by zero, overflow, `.` unknown) is thrown as a Fail. */
export function evaluate(e: Expr, ctx: ExprContext): number {
  const fail = (code: AsmCode, message: string, at: { col: number; len: number }, hint?: string): never => {
    throw new Fail(code, message, ctx.at, at.col, at.len, hint);
  };
  const check = (v: number, at: Expr): number => {
    if (!Number.isSafeInteger(v)) fail("ASM_OVERFLOW", "expression value is too large", at);
    return v;
  };
  const ev = (x: Expr): number => {
    switch (x.k) {
      case "num": return x.v;
      case "dot":
        if (ctx.dot === undefined) fail("ASM_NOT_YET_KNOWN", `${ctx.what} needs a value known in the first pass; '.' here is not`, x);
        return ctx.dot!;
      case "sym": return ctx.symbol(x);
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
            if (r === 0) fail("ASM_DIV_ZERO", `division by zero in ${ctx.what}`, { col: x.opCol, len: 1 }, "check the divisor's value");
            return check(x.op === "/" ? Math.trunc(l / r) : l % r, x);
          case "<<": return (l << (r & SHIFT_MASK)) | 0;
          case ">>": return l >> (r & SHIFT_MASK);
          case "&": return l & r;
          case "^": return l ^ r;
          case "|": return l | r;
        }
        return fail("ASM_INTERNAL", `unknown operator ${x.op}`, x);
      }
    }
  };
  return ev(e);
}
