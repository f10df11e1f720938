// Shared by the notebook scripts: find Jupyter and its Python, build the package, show it to the kernel, register the tslab kernel.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (this file lives in scripts/). */
export const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** How to get Jupyter, printed whenever it is missing. */
export const INSTALL_HINT = [
  "Install Jupyter, then run this again:",
  "  Debian/Ubuntu:  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel",
  "  with pip:       python3 -m pip install --user notebook nbconvert nbclient ipykernel",
].join("\n");

/**
 * A failure the user can fix; the scripts print it as `error: <message>` without a stack trace and exit with
 * `exitCode` (1: something did not work, such as a notebook failing under Jupyter; 2: bad input or arguments).
 */
export class SetupError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: "utf8", ...options });
}

/** True when `jupyter <subcommand> --version` runs. */
export function hasJupyter(subcommand) {
  const result = run("jupyter", [subcommand, "--version"]);
  return !result.error && result.status === 0;
}

function whichJupyter() {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const candidate = join(dir || ".", "jupyter");
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The Python interpreter Jupyter itself runs on: the one that can import jupyter_client and IPython. */
export function findJupyterPython() {
  const candidates = [];
  const jupyter = whichJupyter();
  if (jupyter) {
    const shebang = readFileSync(jupyter, "utf8").split("\n", 1)[0] ?? "";
    const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(shebang);
    if (match) candidates.push(match[1].endsWith("/env") && match[2] ? match[2] : match[1]);
  }
  candidates.push("python3", "/usr/bin/python3", "python");
  for (const python of candidates) {
    const probe = run(python, ["-c", "import jupyter_client, IPython"]);
    if (!probe.error && probe.status === 0) return python;
  }
  throw new SetupError(`No Python with jupyter_client and IPython was found (tried ${candidates.join(", ")}).\n${INSTALL_HINT}`);
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Notebooks import the built package from dist/; build it when any source file is newer than its output. */
export function ensureBuilt() {
  const stale = sourceFiles(join(root, "src")).some((file) => {
    const built = join(root, "dist", relative(root, file)).replace(/\.ts$/, ".js");
    return !existsSync(built) || statSync(built).mtimeMs < statSync(file).mtimeMs;
  });
  if (!stale) return;
  console.log("Building vmlab (npm run build) because dist/ is older than src/ ...");
  const tsc = run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.json")], {
    cwd: root,
    stdio: "inherit",
  });
  if (!existsSync(join(root, "dist", "src", "index.js"))) {
    throw new SetupError("The build produced no dist/src/index.js (see the TypeScript errors above); the notebooks import it.");
  }
  if (tsc.status !== 0) console.warn("TypeScript reported errors (above); the notebooks run what it emitted.");
}

/** Where the notebooks' kernel finds the types of `vmlab` by name: notebooks/node_modules/vmlab/package.json. */
export const KERNEL_PACKAGE = join(root, "notebooks", "node_modules", "vmlab");

/**
 * The package.json the kernel's type checker reads for `vmlab`: the project's `types` and `typesVersions`, each path
 * pointing back at the project's dist/ (`../../../dist/src/index.d.ts`). It names no code: at run time Node finds the
 * package through its own export map (a package may import itself by name).
 */
export function kernelPackageManifest(pkg) {
  const back = (path) => relative(KERNEL_PACKAGE, join(root, path));
  const typesVersions = Object.fromEntries(Object.entries(pkg.typesVersions ?? {}).map(([range, map]) => [range, Object.fromEntries(Object.entries(map).map(([sub, paths]) => [sub, paths.map(back)]))]));
  return {
    name: pkg.name, version: pkg.version, private: true,
    description: "Written by scripts/jupyter-env.mjs: where the notebooks' kernel (tslab, node10 resolution) finds vmlab's types.",
    types: back(pkg.types), typesVersions,
  };
}

/**
 * Notebooks import the package by name (`vmlab`, `vmlab/notebook`). tslab type-checks each cell with classic (node10)
 * resolution, which looks only in node_modules folders and reads no export map: it finds notebooks/node_modules/vmlab,
 * a package.json whose types and typesVersions point at the project's declarations (not a link to the project, which
 * would be a loop for anything that walks the tree). Writes it when it is missing or out of date; idempotent.
 */
