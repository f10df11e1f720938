#!/usr/bin/env node
// `npm run notebooks:html`: execute every lecture notebook through real Jupyter and export HTML copies to out/notebooks/.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { INSTALL_HINT, SetupError, ensureBuilt, hasJupyter, notebookFiles, registerKernel, root, runScript } from "./jupyter-env.mjs";

/** The useful tail of nbconvert's report: nbclient's message naming the failing cell, not the Python traceback. */
function explain(result) {
  if (result.error) return result.error.message;
  const lines = (result.stderr ?? "").trimEnd().split("\n");
  const at = lines.findIndex((line) => line.includes("CellExecutionError:"));
  const tail = at >= 0 ? lines.slice(at) : lines.slice(-20);
  return tail.join("\n") + "\n(`npm test` runs the same cells through the same tslab executor and prints the cell's error.)";
}

await runScript(async () => {
  if (!hasJupyter("nbconvert")) throw new SetupError(`jupyter nbconvert is not installed.\n${INSTALL_HINT}`);
  ensureBuilt();
  registerKernel();
  const outDir = join(root, "out", "notebooks");
  mkdirSync(outDir, { recursive: true });
  const failed = [];
  for (const notebook of notebookFiles()) {
    const started = Date.now();
    const result = spawnSync(
      "jupyter",
      ["nbconvert", "--to", "html", "--execute", "--ExecutePreprocessor.kernel_name=tslab", "--ExecutePreprocessor.timeout=120", "--output-dir", outDir, notebook],
      { cwd: root, encoding: "utf8" },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status === 0) {
      console.log(`ok    ${notebook} (${seconds} s)`);
    } else {
      failed.push(notebook);
      console.error(`FAIL  ${notebook} (${seconds} s)\n${explain(result)}`);
    }
  }
  if (failed.length > 0) throw new SetupError(`${failed.length} notebook(s) failed under Jupyter: ${failed.join(", ")}`);
  console.log(`Executed HTML copies are in ${join("out", "notebooks")}/`);
  return 0;
});
