// Numeric limits of the assembler: the encoding's field ranges, the address space, and caps that keep any input cheap to refuse.

/** A signed 16-bit field (immediates, memory displacements). */
export const I16_MIN = -32768;
export const I16_MAX = 32767;
/** An unsigned 16-bit field (port numbers and other unsigned immediates). */
export const U16_MAX = 65535;
/** Largest shift count: a 32-bit value shifts by 0..31. */
export const SHIFT_MAX = 31;
/** Largest interrupt vector. */
export const VECTOR_MAX = 255;
/** A 32-bit value may be written signed or unsigned: -2^31 .. 2^32 - 1. */
export const WORD_MIN = -(2 ** 31);
export const WORD_MAX = 2 ** 32 - 1;
/** A byte may be written signed or unsigned: -128 .. 255. */
export const BYTE_MIN = -128;
export const BYTE_MAX = 255;
/** Bytes in a word; instructions start at multiples of it. */
export const WORD_BYTES = 4;
/** One past the highest address. */
export const ADDRESS_LIMIT = 2 ** 32;

/** The largest single `.space`/`.align` fill, in bytes. */
export const MAX_FILL = 16 * 1024 * 1024;
/** The largest span `Program.image()` makes into one flat array, in bytes. */
export const MAX_IMAGE = 256 * 1024 * 1024;
/** Deepest nesting of parentheses and unary operators in an expression (parsing and evaluation recurse over it). */
export const MAX_EXPR_DEPTH = 100;
/** Most binary operators in the expressions of one line. */
export const MAX_EXPR_OPERATORS = 1000;
/** Deepest nesting of `.include` (a cycle is reported as such long before). */
export const MAX_INCLUDE_DEPTH = 64;
/** Deepest nesting of macro expansions (a macro calling itself must stop with `.ifb`/`.ifnb`). */
export const MAX_MACRO_DEPTH = 100;
/** Most lines all macro expansions of one assembly may produce together. */
export const MAX_EXPANDED_LINES = 200_000;
/** Frames of an include or expansion chain shown under a diagnostic before the rest is counted. */
export const MAX_FRAMES_SHOWN = 6;
