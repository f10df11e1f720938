// Data and layout directives: how many bytes `.org`, `.align`, `.space`, `.word`, `.byte` and the string directives take, and which.
import { Fail, type Report, Silent } from "./diagnostics.js";
import { describeOperand } from "./forms.js";
import { ADDRESS_LIMIT, BYTE_MAX, BYTE_MIN, MAX_FILL, WORD_BYTES, WORD_MAX, WORD_MIN } from "./limits.js";
import type { SymbolTable } from "./symbols.js";
import type { Directive, Expr, Stmt } from "./syntax.js";

/** A directive's size at the current address; `.org` also moves the address. */
export interface DirectiveLayout {
  readonly size: number;
  /** The address `.org` moves to. */
  readonly org?: number;
}

/** Little-endian bytes of a 32-bit value. */
export function wordBytes(w: number): number[] {
  return [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff];
}

/** Size of a directive at address `pc` (pass 1); throws a Fail, or Silent once a value's problem is reported. */
export function directiveSize(d: Directive, s: Stmt, pc: number, symbols: SymbolTable): DirectiveLayout {
  const numberArg = (): Expr => {
    const a = d.args[0];
    if (d.args.length !== 1 || a?.k !== "imm") throw new Fail("ASM_BAD_ARGUMENT", `${d.name} takes one number`, s.at, a?.col ?? d.col, a?.len ?? d.len);
    return a.e;
  };
  const need = (v: number | undefined): number => {
    if (v === undefined) throw new Silent();
    return v;
  };
  switch (d.name) {
    case ".org": {
      const e = numberArg();
      const v = need(symbols.value(e, s, 1, ".org"));
      if (v < 0 || v >= ADDRESS_LIMIT) throw new Fail("ASM_ADDRESS_RANGE", `.org ${v} is not an address (0..0xffffffff)`, s.at, e.col, e.len);
      return { size: 0, org: v };
    }
    case ".align": {
      const e = numberArg();
      const n = need(symbols.value(e, s, 1, ".align"));
      if (n < 1 || n > MAX_FILL) throw new Fail("ASM_BAD_ARGUMENT", `.align ${n}: the alignment must be 1..${MAX_FILL}`, s.at, e.col, e.len, `write .align ${WORD_BYTES} for instructions`);
      return { size: (n - (pc % n)) % n };
    }
    case ".space": {
      const e = numberArg();
      const n = need(symbols.value(e, s, 1, ".space"));
      if (n < 0 || n > MAX_FILL) throw new Fail("ASM_BAD_ARGUMENT", `.space ${n}: the size must be 0..${MAX_FILL}`, s.at, e.col, e.len);
      return { size: n };
    }
    case ".word":
    case ".byte": {
      if (d.args.length === 0) throw new Fail("ASM_BAD_ARGUMENT", `${d.name} needs at least one value`, s.at, d.col, d.len);
      let n = 0;
      for (const a of d.args) {
        if (a.k === "str" && d.name === ".byte") n += a.bytes.length;
        else if (a.k === "imm") n += d.name === ".word" ? WORD_BYTES : 1;
        else throw new Fail("ASM_BAD_ARGUMENT", `${d.name} takes numbers${d.name === ".byte" ? " and strings" : ""}, not ${describeOperand(a)}`, s.at, a.col, a.len);
      }
      return { size: n };
    }
    case ".ascii":
    case ".string":
    case ".asciz": {
      if (d.args.length === 0) throw new Fail("ASM_BAD_ARGUMENT", `${d.name} needs a string`, s.at, d.col, d.len, `write ${d.name} "text"`);
      let n = 0;
      for (const a of d.args) {
        if (a.k !== "str") throw new Fail("ASM_BAD_ARGUMENT", `${d.name} takes strings, not ${describeOperand(a)}`, s.at, a.col, a.len, a.k === "imm" ? "use .byte for numbers" : undefined);
        n += a.bytes.length + (d.name === ".ascii" ? 0 : 1);
      }
      return { size: n };
    }
    case ".equ":
      return { size: 0 }; // parsed as a constant; never reaches here
  }
}

/** The bytes of a laid-out directive (pass 2); undefined when it emits nothing or a value failed (reported). */
export function directiveBytes(d: Directive, s: Stmt, symbols: SymbolTable, report: Report): number[] | undefined {
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
        const v = symbols.value(a.e, s, 2, d.name);
        if (v === undefined) { ok = false; continue; }
        if (d.name === ".word") {
          if (v < WORD_MIN || v > WORD_MAX) {
            report.add(new Fail("ASM_WORD_RANGE", `value ${v} does not fit in 32 bits`, s.at, a.col, a.len));
            ok = false;
          }
          bytes.push(...wordBytes(v));
        } else {
          if (v < BYTE_MIN || v > BYTE_MAX) {
            report.add(new Fail("ASM_BYTE_RANGE", `value ${v} does not fit in a byte (${BYTE_MIN}..${BYTE_MAX})`, s.at, a.col, a.len, "use .word for 32-bit values"));
            ok = false;
          }
          bytes.push(v & 0xff);
        }
      }
      return ok ? bytes : undefined;
    }
  }
}
