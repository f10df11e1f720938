// The preprocessor: `.include`, `.macro`/`.endm` and `.ifb`/`.ifnb`/`.else`/`.endif`, turning a source into the logical lines the parser reads.
//
// It reads line by line, in source order: an `.include` splices the named file in (relative to the
// including file, refusing cycles), a `.macro` block is recorded, a call of a recorded macro is
// replaced by its body with the arguments substituted (and expanded again, so macros may call macros),
// and a conditional keeps or drops its lines by whether its argument text is blank. Every line it reads
// becomes a LogicalLine, consumed ones marked, so any diagnostic can point at any line with the chain
// of includes and expansions that brought it in.
import { quote } from "../../core/errors.js";
import type { AsmCode } from "./codes.js";
import { Fail, type Report } from "./diagnostics.js";
import { type Token, tokenize } from "./lexer.js";
import { MAX_EXPANDED_LINES, MAX_INCLUDE_DEPTH, MAX_MACRO_DEPTH } from "./limits.js";
import type { AsmFrame, LogicalLine } from "./lines.js";
import { splitLines } from "./lines.js";
import { type BodyLine, type CallArgs, checkMacroName, type Macro, parseCallArgs, parseMacroHeader, signature, substitute } from "./macros.js";
import { resolveInclude, type SourceReader } from "./readers.js";
import { PREPROCESSOR_DIRECTIVES, type PreprocessorDirective } from "./syntax.js";

/** The macros of an assembly by lower-case name, and how to find one for a diagnostic. */
export class MacroTable {
  private readonly byKey = new Map<string, Macro>();

  get(name: string): Macro | undefined {
    return this.byKey.get(name.toLowerCase());
  }

  set(m: Macro): void {
    this.byKey.set(m.name.toLowerCase(), m);
  }

  names(): string[] {
    return [...this.byKey.values()].map((m) => m.name);
  }

  find(name: string): { name: string; file: string; line: number } | undefined {
    return this.get(name);
  }
}

/** One line of a stream: a file's line, or a macro body line after substitution. */
interface Item {
  readonly text: string;
  readonly line: number;
}

/** Where a stream of lines comes from and what encloses it. */
interface Stream {
  /** The file its lines are in (for an expansion: the file defining the macro). */
  readonly file: string;
  readonly from: readonly AsmFrame[];
  /** Normalised names of the files being included, outermost first (the main file first). */
  readonly chain: readonly string[];
  readonly macroDepth: number;
}

/** An open `.ifb`/`.ifnb`. */
interface Conditional {
  readonly at: number;
  readonly name: string;
  /** Its lines are kept (in the current branch). */
  active: boolean;
  /** It sits in a dropped branch: both its branches are dropped. */
  readonly inert: boolean;
  sawElse: boolean;
}

/** A `.macro` being recorded. */
interface Recording {
  readonly at: number;
  readonly line: number;
  readonly header?: { readonly name: string; readonly params: readonly string[]; readonly vararg: boolean };
  readonly body: BodyLine[];
  /** Its header failed (reported): calls of it expand to nothing. */
  readonly broken?: boolean;
}

/** The first word after any labels: a preprocessor directive or a macro name is only ever there. */
const HEAD_WORD = /^\s*(?:[A-Za-z_.$][A-Za-z0-9_.$]*\s*:\s*)*([A-Za-z_.$][A-Za-z0-9_.$]*)/;
const isPreprocessorDirective = (word: string): word is PreprocessorDirective => (PREPROCESSOR_DIRECTIVES as readonly string[]).includes(word);
const NO_FRAMES: readonly AsmFrame[] = [];

/** What the preprocessor leaves besides the logical lines: the macros defined. */
export interface Preprocessed {
  readonly macros: MacroTable;
}

/**
 * Preprocess `source` (named `file`) into `lines`, which the report reads for locations; problems go to
 * the report. `readFile` serves `.include`; without it an include is an error.
 */
export function preprocess(source: string, file: string, lines: LogicalLine[], report: Report, readFile: SourceReader | undefined): Preprocessed {
  const p = new Preprocessor(lines, report, readFile);
  p.stream(splitLines(source).map((text, i) => ({ text, line: i + 1 })), { file, from: NO_FRAMES, chain: [resolveInclude(".", file)], macroDepth: 0 });
  return { macros: p.macros };
}

class Preprocessor {
  readonly macros = new MacroTable();
  /** Expansions so far: `\@` of the next one. */
  private expansions = 0;
  private expandedLines = 0;
  /** Expansion stopped for good (runaway recursion or too many lines), already reported. */
  private stopped = false;

