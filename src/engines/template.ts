// Reading the instruction table's semantics templates as text: the machine helpers and fields they use, their calls' arguments, their statements.
//
// A template is a short JavaScript statement over `m` (the machine), `R`, the decoded fields and `pc`/`next`
// (see InstructionSpec.exec). Code generation rewrites templates textually — helper calls become inline
// expansions, fields become constants — so everything here works on the text, with the small grammar the
// table keeps to: no strings, no comments, no regular expressions.

/** One use of the machine in a template: a method call `m.name(…)`, or a read or write of a field `m.name`. */
export interface HelperUse {
  readonly name: string;
  readonly kind: "call" | "read" | "write";
}

/** Every use of `m.` in a template, in order of appearance. */
export function helperUses(template: string): HelperUse[] {
  const uses: HelperUse[] = [];
  for (const match of template.matchAll(/(?<![\w$.])m\.([A-Za-z_$][\w$]*)/g)) {
    const rest = template.slice(match.index! + match[0].length);
    const kind = /^\s*\(/.test(rest) ? "call" : /^\s*=(?!=)/.test(rest) ? "write" : "read";
    uses.push({ name: match[1]!, kind });
  }
  return uses;
}

/**
 * The first call `m.name(args)` in `text`: the text before it, its arguments (top-level commas split them)
 * and the text after it; undefined when `text` has no such call. `m.name.call(…)` is not a call of `name`.
 */
export function findCall(text: string, name: string): [before: string, args: string[], after: string] | undefined {
  const start = text.search(new RegExp(`(?<![\\w$.])m\\.${name}\\(`));
  if (start < 0) return undefined;
  const open = text.indexOf("(", start);
  let depth = 0;
  let argStart = open + 1;
  const args: string[] = [];
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) {
        const last = text.slice(argStart, i).trim();
        if (last) args.push(last);
        return [text.slice(0, start), args, text.slice(i + 1)];
      }
    } else if (ch === "," && depth === 1) {
      args.push(text.slice(argStart, i).trim());
      argStart = i + 1;
    }
  }
  throw new Error(`unbalanced call to m.${name} in template: ${text}`);
}

/** A template's top-level statements (a `{ … }` block or an `if (…) …;` stays one statement), trimmed. */
export function statements(template: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      // A block at the top level ends its statement.
      if (ch === "}" && depth === 0) {
        out.push(template.slice(start, i + 1).trim());
        start = i + 1;
      }
    } else if (ch === ";" && depth === 0) {
      out.push(template.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  const tail = template.slice(start).trim();
  if (tail) throw new Error(`template does not end with ';' or '}': ${template}`);
  return out.filter((s) => s !== "" && s !== ";");
}

const identifier = (name: string) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}(?![\\w$])`, "g");

/** Does the template mention the free identifier `name` (not as a property after a dot)? */
export function mentions(template: string, name: string): boolean {
  return identifier(name).test(template);
}

/** Replace free identifiers by expressions: `{ a: "3", imm: "(-4)" }` turns `R[a] = imm;` into `R[3] = (-4);`. */
export function substitute(template: string, values: Readonly<Record<string, string>>): string {
  let text = template;
  for (const [name, value] of Object.entries(values)) text = text.replace(identifier(name), value);
  return text;
}
