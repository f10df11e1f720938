// Runs every lecture notebook's code cells in order through tslab's own executor, as the Jupyter kernel would: once
// with the instructors' solutions (solutions/notebooks/<notebook>.json) in the "try it yourself" cells, where every
// cell must pass, and once as shipped to students, with the starters, where only the exercises' self-checks may fail,
// each with its verdict in plain words, and every other cell must still run.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module without type declarations
import { writeKernelPackage } from "../scripts/jupyter-env.mjs";

const notebooksDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(notebooksDir);
const require = createRequire(import.meta.url);

interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}

interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec?: { name?: string } };
}

interface TslabConverter {
  close(): void;
}
interface TslabExecutor {
  execute(src: string): Promise<boolean>;
  close(): void;
}
interface DisplayData {
  data: Record<string, string>;
}

const tslab = {
  converter: require("tslab/dist/converter.js") as { createConverter(o: { isJS: boolean; isBrowser: boolean }): TslabConverter },
  executor: require("tslab/dist/executor.js") as {
    createExecutor(
      rootDir: string,
      convs: { node: TslabConverter; browser: TslabConverter; close(): void },
      console: { log(...a: unknown[]): void; error(...a: unknown[]): void },
    ): TslabExecutor;
  },
  jupyter: require("tslab/dist/jupyter.js") as { lastWriteDisplayData: ((d: DisplayData, update: boolean) => void) | null },
};

const notebookFiles = readdirSync(notebooksDir)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();

function source(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

function readNotebook(file: string): Notebook {
  return JSON.parse(readFileSync(join(notebooksDir, file), "utf8")) as Notebook;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Notebooks import the built package (dist/), like a user; rebuild it when any source file is newer than its output. */
function ensureBuilt(): void {
  const stale = sourceFiles(join(root, "src")).filter((file) => {
    const built = join(root, "dist", relative(root, file)).replace(/\.ts$/, ".js");
    return !existsSync(built) || statSync(built).mtimeMs < statSync(file).mtimeMs;
  });
  if (stale.length === 0) return;
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.json")], {
    cwd: root,
    encoding: "utf8",
  });
  if (!existsSync(join(root, "dist", "src", "index.js"))) {
    throw new Error(`the notebooks import dist/src/index.js, and building it failed:\n${tsc.stdout}${tsc.stderr}`);
  }
}

let previousCwd = "";
let converter: TslabConverter | undefined;

beforeAll(() => {
  ensureBuilt();
  // Cells import `vmlab` by name; the kernel type-checks them with node10 resolution, which finds its types here.
  (writeKernelPackage as () => void)();
  // The kernel's working directory is the notebook's folder; tslab's converter reads it once, at creation.
  previousCwd = process.cwd();
  process.chdir(notebooksDir);
  converter = tslab.converter.createConverter({ isJS: false, isBrowser: false });
}, 120_000);

afterAll(() => {
  converter?.close();
  tslab.jupyter.lastWriteDisplayData = null;
  if (previousCwd) process.chdir(previousCwd);
});

/**
 * A cell's `metadata.vmlab`: `exercise` marks a "try it yourself" cell, shipped with a starter, whose answer is in
 * solutions/notebooks/<notebook>.json under that name; `selfCheck` marks the cell(s) right after it that check it.
 */
interface VmlabCellMetadata {
  exercise?: string;
  selfCheck?: string;
}

function vmlabMetadata(cell: NotebookCell): VmlabCellMetadata {
  const meta = cell.metadata?.["vmlab"];
  return typeof meta === "object" && meta !== null ? (meta as VmlabCellMetadata) : {};
}

const solutionsDir = join(root, "solutions", "notebooks");

function solutionsFile(file: string): string {
  return join(solutionsDir, file.replace(/\.ipynb$/, ".json"));
}

