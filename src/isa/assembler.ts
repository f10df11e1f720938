// vmlab's assembler, its public face: source text in, a Program (segments, symbols, entry, listing) out.
//
// The pieces live in src/isa/asm/, one concept each: the preprocessor (`.include`, `.macro`, `.ifb`)
// turns the source into logical lines; the lexer and parser read each line once; the symbol table
// computes constants on demand; the layout pass gives every statement an address (an instruction's size
// depends only on its form, and the form only on its operand kinds, so every label is known after it);
// the output pass evaluates, range-checks and encodes through encoding.ts. Every problem becomes a
// diagnostic with a stable code, and all of them are thrown together as one AssemblyError.
// The syntax is described in src/isa/README.md.
export { assemble, type AssembleOptions } from "./asm/assemble.js";
export { ASM_CODES, type AsmCode } from "./asm/codes.js";
export { type AsmDiagnostic, AssemblyError } from "./asm/diagnostics.js";
export { formSyntax, immediateRange } from "./asm/forms.js";
export { inlineIncludes, type InlineOptions } from "./asm/inline.js";
export type { AsmFrame } from "./asm/lines.js";
export { MAX_EXPR_DEPTH, MAX_EXPR_OPERATORS } from "./asm/limits.js";
export { parseRegister } from "./asm/names.js";
export type { Program, Segment, SourceLine } from "./asm/output.js";
export { readerFromDisk, readerFromMap, resolveInclude, type SourceReader } from "./asm/readers.js";
