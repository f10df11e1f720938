// Tests for include resolution and the source readers over memory and disk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assemble } from "./assemble.js";
import { readerFromDisk, readerFromMap, resolveInclude } from "./readers.js";

describe("resolveInclude", () => {
  it("resolves a path against the including file's folder and normalises it", () => {
    expect(resolveInclude("guests/kernel.s", "lib/io.s")).toBe("guests/lib/io.s");
    expect(resolveInclude("guests/programs/hello.s", "../lib/user.s")).toBe("guests/lib/user.s");
    expect(resolveInclude("main.s", "./a/../b.s")).toBe("b.s");
    expect(resolveInclude("<input>", "x.s")).toBe("x.s");
  });

  it("keeps an absolute path as it is", () => {
    expect(resolveInclude("guests/kernel.s", "/opt/lib/io.s")).toBe("/opt/lib/io.s");
  });
});

describe("readerFromMap", () => {
  it("finds files by normalised name, and nothing else", () => {
    const read = readerFromMap({ "./lib/io.s": "nop" });
    expect(read("lib/io.s")).toBe("nop");
    expect(read("lib/other.s")).toBeUndefined();
    expect(readerFromMap(new Map([["a.s", "hlt"]]))("a.s")).toBe("hlt");
  });
});

describe("readerFromDisk", () => {
  const dir = mkdtempSync(join(tmpdir(), "vmlab-asm-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "src", "lib"), { recursive: true });
  writeFileSync(join(dir, "src", "main.s"), '.include "lib/w.s"\n');
  writeFileSync(join(dir, "src", "lib", "w.s"), ".word 0x11223344\n");

  it("reads includes from the disk relative to the including file, under the folder names are relative to", () => {
    const p = assemble('.include "lib/w.s"', { file: "src/main.s", readFile: readerFromDisk(dir) });
    expect([...p.image().bytes]).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect(p.lines[0]).toMatchObject({ file: "src/lib/w.s", line: 1 });
  });

  it("returns nothing for a missing file and refuses a folder", () => {
    const read = readerFromDisk(dir);
    expect(read("src/none.s")).toBeUndefined();
    expect(() => read("src/lib")).toThrow(/is a folder/);
  });
});
