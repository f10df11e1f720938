// Counted nouns read right for zero, one and many, with thousands separators.
import { describe, expect, it } from "vitest";
import { counted, noun } from "./plural.js";

describe("counted", () => {
  it("uses the singular for exactly one and the plural otherwise", () => {
    expect([counted(0, "instruction"), counted(1, "instruction"), counted(2, "instruction")]).toEqual(["0 instructions", "1 instruction", "2 instructions"]);
  });

  it("separates thousands and takes an irregular plural", () => {
    expect(counted(1234567, "cycle")).toBe("1,234,567 cycles");
    expect(counted(3, "entry", "entries")).toBe("3 entries");
    expect(noun(1, "entry", "entries")).toBe("entry");
  });
});
