// Tests of the engine's source digest: it covers every source file but tests, it is remembered by the files' identities, and any edit is seen.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { engineHash, sourcesHasher } from "./engine-hash.js";
import { graderCacheDir } from "./paths.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A package root with a library and a grader source, and a test beside each. */
function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "vmlab-engine-hash-"));
  roots.push(root);
  mkdirSync(join(root, "src/machine"), { recursive: true });
  mkdirSync(join(root, "grader/src"), { recursive: true });
  writeFileSync(join(root, "src/machine/cpu.ts"), "export const A = 1;\n");
  writeFileSync(join(root, "src/machine/cpu.test.ts"), "test\n");
  writeFileSync(join(root, "grader/src/grade.ts"), "export const B = 2;\n");
  return root;
}

const memoFile = (root: string) => join(graderCacheDir(root, "engine-hash"), "sources.json");

describe("the engine's source digest", () => {
  it("is sha256 of each source's name and text, tests left out", () => {
    const root = tree();
    const expected = createHash("sha256").update("cpu.ts").update("export const A = 1;\n").update("grade.ts").update("export const B = 2;\n").digest("hex");
    expect(engineHash(root)).toBe(expected);
  });

  it("is read back from its memo while no file changed", () => {
    const root = tree();
    engineHash(root);
    const memo = JSON.parse(readFileSync(memoFile(root), "utf8")) as { identity: string; hash: string };
    writeFileSync(memoFile(root), JSON.stringify({ identity: memo.identity, hash: "f".repeat(64) }));
    expect(engineHash(root)).toBe("f".repeat(64));
  });

  it("sees an edit that keeps the size and the modification time", () => {
    const root = tree();
    const before = engineHash(root);
    const file = join(root, "src/machine/cpu.ts");
    const { atime, mtime } = statSync(file);
    writeFileSync(file, "export const A = 7;\n");
    utimesSync(file, atime, mtime);
    expect(engineHash(root)).not.toBe(before);
  });

  it("sees a new source file, and ignores a new test", () => {
    const root = tree();
    const before = engineHash(root);
    writeFileSync(join(root, "grader/src/grade.test.ts"), "test\n");
    expect(engineHash(root)).toBe(before);
    writeFileSync(join(root, "grader/src/score.ts"), "export {};\n");
    expect(engineHash(root)).not.toBe(before);
  });

  it("recomputes over a memo it cannot read", () => {
    const root = tree();
    const before = engineHash(root);
    writeFileSync(memoFile(root), "{ not json");
    expect(engineHash(root)).toBe(before);
  });

  it("is walked once per root by one run's hasher, however often the run asks, and gives what engineHash gives", () => {
    const a = tree(), b = tree();
    const walked: string[] = [];
    const hash = sourcesHasher((root) => (walked.push(root), engineHash(root)));
    expect([hash(a), hash(b), hash(a), hash(b)]).toEqual([engineHash(a), engineHash(b), engineHash(a), engineHash(b)]);
    expect(walked).toEqual([a, b]);
  });
});
