// Where the sandbox's files are: the vmlab package root, found by walking up from this module.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The directory of the package.json named "vmlab" above `from` (default: this module, in src or dist). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown };
      if (pkg.name === "vmlab") return dir;
    } catch {
      // no package.json here, or not JSON: keep walking
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json named "vmlab" above ${from}`);
    dir = up;
  }
}

/** The built child script the parent starts (tsc compiles grader/src/** into dist/). */
export function childScript(root: string = packageRoot()): string {
  return path.join(root, "dist/grader/src/sandbox/child.js");
}
