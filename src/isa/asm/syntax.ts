// The syntax tree of one line: expressions, operands, instructions, directives, constants, labels, and the statement that holds them.
import type { InstructionSpec } from "../table.js";

/** The directives the parser knows (the preprocessor's are in PREPROCESSOR_DIRECTIVES). */
export const DIRECTIVES = [".org", ".align", ".word", ".byte", ".string", ".asciz", ".ascii", ".space", ".equ"] as const;
export type DirectiveName = (typeof DIRECTIVES)[number];

/** The directives the preprocessor consumes before any line is parsed. */
export const PREPROCESSOR_DIRECTIVES = [".include", ".macro", ".endm", ".ifb", ".ifnb", ".else", ".endif"] as const;
export type PreprocessorDirective = (typeof PREPROCESSOR_DIRECTIVES)[number];

/** An expression; `col` and `len` span its text in the line. */
export type Expr =
  | { readonly k: "num"; readonly v: number; readonly col: number; readonly len: number }
  | { readonly k: "sym"; readonly name: string; readonly written: string; readonly col: number; readonly len: number }
  | { readonly k: "dot"; readonly col: number; readonly len: number }
  | { readonly k: "un"; readonly op: string; readonly e: Expr; readonly col: number; readonly len: number }
  | { readonly k: "bin"; readonly op: string; readonly l: Expr; readonly r: Expr; readonly col: number; readonly len: number; readonly opCol: number };

/** An instruction operand or directive argument. */
export type Operand =
  | { readonly k: "reg"; readonly r: number; readonly col: number; readonly len: number }
  | { readonly k: "cr"; readonly index: number; readonly col: number; readonly len: number }
  | { readonly k: "cs"; readonly col: number; readonly len: number }
  | { readonly k: "mem"; readonly base: number; readonly disp?: Expr; readonly col: number; readonly len: number }
  | { readonly k: "imm"; readonly e: Expr; readonly col: number; readonly len: number }
  | { readonly k: "str"; readonly bytes: readonly number[]; readonly col: number; readonly len: number };

export interface Insn {
  readonly kind: "insn";
  /** Lower case, as looked up in the table. */
  readonly mnemonic: string;
  /** As written, for messages. */
  readonly written: string;
  readonly col: number;
  readonly len: number;
  readonly operands: readonly Operand[];
}

export interface Directive {
  readonly kind: "dir";
  readonly name: DirectiveName;
  readonly col: number;
  readonly len: number;
  readonly args: readonly Operand[];
}

/** `NAME = expr` or `.equ NAME, expr`. */
export interface Const {
  readonly kind: "const";
  readonly name: string;
  readonly col: number;
  readonly len: number;
  readonly e: Expr;
}

export interface Label {
  /** Full name: a local `.loop` under its global label, as `global.loop`. */
  readonly name: string;
  readonly col: number;
  readonly len: number;
}

/** One parsed line that defines labels or has a body; layout fills in where it goes. */
export interface Stmt {
  /** Index of its logical line. */
  readonly at: number;
  readonly text: string;
  readonly labels: readonly Label[];
  readonly body?: Insn | Directive | Const;
  /** Filled by the layout pass. */
  address: number;
  size: number;
  form?: InstructionSpec;
  /** The layout pass rejected it; encoding skips it. */
  bad: boolean;
}
