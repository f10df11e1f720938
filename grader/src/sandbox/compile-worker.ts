// Type-checking in worker threads with a time and memory limit: a submission whose types take too long to check fails alone, the grader goes on.
//
// compileSubmission is synchronous and runs the TypeScript checker, which nothing can interrupt from the
// same thread. Each worker keeps its parsed lib files between submissions (so a compile costs what it
// costs in-process) and takes one compile at a time from a queue kept here, so a compile's time limit
// runs from when that compile *starts*, never while it waits behind another, and counts the worker
// thread's own CPU seconds (cpu-clock.ts), so a loaded machine does not fail an honest compile. When a check overruns its
// limit (or its worker runs out of memory) that worker alone is terminated and replaced; the compile that
// was running is tried once more on a fresh worker — a machine under load or a cold worker is not the
// student's fault — and fails only if it overruns again. Compiles waiting in the queue are not touched.
// Without a built worker script (the TypeScript sources run directly, before `npm run build`) it
// compiles in this thread instead.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { CompileResult } from "../contract.js";
import type { CompileStore } from "./compile-store.js";
import { CpuDeadline, threadCpuSeconds } from "./cpu-clock.js";
import { packageRoot } from "./paths.js";

/** How long type-checking one submission may take. */
export const COMPILE_LIMIT_MS = 20_000;
/** Heap a type-checking worker may use (an honest compile needs well under 200 MB). */
export const COMPILE_HEAP_MB = 768;
/**
 * The young generation of a type-checking worker. What a type-check allocates mostly lives on (the parsed
 * lib files, the checker's types), so each scavenge copies it once more before it is promoted, and a larger
 * young generation only spreads the same work over more fresh pages, each one a page fault on first use (a
 * costly trap on a virtual machine). V8 gives a worker 48 MB by default; at 8 MB a grade's worker spends
 * about 0.07 CPU-seconds less (0.70 -> 0.63, medians of 10 alternating runs) and faults about 2,000 pages fewer.
 */
export const COMPILE_YOUNG_MB = 8;
/** Tries of one compile that overruns its limit or its memory before it fails. */
const COMPILE_TRIES = 2;
/** Compile results kept by digest (a result is a few tens of KB of JavaScript). */
const KEPT_RESULTS = 256;

/** The built worker script. */
export function compileWorkerScript(root: string = packageRoot()): string {
  return path.join(root, "dist/grader/src/sandbox/compile-worker-main.js");
}

interface Job {
  readonly id: number;
  readonly harness: string | undefined;
  readonly limitMs: number;
  readonly files: Record<string, string>;
  readonly entry: string;
  readonly resolve: (r: CompileResult) => void;
  readonly reject: (e: Error) => void;
  tries: number;
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
  readonly deadline: CpuDeadline;
  /** The worker thread's Linux id once it has said it (its CPU time is read from /proc); null where it cannot tell. */
  tid: number | null | undefined;
}

export interface CompileWorkerOptions {
  /** The worker script (default: the built compile-worker-main.js). */
  readonly script?: string;
  /** Time limit per compile in the worker thread's CPU time, from when it starts (default 20 s). */
  readonly limitMs?: number;
  /** Workers compiling at once (default 1). */
  readonly workers?: number;
  /** Heap limit per worker in MB (default 768). */
  readonly heapMb?: number;
  /** Where results are kept between processes (compile-store.ts; default: nowhere). */
  readonly store?: CompileStore;
}

export class CompileWorker {
  private seq = 0;
  private readonly queue: Job[] = [];
  private readonly slots: Slot[] = [];
  private readonly script: string;
  private readonly limitMs: number;
  private readonly size: number;
  private readonly heapMb: number;
  private closed = false;
  private readonly store: CompileStore | undefined;
  /** Results by the digest of what was compiled, oldest first. */
  private readonly results = new Map<string, Promise<CompileResult>>();

  constructor(options: CompileWorkerOptions = {}) {
    this.script = options.script ?? compileWorkerScript();
    this.limitMs = options.limitMs ?? COMPILE_LIMIT_MS;
    this.size = Math.max(1, options.workers ?? 1);
    this.heapMb = options.heapMb ?? COMPILE_HEAP_MB;
    this.store = options.store;
  }

