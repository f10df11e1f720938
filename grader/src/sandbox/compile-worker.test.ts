// The compile worker: the same results as compiling in-process, and a time limit that stops a slow check without stopping the grader.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureChildBuilt } from "./built.js";
import { compileSubmission } from "./compile.js";
import { CompileWorker, compileWorkerScript } from "./compile-worker.js";
import { packageRoot } from "./paths.js";

const solution = readFileSync(path.join(packageRoot(), "solutions/01-trap-and-emulate/handlers.ts"), "utf8");
const files = { "handlers.ts": solution };

describe("the compile worker", () => {
  const workers: CompileWorker[] = [];
  beforeAll(async () => {
    await ensureChildBuilt();
  }, 180_000);
  afterAll(async () => {
    for (const w of workers) await w.close();
  });

  it("gives the same diagnostics and JavaScript as compiling in this thread", async () => {
    const worker = new CompileWorker();
    workers.push(worker);
    const viaWorker = await worker.compile(files, { entry: "handlers.ts" });
    expect(viaWorker).toEqual(compileSubmission(files, { entry: "handlers.ts" }));
    expect(viaWorker.ok).toBe(true);
    const broken = await worker.compile({ "handlers.ts": "export const handlers: number = 'x';" }, { entry: "handlers.ts" });
    expect(broken.ok).toBe(false);
    expect(broken.diagnostics[0]).toMatchObject({ file: "handlers.ts", line: 1, code: "TS2322" });
  });

  it("stops a check that overruns its limit, says so, and compiles the next submission in a fresh worker", async () => {
    const hasty = new CompileWorker({ limitMs: 1 });
    workers.push(hasty);
    await expect(hasty.compile(files, { entry: "handlers.ts" })).rejects.toThrow(/type-checking took longer than 1 ms and was stopped/);
    const patient = new CompileWorker({ script: compileWorkerScript(), limitMs: 60_000 });
    workers.push(patient);
    expect((await patient.compile(files, { entry: "handlers.ts" })).ok).toBe(true);
  });

  it("compiles in this thread when no worker script has been built", async () => {
    const worker = new CompileWorker({ script: path.join(packageRoot(), "no-such-worker.js") });
    expect((await worker.compile(files, { entry: "handlers.ts" })).ok).toBe(true);
  });
});