/** The instructors' answers for one notebook: exercise name → the exercise cell's full source. */
function readSolutions(file: string): Record<string, unknown> {
  const path = solutionsFile(file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {};
}

/** The notebook with every exercise cell's starter replaced by its solution (cells without one stay as shipped). */
function withSolutions(notebook: Notebook, solutions: Record<string, unknown>): Notebook {
  const cells = notebook.cells.map((cell) => {
    const answer = solutions[vmlabMetadata(cell).exercise ?? ""];
    return typeof answer === "string" ? { ...cell, source: answer } : cell;
  });
  return { ...notebook, cells };
}

/**
 * How a failed self-check reads in the kernel's output: one line pointing at the red verdict box above it, which
 * lists the problems (SelfCheckFailed prints no stack trace and does not repeat the list); anything else — a
 * TypeError, a stack, a dump of objects — is a confusing crash.
 */
const PLAIN_VERDICT = /^SelfCheckFailed: [^\n]+: not right yet \(\d[\d,]* problems?, listed above\)$/;
/** A red verdict box that lists at least one problem. */
const RED_BOX_WITH_PROBLEMS = /class="vmlab-check bad"><strong>[^<]+<\/strong><ul><li>/;

interface CellRun {
  index: number;
  ok: boolean;
  errors: string[];
  displays: DisplayData[];
}

/** Runs the notebook's code cells in order in a fresh executor; stops at the first failing cell unless `keepGoing`. */
async function runNotebook(notebook: Notebook, { keepGoing }: { keepGoing: boolean }): Promise<CellRun[]> {
  let displays: DisplayData[] = [];
  tslab.jupyter.lastWriteDisplayData = (d) => displays.push(d);
  const conv = converter!;
  let errors: string[] = [];
  const executor = tslab.executor.createExecutor(
    notebooksDir,
    { node: conv, browser: conv, close: () => undefined },
    {
      log: () => undefined,
      error: (...args: unknown[]) => errors.push(format(...args)),
    },
  );
  const runs: CellRun[] = [];
  try {
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      errors = [];
      displays = [];
      const ok = await executor.execute(source(cell));
      runs.push({ index, ok, errors, displays });
      if (!ok && !keepGoing) break;
    }
  } finally {
    executor.close();
  }
  return runs;
}

function describeCell(notebook: Notebook, index: number): string {
  const cell = notebook.cells[index]!;
  const firstLine = source(cell).split("\n")[0] ?? "";
  const meta = vmlabMetadata(cell);
  const role = meta.exercise !== undefined ? `exercise "${meta.exercise}"` : meta.selfCheck !== undefined ? `self-check of "${meta.selfCheck}"` : "";
  return `cell ${index}${role ? ` (${role})` : ""} \`${firstLine}\``;
}

const shows = (run: CellRun, pattern: RegExp): boolean => run.displays.some((d) => pattern.test(d.data["text/html"] ?? ""));

