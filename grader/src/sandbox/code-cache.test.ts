// The code cache: a module loads the same with or without it, V8 takes a cache written earlier, and a cache is kept per set of V8 flags.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCommonJsCached } from "./code-cache.js";

const dirs: string[] = [];
function scratch(): { file: string; cache: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "vmlab-code-cache-"));
  dirs.push(dir);
  const file = path.join(dir, "answer.js");
  writeFileSync(file, "exports.answer = function answer() { return 6 * 7; };\n");
  return { file, cache: path.join(dir, "v8") };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("a CommonJS module loaded through a V8 code cache", () => {
  it("exports what require would, and is taken from the cache the next time", () => {
    const { file, cache } = scratch();
    const first = loadCommonJsCached<{ answer(): number }>(file, cache, "");
    expect(first.exports.answer()).toBe(42);
    expect(first.accepted).toBe(false);
    first.save();
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^answer-[0-9a-f]{32}-latin1\.v8cache$/)]);
    const second = loadCommonJsCached<{ answer(): number }>(file, cache, "");
    expect(second.accepted).toBe(true);
    expect(second.exports.answer()).toBe(42);
  });

  it("reads a module that is not ASCII as UTF-8, from its cache too, and an empty one as an empty module", () => {
    const { file, cache } = scratch();
    writeFileSync(file, 'exports.arrow = "user → kernel, é";\n');
    const first = loadCommonJsCached<{ arrow: string }>(file, cache, "");
    expect(first.exports.arrow).toBe("user → kernel, é");
    first.save();
    const cached = loadCommonJsCached<{ arrow: string }>(file, cache, "");
    expect(cached.accepted).toBe(true);
    expect(cached.exports.arrow).toBe("user → kernel, é");
    // The cache's name says how the text decoded (an ASCII module's says latin1), so the next load need not scan it.
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^answer-[0-9a-f]{32}-utf8\.v8cache$/)]);
    writeFileSync(file, "");
    expect(loadCommonJsCached<object>(file, cache, "").exports).toEqual({});
  });

  it("keeps one cache per set of V8 flags, so processes with other flags do not overwrite each other's", () => {
    const { file, cache } = scratch();
    loadCommonJsCached(file, cache, "").save();
    const capped = loadCommonJsCached(file, cache, "--max-opt=2");
    expect(capped.accepted).toBe(false);
    capped.save();
    expect(readdirSync(cache)).toHaveLength(2);
    expect(loadCommonJsCached(file, cache, "").accepted).toBe(true);
  });

  it("keeps only the newest few caches of a module, so flag sets and installs of the past do not pile up", () => {
    const { file, cache } = scratch();
    for (let i = 0; i < 5; i++) {
      loadCommonJsCached(file, cache, `--stack-size=${900 + i}`, 3).save();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15); // a later modification time for the next one
    }
    expect(readdirSync(cache)).toHaveLength(3);
    // The newest one is among them.
    expect(loadCommonJsCached(file, cache, "--stack-size=904", 3).accepted).toBe(true);
  });
});
