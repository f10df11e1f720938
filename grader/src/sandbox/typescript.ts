// The TypeScript compiler, loaded as CommonJS from a V8 code cache (code-cache.ts) kept in out/grader-cache/v8/: a fresh compile worker then skips compiling the 9 MB file and the checker's functions.
//
// Loaded with require semantics, never an ESM import (that first runs Node's export lexer over the whole
// text: about 0.5 s of CPU more per process). `saveTypeScriptCache()` writes the cache once a compile has
// run, so it holds the functions a type-check needs, not only the top level.
import { createRequire } from "node:module";
import type * as TypeScript from "typescript";
import { loadCommonJsCached, type CachedModule } from "./code-cache.js";
import { graderCacheDir, packageRoot } from "../paths.js";

const require = createRequire(import.meta.url);

/** Where code caches live (beside the lab caches); unwritable is fine, the compiler then loads as usual. */
export function codeCacheDir(root: string = packageRoot()): string {
  return graderCacheDir(root, "v8");
}

const loaded: CachedModule<typeof TypeScript> = loadCommonJsCached<typeof TypeScript>(require.resolve("typescript"), codeCacheDir());
const ts: typeof TypeScript = loaded.exports;

/** Write the compiler's code cache if it had none that V8 accepted (call after a compile, so the cache holds the checker's code). */
export function saveTypeScriptCache(): void {
  loaded.save();
}

export default ts;
export type { TypeScript };
