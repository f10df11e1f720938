// A source file's fingerprint for the similarity report: its tokens (TypeScript's own scanner; names and literals reduced to their kind) hashed in k-grams and winnowed, as MOSS does.
//
// Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003): hash every run of K consecutive tokens, then in
// every window of W consecutive hashes keep the smallest (the rightmost on a tie). Any run of at least
// W + K - 1 tokens shared by two files is then certain to share a kept hash, and runs shorter than K tokens
// never match: renaming variables, changing literals, spacing or comments does not hide a copy, and common
// idioms do not make one. Everything is deterministic: the hash is FNV-1a over the token kinds.
import ts from "../sandbox/typescript.js";

/** Tokens per hashed run (the noise threshold: shorter shared runs never count). */
export const K = 12;
/** Hashes per window (a shared run of W + K - 1 tokens is always detected). */
export const W = 8;

/** One token: its kind as compared (a name is "id", a number "num", a string "str"), and its 1-based line. */
export interface Token {
  readonly text: string;
  readonly line: number;
}

/** A kept hash and the lines its run of K tokens spans. */
export interface Mark {
  readonly hash: number;
  readonly from: number;
  readonly to: number;
}

/** The tokens of a TypeScript source, comments and spacing dropped, names and literals reduced to their kind. */
export function tokens(source: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  const out: Token[] = [];
  // Tokens come in source order, so the line only ever moves forward.
  let line = 1, seen = 0;
  const lineOf = (pos: number): number => {
    for (; seen < pos; seen++) if (source.charCodeAt(seen) === 10) line++;
    return line;
  };
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    let text: string;
    if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.PrivateIdentifier) text = "id";
    else if (kind === ts.SyntaxKind.NumericLiteral || kind === ts.SyntaxKind.BigIntLiteral) text = "num";
    else if (kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral || kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.TemplateMiddle || kind === ts.SyntaxKind.TemplateTail) text = "str";
    else text = scanner.getTokenText();
    out.push({ text, line: lineOf(scanner.getTokenStart()) });
  }
  return out;
}

function fnv1a(parts: readonly Token[], from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    const s = parts[i]!.text;
    for (let j = 0; j < s.length; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ 0x20, 0x01000193);
  }
  return h >>> 0;
}

/** The winnowed marks of a token list (none for fewer than K tokens). */
export function winnow(toks: readonly Token[], k: number = K, w: number = W): Mark[] {
  const grams: Mark[] = [];
  for (let i = 0; i + k <= toks.length; i++) grams.push({ hash: fnv1a(toks, i, i + k), from: toks[i]!.line, to: toks[i + k - 1]!.line });
  if (grams.length <= w) {
    const min = grams.reduce<number>((m, g, i) => (m < 0 || g.hash <= grams[m]!.hash ? i : m), -1);
    return min < 0 ? [] : [grams[min]!];
  }
  const kept: Mark[] = [];
  let last = -1;
  for (let start = 0; start + w <= grams.length; start++) {
    let min = start;
    for (let i = start + 1; i < start + w; i++) if (grams[i]!.hash <= grams[min]!.hash) min = i;
    if (min !== last) {
      kept.push(grams[min]!);
      last = min;
    }
  }
  return kept;
}

/** A file's marks, from its source. */
export function fingerprint(source: string): Mark[] {
  return winnow(tokens(source));
}
