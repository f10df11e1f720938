// The compile worker's thread: type-checks submissions on request, so the grader can stop a check that takes too long.
import { parentPort } from "node:worker_threads";
import { compileSubmission } from "./compile.js";
import { ownThreadId } from "./cpu-clock.js";

// The parent times each compile in this thread's CPU seconds: it needs the thread's Linux id to read them.
parentPort?.postMessage({ tid: ownThreadId() ?? null });

interface Request {
  readonly id: number;
  readonly files: Record<string, string>;
  readonly entry: string;
  readonly harness?: string;
}

parentPort?.on("message", (request: Request) => {
  try {
    parentPort!.postMessage({ id: request.id, result: compileSubmission(request.files, { entry: request.entry, ...(request.harness ? { harness: request.harness } : {}) }) });
  } catch (e) {
    parentPort!.postMessage({ id: request.id, error: e instanceof Error ? e.message : String(e) });
  }
});