  constructor(
    private readonly lines: LogicalLine[],
    private readonly report: Report,
    private readonly readFile: SourceReader | undefined,
  ) {}

  private push(s: Stream, item: Item, code: boolean, text = item.text): number {
    this.lines.push({ file: s.file, line: item.line, text, from: s.from, code });
    return this.lines.length - 1;
  }

  private fail(code: AsmCode, message: string, at: number, t: { col: number; len: number } | undefined, hint?: string): void {
    this.report.add(new Fail(code, message, at, t?.col ?? 1, t?.len ?? 1, hint));
  }

  stream(items: readonly Item[], s: Stream): void {
    const conds: Conditional[] = [];
    let rec: Recording | undefined;
    for (const item of items) {
      if (rec) {
        const directive = HEAD_WORD.exec(item.text)?.[1]?.toLowerCase();
        const at = this.push(s, item, false);
        if (directive === ".endm") {
          this.define(rec, s, at, item);
          rec = undefined;
        } else if (directive === ".macro") {
          this.fail("ASM_BAD_MACRO", `a .macro inside the body of ${rec.header ? `macro ${quote(rec.header.name)}` : "a macro"} (line ${rec.line}): macros cannot be nested`, at,
            { col: item.text.toLowerCase().indexOf(".macro") + 1, len: 6 }, "close the first macro with .endm before the next .macro");
        } else {
          rec.body.push({ text: item.text, line: item.line, at });
        }
        continue;
      }
      const dropping = conds.some((c) => !c.active);
      const word = HEAD_WORD.exec(item.text)?.[1]?.toLowerCase();
      if (word === undefined || !(isPreprocessorDirective(word) || (!dropping && this.macros.get(word)))) {
        this.push(s, item, !dropping); // most lines: nothing for the preprocessor, and no need to tokenize them twice
        continue;
      }
      let toks: Token[];
      try {
        toks = tokenize(item.text, this.lines.length);
      } catch {
        this.push(s, item, !dropping); // the parser reports what does not tokenize
        continue;
      }
      let i = 0;
      while (toks[i]?.kind === "ident" && toks[i + 1]?.kind === "punct" && toks[i + 1]!.text === ":") i += 2;
      const head = toks[i];
      const name = head?.kind === "ident" ? head.text.toLowerCase() : undefined;
      const directive = name !== undefined && isPreprocessorDirective(name) ? name : undefined;
      const macro = head && name !== undefined && !directive && !name.startsWith(".") && !(toks[i + 1]?.kind === "punct" && toks[i + 1]!.text === "=") ? this.macros.get(name) : undefined;
      if (dropping) {
        const at = this.push(s, item, false);
        if (directive) this.conditional(directive, conds, at, head!, toks.slice(i + 1), true);
        continue;
      }
      if (!directive && !macro) {
        this.push(s, item, true);
        continue;
      }
      if (i > 0) this.push(s, item, true, item.text.slice(0, head!.col - 1)); // the labels before it
      const at = this.push(s, item, false);
      const args = toks.slice(i + 1);
      if (macro) this.call(macro, head!, args, item, at, s);
      else if (directive === ".include") this.include(head!, args, item, at, s);
      else if (directive === ".macro") {
        try {
          rec = { at, line: item.line, header: parseMacroHeader(args, at, head!), body: [] };
        } catch (e) {
          this.report.caught(e, at);
          // Still consume the body up to its .endm; a macro whose name is fine is entered broken, so its calls do not cascade.
          const nameTok = args[0];
          const named = nameTok?.kind === "ident" && tokenIsMacroName(nameTok, at);
          rec = { at, line: item.line, body: [], ...(named ? { header: { name: nameTok.text, params: [], vararg: false }, broken: true } : {}) };
        }
      } else if (directive === ".endm") this.fail("ASM_UNMATCHED", "'.endm' without a '.macro'", at, head, "a macro starts with .macro NAME params");
      else this.conditional(directive!, conds, at, head!, args, false);
    }
    if (rec) {
      const what = rec.header ? `macro ${quote(rec.header.name)}` : "this .macro";
      this.fail("ASM_UNCLOSED_MACRO", `${what} is not closed: no '.endm' before the end of ${s.file}`, rec.at,
        undefined, "end the macro body with a line .endm (a macro starts and ends in the same file)");
    }
    for (const c of conds) {
      this.fail("ASM_UNCLOSED_CONDITIONAL", `'${c.name}' is not closed: no '.endif' before the end of ${s.from[0]?.kind === "macro" ? `the expansion of macro ${quote(s.from[0].macro ?? "")}` : s.file}`, c.at,
        undefined, "end it with .endif (a conditional starts and ends in the same file or macro body)");
    }
  }

