// Compile results kept on disk by the digest of what they were compiled from, so a submission graded again (a regrade, a resumed batch, the same starter or reference) is not type-checked again in a new process.
//
// The key is the compile worker's digest of the files, entry and harness, under an identity of everything
// else a result depends on: the grader's and the library's sources (engine-hash.ts: the compiler options,
// the `vmlab` API the submission is checked against, the SES rewriting) and TypeScript's version, which
// brings its lib files. A type-check costs 0.5-0.9 CPU-seconds in a fresh process (loading TypeScript,
// parsing its libs); reading a kept result costs a file read. Results are deterministic, so a kept one is
// what a compile would give; what comes back is checked for shape, and anything unreadable is a miss.
// The folder keeps about `limit` results: past it, the oldest tenth is removed. Only one write in
// `checkEvery` (chosen by its key) lists the folder to see whether it is past: listing 1,800 names cost
// every write 5.5 ms, and a folder over its limit by a few dozen files of some tens of KB until the next
// check costs nothing else.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CompileResult } from "../contract.js";
import { seedOf } from "../../../src/sim/rng.js";
import { keepNewest } from "../cache-files.js";
import { writeAtomic } from "../write-atomic.js";

export interface CompileStore {
  get(key: string): CompileResult | undefined;
  put(key: string, result: CompileResult): void;
}

/** Results kept by default. */
export const KEPT_ON_DISK = 2000;
/** One write in this many lists the folder to keep it near its limit. */
export const CHECK_EVERY = 16;

/** Whether the write of `key` is one of the one in `every` that check the folder's size (a fixed choice per key). */
export function checksFolder(key: string, every: number): boolean {
  return seedOf(key) % every === 0;
}

/**
 * A store in `dir` for results made under `identity` (a change of identity misses every earlier result).
 * The identity is asked for on first use: a process that never compiles never computes it.
 */
export function compileStore(dir: string, identity: () => string, limit: number = KEPT_ON_DISK, checkEvery: number = CHECK_EVERY): CompileStore {
  let prefix: string | undefined;
  const file = (key: string) => join(dir, `${(prefix ??= identity().slice(0, 16))}-${key.slice(0, 40)}.json`);
  return {
    get(key) {
      try {
        const kept = JSON.parse(readFileSync(file(key), "utf8")) as unknown;
        return isCompileResult(kept) ? kept : undefined;
      } catch {
        return undefined;
      }
    },
    put(key, result) {
      try {
        mkdirSync(dir, { recursive: true });
        writeAtomic(file(key), JSON.stringify(result));
        // Past the limit the oldest tenth goes, so even the writes that check do not list it again each time.
        if (checksFolder(key, checkEvery)) keepNewest(dir, "", ".json", limit, limit + 1 - Math.max(1, Math.ceil(limit / 10)));
      } catch {
        // a read-only install: results are not kept
      }
    },
  };
}

function isCompileResult(x: unknown): x is CompileResult {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r.ok === "boolean"
    && typeof r.js === "object" && r.js !== null && Object.values(r.js).every((v) => typeof v === "string")
    && Array.isArray(r.diagnostics) && r.diagnostics.every((d) => typeof d === "object" && d !== null && typeof (d as Record<string, unknown>).message === "string");
}
