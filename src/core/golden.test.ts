// Golden files: a mismatch carries both texts, VMLAB_ACCEPT=1 writes the new one, a missing file says how to make it.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { goldenMismatch } from "./golden.js";

describe("goldenMismatch", () => {
  const dir = mkdtempSync(join(tmpdir(), "vmlab-golden-"));
  const file = join(dir, "sub", "out.txt");

  it("says how to create a golden file that does not exist", () => {
    expect(goldenMismatch(file, "new\n", {})?.expected).toBe(`(no golden file ${file}: run with VMLAB_ACCEPT=1 to write it)`);
  });

  it("writes the text with VMLAB_ACCEPT=1, then matches it and reports a changed text with both versions", () => {
    expect(goldenMismatch(file, "one\n", { VMLAB_ACCEPT: "1" })).toBeUndefined();
    expect(readFileSync(file, "utf8")).toBe("one\n");
    expect(goldenMismatch(file, "one\n", {})).toBeUndefined();
    expect(goldenMismatch(file, "two\n", {})).toEqual({ expected: "one\n", actual: "two\n" });
  });
});
