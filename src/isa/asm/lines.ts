// Logical lines: what the preprocessor hands the parser — each line's text with the file, line and include/expansion chain it came from.

/** One step of the chain that brought a line in: the `.include` line, or the macro call, that produced it. */
export interface AsmFrame {
  /** "include": `file:line` holds the `.include`; "macro": `file:line:column` holds the call of `macro`. */
  readonly kind: "include" | "macro";
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The macro called, as defined (kind "macro"). */
  readonly macro?: string;
  /** Where that macro's `.macro` line is (kind "macro"). */
  readonly definedAt?: { readonly file: string; readonly line: number };
}

/** A line as the assembler sees it after includes and macro expansion. */
export interface LogicalLine {
  /** The file the text comes from: the main file, an included file, or the file defining a macro. */
  readonly file: string;
  /** 1-based line in that file (for an expansion: the macro body line). */
  readonly line: number;
  /** The text to assemble (for an expansion: the body line with its parameters substituted). */
  readonly text: string;
  /** Innermost first: the expansion or include that produced this line, then the one that produced that, … */
  readonly from: readonly AsmFrame[];
  /** False for lines the preprocessor consumed (`.include`, macro definitions, conditionals and their skipped branches). */
  readonly code: boolean;
}

/** Split a file's text into lines (`\n`, `\r\n` and a lone `\r` all end a line). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}
