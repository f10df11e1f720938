#!/usr/bin/env node
// `npm run notebook`: register the tslab kernel and start Jupyter on the project, or explain how to install it.
import { spawn } from "node:child_process";
import { INSTALL_HINT, SetupError, ensureBuilt, writeKernelPackage, hasJupyter, registerKernel, root, runScript } from "./jupyter-env.mjs";

await runScript(async () => {
  const app = hasJupyter("lab") ? "lab" : hasJupyter("notebook") ? "notebook" : undefined;
  if (!app) throw new SetupError(`Jupyter is not installed (neither \`jupyter lab\` nor \`jupyter notebook\` runs).\n${INSTALL_HINT}`);
  ensureBuilt();
  writeKernelPackage();
  registerKernel();
  const args = [app, "notebooks/01-welcome.ipynb", ...(process.getuid?.() === 0 ? ["--allow-root"] : []), ...process.argv.slice(2)];
  console.log(`Starting jupyter ${args.join(" ")} — open notebooks/01-welcome.ipynb first; the kernel is "TypeScript".`);
  const child = spawn("jupyter", args, { cwd: root, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  return await new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
});
