// The compile worker's thread: type-checks submissions on request, so the grader can stop a check that takes too long.
import { parentPort } from "node:worker_threads";
import { compileSubmission, type CompileResult } from "./compile.js";
import { ownThreadId } from "./cpu-clock.js";
import { saveTypeScriptCache } from "./typescript.js";

// The parent times each compile in this thread's CPU seconds: it needs the thread's Linux id to read them.
parentPort?.postMessage({ tid: ownThreadId() ?? null });

interface Request {
  readonly id: number;
  readonly files: Record<string, string>;
  readonly entry: string;
  readonly harness?: string;
}

parentPort?.on("message", (request: Request) => {
  let answer: { id: number; result: CompileResult } | { id: number; error: string };
  try {
    answer = { id: request.id, result: compileSubmission(request.files, { entry: request.entry, ...(request.harness ? { harness: request.harness } : {}) }) };
  } catch (e) {
    answer = { id: request.id, error: e instanceof Error ? e.message : String(e) };
  }
  // The compiler's code cache, written once, now that it holds the checker's code too; before the answer,
  // since a grader may end this thread as soon as it has the answer.
  saveTypeScriptCache();
  parentPort!.postMessage(answer);
});
