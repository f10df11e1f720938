// The lexer: one line of source into tokens (identifiers, numbers, strings, punctuation), stopping at a comment.
import { quote } from "../../core/errors.js";
import { Fail } from "./diagnostics.js";

/** A token of one line. */
export interface Token {
  readonly kind: "ident" | "num" | "str" | "punct";
  readonly text: string;
  /** 1-based column and length in the source line. */
  readonly col: number;
  readonly len: number;
  /** Value of a number or character literal. */
  readonly value?: number;
  /** Bytes of a string literal. */
  readonly bytes?: readonly number[];
}

const IDENT_START = /[A-Za-z_.$]/;
const IDENT_CHAR = /[A-Za-z0-9_.$]/;
const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, "0": 0, "\\": 92, "'": 39, '"': 34 };

function utf8(ch: string): number[] {
  return [...new TextEncoder().encode(ch)];
}

/** Split one line into tokens, stopping at a `;` or `//` comment; `at` is the logical line, for diagnostics. */
export function tokenize(text: string, at: number): Token[] {
  const toks: Token[] = [];
  let i = 0;
  const fail = (msg: string, pos: number, len = 1, hint?: string): never => {
    throw new Fail("ASM_BAD_LITERAL", msg, at, pos + 1, len, hint);
  };
  /** Read one (possibly escaped) character at position j of a quoted literal; returns its bytes, its code and the next position. */
  const readChar = (j: number, quote: string): { bytes: number[]; code: number; next: number } => {
    const ch = text[j];
    if (ch === undefined) fail(`missing closing ${quote}`, j - 1);
    if (ch !== "\\") {
      const cp = text.codePointAt(j)!;
      const s = String.fromCodePoint(cp);
      return { bytes: utf8(s), code: cp, next: j + s.length };
    }
    const e = text[j + 1];
    if (e === undefined) return fail(`missing closing ${quote}`, j);
    if (e === "x") {
      const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(j + 2));
      if (!hex) return fail("'\\x' needs two hex digits", j, 2, "write a byte as \\x41");
      const v = parseInt(hex[0], 16);
      return { bytes: [v], code: v, next: j + 4 };
    }
    const v = ESCAPES[e];
    if (v === undefined) return fail(`unknown escape '\\${e}'`, j, 2, "escapes are \\n \\t \\r \\0 \\\\ \\' \\\" \\xHH");
    return { bytes: [v], code: v, next: j + 2 };
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\v") { i++; continue; }
    if (ch === ";" || (ch === "/" && text[i + 1] === "/")) break;
    const start = i;
    if (/[0-9]/.test(ch)) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9][0-9_]*)/.exec(text.slice(i))!;
      let end = i + m[0].length;
      if (end < text.length && IDENT_CHAR.test(text[end]!)) {
        while (end < text.length && IDENT_CHAR.test(text[end]!)) end++;
        fail(`bad number ${quote(text.slice(i, end))}`, i, end - i, "numbers are decimal, 0x hex or 0b binary");
      }
      const digits = m[0].replace(/_/g, "");
      const value = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16)
        : /^0[bB]/.test(digits) ? parseInt(digits.slice(2), 2) : parseInt(digits, 10);
      if (!Number.isSafeInteger(value)) fail(`number ${quote(m[0])} is too large`, i, m[0].length);
      toks.push({ kind: "num", text: m[0], col: start + 1, len: end - start, value });
      i = end;
      continue;
    }
    if (IDENT_START.test(ch)) {
      let end = i + 1;
      while (end < text.length && IDENT_CHAR.test(text[end]!)) end++;
      toks.push({ kind: "ident", text: text.slice(i, end), col: start + 1, len: end - start });
      i = end;
      continue;
    }
    if (ch === "'") {
      if (text[i + 1] === "'") fail("empty character literal", i, 2);
      const c = readChar(i + 1, "'");
      if (text[c.next] !== "'") fail("a character literal holds one character: missing closing '", i, Math.max(1, c.next - i));
      toks.push({ kind: "num", text: text.slice(i, c.next + 1), col: start + 1, len: c.next + 1 - i, value: c.code });
      i = c.next + 1;
      continue;
    }
    if (ch === '"') {
      const bytes: number[] = [];
      let j = i + 1;
      for (;;) {
        if (j >= text.length) fail('missing closing "', i, text.length - i);
        if (text[j] === '"') break;
        const c = readChar(j, '"');
        bytes.push(...c.bytes);
        j = c.next;
      }
      toks.push({ kind: "str", text: text.slice(i, j + 1), col: start + 1, len: j + 1 - i, bytes });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "<<" || two === ">>") {
      toks.push({ kind: "punct", text: two, col: start + 1, len: 2 });
      i += 2;
      continue;
    }
    if (",:[]()+-*/%&^|~=".includes(ch)) {
      toks.push({ kind: "punct", text: ch, col: start + 1, len: 1 });
      i++;
      continue;
    }
    const hint = ch === "\\" ? "a backslash names a macro parameter (\\name) or the expansion number (\\@), only inside a .macro body" : undefined;
    throw new Fail("ASM_SYNTAX", `unexpected character ${quote(ch)}`, at, start + 1, 1, hint);
  }
  return toks;
}