  /** `.ifb`, `.ifnb`, `.else`, `.endif`; `dropping`: the line is in a dropped branch. */
  private conditional(d: PreprocessorDirective, conds: Conditional[], at: number, head: Token, args: readonly Token[], dropping: boolean): void {
    if (d === ".ifb" || d === ".ifnb") {
      const blank = args.length === 0;
      conds.push({ at, name: d, active: !dropping && blank === (d === ".ifb"), inert: dropping, sawElse: false });
      return;
    }
    if (dropping && d !== ".else" && d !== ".endif") return; // .include, .macro, .endm in a dropped branch: dropped
    if (args.length) this.fail("ASM_SYNTAX", `unexpected ${quote(args[0]!.text)} after ${d}`, at, args[0], `${d} stands alone on its line`);
    const top = conds[conds.length - 1];
    if (!top) {
      this.fail("ASM_UNMATCHED", `'${d}' without an '.ifb' or '.ifnb'`, at, head, "a conditional is .ifb ARG or .ifnb ARG, then lines, [.else, lines,] .endif");
      return;
    }
    if (d === ".endif") {
      conds.pop();
      return;
    }
    if (top.sawElse) {
      this.fail("ASM_UNMATCHED", `a second '.else' for the '${top.name}' at line ${this.lines[top.at]?.line}`, at, head, "a conditional has at most one .else");
      return;
    }
    top.sawElse = true;
    if (!top.inert) top.active = !top.active;
  }

  /** `.include "path"`: the file's lines, relative to the including file, unless that would close a cycle. */
  private include(head: Token, args: readonly Token[], item: Item, at: number, s: Stream): void {
    const arg = args[0];
    if (args.length !== 1 || arg?.kind !== "str") {
      this.fail("ASM_BAD_ARGUMENT", ".include takes one file name in double quotes", at, arg ?? head, 'write .include "lib/console.s"');
      return;
    }
    const path = new TextDecoder().decode(Uint8Array.from(arg.bytes ?? []));
    if (!this.readFile) {
      this.fail("ASM_INCLUDE_NOT_FOUND", `cannot include ${quote(path)}: this assembly was given no way to read files`, at, arg,
        "pass readFile in the options: readerFromDisk(folder) for files on disk, readerFromMap({...}) for files in memory");
      return;
    }
    const name = resolveInclude(s.file, path);
    const cycle = s.chain.indexOf(name);
    if (cycle >= 0) {
      const chain = [...s.chain.slice(cycle), name].join(" → ");
      this.fail("ASM_INCLUDE_CYCLE", `${quote(name)} includes itself: ${chain}`, at, arg, "remove the .include that closes the cycle (a file may be included only where it is not already being read)");
      return;
    }
    if (s.chain.length > MAX_INCLUDE_DEPTH) {
      this.fail("ASM_INCLUDE_DEPTH", `includes nested more than ${MAX_INCLUDE_DEPTH} deep`, at, arg, "include the shared files from fewer levels");
      return;
    }
    let text: string | undefined;
    try {
      text = this.readFile(name);
    } catch (e) {
      this.fail("ASM_INCLUDE_UNREADABLE", `cannot read ${quote(name)}: ${e instanceof Error ? e.message : String(e)}`, at, arg);
      return;
    }
    if (typeof text !== "string") {
      const relative = path.startsWith("/") ? "" : ` (include paths are relative to the including file, ${s.file})`;
      this.fail("ASM_INCLUDE_NOT_FOUND", `cannot include ${quote(path)}: looked for ${quote(name)}, which does not exist`, at, arg, `check the file name${relative}`);
      return;
    }
    const frame: AsmFrame = { kind: "include", file: s.file, line: item.line, column: head.col };
    this.stream(splitLines(text).map((t, i) => ({ text: t, line: i + 1 })), { file: name, from: [frame, ...s.from], chain: [...s.chain, name], macroDepth: s.macroDepth });
  }

