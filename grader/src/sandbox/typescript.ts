// The TypeScript compiler, loaded with require: an ESM import of its 9 MB CommonJS file first runs Node's export lexer over the whole text (about 0.5 s of CPU more per process).
import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

const ts: typeof TypeScript = createRequire(import.meta.url)("typescript") as typeof TypeScript;

export default ts;
export type { TypeScript };
