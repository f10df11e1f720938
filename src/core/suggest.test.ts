// Tests for did-you-mean suggestions and the edit distance under them.
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, suggest, suggestAll } from "./suggest.js";

describe("editDistance", () => {
  it("is zero for equal strings and the length of the other for an empty one", () => {
    expect(editDistance("mov", "mov")).toBe(0);
    expect(editDistance("", "push")).toBe(4);
    expect(editDistance("push", "")).toBe(4);
  });

  it("counts one edit for an insertion, a deletion, a substitution or a swap of neighbours", () => {
    expect(editDistance("ld", "ldw")).toBe(1);
    expect(editDistance("ldw", "ld")).toBe(1);
    expect(editDistance("ldb", "ldw")).toBe(1);
    expect(editDistance("lpop", "loop")).toBe(1);
  });

  it("is symmetric", () => {
    for (const [a, b] of [["sysret", "syscall"], ["invlpg", "invlgp"], ["", "x"], ["kitten", "sitting"]] as const) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });

  it("gives the textbook distance between kitten and sitting", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});

describe("suggest", () => {
  const mnemonics = ["ldb", "ld", "lidt", "st", "stb", "mov", "movi", "push", "pushf", "popf", "invlpg"];

  it("suggests 'ld' for the typo 'ldw', preferring the name the typo extends", () => {
    expect(suggest("ldw", mnemonics)).toBe("ld");
  });

  it("ignores case unless told not to", () => {
    expect(suggest("PUHS", mnemonics)).toBe("push");
    expect(suggest("Loop", ["loop"], { ignoreCase: false })).toBe("loop");
    expect(suggest("loop", ["loop"], { ignoreCase: false })).toBeUndefined();
  });

  it("suggests nothing when every name is too far away", () => {
    expect(suggest("frobnicate", mnemonics)).toBeUndefined();
  });

  it("never suggests the name itself", () => {
    expect(suggest("mov", mnemonics)).toBe("movi");
  });

  it("accepts more edits for longer names", () => {
    expect(suggest("invlgpp", mnemonics)).toBe("invlpg");
    expect(suggest("mo", mnemonics, { maxDistance: 0 })).toBeUndefined();
  });

  it("lists every close name best first", () => {
    expect(suggestAll("stw", mnemonics)).toEqual(["st", "stb"]);
  });

  it("phrases the hint as a question", () => {
    expect(didYouMean("pushh", mnemonics)).toBe("did you mean 'push'?");
    expect(didYouMean("zzzzzz", mnemonics)).toBeUndefined();
  });
});
