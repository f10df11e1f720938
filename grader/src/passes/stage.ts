// Pass 2, stage: read the submission (a folder, or a notebook whose cells tagged vmlab:submission hold the code) into file name → source.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { didYouMean } from "../../../src/isa/suggest.js";
import { GraderError } from "../errors.js";
import { studentImports } from "../lab/regions.js";
import type { Lab } from "../lab/load.js";
import type { Feedback } from "../result.js";

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

/** Stage a submission path for a lab. Throws only when the path does not exist (a usage error). */
export function stageSubmission(path: string, lab: Pick<Lab, "studentFiles" | "entry">): StagedSubmission {
  if (!existsSync(path)) {
    throw new GraderError("GRADE_NO_SUBMISSION", `no submission at ${path}`, { hint: "pass a folder holding the lab's files or a .ipynb notebook" });
  }
  const name = basename(path).replace(/\.ipynb$/, "");
  if (statSync(path).isFile()) {
    if (!path.endsWith(".ipynb")) {
      throw new GraderError("GRADE_NO_SUBMISSION", `${path} is a file but not a notebook`, { hint: `pass the folder that holds ${lab.studentFiles.join(", ")}, or a .ipynb notebook` });
    }
    return { name, kind: "notebook", ...fromNotebook(readFileSync(path, "utf8"), lab) };
  }
  const files: Record<string, string> = {};
  const feedback: Feedback[] = [];
  const present = readdirSync(path).filter((f) => f.endsWith(".ts"));
  for (const file of lab.studentFiles) {
    const full = join(path, file);
    if (!existsSync(full)) {
      const guess = didYouMean(file, present, { maxDistance: 4 });
      feedback.push({ kind: "stage", code: "GRADE_MISSING_FILE", file, message: `${file} is missing from the submission${guess ? ` (${guess})` : ""}` });
      continue;
    }
    if (statSync(full).size > MAX_FILE_BYTES) {
      feedback.push({ kind: "stage", code: "GRADE_FILE_TOO_LARGE", file, message: `${file} is larger than ${MAX_FILE_BYTES} bytes` });
      continue;
    }
    files[file] = studentImports(readFileSync(full, "utf8"));
  }
  return { name, kind: "folder", files, feedback };
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
