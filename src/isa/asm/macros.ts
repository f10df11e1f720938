// Macros: a `.macro` header's name and parameters, the `\name`, `\@` and `\()` references of its body, and a call's arguments.
import { quote } from "../../core/errors.js";
import { didYouMean } from "../../core/suggest.js";
import { ALIASES, BY_MNEMONIC } from "../table.js";
import { Fail } from "./diagnostics.js";
import type { Token } from "./lexer.js";
import { isReservedName } from "./names.js";

/** One line of a macro body as written, with its logical line (for errors found in the definition). */
export interface BodyLine {
  readonly text: string;
  readonly line: number;
  readonly at: number;
}

/** A macro definition. */
export interface Macro {
  /** As written in `.macro`; calls match it in any case, as mnemonics do. */
  readonly name: string;
  readonly params: readonly string[];
  /** The last parameter takes every remaining argument, commas included (`rest:vararg`). */
  readonly vararg: boolean;
  readonly body: readonly BodyLine[];
  /** Where the `.macro` line is. */
  readonly file: string;
  readonly line: number;
  readonly at: number;
  /** Its definition had an error (already reported): calls expand to nothing rather than cascade. */
  readonly broken: boolean;
}

/** The name and parameters of a `.macro` line. */
export interface MacroHeader {
  readonly name: string;
  readonly params: readonly string[];
  readonly vararg: boolean;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAM_REF = /^[A-Za-z_][A-Za-z0-9_]*/;

const isPunct = (t: Token | undefined, p: string): boolean => t?.kind === "punct" && t.text === p;

/** Check a macro's name: not a directive, register or instruction; throws a Fail. */
export function checkMacroName(nameTok: Token, at: number): void {
  const name = nameTok.text;
  const badName = (why: string, hint = "choose another name"): never => {
    throw new Fail("ASM_BAD_MACRO", `${quote(name)} ${why}`, at, nameTok.col, nameTok.len, hint);
  };
  const lower = name.toLowerCase();
  if (name.startsWith(".")) badName("cannot name a macro: names starting with '.' are directives", `write it without the dot: ${name.slice(1) || "NAME"}`);
  if (!PARAM_NAME.test(name)) badName("cannot name a macro: use letters, digits and '_'");
  if (isReservedName(name)) badName("is a register name and cannot name a macro");
  if (BY_MNEMONIC.has(lower) || Object.prototype.hasOwnProperty.call(ALIASES, lower)) {
    badName("is an instruction: a macro cannot take its name", `choose another name, e.g. MY_${name.toUpperCase()}`);
  }
}

/** Parse `.macro NAME p1, p2, rest:vararg` from the tokens after `.macro`; throws a Fail. */
export function parseMacroHeader(toks: readonly Token[], at: number, directive: Token): MacroHeader {
  const nameTok = toks[0];
  if (nameTok?.kind !== "ident") {
    throw new Fail("ASM_SYNTAX", `.macro needs a name, found ${nameTok ? quote(nameTok.text) : "end of line"}`, at, nameTok?.col ?? directive.col + directive.len, nameTok?.len ?? 1,
      "write .macro NAME param1, param2");
  }
  checkMacroName(nameTok, at);
  const name = nameTok.text;
  const params: string[] = [];
  let vararg = false;
  let i = 1;
  while (i < toks.length) {
    const t = toks[i]!;
    if (vararg) throw new Fail("ASM_BAD_MACRO", `a parameter after the vararg parameter ${quote(params[params.length - 1]!)}`, at, t.col, t.len, "only the last parameter may be :vararg");
    if (t.kind !== "ident" || !PARAM_NAME.test(t.text)) {
      throw new Fail("ASM_BAD_MACRO", `${quote(t.text)} cannot name a parameter`, at, t.col, t.len, "parameters are names of letters, digits and '_', separated by commas");
    }
    if (params.includes(t.text)) throw new Fail("ASM_BAD_MACRO", `parameter ${quote(t.text)} is named twice`, at, t.col, t.len, "rename one of them");
    params.push(t.text);
    i++;
    if (isPunct(toks[i], ":")) {
      const q = toks[i + 1];
      if (q?.kind !== "ident" || q.text.toLowerCase() !== "vararg") {
        throw new Fail("ASM_BAD_MACRO", `unknown parameter qualifier ${quote(q?.text ?? ":")}`, at, q?.col ?? toks[i]!.col, q?.len ?? 1, "the one qualifier is :vararg (the last parameter takes the remaining arguments)");
      }
      vararg = true;
      i += 2;
    }
    if (i >= toks.length) break;
    if (!isPunct(toks[i], ",")) throw new Fail("ASM_SYNTAX", `expected ',' between parameters, found ${quote(toks[i]!.text)}`, at, toks[i]!.col, toks[i]!.len);
    i++;
    if (i >= toks.length) throw new Fail("ASM_SYNTAX", "expected a parameter after ','", at, toks[i - 1]!.col, 1);
  }
  return { name, params, vararg };
}

/** The macro signature for messages: `SAVE r, rest...`. */
export function signature(m: Pick<Macro, "name" | "params" | "vararg">): string {
  const ps = m.params.map((p, i) => (m.vararg && i === m.params.length - 1 ? `${p}...` : p));
  return ps.length ? `${m.name} ${ps.join(", ")}` : m.name;
}

/**
 * Substitute a body line: `\name` becomes the argument of parameter `name`, `\@` the expansion's number
 * and `\()` nothing (it separates a parameter from text that follows: `\reg\()_save`). Quoted strings
 * and characters, and comments, are copied unchanged: inside quotes a backslash is an escape. A `\`
 * that is none of these throws a Fail at the column it is in.
 */
export function substitute(text: string, args: ReadonlyMap<string, string>, unique: string, at: number): string {
  let out = "";
  let quoteChar: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoteChar) {
      out += c;
      if (c === "\\" && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
        continue;
      }
      if (c === quoteChar) quoteChar = undefined;
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quoteChar = c;
      out += c;
      i++;
      continue;
    }
    if (c === ";" || (c === "/" && text[i + 1] === "/")) return out + text.slice(i);
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === "@") {
      out += unique;
      i += 2;
      continue;
    }
    if (text.startsWith("()", i + 1)) {
      i += 3;
      continue;
    }
    const ref = PARAM_REF.exec(text.slice(i + 1, i + 1 + 256))?.[0];
    if (ref === undefined) {
      throw new Fail("ASM_BAD_MACRO", "a '\\' in a macro body must name a parameter (\\name), the expansion number (\\@) or a separator (\\())", at, i + 1, 1);
    }
    const value = args.get(ref);
    if (value === undefined) {
      const params = [...args.keys()];
      throw new Fail("ASM_BAD_MACRO", `${quote("\\" + ref)} names no parameter of this macro`, at, i + 1, ref.length + 1,
        didYouMean(ref, params, { ignoreCase: false }) ?? (params.length ? `its parameters are ${params.join(", ")}` : "this macro has no parameters"));
    }
    out += value;
    i += 1 + ref.length;
  }
  return out;
}

