// Parsing the small POSIX shell the model runs (busybox ash's grammar, a subset): words, quotes, lists, &&/||, &, for, redirections.
//
// Not modelled: pipes, command substitution, here-documents, functions, if/while/case. A script that
// uses them gets one clear error naming the construct, rather than a wrong result.

/** A piece of a word: literal text (quoted or escaped), text to expand inside double quotes, or unquoted text. */
export type Segment = { readonly kind: "literal" | "double" | "bare"; readonly text: string };
export type Word = readonly Segment[];

export interface Redirect {
  readonly fd: 1 | 2;
  readonly op: ">" | ">>" | ">&";
  readonly target: Word;
}

export type Node =
  | { readonly type: "simple"; readonly assigns: readonly { name: string; value: Word }[]; readonly words: readonly Word[]; readonly redirects: readonly Redirect[] }
  | { readonly type: "andor"; readonly first: Node; readonly rest: readonly { op: "&&" | "||"; node: Node }[] }
  | { readonly type: "list"; readonly items: readonly { node: Node; background: boolean }[] }
  | { readonly type: "for"; readonly name: string; readonly words: readonly Word[]; readonly body: Node }
  | { readonly type: "group"; readonly body: Node };

type Token = { kind: "word"; word: Word; raw: string } | { kind: "op"; op: string };

export class ShellSyntaxError extends Error {}

const OPS = ["&&", "||", ">>", "2>>", "2>&1", ">&2", "1>&2", "2>", "1>", ";;", ";", "&", "|", ">", "<", "(", ")", "\n"];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === " " || c === "\t") { i++; continue; }
    if (c === "\\" && src[i + 1] === "\n") { i += 2; continue; }
    if (c === "#") { while (i < n && src[i] !== "\n") i++; continue; }
    const op = OPS.find((o) => src.startsWith(o, i) && (o[0] !== "1" && o[0] !== "2" ? true : /[\s;&|]/.test(src[i - 1] ?? " ")));
    if (op) {
      if (op === "|") throw new ShellSyntaxError("pipes (|) are not modelled by vmlab's shell: run the commands one after the other");
      if (op === "<") throw new ShellSyntaxError("input redirection (<) is not modelled by vmlab's shell");
      if (op === ";;") throw new ShellSyntaxError("case statements are not modelled by vmlab's shell");
      out.push({ kind: "op", op });
      i += op.length;
      continue;
    }
    const segs: Segment[] = [];
    let raw = "";
    let bare = "";
    const flush = () => { if (bare) { segs.push({ kind: "bare", text: bare }); bare = ""; } };
    while (i < n && !/[\s;&|<>()]/.test(src[i]!)) {
      const ch = src[i]!;
      if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end === -1) throw new ShellSyntaxError("unterminated quoted string");
        flush();
        segs.push({ kind: "literal", text: src.slice(i + 1, end) });
        raw += src.slice(i, end + 1);
        i = end + 1;
      } else if (ch === '"') {
        let j = i + 1;
        let text = "";
        while (j < n && src[j] !== '"') {
          if (src[j] === "\\" && j + 1 < n && '"\\$`\n'.includes(src[j + 1]!)) { if (src[j + 1] !== "\n") text += src[j + 1] === "$" ? "\\$" : src[j + 1]; j += 2; continue; }
          text += src[j];
          j++;
        }
        if (j >= n) throw new ShellSyntaxError("unterminated quoted string");
        flush();
        segs.push({ kind: "double", text });
        raw += src.slice(i, j + 1);
        i = j + 1;
      } else if (ch === "\\") {
        if (i + 1 < n && src[i + 1] !== "\n") { flush(); segs.push({ kind: "literal", text: src[i + 1]! }); raw += src.slice(i, i + 2); }
        i += 2;
      } else if (ch === "`" || (ch === "$" && src[i + 1] === "(")) {
        throw new ShellSyntaxError("command substitution ($(...) or `...`) is not modelled by vmlab's shell");
      } else {
        bare += ch;
        raw += ch;
        i++;
      }
    }
    flush();
    out.push({ kind: "word", word: segs, raw });
  }
  return out;
}

const KEYWORDS = new Set(["for", "in", "do", "done", "{", "}", "if", "then", "else", "fi", "while", "until", "case", "esac", "function"]);