  /**
   * Type-check and emit a submission, or reject when it overruns the limit (twice) or its worker's memory.
   * The same files, entry and harness compile once: the result is kept by their digest (a batch holds
   * identical submissions — untouched starters, the reference that warms the sandbox), and in the store
   * when there is one (the next process finds it there); a rejection is not kept.
   */
  compile(files: Record<string, string>, options: { readonly entry: string; readonly seconds?: number; readonly harness?: string }): Promise<CompileResult> {
    const key = createHash("sha256").update(JSON.stringify([options.entry, options.harness ?? "", Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))])).digest("hex");
    const kept = this.results.get(key);
    if (kept) return kept;
    const stored = this.store?.get(key);
    const result = stored ? Promise.resolve(stored) : this.compileAfresh(files, options);
    if (!stored && this.store) void result.then((r) => this.store!.put(key, r), () => undefined);
    this.results.set(key, result);
    if (this.results.size > KEPT_RESULTS) this.results.delete(this.results.keys().next().value!);
    result.catch(() => this.results.delete(key));
    return result;
  }

  private compileAfresh(files: Record<string, string>, options: { readonly entry: string; readonly seconds?: number; readonly harness?: string }): Promise<CompileResult> {
    // The compiler (TypeScript) is loaded only where it runs: in the worker, or here as the fallback.
    if (!existsSync(this.script)) return import("./compile.js").then((c) => c.compileSubmission(files, { entry: options.entry, ...(options.harness ? { harness: options.harness } : {}) }));
    if (this.closed) return Promise.reject(new Error("the compile workers were closed"));
    return new Promise<CompileResult>((resolve, reject) => {
      const limitMs = options.seconds === undefined ? this.limitMs : options.seconds * 1000;
      this.queue.push({ id: ++this.seq, harness: options.harness, limitMs, files, entry: options.entry, resolve, reject, tries: 0 });
      this.dispatch();
    });
  }

  /** End the workers; compiles still queued or running fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("the compile workers were closed"));
    for (const slot of this.slots.splice(0)) {
      slot.deadline.stop();
      slot.job?.reject(new Error("the compile workers were closed"));
      slot.job = undefined;
      await slot.worker.terminate();
    }
  }

  /** Hand queued compiles to idle workers, starting workers up to the pool size. */
  private dispatch(): void {
    while (this.queue.length) {
      // A worker takes a compile only once it has said its thread id (after loading the compiler), so the
      // compile is timed in that thread's CPU seconds from its start: never the wall clock of a slow start.
      const slot = this.slots.find((s) => s.job === undefined && s.tid !== undefined);
      if (!slot) {
        let starting = this.slots.filter((s) => s.tid === undefined).length;
        for (; this.slots.length < this.size && starting < this.queue.length; starting++) this.startSlot();
        return;
      }
      const job = this.queue.shift()!;
      job.tries++;
      slot.job = job;
      slot.worker.ref(); // keep the process alive while a compile is outstanding
      slot.deadline.start(job.limitMs / 1000);
      slot.worker.postMessage({ id: job.id, files: job.files, entry: job.entry, harness: job.harness });
    }
  }

  private startSlot(): Slot {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: COMPILE_YOUNG_MB } });
    const slot: Slot = {
      worker, job: undefined, tid: undefined,
      // Where /proc cannot tell the thread's CPU time (tid null), wall time decides.
      deadline: new CpuDeadline(() => (typeof slot.tid === "number" ? threadCpuSeconds(slot.tid) : undefined), () => this.overrun(slot, "time")),
    };
    worker.on("message", (m: { id?: number; tid?: number | null; result?: CompileResult; error?: string }) => {
      if (m.tid !== undefined) {
        slot.tid = m.tid;
        this.dispatch();
        if (!slot.job) worker.unref(); // an idle worker does not keep the process alive
        return;
      }
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      slot.deadline.stop();
      slot.job = undefined;
      worker.unref();
      if (m.result) job.resolve(m.result);
      else job.reject(new Error(m.error ?? "the compiler failed"));
      this.dispatch();
    });
    worker.on("error", (e) => this.overrun(slot, (e as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "crash", e));
    worker.on("exit", () => this.overrun(slot, "crash")); // after terminate() the slot is already gone: nothing happens
    // Started for queued work: it keeps the process alive until it has said its id and taken a compile.
    this.slots.push(slot);
    return slot;
  }

  /** The running compile overran or its worker died: replace this worker; retry an overrun once, else fail the compile. */
  private overrun(slot: Slot, why: "time" | "memory" | "crash", error?: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.deadline.stop();
    const job = slot.job;
    slot.job = undefined;
    void slot.worker.terminate();
    if (job) {
      if (job.tries < COMPILE_TRIES && why !== "crash") this.queue.unshift(job);
      else job.reject(new Error(overrunMessage(why, job.limitMs, this.heapMb, error)));
    }
    if (!this.closed) this.dispatch();
  }
}

function overrunMessage(why: "time" | "memory" | "crash", limitMs: number, heapMb: number, error: unknown): string {
  switch (why) {
    case "time":
      return `type-checking took longer than ${limitMs >= 1000 ? `${limitMs / 1000} s` : `${limitMs} ms`} (twice) and was stopped; simplify the types in the submission`;
    case "memory":
      return `type-checking used more than ${heapMb} MB of memory and was stopped; simplify the types in the submission`;
    case "crash":
      return `the compile worker stopped while checking this submission${error instanceof Error ? ` (${error.message})` : ""}`;
  }
}
