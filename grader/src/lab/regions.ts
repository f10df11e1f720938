// Solution regions: `// BEGIN SOLUTION` … `// END SOLUTION` in a reference file become `// YOUR CODE HERE` and a throw in the student's starter.
import { GraderError } from "../errors.js";

export const BEGIN = "// BEGIN SOLUTION";
export const END = "// END SOLUTION";

/** One region: 1-based lines of its markers and the handler (method or function) it sits in. */
export interface Region {
  readonly begin: number;
  readonly end: number;
  readonly handler: string;
}

/** Lines that open a handler: `cli(vcpu) {`, `popf(vcpu: VirtualCpu): void {`, `function reflect(`, `sti: (vcpu) => {`. */
const HANDLER_OPEN = /^\s*(?:(?:export\s+)?(?:async\s+)?function\s+)?([A-Za-z_$][\w$]*)\s*(?::\s*(?:async\s*)?)?\(/;
const NOT_HANDLERS = new Set(["if", "for", "while", "switch", "catch", "return", "function"]);

/** Find the regions of a file; throws LAB_REGIONS naming every unpaired marker. */
export function findRegions(source: string, file: string): Region[] {
  const lines = source.split("\n");
  const regions: Region[] = [];
  const problems: string[] = [];
  let open: number | undefined;
  lines.forEach((text, i) => {
    const t = text.trim();
    if (t === BEGIN) {
      if (open !== undefined) problems.push(`${file}:${i + 1}: BEGIN SOLUTION inside the region opened at line ${open + 1}`);
      open = i;
    } else if (t === END) {
      if (open === undefined) problems.push(`${file}:${i + 1}: END SOLUTION without a BEGIN SOLUTION`);
      else {
        regions.push({ begin: open + 1, end: i + 1, handler: handlerAbove(lines, open) });
        open = undefined;
      }
    }
  });
  if (open !== undefined) problems.push(`${file}:${open + 1}: BEGIN SOLUTION is never closed`);
  if (problems.length) throw new GraderError("LAB_REGIONS", `solution regions do not pair up:\n  ${problems.join("\n  ")}`, { hint: `close every '${BEGIN}' with '${END}' on its own line` });
  return regions;
}

function handlerAbove(lines: readonly string[], index: number): string {
  for (let i = index - 1; i >= 0; i--) {
    const m = HANDLER_OPEN.exec(lines[i]!);
    if (m && !NOT_HANDLERS.has(m[1]!)) return m[1]!;
  }
  return "solution";
}

/**
 * Rewrite imports of the package's own source (`../../src/index.js`) to the module students import,
 * `vmlab`, so the starter compiles in the handout and in the grader's sandbox alike.
 */
export function studentImports(source: string): string {
  return source.replace(/(from\s+["'])(?:\.\.\/)+src\/index\.js(["'])/g, "$1vmlab$2");
}

/** The student's starter: every region replaced by `// YOUR CODE HERE` and a throw naming its handler. */
export function makeStarter(source: string, file: string): string {
  const regions = findRegions(source, file);
  const lines = source.split("\n");
  const out: string[] = [];
  let r = 0;
  for (let i = 0; i < lines.length; i++) {
    const region = regions[r];
    if (region && i + 1 === region.begin) {
      const indent = /^\s*/.exec(lines[i]!)![0];
      out.push(`${indent}// YOUR CODE HERE`, `${indent}throw new Error("not implemented: ${region.handler}");`);
      i = region.end - 1;
      r++;
      continue;
    }
    out.push(lines[i]!);
  }
  return studentImports(out.join("\n"));
}

/** Does the text still carry a solution marker (a leak check for handouts)? */
export function hasSolutionMarker(text: string): boolean {
  return /^\s*\/\/\s*(BEGIN|END) SOLUTION\s*$/m.test(text);
}

/** The code inside regions, one string per region (a leak check looks for these in a handout). */
export function regionBodies(source: string, file: string): string[] {
  const lines = source.split("\n");
  return findRegions(source, file).map((r) => lines.slice(r.begin, r.end - 1).join("\n"));
}