/** A call's arguments: the text of each, split at the commas outside brackets and parentheses; columns for messages. */
export interface CallArgs {
  readonly texts: readonly string[];
  /** Where each argument starts and its length. */
  readonly spans: readonly { readonly col: number; readonly len: number }[];
}

/** Split the tokens after a macro name into arguments; throws a Fail for an empty one. */
export function parseCallArgs(toks: readonly Token[], text: string, at: number, macro: string): CallArgs {
  const texts: string[] = [];
  const spans: { col: number; len: number }[] = [];
  if (toks.length === 0) return { texts, spans };
  let depth = 0;
  let first: Token | undefined;
  let last: Token | undefined;
  const close = (comma: Token | undefined): void => {
    if (!first || !last) {
      const where = comma ?? toks[toks.length - 1]!;
      throw new Fail("ASM_SYNTAX", `argument ${texts.length + 1} of macro ${quote(macro)} is empty`, at, where.col, where.len, "give every argument a value, separated by commas");
    }
    texts.push(text.slice(first.col - 1, last.col - 1 + last.len));
    spans.push({ col: first.col, len: last.col + last.len - first.col });
    first = last = undefined;
  };
  for (const t of toks) {
    if (t.kind === "punct" && (t.text === "(" || t.text === "[")) depth++;
    if (t.kind === "punct" && (t.text === ")" || t.text === "]")) depth = Math.max(0, depth - 1);
    if (depth === 0 && isPunct(t, ",")) {
      close(t);
      continue;
    }
    first ??= t;
    last = t;
  }
  close(undefined);
  return { texts, spans };
}
