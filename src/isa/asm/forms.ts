// Instruction forms: which table row a mnemonic with these operand kinds is, the syntax of each form, and the values its immediate takes.
import { formatLocation, quote } from "../../core/errors.js";
import { suggest } from "../../core/suggest.js";
import { ALIASES, BY_MNEMONIC, type InstructionSpec, type OperandKind } from "../table.js";
import type { AsmCode } from "./codes.js";
import { Fail } from "./diagnostics.js";
import { I16_MAX, I16_MIN, SHIFT_MAX, U16_MAX, VECTOR_MAX, WORD_MAX, WORD_MIN } from "./limits.js";
import type { Insn, Operand } from "./syntax.js";

/** Placeholder names of unsigned immediates in the syntax of a form. */
const PLACEHOLDER_IMM: Record<string, string> = { in: "port", out: "port", int: "vector", shl: "count", shr: "count", sar: "count" };
const SHIFTS = new Set(["shl", "shr", "sar"]);

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
  if (spec.operands.includes("i32")) return { lo: WORD_MIN, hi: WORD_MAX, code: "ASM_WORD_RANGE" };
  if (spec.operands.includes("mem")) return { lo: I16_MIN, hi: I16_MAX, code: "ASM_DISP_RANGE" };
  if (spec.operands.includes("i16")) return { lo: I16_MIN, hi: I16_MAX, code: "ASM_IMM16_RANGE" };
  if (spec.operands.includes("u16")) {
    if (SHIFTS.has(spec.mnemonic)) return { lo: 0, hi: SHIFT_MAX, code: "ASM_SHIFT_RANGE" };
    if (spec.mnemonic === "int") return { lo: 0, hi: VECTOR_MAX, code: "ASM_VECTOR_RANGE" };
    return { lo: 0, hi: U16_MAX, code: "ASM_UIMM16_RANGE" };
  }
  return undefined;
}

/** The macros an assembly defined, as far as an unknown mnemonic's diagnostic needs them. */
export interface KnownMacros {
  /** Every macro name, as defined. */
  names(): Iterable<string>;
  /** The macro of this name (any case), and where its `.macro` is. */
  find(name: string): { readonly name: string; readonly file: string; readonly line: number } | undefined;
}

/** The form of an instruction: its mnemonic (or alias) and the kinds of its operands; throws a Fail naming the forms there are. */
export function chooseForm(b: Insn, at: number, macros: KnownMacros): InstructionSpec {
  const mnemonic = ALIASES[b.mnemonic] ?? b.mnemonic;
  const forms = BY_MNEMONIC.get(mnemonic);
  if (!forms) throw unknownMnemonic(b, at, macros);
  const classes = b.operands.map((o) => o.k);
  const form = forms.find((f) => f.operands.length === classes.length && f.operands.every((k, i) => kindClass(k) === classes[i]));
  if (!form) {
    const got = b.operands.length ? b.operands.map(describeOperand).join(", ") : "no operands";
    throw new Fail("ASM_BAD_OPERANDS", `no form of ${quote(b.written)} takes ${got}`, at, b.col, b.len,
      `${mnemonic} takes: ${forms.map(formSyntax).join(" | ")}`);
  }
  return form;
}

/** An unknown head word: a macro called above its definition, a misspelt macro, or a misspelt mnemonic. */
function unknownMnemonic(b: Insn, at: number, macros: KnownMacros): Fail {
  const later = macros.find(b.mnemonic);
  if (later) {
    return new Fail("ASM_UNKNOWN_MACRO", `macro ${quote(b.written)} is called before its definition (${formatLocation(later)})`, at, b.col, b.len,
      "define a macro above its first call: move the .macro block up, or .include its file earlier");
  }
  const macroNames = new Set(macros.names());
  const best = suggest(b.mnemonic, [...BY_MNEMONIC.keys(), ...Object.keys(ALIASES), ...macroNames]);
  const guess = best === undefined ? undefined : `did you mean ${quote(best)}?`;
  if (best !== undefined && macroNames.has(best)) return new Fail("ASM_UNKNOWN_MACRO", `unknown macro ${quote(b.written)}`, at, b.col, b.len, guess);
  const hint = guess ?? (b.operands.length === 0 ? `a label needs a trailing ':' (${b.written}:)` : undefined);
  return new Fail("ASM_UNKNOWN_MNEMONIC", `unknown mnemonic ${quote(b.written)}`, at, b.col, b.len, hint);
}

/** Which operand class fills an operand kind of the table. */
function kindClass(k: OperandKind): Operand["k"] {
  switch (k) {
    case "a": case "b": case "c": return "reg";
    case "i16": case "u16": case "i32": return "imm";
    case "mem": return "mem";
    case "cr": return "cr";
    case "cs": return "cs";
  }
}

/** An operand's class in words, for messages. */
export function describeOperand(o: Operand): string {
  switch (o.k) {
    case "reg": return "a register";
    case "cr": return "a control register";
    case "cs": return "cs";
    case "mem": return "a memory operand";
    case "imm": return "a number";
    case "str": return "a string";
  }
}