export function writeKernelPackage() {
  const manifest = join(KERNEL_PACKAGE, "package.json");
  const text = JSON.stringify(kernelPackageManifest(JSON.parse(readFileSync(join(root, "package.json"), "utf8"))), null, 2) + "\n";
  if (existsSync(manifest) && readFileSync(manifest, "utf8") === text) return;
  mkdirSync(KERNEL_PACKAGE, { recursive: true });
  // Written whole, then renamed into place: two runs at once never leave half a file.
  const temporary = `${manifest}.${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, manifest);
}

/** Registers the tslab kernel with the Jupyter found on this machine, pointing at this project's tslab. */
export function registerKernel() {
  const python = findJupyterPython();
  const tslabBin = join(root, "node_modules", ".bin", "tslab");
  if (!existsSync(tslabBin)) throw new SetupError("node_modules/.bin/tslab is missing: run `npm install` first.");
  const result = run(process.execPath, [join(root, "node_modules", "tslab", "bin", "tslab"), "install", `--python=${python}`, `--binary=${tslabBin}`], {
    cwd: root,
  });
  if (result.error || result.status !== 0) {
    throw new SetupError(`Registering the tslab kernel failed:\n${result.stdout ?? ""}${result.stderr ?? ""}`.trimEnd());
  }
  return python;
}

/** The lecture notebooks, in reading order. */
export function notebookFiles() {
  return readdirSync(join(root, "notebooks"))
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join("notebooks", f));
}

/** A cell's `metadata.vmlab.exercise`: the name of the "try it yourself" exercise it holds, if any. */
function exerciseName(cell) {
  const name = cell.metadata?.vmlab?.exercise;
  return typeof name === "string" ? name : undefined;
}

/** Where a notebook's answers live: solutions/notebooks/<notebook file stem>.json, `{ "<exercise>": "<cell source>" }`. */
export function solutionsPath(notebook) {
  return join(root, "solutions", "notebooks", basename(notebook).replace(/\.ipynb$/, ".json"));
}

/**
 * A lecture notebook (path relative to the project root) as parsed JSON, as shipped or, with `solved`, with each
 * exercise cell's starter replaced by its solution. Throws a SetupError naming any exercise without a solution.
 */
export function loadNotebook(notebook, { solved }) {
  const parsed = readNotebook(notebook);
  if (!solved) return parsed;
  const path = solutionsPath(notebook);
  const solutions = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
  const missing = [];
  for (const cell of parsed.cells) {
    const name = exerciseName(cell);
    if (name === undefined) continue;
    const answer = solutions[name];
    if (typeof answer !== "string") {
      missing.push(name);
      continue;
    }
    cell.source = answer.split(/(?<=\n)/);
  }
  if (missing.length > 0) {
    throw new SetupError(`${notebook}: no solution for exercise(s) ${missing.join(", ")} in ${relative(root, path)}`);
  }
  return parsed;
}

/**
 * A notebook file (relative to the project root, or absolute) parsed and checked to be nbformat 4: an object with a
 * `cells` array whose cells have a type and a source. Anything else is a SetupError naming the file and what is wrong.
 */
export function readNotebook(notebook) {
  const bad = (why) => new SetupError(`${notebook} is not a valid notebook: ${why}\nhint: a notebook is nbformat 4 JSON with a "cells" array; restore it (git checkout ${notebook}) or open and save it in Jupyter`, 2);
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(resolve(root, notebook), "utf8"));
  } catch (error) {
    throw bad(error instanceof SyntaxError ? `its JSON does not parse (${error.message})` : error.message);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw bad("it is not a JSON object");
  if (!Array.isArray(parsed.cells)) throw bad('it has no "cells" array');
  parsed.cells.forEach((cell, i) => {
    if (cell === null || typeof cell !== "object" || !["code", "markdown", "raw"].includes(cell.cell_type)) throw bad(`cell ${i} has no cell_type of code, markdown or raw`);
    if (typeof cell.source !== "string" && !(Array.isArray(cell.source) && cell.source.every((line) => typeof line === "string"))) throw bad(`cell ${i} has no source text`);
  });
  if (parsed.metadata === undefined) parsed.metadata = {};
  return parsed;
}

/** How many input prompts of an exported notebook's HTML carry no execution count (`In [ ]:`). */
export function unnumberedPrompts(html) {
  return html.match(/In&nbsp;\[&nbsp;\]:/g)?.length ?? 0;
}

/**
 * Runs `main` and sets the exit code: its return value; a SetupError's message as one `error: …` line and its exit
 * code; anything else as one internal-error line (exit 70), with the stack only when VMLAB_DEBUG is set.
 */
export async function runScript(main, io = { error: (text) => console.error(text), exit: (code) => void (process.exitCode = code), env: process.env }) {
  try {
    io.exit((await main()) ?? 0);
  } catch (error) {
    if (error instanceof SetupError) {
      io.error(`error: ${error.message}`);
      io.exit(error.exitCode);
    } else {
      io.error(`internal error: ${error instanceof Error ? error.message : String(error)}\nThis is a bug in vmlab's scripts, not in your input. Set VMLAB_DEBUG=1 to see where it happened.`);
      if (io.env.VMLAB_DEBUG && error instanceof Error && error.stack) io.error(error.stack);
      io.exit(70);
    }
  }
}
