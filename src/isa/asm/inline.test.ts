// Tests for inlining includes: one self-contained text that assembles to what the source does.
import { describe, expect, it } from "vitest";
import { assemble } from "./assemble.js";
import { inlineIncludes } from "./inline.js";
import { readerFromMap } from "./readers.js";

const files = {
  "k/main.s": 'nop\nstart: .include "lib/a.s"\n  .include "lib/b.s" ; the rest\nhlt',
  "k/lib/a.s": ".macro TWICE r\n add \\r, \\r, \\r\n.endm",
  "k/lib/b.s": '.include "a.s"\nTWICE r3',
};

describe("inlineIncludes", () => {
  it("replaces each .include line by the file's text, recursively, keeping a label before it", () => {
    const text = inlineIncludes(files["k/main.s"], { file: "k/main.s", readFile: readerFromMap(files) });
    expect(text).toBe(["nop", "start: ", files["k/lib/a.s"], files["k/lib/a.s"], "TWICE r3", "hlt"].join("\n"));
  });

  it("gives a text that assembles alone to the bytes the source assembles to with its files", () => {
    const withFiles = assemble(files["k/main.s"], { file: "k/main.s", readFile: readerFromMap(files) });
    const alone = assemble(inlineIncludes(files["k/main.s"], { file: "k/main.s", readFile: readerFromMap(files) }));
    expect(alone.image()).toEqual(withFiles.image());
    expect(alone.symbols).toEqual(withFiles.symbols);
  });

  it("refuses a missing file and a cycle with the assembler's codes and the place of the .include", () => {
    const read = readerFromMap({ "a.s": '.include "b.s"', "b.s": '\n.include "a.s"' });
    expect(() => inlineIncludes('.include "c.s"', { file: "m.s", readFile: read })).toThrow(expect.objectContaining({ code: "ASM_INCLUDE_NOT_FOUND" }));
    expect(() => inlineIncludes('.include "a.s"', { file: "m.s", readFile: read })).toThrow(expect.objectContaining({
      code: "ASM_INCLUDE_CYCLE", message: "'a.s' includes itself: a.s → b.s → a.s", where: { file: "b.s", line: 2, column: 10 },
    }));
  });

  it("leaves a line it cannot read as an include for the assembler to report", () => {
    expect(inlineIncludes(".include nothing\n.include \"x", { readFile: () => undefined })).toBe(".include nothing\n.include \"x");
  });
});
