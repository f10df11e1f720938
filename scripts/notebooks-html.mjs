#!/usr/bin/env node
// `npm run notebooks:html`: execute every lecture notebook through real Jupyter and export HTML copies to out/notebooks/.
//
// The "try it yourself" cells (metadata {"vmlab": {"exercise": name}}) ship to students with a starter, so their
// self-checks fail as shipped. By default each notebook runs as students get it: the starters run and the
// self-checks show their red verdicts (nbconvert --allow-errors). Instructors can say so explicitly to run with their
// answers from solutions/notebooks/<notebook>.json substituted into those cells, where every cell, self-checks
// included, must pass: CI (.ci/run) runs both, to prove the notebooks work through Jupyter and the tslab kernel.
//
//   npm run notebooks:html                        as shipped, errors allowed        → out/notebooks/<notebook>.html
//   npm run notebooks:html -- --with-answers      the instructors' answers in the try-it cells, every cell must pass
//                                                                                   → out/notebooks/with-answers/<notebook>.html
//   npm run notebooks:html -- 03 05               only the notebooks whose file name contains one of the words
//
// The notebook is handed to nbconvert on stdin, with the kernel started in notebooks/ (where `vmlab` resolves: its
// types through notebooks/node_modules/vmlab/package.json, which writeKernelPackage writes), so the notebooks are
// never modified and no copy of a notebook is written.
//
// After a failing cell the tslab kernel cancels every request that reaches it in the next 200 ms (its way of stopping
// "Run All" at the first error), which would leave every cell after a red self-check without output. With
// --as-shipped, nbclient therefore pauses after each failing cell (an `on_cell_error` hook set in a throwaway config
// file), and the cells after a self-check run, as they do when a student runs them one by one. (`--as-shipped`, the
// default, is accepted for scripts written when answers were the default.)
//
// nbclient takes a cell's execution count from the kernel's `execute_input` message, which tslab does not send, and
// nbconvert does not number the cells itself, so every executed cell would show `In [ ]:`. An `on_cell_executed` hook
// in the same config file copies the count from the kernel's execute_reply onto the cell.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import {
  INSTALL_HINT, SetupError, ensureBuilt, writeKernelPackage, hasJupyter, loadNotebook, notebookFiles, readNotebook, registerKernel, root, runScript, unnumberedPrompts,
} from "./jupyter-env.mjs";

const USAGE = "usage: node scripts/notebooks-html.mjs [--with-answers] [notebook-name-part ...]";

/** The useful tail of nbconvert's report: nbclient's message naming the failing cell, not the Python traceback. */
function explain(result) {
  if (result.error) return result.error.message;
  const lines = (result.stderr ?? "").trimEnd().split("\n");
  const at = lines.findIndex((line) => line.includes("CellExecutionError:"));
  const tail = at >= 0 ? lines.slice(at) : lines.slice(-20);
  return tail.join("\n") + "\n(`npm test` runs the same cells through the same tslab executor and prints the cell's error.)";
}

/** nbconvert settings: number each executed cell with the kernel's own execution count (see the header). */
const NUMBER_CELLS = [
  "def _number_cell(cell, execute_reply, **_):",
  "    count = (execute_reply or {}).get('content', {}).get('execution_count')",
  "    if count:",
  "        cell['execution_count'] = count",
  "c.ExecutePreprocessor.on_cell_executed = _number_cell",
  "",
].join("\n");
/** nbconvert settings for --as-shipped: wait out tslab's 200 ms of cancelled requests after each failing cell. */
const PAUSE_AFTER_ERRORS = ["import time", "c.ExecutePreprocessor.on_cell_error = lambda **_: time.sleep(0.5)", ""].join("\n");

function parseArgs(argv) {
  const options = { asShipped: true, help: false, only: [] };
  for (const arg of argv) {
    if (arg === "--with-answers") options.asShipped = false;
    else if (arg === "--as-shipped") options.asShipped = true;
    else if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg.startsWith("-")) throw new SetupError(`unknown option ${arg}\n${USAGE}`, 2);
    else options.only.push(arg);
  }
  return options;
}

