// Runs every lecture notebook's code cells in order through tslab's own executor, as the Jupyter kernel would.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const notebooksDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(notebooksDir);
const require = createRequire(import.meta.url);

/**
 * The slowest a single cell may be before the notebook counts as too slow for a lecture. Cells take well
 * under two seconds on an idle laptop; the budget leaves room for a CI machine busy with other tests.
 */
const CELL_BUDGET_MS = 10_000;

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

interface CellRun {
  index: number;
  ok: boolean;
  ms: number;
  errors: string[];
}

async function runNotebook(file: string): Promise<{ runs: CellRun[]; displays: DisplayData[] }> {
  const notebook = readNotebook(file);
  const displays: DisplayData[] = [];
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
      const started = performance.now();
      const ok = await executor.execute(source(cell));
      runs.push({ index, ok, ms: performance.now() - started, errors });
      if (!ok) break;
    }
  } finally {
    executor.close();
  }
  return { runs, displays };
}

function firstLine(file: string, index: number): string {
  return source(readNotebook(file).cells[index]!).split("\n")[0] ?? "";
}

describe.each(notebookFiles)("notebook %s", (file) => {
  it("runs every code cell in order without an error or a failed self-check", async () => {
    const { runs, displays } = await runNotebook(file);
    const failed = runs.find((r) => !r.ok);
    if (failed) {
      throw new Error(`cell ${failed.index} (${firstLine(file, failed.index)}) failed:\n${failed.errors.join("\n")}`);
    }
    const slow = runs.filter((r) => r.ms > CELL_BUDGET_MS).map((r) => `cell ${r.index} took ${Math.round(r.ms)} ms`);
    expect(slow, `cells must each finish within ${CELL_BUDGET_MS} ms`).toEqual([]);
    const drawn = displays.filter((d) => /class="vmlab-(table|chart)"/.test(d.data["text/html"] ?? ""));
    expect(drawn.length, "the notebook shows at least one table or chart from the display helpers").toBeGreaterThan(0);
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

it("finds the five lecture notebooks of part 1, numbered in reading order", () => {
  expect(notebookFiles.filter((f) => /^0[1-5]-/.test(f))).toEqual([
    "01-welcome.ipynb",
    "02-the-machine.ipynb",
    "03-interpretation.ipynb",
    "04-popek-goldberg.ipynb",
    "05-trap-and-emulate.ipynb",
  ]);
});
