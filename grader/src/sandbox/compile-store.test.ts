// Tests of the compile store: results come back by key under the same identity only, a damaged file is a miss, the folder stays bounded, and the compile worker uses it.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CompileResult } from "../contract.js";
import { checksFolder, compileStore, type CompileStore } from "./compile-store.js";
import { CompileWorker } from "./compile-worker.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), "vmlab-compile-store-"));
  dirs.push(d);
  return join(d, "compile");
};

const RESULT: CompileResult = { ok: true, js: { "handlers.js": "exports.handlers = {};" }, diagnostics: [{ file: "handlers.ts", line: 1, column: 1, message: "unused", code: "TS6133" }] };

describe("the compile store", () => {
  it("gives back a result by its key, under the identity it was kept with", () => {
    const dir = folder();
    compileStore(dir, () => "a".repeat(64)).put("k1", RESULT);
    expect(compileStore(dir, () => "a".repeat(64)).get("k1")).toEqual(RESULT);
    expect(compileStore(dir, () => "a".repeat(64)).get("k2")).toBeUndefined();
    expect(compileStore(dir, () => "b".repeat(64)).get("k1")).toBeUndefined();
  });

  it("misses on a file that is not a compile result", () => {
    const dir = folder();
    const store = compileStore(dir, () => "a".repeat(64));
    store.put("k1", RESULT);
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), JSON.stringify({ ok: "yes", js: {}, diagnostics: [] }));
    expect(store.get("k1")).toBeUndefined();
    writeFileSync(join(dir, file!), "{ truncated");
    expect(store.get("k1")).toBeUndefined();
  });

  it("keeps at most its limit, removing the oldest", () => {
    const dir = folder();
    const store = compileStore(dir, () => "a".repeat(64), 10, 1);
    for (let i = 0; i < 25; i++) store.put(`key${i}`, RESULT);
    expect(readdirSync(dir).length).toBeLessThanOrEqual(10);
    expect(store.get("key24")).toEqual(RESULT);
  });

  it("lists its folder only on the writes whose key is one of one in checkEvery, and trims it then", () => {
    const dir = folder();
    const store = compileStore(dir, () => "a".repeat(64), 10, 16);
    const keys = Array.from({ length: 400 }, (_, i) => `digest${i}`);
    const quiet = keys.filter((k) => !checksFolder(k, 16)).slice(0, 20);
    for (const k of quiet) store.put(k, RESULT);
    expect(readdirSync(dir).length).toBe(20);
    const checking = keys.find((k) => checksFolder(k, 16))!;
    store.put(checking, RESULT);
    expect(readdirSync(dir).length).toBeLessThanOrEqual(10);
    expect(store.get(checking)).toEqual(RESULT);
    // About one key in sixteen checks.
    const share = keys.filter((k) => checksFolder(k, 16)).length / keys.length;
    expect(share).toBeGreaterThan(1 / 32);
    expect(share).toBeLessThan(1 / 8);
  });
});

describe("a compile worker with a store", () => {
  /** A store that answers `known` for one key and records what is put. */
  const recording = (known?: CompileResult) => {
    const put: CompileResult[] = [];
    let asked = 0;
    const store: CompileStore = { get: () => (asked++, known), put: (_k, r) => void put.push(r) };
    return { store, put, asked: () => asked };
  };

  it("answers from the store without compiling", async () => {
    const kept: CompileResult = { ok: true, js: { "handlers.js": "/* from the store */" }, diagnostics: [] };
    const r = recording(kept);
    const worker = new CompileWorker({ store: r.store, script: "/nonexistent/compile-worker-main.js" });
    expect(await worker.compile({ "handlers.ts": "export const handlers = {};\n" }, { entry: "handlers.ts" })).toEqual(kept);
    expect(r.put).toEqual([]);
    await worker.close();
  });

  it("compiles what the store lacks and keeps the result there", async () => {
    const r = recording();
    // No built worker script: it compiles in this thread (the fallback), the same result.
    const worker = new CompileWorker({ store: r.store, script: "/nonexistent/compile-worker-main.js" });
    const result = await worker.compile({ "handlers.ts": "export const handlers = {};\n" }, { entry: "handlers.ts" });
    expect(result.ok).toBe(true);
    await new Promise((res) => setTimeout(res, 0));
    expect(r.put).toEqual([result]);
    expect(r.asked()).toBe(1);
    await worker.close();
  }, 60_000);
});
