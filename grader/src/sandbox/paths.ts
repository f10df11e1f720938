// Where the sandbox's files are: the vmlab package root, found by walking up from this module.
import path from "node:path";

export { packageRoot } from "../paths.js";
import { packageRoot } from "../paths.js";

/** The built child script the parent starts (tsc compiles grader/src/** into dist/). */
export function childScript(root: string = packageRoot()): string {
  return path.join(root, "dist/grader/src/sandbox/child.js");
}