/** Parse a script into its list of commands. */
export function parseShell(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (op: string) => { const t = peek(); return t?.kind === "op" && t.op === op; };
  const isKw = (kw: string) => { const t = peek(); return t?.kind === "word" && t.raw === kw; };
  const skipNewlines = () => { while (isOp("\n") || isOp(";")) p++; };

  function list(stop: (t: Token | undefined) => boolean): Node {
    const items: { node: Node; background: boolean }[] = [];
    skipNewlines();
    while (peek() && !stop(peek())) {
      const node = andor();
      let background = false;
      if (isOp("&")) { background = true; p++; }
      else if (isOp(";") || isOp("\n")) p++;
      else if (peek() && !stop(peek())) throw new ShellSyntaxError(`syntax error near unexpected token '${describe(peek()!)}'`);
      items.push({ node, background });
      skipNewlines();
    }
    return { type: "list", items };
  }

  function andor(): Node {
    const first = command();
    const rest: { op: "&&" | "||"; node: Node }[] = [];
    while (isOp("&&") || isOp("||")) {
      const op = (peek() as { op: "&&" | "||" }).op;
      p++;
      while (isOp("\n")) p++;
      rest.push({ op, node: command() });
    }
    return rest.length ? { type: "andor", first, rest } : first;
  }

  function command(): Node {
    const t = peek();
    if (!t) throw new ShellSyntaxError("syntax error: unexpected end of file");
    if (t.kind === "word" && KEYWORDS.has(t.raw) && t.word.every((s) => s.kind === "bare")) {
      if (t.raw === "for") return forLoop();
      if (t.raw === "{") {
        p++;
        const body = list((x) => x?.kind === "word" && x.raw === "}");
        if (!isKw("}")) throw new ShellSyntaxError("syntax error: missing '}'");
        p++;
        return { type: "group", body };
      }
      if (["if", "while", "until", "case", "function"].includes(t.raw)) throw new ShellSyntaxError(`'${t.raw}' is not modelled by vmlab's shell (it runs lists, && and ||, & and for loops)`);
      throw new ShellSyntaxError(`syntax error near unexpected token '${t.raw}'`);
    }
    if (t.kind === "op" && t.op === "(") {
      p++;
      const body = list((x) => x?.kind === "op" && x.op === ")");
      if (!isOp(")")) throw new ShellSyntaxError("syntax error: missing ')'");
      p++;
      return { type: "group", body };
    }
    return simple();
  }

  function forLoop(): Node {
    p++;
    const nameTok = peek();
    if (nameTok?.kind !== "word" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(nameTok.raw)) throw new ShellSyntaxError("syntax error: bad for loop variable");
    p++;
    const words: Word[] = [];
    if (isKw("in")) {
      p++;
      while (peek()?.kind === "word" && !isKw("do")) words.push((peek() as { word: Word }).word), p++;
    }
    skipNewlines();
    if (!isKw("do")) throw new ShellSyntaxError("syntax error: expected 'do' in for loop");
    p++;
    const body = list((x) => x?.kind === "word" && x.raw === "done");
    if (!isKw("done")) throw new ShellSyntaxError("syntax error: expected 'done' to end the for loop");
    p++;
    return { type: "for", name: nameTok.raw, words, body };
  }

  function simple(): Node {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = peek();
      if (!t) break;
      if (t.kind === "op") {
        const r = { ">": [1, ">"], "1>": [1, ">"], ">>": [1, ">>"], "2>": [2, ">"], "2>>": [2, ">>"] }[t.op] as [1 | 2, ">" | ">>"] | undefined;
        if (r) {
          p++;
          const target = peek();
          if (target?.kind !== "word") throw new ShellSyntaxError(`syntax error: expected a file name after '${t.op}'`);
          p++;
          redirects.push({ fd: r[0], op: r[1], target: target.word });
          continue;
        }
        if (t.op === "2>&1") { p++; redirects.push({ fd: 2, op: ">&", target: [{ kind: "literal", text: "1" }] }); continue; }
        if (t.op === ">&2" || t.op === "1>&2") { p++; redirects.push({ fd: 1, op: ">&", target: [{ kind: "literal", text: "2" }] }); continue; }
        break;
      }
      const m = words.length === 0 && t.word[0]?.kind === "bare" ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.word[0].text) : null;
      if (m) {
        const first = t.word[0]!.text.slice(m[0].length);
        assigns.push({ name: m[1]!, value: [...(first ? [{ kind: "bare" as const, text: first }] : []), ...t.word.slice(1)] });
      } else words.push(t.word);
      p++;
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) throw new ShellSyntaxError(`syntax error near unexpected token '${describe(peek()!)}'`);
    return { type: "simple", assigns, words, redirects };
  }

  const node = list(() => false);
  return node;
}

function describe(t: Token): string {
  return t.kind === "op" ? (t.op === "\n" ? "newline" : t.op) : t.raw;
}