  /** `.endm`: check the body's references and enter the macro (an identical redefinition is accepted, so a macro file may be included twice). */
  private define(rec: Recording, s: Stream, at: number, item: Item): void {
    const endm = tokenizeQuietly(item.text, at);
    if (endm && endm.length > 1) this.fail("ASM_SYNTAX", `unexpected ${quote(endm[1]!.text)} after .endm`, at, endm[1], ".endm stands alone on its line");
    const h = rec.header;
    if (!h) return;
    let broken = rec.broken === true;
    const probe = new Map(h.params.map((p) => [p, ""]));
    for (const b of broken ? [] : rec.body) {
      try {
        substitute(b.text, probe, "0", b.at);
      } catch (e) {
        this.report.caught(e, b.at);
        broken = true;
      }
    }
    const macro: Macro = { ...h, body: rec.body, file: s.file, line: rec.line, at: rec.at, broken };
    const old = this.macros.get(h.name);
    if (!old) {
      this.macros.set(macro);
      return;
    }
    const same = old.params.join() === h.params.join() && old.vararg === h.vararg && old.body.length === rec.body.length && old.body.every((b, i) => b.text === rec.body[i]!.text);
    if (!same) {
      this.fail("ASM_DUPLICATE_MACRO", `macro ${quote(h.name)} is defined twice, differently`, rec.at, undefined,
        `first defined at ${this.report.where(old.at, rec.at)}; rename one of them (a macro may be defined again only with the same parameters and body)`);
    }
  }

  /** A macro call: check the arguments, substitute them into the body, and read the result as a stream of its own. */
  private call(m: Macro, head: Token, args: readonly Token[], item: Item, at: number, s: Stream): void {
    if (m.broken || this.stopped) return;
    let parsed: CallArgs;
    try {
      parsed = parseCallArgs(args, item.text, at, m.name);
    } catch (e) {
      this.report.caught(e, at);
      return;
    }
    const { texts, spans } = parsed;
    const fixed = m.vararg ? m.params.length - 1 : m.params.length;
    if (m.vararg ? texts.length < fixed : texts.length !== fixed) {
      const count = (n: number) => `${n} argument${n === 1 ? "" : "s"}`;
      const takes = m.vararg ? `at least ${count(fixed)}` : count(fixed);
      this.fail("ASM_MACRO_ARGS", `macro ${quote(m.name)} takes ${takes}, got ${texts.length}`, at, head,
        `call it as ${signature(m)} (defined at ${this.report.where(m.at, at)})`);
      return;
    }
    if (s.macroDepth >= MAX_MACRO_DEPTH) {
      this.stopped = true;
      this.fail("ASM_MACRO_DEPTH", `macro expansions nested more than ${MAX_MACRO_DEPTH} deep`, at, head,
        `does ${quote(m.name)} call itself without end? End the recursion with .ifb/.ifnb on an argument`);
      return;
    }
    if (this.expandedLines + m.body.length > MAX_EXPANDED_LINES) {
      this.stopped = true;
      this.fail("ASM_MACRO_DEPTH", `macro expansions produced more than ${MAX_EXPANDED_LINES.toLocaleString("en-US")} lines`, at, head, "expand fewer macros, or fewer times");
      return;
    }
    this.expandedLines += m.body.length;
    const values = new Map(m.params.slice(0, fixed).map((p, i) => [p, texts[i]!]));
    if (m.vararg) {
      // The rest as written, commas and spacing included, so it can be passed on to another call.
      const first = spans[fixed];
      const last = spans[spans.length - 1]!;
      values.set(m.params[fixed]!, first ? item.text.slice(first.col - 1, last.col - 1 + last.len) : "");
    }
    const unique = String(this.expansions++);
    const body: Item[] = [];
    for (const b of m.body) {
      try {
        body.push({ text: substitute(b.text, values, unique, b.at), line: b.line });
      } catch (e) {
        this.report.caught(e, b.at);
        return;
      }
    }
    const frame: AsmFrame = { kind: "macro", file: s.file, line: item.line, column: head.col, macro: m.name, definedAt: { file: m.file, line: m.line } };
    this.stream(body, { file: m.file, from: [frame, ...s.from], chain: s.chain, macroDepth: s.macroDepth + 1 });
  }
}

/** Whether a token could name a macro (its problems are someone else's to report). */
function tokenIsMacroName(t: Token, at: number): boolean {
  try {
    checkMacroName(t, at);
    return true;
  } catch {
    return false;
  }
}

function tokenizeQuietly(text: string, at: number): Token[] | undefined {
  try {
    return tokenize(text, at);
  } catch {
    return undefined;
  }
}
