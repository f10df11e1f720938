// VmlabError: the one error shape of the project — a stable code, the cause, where it happened and the fix.
//
// Every failure a person can act on (an assembly mistake, a bad lab.yaml, a missing handler, a grader
// timeout) is a VmlabError or a subclass. Programs branch on `code`, never on the message text; the CLI
// prints `format()`. Codes are SCREAMING_SNAKE_CASE with a prefix naming the part that raised them
// (`ASM_`, `LAB_`, `VMM_`, ...) and never change meaning once published.

/** A place in a source file; `line` and `column` are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  /** How many characters the caret line underlines (default 1). */
  readonly length?: number;
}

/** What a VmlabError carries besides its code and message. */
export interface VmlabErrorOptions {
  /** Where the problem is, when it has a source position. */
  readonly where?: SourceLocation;
  /** The fix, phrased as advice ("did you mean 'ld'?", "add `.align 4` before it"). */
  readonly hint?: string;
  /** The underlying error, when this one wraps another. */
  readonly cause?: unknown;
}

/** One problem found in a source file; loaders and the assembler collect these and report them all at once. */
export interface Diagnostic {
  readonly code: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint?: string;
  /** How many characters the caret line underlines (default 1). */
  readonly length?: number;
}

/** Options for rendering a diagnostic or error. */
export interface FormatOptions {
  /** The whole source text (or its lines), so the offending line and a caret can be shown. */
  readonly source?: string | readonly string[];
}

/**
 * The brand every VmlabError carries. A registered symbol, so an error made by another copy of this module
 * (the sandbox child runs dist/ while tests import src/; a handout vendors its own) is still recognised.
 */
const BRAND = Symbol.for("vmlab.error");

/** Base class of every error vmlab raises on purpose. */
export class VmlabError extends Error {
  /** Stable machine-readable code, e.g. `ASM_UNKNOWN_MNEMONIC`. */
  readonly code: string;
  readonly where?: SourceLocation;
  readonly hint?: string;

  constructor(code: string, message: string, options: VmlabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
    if (options.where) this.where = options.where;
    if (options.hint !== undefined) this.hint = options.hint;
  }

  /** Human-readable text for a terminal: `file:line:col: error: message`, the source line with a caret, then `hint: ...`. */
  format(options: FormatOptions = {}): string {
    const w = this.where;
    if (!w) return this.hint ? `error: ${this.message}\nhint: ${this.hint}` : `error: ${this.message}`;
    return formatDiagnostic(
      { code: this.code, file: w.file, line: w.line, column: w.column ?? 0, message: this.message, hint: this.hint, length: w.length },
      options,
    );
  }

  /** Plain data for JSON reporters (the grader, `--json` CLI output). */
  toJSON(): { name: string; code: string; message: string; where?: SourceLocation; hint?: string } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.where ? { where: this.where } : {}),
      ...(this.hint !== undefined ? { hint: this.hint } : {}),
    };
  }
}

/** Is this value a VmlabError — by its brand, so also one made by another copy of this module? */
export function isVmlabError(value: unknown): value is VmlabError {
  return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true && typeof (value as { code?: unknown }).code === "string";
}

/** `file:line:col` (column omitted when 0 or absent). */
export function formatLocation(where: { file: string; line: number; column?: number }): string {
  return where.column ? `${where.file}:${where.line}:${where.column}` : `${where.file}:${where.line}`;
}

/** Longest text quoted in a message before it is clipped. */
const QUOTE_LIMIT = 40;
/** Longest source line shown under a diagnostic before it is cut to a window around the column. */
const LINE_LIMIT = 160;

/** A piece of input in quotes for a message, clipped when long (a megabyte token is not echoed back whole). */
export function quote(text: string): string {
  if (text.length <= QUOTE_LIMIT) return `'${text}'`;
  return `'${text.slice(0, QUOTE_LIMIT - 10)}…' (${text.length.toLocaleString("en-US")} characters)`;
}

/**
 * Render one diagnostic, compiler style:
 *
 *     guest.s:12:9: error: unknown mnemonic 'ldw'
 *        12 |         ldw r1, [r2]
 *           |         ^^^
 *     hint: did you mean 'ld'?
 *
 * The source line and caret appear only when `options.source` is given and holds that line. Tabs in the
 * source are kept in the caret line so the caret sits under the right character.
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const out = [`${formatLocation(d)}: error: ${d.message}`];
  const lines = typeof options.source === "string" ? options.source.split(/\r?\n/) : options.source;
  const full = lines?.[d.line - 1];
  if (full !== undefined) {
    const gutter = String(d.line);
    const pad = " ".repeat(gutter.length);
    // A long line is shown as a window around the column, so a megabyte line is not printed whole.
    let from = 0;
    let text = full;
    if (full.length > LINE_LIMIT) {
      from = Math.max(0, Math.min(Math.max(0, d.column - 1) - 40, full.length - LINE_LIMIT));
      text = (from > 0 ? "…" : "") + full.slice(from, from + LINE_LIMIT) + (from + LINE_LIMIT < full.length ? "…" : "");
    }
    out.push(` ${gutter} | ${text}`);
    if (d.column > 0) {
      const shift = from > 0 ? 1 - from : 0;
      const lead = text.slice(0, d.column - 1 + shift).replace(/[^\t]/g, " ");
      const len = Math.max(1, Math.min(d.length ?? 1, Math.max(1, text.length - (d.column - 1 + shift))));
      out.push(` ${pad} | ${lead}${"^".repeat(len)}`);
    }
  }
  if (d.hint) out.push(`hint: ${d.hint}`);
  return out.join("\n");
}
