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
/** A stand-in worker that spins on "SPIN" and hoards memory on "HOG" (grader/fixtures/compile-worker/spin.mjs). */
const spin = path.join(packageRoot(), "grader/fixtures/compile-worker/spin.mjs");

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

  it("compiles the same files once (the kept result comes back), other files afresh, and does not keep a failure", async () => {
    const pool = new CompileWorker({ script: spin, limitMs: 1500 });
    workers.push(pool);
    const first = await pool.compile({ "handlers.ts": "same" }, { entry: "handlers.ts" });
    expect(await pool.compile({ "handlers.ts": "same" }, { entry: "handlers.ts" })).toBe(first);
    const other = await pool.compile({ "handlers.ts": "other" }, { entry: "handlers.ts" });
    expect(other).not.toBe(first);
    expect(other.js["handlers.js"]).toBe("other");
    const bomb = pool.compile({ "handlers.ts": "SPIN" }, { entry: "handlers.ts" });
    await expect(bomb).rejects.toThrow(/took longer/);
    const again = pool.compile({ "handlers.ts": "SPIN" }, { entry: "handlers.ts" });
    expect(again).not.toBe(bomb);
    await expect(again).rejects.toThrow(/took longer/);
  });

  it("stops a check that overruns its limit, says so, and compiles the next submission in a fresh worker", async () => {
    const hasty = new CompileWorker({ limitMs: 1 });
    workers.push(hasty);
    await expect(hasty.compile(files, { entry: "handlers.ts" })).rejects.toThrow(/type-checking took longer than 1 ms \(twice\) and was stopped/);
    const patient = new CompileWorker({ script: compileWorkerScript(), limitMs: 60_000 });
    workers.push(patient);
    expect((await patient.compile(files, { entry: "handlers.ts" })).ok).toBe(true);
  });

  it("times each compile from when it starts, so compiles queued behind a slow one keep their whole limit and succeed", async () => {
    const pool = new CompileWorker({ script: spin, limitMs: 1500 });
    workers.push(pool);
    const bomb = pool.compile({ "handlers.ts": "SPIN" }, { entry: "handlers.ts" });
    const honest = [1, 2, 3].map((i) => pool.compile({ "handlers.ts": `honest ${i}` }, { entry: "handlers.ts" }));
    await expect(bomb).rejects.toThrow(/took longer than 1.5 s \(twice\)/);
    for (const [i, h] of honest.entries()) expect((await h).js["handlers.js"]).toBe(`honest ${i + 1}`);
  });

  it("keeps compiling for everyone on a second worker while one worker is stuck", async () => {
    const pool = new CompileWorker({ script: spin, limitMs: 60_000, workers: 2 });
    workers.push(pool);
    void pool.compile({ "handlers.ts": "SPIN" }, { entry: "handlers.ts" }).catch(() => undefined);
    expect((await pool.compile({ "handlers.ts": "next" }, { entry: "handlers.ts" })).ok).toBe(true);
  });

  it("stops a compile that runs out of its heap and says it was memory, without stopping the others", async () => {
    const pool = new CompileWorker({ script: spin, heapMb: 64 });
    workers.push(pool);
    const hog = pool.compile({ "handlers.ts": "HOG" }, { entry: "handlers.ts" });
    const honest = pool.compile({ "handlers.ts": "fine" }, { entry: "handlers.ts" });
    await expect(hog).rejects.toThrow(/used more than 64 MB of memory/);
    expect((await honest).ok).toBe(true);
  });

  it("compiles in this thread when no worker script has been built", async () => {
    const worker = new CompileWorker({ script: path.join(packageRoot(), "no-such-worker.js") });
    expect((await worker.compile(files, { entry: "handlers.ts" })).ok).toBe(true);
  });
});
