// Inlining includes: a source with each `.include` line replaced by the text of the file it names, for tools that pass one self-contained text on.
import { quote, VmlabError } from "../../core/errors.js";
import { tokenize } from "./lexer.js";
import { splitLines } from "./lines.js";
import { MAX_INCLUDE_DEPTH } from "./limits.js";
import { resolveInclude, type SourceReader } from "./readers.js";

/** Options of `inlineIncludes`. */
export interface InlineOptions {
  /** The source's file name, which include paths are relative to (default `<input>`). */
  readonly file?: string;
  readonly readFile: SourceReader;
}

const INCLUDE_LINE = /^\s*(?:[A-Za-z_.$][A-Za-z0-9_.$]*\s*:\s*)*\.include\b/i;

/**
 * The source with every `.include "path"` replaced by the named file's text, recursively (a label
 * before the include stays, on a line of its own). It assembles to what the source does. A missing
 * file or a cycle is a VmlabError with the assembler's code for it; anything else about a line is left
 * for the assembler to report.
 */
export function inlineIncludes(source: string, options: InlineOptions): string {
  const expand = (text: string, file: string, chain: readonly string[]): string =>
    splitLines(text).map((line, i) => {
      if (!INCLUDE_LINE.test(line)) return line;
      let toks;
      try {
        toks = tokenize(line, i);
      } catch {
        return line;
      }
      const at = toks.findIndex((t) => t.kind === "ident" && t.text.toLowerCase() === ".include");
      const arg = toks[at + 1];
      if (arg?.kind !== "str" || toks.length !== at + 2) return line;
      const path = new TextDecoder().decode(Uint8Array.from(arg.bytes ?? []));
      const name = resolveInclude(file, path);
      const where = { file, line: i + 1, column: arg.col };
      if (chain.includes(name)) {
        throw new VmlabError("ASM_INCLUDE_CYCLE", `${quote(name)} includes itself: ${[...chain.slice(chain.indexOf(name)), name].join(" → ")}`, { where });
      }
      if (chain.length > MAX_INCLUDE_DEPTH) throw new VmlabError("ASM_INCLUDE_DEPTH", `includes nested more than ${MAX_INCLUDE_DEPTH} deep`, { where });
      const included = options.readFile(name);
      if (included === undefined) {
        throw new VmlabError("ASM_INCLUDE_NOT_FOUND", `cannot include ${quote(path)}: looked for ${quote(name)}, which does not exist`, { where });
      }
      const labels = line.slice(0, toks[at]!.col - 1);
      const body = expand(included, name, [...chain, name]);
      return labels.trim() ? `${labels}\n${body}` : body;
    }).join("\n");
  const file = options.file ?? "<input>";
  return expand(source, file, [resolveInclude(".", file)]);
}
