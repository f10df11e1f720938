// A cold start taken apart: sandbox creation, runtime start, package install, package import and handler init, each a sourced parameter.
//
// A warm start skips all five. SOCK-style caching (Oakes et al., ATC 2018) removes parts of a cold one: an
// install-cache hit skips the package install; an import-cache hit (a Zygote that already imported the
// packages) skips the runtime start and the import, and costs a fork instead. The parts are wall times at the
// settings their sources measured; they are not rescaled by the function's memory.
import { CITATIONS, sourced, type SourcedValue } from "./sources.js";
import { nonNegative } from "./validate.js";

/** The five parts of a cold start (ms). */
export interface ColdStartParts {
  /** Create the sandbox (container or microVM). */
  readonly sandboxMs: number;
  /** Start the language runtime (interpreter, JVM). */
  readonly runtimeMs: number;
  /** Fetch and install packages the image does not hold. */
  readonly installMs: number;
  /** Import (load and initialise) the libraries. */
  readonly importMs: number;
  /** The handler's own initialisation (connections, caches). */
  readonly handlerInitMs: number;
}

/** The part names, in the order they happen. */
export const COLD_START_PARTS = ["sandboxMs", "runtimeMs", "installMs", "importMs", "handlerInitMs"] as const;

/** What the caches hold for this cold start. */
export interface CacheHits {
  /** The packages are installed on the worker already (SOCK's install cache, Borg's package locality). */
  readonly installCached?: boolean;
  /** A Zygote with the runtime started and the packages imported exists (SOCK's import cache). */
  readonly importCached?: boolean;
}

/** Time to fork a Zygote that holds the runtime and the imports (estimate: a process fork, milliseconds). */
export const ZYGOTE_FORK_MS = 2;

/**
 * A Python function on a Lambda-like platform: a Firecracker microVM, CPython, packages shipped in the
 * deployment package (nothing to install), popular libraries imported, no handler initialisation of its own.
 */
export const PYTHON_FUNCTION: ColdStartParts = { sandboxMs: 125, runtimeMs: 30, installMs: 0, importMs: 100, handlerInitMs: 0 };

/** The same function on a platform that installs its packages at start-up (pip install, SOCK's baseline without an install cache). */
export const PYTHON_FUNCTION_WITH_INSTALL: ColdStartParts = { ...PYTHON_FUNCTION, installMs: 3000 };

/** A handler with nothing to import (the OpenLambda experiment's compute loop). */
export const BARE_HANDLER: ColdStartParts = { sandboxMs: 125, runtimeMs: 30, installMs: 0, importMs: 0, handlerInitMs: 0 };

/** Where each default comes from. */
export function coldStartSources(): SourcedValue[] {
  return [
    sourced("sandbox creation", PYTHON_FUNCTION.sandboxMs, "ms", CITATIONS.agache2020),
    sourced("runtime start", PYTHON_FUNCTION.runtimeMs, "ms", "estimate: starting CPython takes tens of milliseconds; SOCK (ATC 2018) notes interpreted runtimes start over 10× slower than C"),
    sourced("package install (when not cached)", PYTHON_FUNCTION_WITH_INSTALL.installMs, "ms", CITATIONS.oakes2018),
    sourced("package import", PYTHON_FUNCTION.importMs, "ms", CITATIONS.oakes2018),
    sourced("handler init", PYTHON_FUNCTION.handlerInitMs, "ms", "estimate: application-specific, 0 for a handler without set-up"),
    sourced("Zygote fork (import-cache hit)", ZYGOTE_FORK_MS, "ms", "estimate: one fork of a warm process"),
  ];
}

/** Checks that every part is a time ≥ 0. */
export function checkColdStart(parts: ColdStartParts): ColdStartParts {
  for (const p of COLD_START_PARTS) nonNegative(`cold start ${p.replace(/Ms$/, "")}`, parts[p], "ms");
  return parts;
}

/** One part's share of a cold start. */
export interface ColdStartStep {
  readonly part: (typeof COLD_START_PARTS)[number] | "zygoteForkMs";
  readonly ms: number;
}

/** The parts a cold start goes through given the cache hits, and their total. */
export function coldStartBreakdown(parts: ColdStartParts, hits: CacheHits = {}): { readonly steps: ColdStartStep[]; readonly totalMs: number } {
  const steps: ColdStartStep[] = [{ part: "sandboxMs", ms: parts.sandboxMs }];
  if (hits.importCached) steps.push({ part: "zygoteForkMs", ms: ZYGOTE_FORK_MS });
  else steps.push({ part: "runtimeMs", ms: parts.runtimeMs });
  if (!hits.installCached) steps.push({ part: "installMs", ms: parts.installMs });
  if (!hits.importCached) steps.push({ part: "importMs", ms: parts.importMs });
  steps.push({ part: "handlerInitMs", ms: parts.handlerInitMs });
  return { steps, totalMs: steps.reduce((s, x) => s + x.ms, 0) };
}

/** The total cold start time (ms) given the cache hits. */
export function coldStartMs(parts: ColdStartParts, hits: CacheHits = {}): number {
  return coldStartBreakdown(parts, hits).totalMs;
}
