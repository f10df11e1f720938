// Where the vmlab package lives on disk: data files (schemas, hidden suites, labs) resolve from its root.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { vmlabRoot } from "../../src/core/package-root.js";

/** The package root: the nearest directory above `from` holding a package.json named "vmlab". */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  return vmlabRoot(from);
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

/** A folder of the grader's caches under a package root: out/grader-cache/<part>/ (a lab's id, or a kind of cache: v8, ajv). */
export function graderCacheDir(root: string, part: string): string {
  return join(root, GRADER_PATHS.out, "grader-cache", part);
}

/** Where a lab's cached reference numbers and cases live (out/grader-cache/<lab>/) unless the caller names a folder. */
export function labCacheDir(lab: { readonly root: string; readonly id: string }, cacheDir?: string): string {
  return cacheDir ?? graderCacheDir(lab.root, lab.id);
}

/**
 * The installed version of a dependency (part of cache keys: another version may answer differently), or
 * "unknown". Read beside the package root first: resolving the name costs some 10 ms on its first use.
 */
export function dependencyVersion(name: string, root: string = packageRoot()): string {
  try {
    const beside = join(root, "node_modules", name, "package.json");
    const file = existsSync(beside) ? beside : createRequire(import.meta.url).resolve(`${name}/package.json`);
    return String((JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version);
  } catch {
    return "unknown";
  }
}
