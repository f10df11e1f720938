// The assembler's diagnostic codes: stable, so tests and tools may branch on them.

/** Diagnostic codes of the assembler, each with the short phrase it stands for. */
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
  /** `.include` of a file the reader does not have (or an assembly given no reader). */
  ASM_INCLUDE_NOT_FOUND: "included file not found",
  /** `.include` of a file the reader failed to read (a folder, no permission). */
  ASM_INCLUDE_UNREADABLE: "included file unreadable",
  /** A file that includes itself, directly or through others. */
  ASM_INCLUDE_CYCLE: "include cycle",
  /** Includes nested more than 64 deep. */
  ASM_INCLUDE_DEPTH: "includes nested too deep",
  /** A call of a macro that is not defined (yet): misspelt, or used before its `.macro`. */
  ASM_UNKNOWN_MACRO: "unknown macro",
  /** A macro called with the wrong number of arguments. */
  ASM_MACRO_ARGS: "wrong number of macro arguments",
  /** A bad macro definition: its name, its parameters, or a `\name` in its body that is no parameter. */
  ASM_BAD_MACRO: "bad macro definition",
  /** Two different macros of the same name. */
  ASM_DUPLICATE_MACRO: "duplicate macro",
  /** Macro expansions nested more than 100 deep (a macro calling itself without end), or more than 200,000 lines of them. */
  ASM_MACRO_DEPTH: "macro expansion too deep",
  /** A `.macro` without its `.endm` in the same file. */
  ASM_UNCLOSED_MACRO: "unclosed macro",
  /** An `.ifb`/`.ifnb` without its `.endif` in the same file or expansion. */
  ASM_UNCLOSED_CONDITIONAL: "unclosed conditional",
  /** An `.endm`, `.else` or `.endif` that closes nothing. */
  ASM_UNMATCHED: "unmatched end of block",
  /** A bug in the assembler itself, reported instead of a raw exception. */
  ASM_INTERNAL: "internal assembler error",
} as const;
export type AsmCode = keyof typeof ASM_CODES;
