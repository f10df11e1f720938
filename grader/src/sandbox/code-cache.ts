// A CommonJS file compiled through a V8 code cache on disk, named by the file's identity (path, inode, size, modification time) and the Node, V8, CPU and V8 flags it was made by.
//
// V8 checks a cache against the source's length and its own flags and rejects one that does not fit (the
// file then compiles as usual, and `save` writes a fresh cache). The name carries the file's inode, size
// and modification time, which any install or edit changes (hashing the text instead would cost more
// than a tenth of a second for TypeScript's 9 MB), and how the text decoded. A cache written after the module has
// done its work (`save`) also holds the functions compiled lazily on the way, which is most of what a
// fresh process would otherwise compile again. Caches are an optimisation only: an unreadable or
// unwritable folder changes nothing but speed.
//
// V8 also rejects a cache made under other flags, so processes that set flags of their own (a one-submission
// `vmlab grade` runs without TurboFan, cli/v8-tiers.ts) would otherwise overwrite each other's cache at
// every switch, and each would compile the 9 MB again: the flags a process set (V8_FLAGS_ENV) are part of the name.
import { createHash } from "node:crypto";
import { isAscii } from "node:buffer";
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { keepNewest } from "../cache-files.js";
import { writeAtomic } from "../write-atomic.js";

export interface CachedModule<T> {
  readonly exports: T;
  /** Whether V8 took the cache found on disk. */
  readonly accepted: boolean;
  /** Write the cache (once, and only when none was accepted); errors are ignored. */
  save(): void;
}

/**
 * The environment variable that names the V8 flags a process set for itself after it started (with
 * v8.setFlagsFromString, which process.execArgv does not show); worker threads inherit it with the flags.
 */
export const V8_FLAGS_ENV = "VMLAB_V8_FLAGS";

/**
 * Caches kept per module: one per flag set and Node version in use, so the grading process (TurboFan off),
 * kept children (on) and a Node upgrade each find theirs. Every other install, edit, upgrade or flag set
 * leaves a file of several megabytes behind (TypeScript's is 2.5-4 MB), so a save removes all but the newest.
 */
export const KEPT_CACHES = 4;

/** CommonJS's wrapper around a module's text, which the cached script compiles. */
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) {";
const WRAPPER_TAIL = "\n})";

/** How a module's bytes are decoded: Latin-1 for an ASCII file (the same text as UTF-8, decoded much faster into a one-byte string). */
type Encoding = "latin1" | "utf8";

const encodingOf = (bytes: Buffer): Encoding => (isAscii(bytes) ? "latin1" : "utf8");

/**
 * The file's text inside the wrapper, as one flat string, and how it was decoded. Joining the wrapper to
 * the text would make a cons string that V8 flattens before it looks the script up, a third copy of
 * TypeScript's 9 MB (after the bytes read and their decoding) and some 2,200 fresh pages, each a page
 * fault. So the file is read into a buffer between the wrapper's two ends and decoded once, as `known`
 * says (a cache saved from this very file says it), else as its bytes show. A file whose size changed
 * since `size` was taken is read again the plain way.
 */
function wrappedSource(file: string, size: number, known: Encoding | undefined): { source: string; encoding: Encoding } {
  const bytes = Buffer.allocUnsafe(WRAPPER_HEAD.length + size + WRAPPER_TAIL.length);
  bytes.write(WRAPPER_HEAD, 0, "latin1");
  let read = 0;
  let grew = false;
  const fd = openSync(file, "r");
  try {
    for (let n = 1; n > 0 && read < size; read += n) n = readSync(fd, bytes, WRAPPER_HEAD.length + read, size - read, null);
    grew = readSync(fd, Buffer.alloc(1), 0, 1, null) > 0;
  } finally {
    closeSync(fd);
  }
  if (read !== size || grew) {
    const text = readFileSync(file);
    const encoding = encodingOf(text);
    return { source: WRAPPER_HEAD + text.toString(encoding) + WRAPPER_TAIL, encoding };
  }
  bytes.write(WRAPPER_TAIL, WRAPPER_HEAD.length + size, "latin1");
  const encoding = known ?? encodingOf(bytes);
  return { source: bytes.toString(encoding), encoding };
}

/** `require(file)`, compiled with the code cache in `dir` when there is one V8 accepts (`flags`: the V8 flags this process set, default from V8_FLAGS_ENV). */
export function loadCommonJsCached<T>(file: string, dir: string, flags: string = process.env[V8_FLAGS_ENV] ?? "", keep: number = KEPT_CACHES): CachedModule<T> {
  const stat = statSync(file);
  const identity = [process.version, process.versions.v8, process.arch, process.execArgv.join(" "), flags, path.resolve(file), stat.ino, stat.size, stat.mtimeMs].join("\0");
  const digest = createHash("sha256").update(identity).digest("hex").slice(0, 32);
  // The cache's name also says how the file decoded when it was saved, so the next load need not scan 9 MB to see it is ASCII.
  const cacheFile = (encoding: Encoding) => path.join(dir, `${path.basename(file, ".js")}-${digest}-${encoding}.v8cache`);
  let cachedData: Buffer | undefined;
  let known: Encoding | undefined;
  for (const encoding of ["latin1", "utf8"] as const) {
    try {
      cachedData = readFileSync(cacheFile(encoding));
      known = encoding;
      break;
    } catch {
      // none yet
    }
  }
  const { source, encoding } = wrappedSource(file, stat.size, known);
  const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const accepted = cachedData !== undefined && script.cachedDataRejected !== true;
  const module = { exports: {} as T, filename: file, id: file, loaded: false };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  let saved = accepted;
  return {
    exports: module.exports,
    accepted,
    save() {
      if (saved) return;
      saved = true;
      try {
        mkdirSync(dir, { recursive: true });
        writeAtomic(cacheFile(encoding), script.createCachedData());
        keepNewest(dir, `${path.basename(file, ".js")}-`, ".v8cache", keep);
      } catch {
        // a read-only install: the compiler loads without a cache
      }
    },
  };
}
