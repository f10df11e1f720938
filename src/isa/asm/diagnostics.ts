// Assembly diagnostics: a problem in flight (Fail), the collected report with its locations, and AssemblyError that renders them all.
import { type Diagnostic, formatDiagnostic, formatLocation, quote, VmlabError } from "../../core/errors.js";
import type { AsmCode } from "./codes.js";
import type { AsmFrame, LogicalLine } from "./lines.js";
import { MAX_FRAMES_SHOWN } from "./limits.js";

/** A problem found while assembling; `code` is one of ASM_CODES. */
export interface AsmDiagnostic extends Diagnostic {
  readonly code: AsmCode;
  /** The line as assembled (after macro substitution), shown under the message. */
  readonly lineText?: string;
  /** Innermost first: the macro call or `.include` that brought the line in, then what brought that in, … */
  readonly from?: readonly AsmFrame[];
}

/**
 * A diagnostic in flight: thrown inside a statement, caught and recorded by the statement loop. `at` is
 * the index of the logical line (-1: no line, e.g. a bad option).
 */
export class Fail {
  constructor(
    readonly code: AsmCode,
    readonly message: string,
    readonly at: number,
    readonly col: number,
    readonly len = 1,
    readonly hint?: string,
  ) {}
}

/** Thrown to abandon a statement whose problem was already reported. */
export class Silent {}

/** `0x1f` for messages. */
export function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

/** One frame of a chain, for a reader: `included from main.s:3`, `in macro 'SAVE' (lib.s:4), called from main.s:9`. */
export function describeFrame(f: AsmFrame): string {
  const at = `${f.file}:${f.line}`;
  if (f.kind === "include") return `included from ${at}`;
  const def = f.definedAt ? ` (${formatLocation(f.definedAt)})` : "";
  return `in macro ${quote(f.macro ?? "?")}${def}, called from ${at}`;
}

/** Render one diagnostic: location and message, the line with a caret, the chain that brought the line in, the hint. */
export function formatAsmDiagnostic(d: AsmDiagnostic, fallbackSource?: readonly string[]): string {
  let source = fallbackSource;
  if (d.lineText !== undefined) {
    const only: string[] = [];
    only[d.line - 1] = d.lineText;
    source = only;
  }
  const out = [formatDiagnostic({ ...d, hint: undefined }, source ? { source } : {})];
  const frames = d.from ?? [];
  for (const f of frames.slice(0, MAX_FRAMES_SHOWN)) out.push(`  ${describeFrame(f)}`);
  if (frames.length > MAX_FRAMES_SHOWN) out.push(`  … and ${frames.length - MAX_FRAMES_SHOWN} more`);
  if (d.hint) out.push(`hint: ${d.hint}`);
  return out.join("\n");
}

/** All diagnostics of a failed assembly; `message` renders each with its source line, caret, chain and hint. */
export class AssemblyError extends VmlabError {
  readonly diagnostics: readonly AsmDiagnostic[];

  /** `source` supplies the line under a diagnostic that carries no `lineText` of its own. */
  constructor(diagnostics: readonly AsmDiagnostic[], source = "") {
    const first = diagnostics[0] ?? { code: "ASM_INTERNAL", file: "<input>", line: 0, column: 0, message: "assembly failed" };
    const lines = source.split(/\r?\n/);
    const body = diagnostics.map((d) => formatAsmDiagnostic(d, lines)).join("\n");
    const summary = diagnostics.length > 1 ? `\n${diagnostics.length} errors` : "";
    super(first.code, body + summary, {
      where: { file: first.file, line: first.line, column: first.column, length: first.length },
      hint: first.hint,
    });
    this.diagnostics = diagnostics;
  }

  override format(): string {
    return this.message;
  }
}

/**
 * The diagnostics of one assembly, collected from every stage. A Fail names a logical line by index;
 * the report turns it into the line's file and line, its text and its chain.
 */
export class Report {
  private readonly found: { d: AsmDiagnostic; order: number }[] = [];

  /** `lines` is the preprocessor's output, filled while preprocessing runs; `file` names the main source. */
  constructor(
    private readonly lines: readonly LogicalLine[],
    private readonly file: string,
  ) {}

  get count(): number {
    return this.found.length;
  }

  add(f: Fail): void {
    const l = this.lines[f.at];
    const where = l ? { file: l.file, line: l.line, lineText: l.text, ...(l.from.length ? { from: l.from } : {}) } : { file: this.file, line: 0 };
    this.found.push({
      d: { code: f.code, ...where, column: f.col, message: f.message, ...(f.hint ? { hint: f.hint } : {}), length: f.len },
      order: f.at,
    });
  }

  /** Record an exception a stage caught: a Fail as itself, a Silent as nothing (already reported), anything else as an assembler bug. */
  caught(err: unknown, at: number): void {
    if (err instanceof Fail) this.add(err);
    else if (!(err instanceof Silent)) this.add(new Fail("ASM_INTERNAL", `internal assembler error: ${String(err)}`, at, 1));
  }

  /** Where line `at` is, as a person refers to it from line `from`: `line 3` in the same file, else `lib.s:3`; an expansion names its call. */
  where(at: number, from?: number): string {
    const l = this.lines[at];
    if (!l) return "by options.defines";
    const here = from === undefined ? undefined : this.lines[from];
    const place = here && here.file === l.file ? `line ${l.line}` : formatLocation(l);
    const call = l.from.find((f) => f.kind === "macro");
    return call ? `${place} (in macro ${quote(call.macro ?? "?")} called from ${call.file}:${call.line})` : place;
  }

  /** The macro whose expansion produced line `at` (the innermost), if any. */
  macroAt(at: number): string | undefined {
    return this.lines[at]?.from.find((f) => f.kind === "macro")?.macro;
  }

  /** Throw every diagnostic as one AssemblyError, in source order, if there is any. */
  throwIfAny(): void {
    if (!this.found.length) return;
    const sorted = [...this.found].sort((x, y) => x.order - y.order || x.d.column - y.d.column);
    throw new AssemblyError(sorted.map((x) => x.d));
  }
}
