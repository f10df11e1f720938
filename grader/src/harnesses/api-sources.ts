// The sources behind a harness's `vmlab` module: each file from src/ where the sources ship (a repository), else its built declarations in dist/ (a handout).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ApiSources } from "./harness.js";

/** Reads `src/<file>.ts` or `dist/src/<file>.d.ts` under root for each API file name (`api.ts` → `vmm/api`). */
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
  return { files: Object.fromEntries(Object.entries(files).map(([name, file]) => [name, read(file)])) };
}
