// The output pass: encoded statements into contiguous segments and a listing, overlaps caught, and the Program with its flat image.
import { quote, VmlabError } from "../../core/errors.js";
import { Fail, hex, type Report } from "./diagnostics.js";
import { directiveBytes, wordBytes } from "./directives.js";
import { encodeInsn } from "./encode.js";
import type { LogicalLine } from "./lines.js";
import { MAX_IMAGE } from "./limits.js";
import type { SymbolTable } from "./symbols.js";
import type { Stmt } from "./syntax.js";

/** A contiguous run of output bytes. */
export interface Segment {
  readonly address: number;
  readonly bytes: Uint8Array;
}

/** One emitting statement of the listing: where it went and which source line produced it. */
export interface SourceLine {
  readonly address: number;
  readonly size: number;
  /** The line in `file` (for a macro expansion: the macro body line). */
  readonly line: number;
  /** The file the line is in: the main source, an included file, or the file defining a macro. */
  readonly file: string;
  /** The statement as assembled (an expansion with its parameters substituted), trimmed. */
  readonly text: string;
}

/** The result of assembling: bytes, symbols, entry point and a line map for listings and debuggers. */
export interface Program {
  /** Output in source order (contiguous runs merged). */
  readonly segments: readonly Segment[];
  /** Every label, constant and define, by full name (local labels as `global.local`). */
  readonly symbols: Map<string, number>;
  /** The `_start` symbol if defined, else the first segment's address (the origin when empty). */
  readonly entry: number;
  readonly lines: readonly SourceLine[];
  /** One flat image from the lowest to the highest address, gaps zero-filled. */
  image(): { base: number; bytes: Uint8Array };
}

interface Run {
  readonly address: number;
  readonly bytes: number[];
  /** The logical line that started it. */
  readonly at: number;
}

/** Encode every laid-out statement (pass 2): the output runs in source order, and the listing. */
export function emit(stmts: readonly Stmt[], lines: readonly LogicalLine[], symbols: SymbolTable, report: Report): { runs: Run[]; listing: SourceLine[] } {
  const runs: Run[] = [];
  const listing: SourceLine[] = [];
  let current: Run | undefined;
  const put = (s: Stmt, bytes: readonly number[]): void => {
    if (!current || current.address + current.bytes.length !== s.address) {
      current = { address: s.address, bytes: [], at: s.at };
      runs.push(current);
    }
    for (const b of bytes) current.bytes.push(b & 0xff);
    const l = lines[s.at]!;
    listing.push({ address: s.address, size: s.size, line: l.line, file: l.file, text: s.text.trim() });
  };
  for (const s of stmts) {
    const b = s.body;
    if (!b || s.bad) continue;
    try {
      if (b.kind === "const") {
        const sym = symbols.constantAt(b.name, s.at);
        if (sym) {
          try {
            symbols.constValue(b.name, sym, 2, quote(b.name));
          } catch (err) {
            if (err instanceof Fail) report.add(err);
          }
        }
        continue;
      }
      const bytes = b.kind === "insn" ? encodeInsn(b, s, symbols, report)?.flatMap(wordBytes) : directiveBytes(b, s, symbols, report);
      if (bytes) put(s, bytes);
    } catch (err) {
      report.caught(err, s.at);
    }
  }
  return { runs, listing };
}

/** Merge runs that ended up adjacent, and report output placed twice at the same addresses. */
export function mergeRuns(runs: readonly Run[], report: Report): Run[] {
  const merged: Run[] = [];
  for (const seg of runs) {
    if (seg.bytes.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last && last.address + last.bytes.length === seg.address) {
      for (const b of seg.bytes) last.bytes.push(b); // a loop, not push(...): runs can hold megabytes
    } else {
      merged.push(seg);
    }
  }
  const byAddress = [...merged].sort((x, y) => x.address - y.address);
  for (let i = 1; i < byAddress.length; i++) {
    const prev = byAddress[i - 1]!;
    const seg = byAddress[i]!;
    if (prev.address + prev.bytes.length > seg.address) {
      const [early, late] = prev.at < seg.at ? [prev, seg] : [seg, prev];
      report.add(new Fail("ASM_OVERLAP", `output at ${hex(late.address)} overlaps output from ${report.where(early.at, late.at)}`, late.at, 1, 1,
        "move one of them with .org, or check the .org values"));
    }
  }
  return merged;
}

/** The Program of merged runs: segments, symbols, entry point, listing and the flat image. */
export function makeProgram(runs: readonly Run[], symbols: Map<string, number>, listing: readonly SourceLine[], origin: number): Program {
  const segments: Segment[] = runs.map((m) => ({ address: m.address, bytes: Uint8Array.from(m.bytes) }));
  const entry = symbols.get("_start") ?? segments[0]?.address ?? origin;
  return {
    segments,
    symbols,
    entry: entry >>> 0,
    lines: listing,
    image() {
      if (segments.length === 0) return { base: origin, bytes: new Uint8Array(0) };
      const base = segments.reduce((m, x) => Math.min(m, x.address), Infinity);
      const end = segments.reduce((m, x) => Math.max(m, x.address + x.bytes.length), 0);
      if (end - base > MAX_IMAGE) {
        throw new VmlabError("ASM_IMAGE_TOO_LARGE", `the program spans ${hex(base)}..${hex(end)}, too large for one flat image`, {
          hint: "load the segments one by one instead of image()",
        });
      }
      const bytes = new Uint8Array(end - base);
      for (const seg of segments) bytes.set(seg.bytes, seg.address - base);
      return { base, bytes };
    },
  };
}
