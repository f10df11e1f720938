// Where the vmlab package lives on disk: data files (schemas, hidden suites, labs) resolve from its root.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root: the nearest directory above `from` holding a package.json named "vmlab".
 * Works from the TypeScript sources (vitest) and from dist/ alike.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "vmlab") return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json named "vmlab" above ${from}`);
    dir = up;
  }
}

/** Files of the grader that live beside the code, relative to the package root. */
export const GRADER_PATHS = {
  labSchema: "grader/schema/lab.schema.json",
  resultSchema: "grader/schema/result.schema.json",
  gradescopeSchema: "grader/schema/gradescope-results.schema.json",
  /** Hidden suites: grader/labs/<id>/ (never shipped). */
  hiddenLabs: "grader/labs",
  exercises: "exercises",
  solutions: "solutions",
  /** Caches (reference cycles) and demo output. */
  out: "out",
} as const;