describe.each(notebookFiles)("notebook %s", (file) => {
  it("runs every code cell in order, with the solutions in its exercises, without an error or a failed self-check", async () => {
    const notebook = withSolutions(readNotebook(file), readSolutions(file));
    const runs = await runNotebook(notebook, { keepGoing: false });
    const failed = runs.find((r) => !r.ok);
    if (failed) {
      // A failed self-check lists its problems in the verdict box it displayed, not in the error: show both.
      const boxes = failed.displays.map((d) => d.data["text/html"] ?? "").filter((h) => h.includes("vmlab-check")).map((h) => h.replace(/<li>/g, "\n  ✗ ").replace(/<[^>]+>/g, ""));
      throw new Error(`${describeCell(notebook, failed.index)} failed:\n${[...boxes, ...failed.errors].join("\n")}`);
    }
    const drawn = runs.filter((r) => shows(r, /class="vmlab-(table|chart)"/));
    expect(drawn.length, "the notebook shows at least one table or chart from the display helpers").toBeGreaterThan(0);
    const notGreen = runs
      .filter((r) => vmlabMetadata(notebook.cells[r.index]!).selfCheck !== undefined && !shows(r, /class="vmlab-check ok"/))
      .map((r) => describeCell(notebook, r.index));
    expect(notGreen, "self-check cells that did not show a green verdict with the solutions").toEqual([]);
  });

  it("as shipped, fails only in its exercises' self-checks, each saying plainly what is wrong, and runs every other cell", async () => {
    const notebook = readNotebook(file);
    const runs = await runNotebook(notebook, { keepGoing: true });
    const problems: string[] = [];
    for (const run of runs) {
      const what = describeCell(notebook, run.index);
      const output = run.errors.join("\n");
      if (vmlabMetadata(notebook.cells[run.index]!).selfCheck === undefined) {
        if (!run.ok) problems.push(`${what} failed as shipped (only the self-check of an exercise may):\n${output}`);
      } else if (run.ok) {
        problems.push(`${what} passed with the starter: the exercise gives its answer away`);
      } else if (!PLAIN_VERDICT.test(output)) {
        problems.push(`${what} failed with something other than its verdict in plain words:\n${output}`);
      } else if (!shows(run, RED_BOX_WITH_PROBLEMS)) {
        problems.push(`${what} failed without showing its red verdict box with the problems`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("pairs each exercise cell with the self-check right after it and a solution, and each solution with an exercise", () => {
    const notebook = readNotebook(file);
    const solutions = readSolutions(file);
    const problems: string[] = [];
    const exercises = new Map<string, number>();
    notebook.cells.forEach((cell, index) => {
      const { exercise, selfCheck } = vmlabMetadata(cell);
      if (exercise !== undefined) {
        if (cell.cell_type !== "code") problems.push(`cell ${index}: exercise "${exercise}" is not a code cell`);
        if (exercises.has(exercise)) problems.push(`cell ${index}: a second exercise named "${exercise}"`);
        exercises.set(exercise, index);
        const next = notebook.cells.slice(index + 1).find((c) => c.cell_type === "code");
        if (next === undefined || vmlabMetadata(next).selfCheck !== exercise) {
          problems.push(`cell ${index}: exercise "${exercise}" is not followed by a code cell with metadata {"vmlab": {"selfCheck": "${exercise}"}}`);
        }
        const answer = solutions[exercise];
        if (typeof answer !== "string" || answer.trim() === "") problems.push(`exercise "${exercise}" has no solution in ${relative(root, solutionsFile(file))}`);
        else if (answer.trim() === source(cell).trim()) problems.push(`exercise "${exercise}" ships with its solution as the starter`);
      }
      if (selfCheck !== undefined) {
        const previous = notebook.cells.slice(0, index).reverse().find((c) => c.cell_type === "code");
        const meta = previous ? vmlabMetadata(previous) : {};
        if (meta.exercise !== selfCheck && meta.selfCheck !== selfCheck) {
          problems.push(`cell ${index}: the self-check of "${selfCheck}" does not come right after that exercise's cell`);
        }
      }
    });
    for (const name of Object.keys(solutions)) {
      if (!exercises.has(name)) problems.push(`${relative(root, solutionsFile(file))} answers "${name}", which is no exercise cell of ${file}`);
    }
    expect(problems).toEqual([]);
    expect(exercises.size, "every lecture notebook has at least one try-it-yourself exercise").toBeGreaterThan(0);
  });

  it("is committed without outputs or execution counts and declares the tslab kernel", () => {
    const notebook = readNotebook(file);
    const withOutputs = notebook.cells
      .map((cell, index) => ({ cell, index }))
      .filter(({ cell }) => cell.cell_type === "code" && ((cell.outputs ?? []).length > 0 || cell.execution_count != null))
      .map(({ index }) => index);
    expect(withOutputs, "cells with outputs or execution counts (clear them before committing)").toEqual([]);
    expect(notebook.metadata.kernelspec?.name).toBe("tslab");
  });
});

it("keeps solutions only for notebooks that exist", () => {
  const orphans = existsSync(solutionsDir)
    ? readdirSync(solutionsDir).filter((f) => f.endsWith(".json") && !notebookFiles.includes(f.replace(/\.json$/, ".ipynb")))
    : [];
  expect(orphans, "solutions/notebooks/*.json files without a notebook of the same name").toEqual([]);
});

it("finds the five lecture notebooks of part 1, numbered in reading order", () => {
  expect(notebookFiles.filter((f) => /^0[1-5]-/.test(f))).toEqual([
    "01-welcome.ipynb",
    "02-the-machine.ipynb",
    "03-interpretation.ipynb",
    "04-popek-goldberg.ipynb",
    "05-trap-and-emulate.ipynb",
  ]);
});
