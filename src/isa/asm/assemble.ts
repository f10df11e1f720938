// The assembler's driver: options checked, then preprocess, parse, declare constants, lay out, encode and merge — every problem collected.
import { quote } from "../../core/errors.js";
import { AssemblyError, Fail, Report } from "./diagnostics.js";
import { layout } from "./layout.js";
import { ADDRESS_LIMIT } from "./limits.js";
import type { LogicalLine } from "./lines.js";
import { emit, makeProgram, mergeRuns, type Program } from "./output.js";
import { parseLines } from "./parser.js";
import { preprocess } from "./preprocess.js";
import type { SourceReader } from "./readers.js";
import { SymbolTable } from "./symbols.js";

/** Options for `assemble`. */
export interface AssembleOptions {
  /** File name used in diagnostics and the listing, and the folder `.include` paths start from (default `<input>`). */
  readonly file?: string;
  /** Address of the first statement (default 0). */
  readonly origin?: number;
  /** Predefined constants; they take precedence over `NAME = expr` in the source, which acts as a default. */
  readonly defines?: Readonly<Record<string, number>>;
  /**
   * Reads the files `.include` names, by their name resolved against the including file (e.g.
   * `readerFromDisk(process.cwd())`, or `readerFromMap({ "lib/io.s": "..." })`). Without it a source
   * may not include anything.
   */
  readonly readFile?: SourceReader;
}

/**
 * Assemble vmlab assembly into a Program.
 *
 * Throws AssemblyError carrying every diagnostic when the source has any problem; never throws
 * anything else for any source text.
 */
export function assemble(source: string, options: AssembleOptions = {}): Program {
  const file = options.file ?? "<input>";
  const origin = options.origin ?? 0;
  if (typeof source !== "string") {
    throw new AssemblyError([{ code: "ASM_BAD_OPTION", file, line: 0, column: 0, message: `the source must be a string, got ${typeof source}` }]);
  }
  const lines: LogicalLine[] = [];
  const report = new Report(lines, file);
  const optionError = (message: string): void => report.add(new Fail("ASM_BAD_OPTION", message, -1, 0));
  if (!Number.isInteger(origin) || origin < 0 || origin >= ADDRESS_LIMIT) {
    optionError(`origin ${String(origin)} is not an address (0..0xffffffff)`);
    report.throwIfAny();
  }
  const defines: [string, number][] = [];
  for (const [name, value] of Object.entries(options.defines ?? {})) {
    if (Number.isInteger(value)) defines.push([name, value]);
    else optionError(`define ${quote(name)} must be an integer, got ${String(value)}`);
  }

  const { macros } = preprocess(source, file, lines, report, options.readFile);
  const { stmts, labelNames } = parseLines(lines, report);
  const symbols = new SymbolTable(report, labelNames);
  for (const [name, value] of defines) symbols.predefine(name, value);
  symbols.declareConstants(stmts);
  layout(stmts, origin, symbols, report, macros);
  const { runs, listing } = emit(stmts, lines, symbols, report);
  const merged = mergeRuns(runs, report);
  report.throwIfAny();
  return makeProgram(merged, symbols.values(), listing, origin);
}
