// Make emitted JavaScript acceptable to SES without changing what it means, and name what SES would still refuse.
//
// SES evaluates code in a Compartment only after a text scan that rejects three patterns anywhere in the
// source, literals and comments included: an HTML-like comment (`<!--`, `-->`), something that looks like
// a dynamic `import(`, and something that looks like a direct `eval(`. Honest code trips over them: a
// comment `// user --> kernel`, a string "import(x)". compile.ts emits without comments; here every string,
// template and regular-expression literal that holds a pattern gets one character of it written as an
// escape (`-\x2d>`, `impor\x74(`), which is the same value. What is left after that is real code — a
// direct eval — and comes back as a diagnostic at the student's own line.
import ts, { type TypeScript } from "./typescript.js";

/** The scans SES runs (ses/src/transforms.js), with the rule and the fix a student reads. */
export const SES_RULES = [
  {
    name: "html-comment",
    pattern: /<!--|-->/g,
    rule: "the sandbox (SES) refuses the character sequences of an HTML comment",
    fix: "write the operators apart (`x-- > 0`)",
  },
  {
    name: "import",
    pattern: /(^|[^.]|\.\.\.)\bimport(\s*(?:\(|\/[/*]))/g,
    rule: "dynamic import() is not available in the grader's sandbox",
    fix: "import your own files with a static import at the top of the file",
  },
  {
    name: "eval",
    pattern: /(^|[^.])\beval(\s*\()/g,
    rule: "direct eval() is not available in the grader's sandbox",
    fix: "call the code you want to run directly instead of evaluating a string",
  },
] as const;

/** Escape one character of each SES pattern inside a literal's source text (the literal's value does not change). */
function escapeLiteral(raw: string): string {
  return raw
    .replace(/-->/g, "-\\x2d>")
    .replace(/<!--/g, "<!-\\x2d")
    .replace(/\bimport(?=\s*(?:\(|\/[/*]))/g, "impor\\x74")
    .replace(/\beval(?=\s*\()/g, "eva\\x6c");
}

const LITERALS = new Set([
  ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail, ts.SyntaxKind.RegularExpressionLiteral,
]);

export interface SesRejection {
  /** 1-based line of the emitted JavaScript. */
  readonly line: number;
  readonly rule: string;
  readonly fix: string;
}

/** The emitted JavaScript with its literals escaped, and what SES would still refuse, by emitted line. */
export function prepareForSes(js: string): { readonly js: string; readonly rejected: readonly SesRejection[] } {
  if (!SES_RULES.some((r) => new RegExp(r.pattern.source).test(js))) return { js, rejected: [] };
  const file = ts.createSourceFile("emitted.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const spans: { start: number; end: number }[] = [];
  const visit = (node: TypeScript.Node): void => {
    if (LITERALS.has(node.kind)) spans.push({ start: node.getStart(file), end: node.end });
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = "";
  let at = 0;
  for (const s of spans.sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out += js.slice(at, s.start) + escapeLiteral(js.slice(s.start, s.end));
    at = s.end;
  }
  out += js.slice(at);
  const rejected: SesRejection[] = [];
  // The inline source map is base64 and cannot hold a pattern; scan only the code.
  const code = out.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, "");
  for (const r of SES_RULES) {
    for (const m of code.matchAll(new RegExp(r.pattern.source, "g"))) {
      rejected.push({ line: code.slice(0, m.index).split("\n").length, rule: r.rule, fix: r.fix });
    }
  }
  return { js: out, rejected };
}
