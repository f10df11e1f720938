// Pass 2, stage: read the submission (a folder, or a notebook whose cells tagged vmlab:submission hold the code) into file name → source.
//
// Only regular files inside the submission are read, each under a size cap (safe-read.ts); a link out of
// the submission, a device, a FIFO, a folder where a file should be, an oversized or absurdly nested
// notebook all become feedback naming the file and the rule, and the submission is ungradable.
import { lstatSync, readdirSync, type Stats } from "node:fs";
import { basename } from "node:path";
import { didYouMean } from "../../../src/core/suggest.js";
import { GraderError } from "../errors.js";
import { studentImports } from "../lab/regions.js";
import type { Lab } from "../lab/load.js";
import type { Feedback } from "../result.js";
import { readRegularFile, readSubmissionFile } from "./safe-read.js";

/** The cell tag that marks submission code in a notebook. */
export const SUBMISSION_TAG = "vmlab:submission";

export interface StagedSubmission {
  readonly name: string;
  readonly kind: "folder" | "notebook";
  /** Student files by name (only the files the lab names). */
  readonly files: Readonly<Record<string, string>>;
  /** Problems that make the submission ungradable (a missing file, a notebook without tagged cells). */
  readonly feedback: readonly Feedback[];
}

/** Largest student file the grader reads (a handler file is a few KiB; this stops a runaway upload). */
export const MAX_FILE_BYTES = 1 << 20;
/** Largest notebook the grader reads (outputs included; clearing them makes any real notebook fit). */
export const MAX_NOTEBOOK_BYTES = 8 << 20;
/** Deepest nesting of arrays and objects a notebook may have (nbformat needs 6; a parse of deeper JSON can take seconds). */
export const MAX_NOTEBOOK_DEPTH = 64;

/** Stage a submission path for a lab. Throws only when the path does not exist (a usage error); everything else becomes feedback. */
export function stageSubmission(path: string, lab: Pick<Lab, "studentFiles" | "entry">): StagedSubmission {
  let top: Stats;
  try {
    top = lstatSync(path);
  } catch {
    throw new GraderError("GRADE_NO_SUBMISSION", `no submission at ${path}`, { hint: "pass a folder holding the lab's files or a .ipynb notebook" });
  }
  const name = basename(path).replace(/\.ipynb$/, "");
  if (top.isSymbolicLink()) {
    return { name, kind: path.endsWith(".ipynb") ? "notebook" : "folder", files: {}, feedback: [{ kind: "stage", code: "GRADE_FILE_OUTSIDE", file: basename(path), message: `the submission ${basename(path)} is a symbolic link; the grader grades only a real folder or notebook` }] };
  }
  if (!top.isDirectory()) {
    if (!path.endsWith(".ipynb")) {
      throw new GraderError("GRADE_NO_SUBMISSION", `${path} is a file but not a notebook`, { hint: `pass the folder that holds ${lab.studentFiles.join(", ")}, or a .ipynb notebook` });
    }
    const read = readRegularFile(path, MAX_NOTEBOOK_BYTES, basename(path));
    if (!read.ok) return { name, kind: "notebook", files: {}, feedback: [{ kind: "stage", code: read.code, file: basename(path), message: notebookAdvice(read) }] };
    return { name, kind: "notebook", ...fromNotebook(read.text, lab) };
  }
  const files: Record<string, string> = {};
  const feedback: Feedback[] = [];
  let present: string[] = [];
  try {
    present = readdirSync(path).filter((f) => f.endsWith(".ts"));
  } catch {
    // an unreadable folder: every file is reported missing below
  }
  for (const file of lab.studentFiles) {
    const read = readSubmissionFile(path, file, MAX_FILE_BYTES);
    if (!read.ok) {
      const guess = read.code === "GRADE_MISSING_FILE" ? didYouMean(file, present, { maxDistance: 4 }) : undefined;
      feedback.push({ kind: "stage", code: read.code, file, message: `${read.message}${guess ? ` (${guess})` : ""}` });
      continue;
    }
    files[file] = studentImports(read.text);
  }
  return { name, kind: "folder", files, feedback };
}

/** What to do about a notebook that could not be read. */
function notebookAdvice(read: { code: string; message: string }): string {
  return read.code === "GRADE_FILE_TOO_LARGE" ? `${read.message}: clear the outputs (Kernel → Restart & Clear Output) and save` : read.message;
}

/** The deepest nesting of arrays and objects in a JSON text (strings skipped), in one linear pass. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

interface NotebookCell {
  readonly cell_type?: string;
  readonly source?: string | string[];
  readonly metadata?: { readonly tags?: unknown };
}

/** A `// file: helpers.ts` first line sends a cell to another student file; otherwise cells go to the entry file, in order. */
const FILE_DIRECTIVE = /^\s*(?:\/\/\s*file:|%%file)\s*(\S+)\s*$/;

/** Extract the tagged cells of a notebook into the lab's student files. */
export function fromNotebook(text: string, lab: Pick<Lab, "studentFiles" | "entry">): { files: Record<string, string>; feedback: Feedback[] } {
  let nb: { cells?: NotebookCell[] };
  const depth = jsonDepth(text);
  if (depth > MAX_NOTEBOOK_DEPTH) {
    return { files: {}, feedback: [{ kind: "stage", code: "GRADE_BAD_NOTEBOOK", message: `the notebook nests arrays and objects ${depth} deep; a Jupyter notebook needs fewer than ${MAX_NOTEBOOK_DEPTH}: save it again from Jupyter` }] };
  }
  try {
    nb = JSON.parse(text) as { cells?: NotebookCell[] };
  } catch (e) {
    return { files: {}, feedback: [{ kind: "stage", code: "GRADE_BAD_NOTEBOOK", message: `the notebook is not valid JSON: ${(e as Error).message}` }] };
  }
  const cells = Array.isArray(nb.cells) ? nb.cells : [];
  const tagged = cells.filter((c) => c.cell_type === "code" && Array.isArray(c.metadata?.tags) && (c.metadata!.tags as unknown[]).includes(SUBMISSION_TAG));
  if (!tagged.length) {
    return {
      files: {},
      feedback: [{ kind: "stage", code: "GRADE_BAD_NOTEBOOK", message: `no code cell is tagged ${SUBMISSION_TAG}; tag the cells that hold your handlers (View → Cell Toolbar → Tags)` }],
    };
  }
  const parts = new Map<string, string[]>();
  const feedback: Feedback[] = [];
  for (const cell of tagged) {
    const source = Array.isArray(cell.source) ? cell.source.join("") : (cell.source ?? "");
    const lines = source.split("\n");
    const directive = FILE_DIRECTIVE.exec(lines[0] ?? "");
    let file = lab.entry;
    if (directive) {
      file = directive[1]!;
      lines.shift();
      if (!lab.studentFiles.includes(file)) {
        const guess = didYouMean(file, lab.studentFiles, { maxDistance: 4 });
        feedback.push({ kind: "stage", code: "GRADE_UNKNOWN_FILE", file, message: `a cell names ${file}, which this lab does not grade${guess ? ` (${guess})` : `; it grades ${lab.studentFiles.join(", ")}`}` });
        continue;
      }
    }
    parts.set(file, [...(parts.get(file) ?? []), lines.join("\n")]);
  }
  const files: Record<string, string> = {};
  for (const f of lab.studentFiles) {
    const p = parts.get(f);
    if (p) files[f] = studentImports(p.join("\n\n"));
    else feedback.push({ kind: "stage", code: "GRADE_MISSING_FILE", file: f, message: `no tagged cell holds ${f}; start a cell with // file: ${f}` });
  }
  return { files, feedback };
}
