// The sources behind a harness's `vmlab` module, read from src/ when the sources ship, else from the built declarations in dist/.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ApiSources } from "./harness.js";

/** `files` maps the API's file names (`api.ts`) to modules under src/ without extension (`vmm/api`). */
export function readApiSources(root: string, files: Readonly<Record<string, string>>): ApiSources {
  const read = (file: string): string => {
    for (const candidate of [path.join(root, "src", file + ".ts"), path.join(root, "dist", "src", file + ".d.ts")]) {
      try {
        return readFileSync(candidate, "utf8");
      } catch {
        // try the next one
      }
    }
    throw new Error(`src/${file}.ts is not in ${root}`);
  };
  return { files: Object.fromEntries(Object.entries(files).map(([name, module]) => [name, read(module)])) };
}
