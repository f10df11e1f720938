// Shared by the notebook scripts: find Jupyter and its Python, build the package, register the tslab kernel.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (this file lives in scripts/). */
export const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** How to get Jupyter, printed whenever it is missing. */
export const INSTALL_HINT = [
  "Install Jupyter, then run this again:",
  "  Debian/Ubuntu:  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel",
  "  with pip:       python3 -m pip install --user notebook nbconvert nbclient ipykernel",
].join("\n");

/** A failure the user can fix; the scripts print its message alone, without a stack trace. */
export class SetupError extends Error {}

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
  const parsed = JSON.parse(readFileSync(join(root, notebook), "utf8"));
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

/** Runs `main`, printing a SetupError as one message and exiting non-zero. */
export async function runScript(main) {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    if (error instanceof SetupError) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}
