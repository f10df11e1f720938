// Make sure the sandbox child is built: tests run the TypeScript sources, but the child runs from dist/.
//
// The parent (runner.ts) starts dist/grader/src/sandbox/child.js. `npm run build` makes it; tests call
// `ensureChildBuilt()` in `beforeAll`, which runs `tsc -p tsconfig.json` only when a source the child
// may load (grader/src, whose harnesses it reads, and src/) is newer than the built child.
import { execa } from "execa";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { childScript, packageRoot } from "./paths.js";

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Build with tsc when the child is missing or older than its sources; returns whether it built. */
export async function ensureChildBuilt(root: string = packageRoot()): Promise<boolean> {
  let built = 0;
  try {
    built = statSync(childScript(root)).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(newestSource(path.join(root, "grader/src")), newestSource(path.join(root, "src")));
  if (built >= sources) return false;
  // tsc emits even when some other module has type errors; the child needs only its own closure.
  await execa(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(root, "tsconfig.json")], { cwd: root, reject: false });
  return true;
}