/** Executes one notebook through nbconvert into outDir; prints ok or FAIL and says whether it worked. */
function exportNotebook(notebook, { asShipped, outDir, extraArgs }) {
  const stem = basename(notebook, ".ipynb");
  const started = Date.now();
  let result;
  let content;
  try {
    content = loadNotebook(notebook, { solved: !asShipped });
    // From stdin nbconvert knows no file name: give the page its title.
    content.metadata.title = asShipped ? `${stem} (as shipped)` : stem;
    result = spawnSync(
      "jupyter",
      [
        "nbconvert", "--stdin", "--to", "html", "--execute",
        "--ExecutePreprocessor.kernel_name=tslab", "--ExecutePreprocessor.timeout=120",
        ...extraArgs,
        "--output", stem, "--output-dir", outDir,
      ],
      { cwd: join(root, "notebooks"), input: JSON.stringify(content), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    result = { error };
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`FAIL  ${notebook} (${seconds} s)\n${explain(result)}`);
    return false;
  }
  const page = readFileSync(join(outDir, `${stem}.html`), "utf8");
  // Every code cell with source ran, so every one of them must show its execution count.
  const empty = content.cells.filter((c) => c.cell_type === "code" && [].concat(c.source).join("").trim() === "").length;
  const unnumbered = unnumberedPrompts(page) - empty;
  if (unnumbered > 0) {
    console.error(`FAIL  ${notebook} (${seconds} s)\n${unnumbered} executed cell${unnumbered === 1 ? "" : "s"} show In [ ]: without an execution count in ${relative(root, join(outDir, `${stem}.html`))}`);
    return false;
  }
  let note = "";
  if (asShipped) {
    const red = page.match(/SelfCheckFailed:/g)?.length ?? 0;
    note = `, ${red} self-check${red === 1 ? "" : "s"} not right yet`;
  }
  console.log(`ok    ${notebook} (${seconds} s${note})`);
  return true;
}

await runScript(async () => {
  const { asShipped, help, only } = parseArgs(process.argv.slice(2));
  if (help) {
    console.log(`${USAGE}\n  (default)       run the notebooks as students get them, errors allowed → out/notebooks/\n  --with-answers  run with the instructors' answers (solutions/notebooks/) in the try-it cells; every cell must pass → out/notebooks/with-answers/`);
    return 0;
  }
  const notebooks = notebookFiles().filter((n) => only.length === 0 || only.some((part) => basename(n).includes(part)));
  if (notebooks.length === 0) throw new SetupError(`no notebook in notebooks/ matches ${only.join(", ")}`, 2);
  // A malformed notebook is named before anything runs (and whether or not Jupyter is installed).
  for (const notebook of notebooks) readNotebook(notebook);
  if (!hasJupyter("nbconvert")) throw new SetupError(`jupyter nbconvert is not installed.\n${INSTALL_HINT}`);
  ensureBuilt();
  writeKernelPackage();
  registerKernel();
  if (!asShipped && !existsSync(join(root, "solutions", "notebooks"))) {
    throw new SetupError("--with-answers needs the instructors' answers in solutions/notebooks/, which this copy of vmlab does not have", 2);
  }
  const outDir = join(root, "out", "notebooks", ...(asShipped ? [] : ["with-answers"]));
  mkdirSync(outDir, { recursive: true });
  console.log(asShipped ? "Running the notebooks as shipped to students (starters in the exercises):" : "Running the notebooks with the instructors' answers from solutions/notebooks/ in the exercises:");
  const configDir = mkdtempSync(join(tmpdir(), "vmlab-nbconvert-"));
  const config = join(configDir, "vmlab_nbconvert_config.py");
  writeFileSync(config, NUMBER_CELLS + (asShipped ? PAUSE_AFTER_ERRORS : ""));
  const extraArgs = ["--config", config, ...(asShipped ? ["--allow-errors"] : [])];
  const failed = [];
  try {
    for (const notebook of notebooks) {
      if (!exportNotebook(notebook, { asShipped, outDir, extraArgs })) failed.push(notebook);
    }
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
  if (failed.length > 0) throw new SetupError(`${failed.length === 1 ? "1 notebook" : `${failed.length} notebooks`} failed under Jupyter: ${failed.join(", ")}`);
  console.log(`Executed HTML copies are in ${relative(root, outDir)}/`);
  return 0;
});
