// Point at the student's TypeScript line: read stack traces of compartment code through the compiler's inline source maps.
//
// compile.ts emits each file with an inline source map; the child evaluates it with `//# sourceURL=<name>.js`,
// so stack frames of student code read `at cli (handlers.js:12:5)`. `locate` maps the first such frame
// back to `handlers.ts:10:7`. No student code runs here: stacks are strings, maps are the compiler's.

/** One decoded mapping segment: generated column → original line and column (all 0-based). */
interface Segment {
  readonly column: number;
  readonly line: number;
  readonly originalColumn: number;
}

export interface SourceMap {
  /** The original file name (`handlers.ts`). */
  readonly source: string;
  /** Segments per generated line, sorted by column. */
  readonly lines: readonly (readonly Segment[])[];
}

/** Source maps by compiled file name (`handlers.js`). */
export type SourceMaps = ReadonlyMap<string, SourceMap>;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decode one base64 VLQ field list (`AAAA,SAAS`) into numbers per segment. */
function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.indexOf(ch);
    if (digit < 0) return out;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** Parse the mappings of a source map with a single source. */
export function parseSourceMap(json: string, fallbackSource: string): SourceMap | undefined {
  let raw: { sources?: unknown; mappings?: unknown };
  try {
    raw = JSON.parse(json) as typeof raw;
  } catch {
    return undefined;
  }
  if (typeof raw.mappings !== "string") return undefined;
  const first = Array.isArray(raw.sources) && typeof raw.sources[0] === "string" ? (raw.sources[0] as string) : fallbackSource;
  const source = first.replace(/^(\.\.\/)*(submission\/)?/, "");
  const lines: Segment[][] = [];
  let line = 0;
  let originalColumn = 0;
  for (const text of raw.mappings.split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const part of text.split(",")) {
      if (!part) continue;
      const f = decodeVlq(part);
      column += f[0] ?? 0;
      if (f.length >= 4) {
        line += f[2]!;
        originalColumn += f[3]!;
        segments.push({ column, line, originalColumn });
      }
    }
    lines.push(segments);
  }
  return { source, lines };
}

/** Read the inline source map at the end of compiled code, if any. */
export function inlineSourceMap(code: string, name: string): SourceMap | undefined {
  const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!m) return undefined;
  return parseSourceMap(Buffer.from(m[1]!, "base64").toString("utf8"), name.replace(/\.js$/, ".ts"));
}

/** Stack lines looked at, and the longest line read: a stack is short, and a message the submission wrote may not be. */
const MAX_FRAMES = 64;
const MAX_FRAME_CHARS = 400;
/** One frame's location at the end of a line: `(handlers.js:12:5)` or ` handlers.js:12:5`; bounded runs keep it linear. */
const FRAME = /(?:^|[\s(])([\w./-]{1,200}\.js):(\d{1,9}):(\d{1,9})\)?\s*$/;

/**
 * `handlers.ts:10:7` for the first frame of a stack that lies in a compiled student file. Frames of
 * anything else (the grader, SES, Node) are never named: their paths are the grader's own.
 */
export function locate(stack: string, maps: SourceMaps): string | undefined {
  let start = 0;
  for (let n = 0; n < MAX_FRAMES && start < stack.length; n++) {
    let end = stack.indexOf("\n", start);
    if (end < 0) end = stack.length;
    const line = end - start > MAX_FRAME_CHARS ? "" : stack.slice(start, end);
    start = end + 1;
    const m = FRAME.exec(line);
    if (!m) continue;
    const map = maps.get(m[1]!);
    if (!map) continue;
    const lineNo = Number(m[2]) - 1;
    const column = Number(m[3]) - 1;
    const segments = map.lines[lineNo];
    if (!segments || segments.length === 0) return `${map.source} (compiled line ${lineNo + 1})`;
    let best = segments[0]!;
    for (const s of segments) if (s.column <= column) best = s;
    return `${map.source}:${best.line + 1}:${best.originalColumn + 1}`;
  }
  return undefined;
}
