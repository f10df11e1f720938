// Instruction encoding: the operands of a laid-out instruction into the fields of its form, each range-checked with a fix in the hint.
import { quote } from "../../core/errors.js";
import { SP } from "../arch.js";
import { encode, type Fields } from "../encoding.js";
import type { AsmCode } from "./codes.js";
import { Fail, type Report } from "./diagnostics.js";
import { immediateRange } from "./forms.js";
import { I16_MAX, I16_MIN, WORD_MAX, WORD_MIN } from "./limits.js";
import type { SymbolTable } from "./symbols.js";
import type { Expr, Insn, Stmt } from "./syntax.js";

/** The words of an instruction whose form layout chose (pass 2); undefined when an operand failed (reported). */
export function encodeInsn(b: Insn, s: Stmt, symbols: SymbolTable, report: Report): number[] | undefined {
  const form = s.form!;
  const f: Fields = {};
  let ok = true;
  const num = (e: Expr, what: string): number | undefined => {
    const v = symbols.value(e, s, 2, what);
    if (v === undefined) ok = false;
    return v;
  };
  const range = (v: number, lo: number, hi: number, code: AsmCode, message: string, at: { col: number; len: number }, hint?: string): void => {
    if (v < lo || v > hi) {
      report.add(new Fail(code, message, s.at, at.col, at.len, hint));
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
        range(d, I16_MIN, I16_MAX, "ASM_DISP_RANGE", `displacement ${d} does not fit in a signed 16-bit field (${I16_MIN}..${I16_MAX})`, o,
          `compute the address into a register first: mov rX, ${d} then add rX, rX, r${o.base === SP ? "15" : o.base}`);
        f.imm = d;
        return;
      }
      case "i16": {
        if (o.k !== "imm") return;
        const v = num(o.e, "an immediate");
        if (v === undefined) return;
        range(v, I16_MIN, I16_MAX, "ASM_IMM16_RANGE", `immediate ${v} does not fit in a signed 16-bit field (${I16_MIN}..${I16_MAX})`, o,
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
          range(v, r.lo, r.hi, r.code, `shift count ${v} is outside ${r.lo}..${r.hi}`, o, "a 32-bit value shifts by 0..31; use two shifts or a register count");
        } else if (r.code === "ASM_VECTOR_RANGE") {
          range(v, r.lo, r.hi, r.code, `interrupt vector ${v} is outside ${r.lo}..${r.hi}`, o, "vectors are 0..255 (0x80 is the system-call vector)");
        } else {
          range(v, r.lo, r.hi, r.code, `immediate ${v} does not fit in an unsigned 16-bit field (${r.lo}..${r.hi})`, o);
        }
        f.imm = v;
        return;
      }
      case "i32": {
        if (o.k !== "imm") return;
        const v = num(o.e, form.branch ? "a branch target" : "an immediate");
        if (v === undefined) return;
        range(v, WORD_MIN, WORD_MAX, "ASM_WORD_RANGE", `value ${v} does not fit in 32 bits`, o);
        f.imm = v;
        return;
      }
    }
  });
  return ok ? encode(form, f) : undefined;
}
