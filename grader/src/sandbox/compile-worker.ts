// Type-checking in a worker thread with a time limit: a submission whose types take too long to check fails alone, the grader goes on.
//
// compileSubmission is synchronous and runs the TypeScript checker, which nothing can interrupt from the
// same thread. The worker keeps its parsed lib files between submissions (so a compile costs what it
// costs in-process); when a check overruns its limit the worker is terminated, that submission gets a
// compiler failure, and the next compile starts a fresh worker. Without a built worker script (the
// TypeScript sources run directly, before `npm run build`) it compiles in this thread instead.
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { CompileResult } from "../contract.js";
import { packageRoot } from "./paths.js";

/** How long type-checking one submission may take. */
export const COMPILE_LIMIT_MS = 20_000;

/** The built worker script. */
export function compileWorkerScript(root: string = packageRoot()): string {
  return path.join(root, "dist/grader/src/sandbox/compile-worker-main.js");
}

interface Pending {
  readonly resolve: (r: CompileResult) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class CompileWorker {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly script: string;
  private readonly limitMs: number;

  constructor(options: { readonly script?: string; readonly limitMs?: number } = {}) {
    this.script = options.script ?? compileWorkerScript();
    this.limitMs = options.limitMs ?? COMPILE_LIMIT_MS;
  }

  /** Type-check and emit a submission, or reject when it takes longer than the limit. */
  compile(files: Record<string, string>, options: { readonly entry: string }): Promise<CompileResult> {
    // The compiler (TypeScript) is loaded only where it runs: in the worker, or here as the fallback.
    if (!existsSync(this.script)) return import("./compile.js").then((c) => c.compileSubmission(files, options));
    const worker = this.start();
    const id = ++this.seq;
    return new Promise<CompileResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.stop();
        reject(new Error(`type-checking took longer than ${this.limitMs >= 1000 ? `${this.limitMs / 1000} s` : `${this.limitMs} ms`} and was stopped; simplify the types in the submission`));
      }, this.limitMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.ref(); // keep the process alive while a compile is outstanding
      worker.postMessage({ id, files, entry: options.entry });
    });
  }

  /** End the worker (outstanding compiles fail). */
  async close(): Promise<void> {
    this.stop();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on("message", (m: { id: number; result?: CompileResult; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (this.pending.size === 0) worker.unref();
      if (m.result) p.resolve(m.result);
      else p.reject(new Error(m.error ?? "the compiler failed"));
    });
    worker.on("error", (e) => this.fail(worker, e instanceof Error ? e : new Error(String(e))));
    worker.on("exit", (code) => this.fail(worker, new Error(`the compile worker exited (code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
  }

  private stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, new Error("the compile worker was stopped"));
    void worker.terminate();
  }
}
