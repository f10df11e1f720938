// Tests of the reference handlers as lab 01's solution: complete, marked up for the starter, and what the starter does.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HANDLER_NAMES } from "./api.js";
import { referenceHandlers } from "./reference.js";

const SOLUTION = new URL("../../solutions/01-trap-and-emulate/handlers.ts", import.meta.url);

describe("the reference handlers", () => {
  it("fill every handler slot", () => {
    for (const name of HANDLER_NAMES) expect(typeof referenceHandlers[name], name).toBe("function");
  });

  it("mark the student's part of every handler with balanced BEGIN/END SOLUTION lines", () => {
    const lines = readFileSync(SOLUTION, "utf8").split("\n").map((l) => l.trim());
    let open = false;
    let blocks = 0;
    for (const line of lines) {
      if (line === "// BEGIN SOLUTION") {
        expect(open).toBe(false);
        open = true;
      } else if (line === "// END SOLUTION") {
        expect(open).toBe(true);
        open = false;
        blocks++;
      }
    }
    expect(open).toBe(false);
    expect(blocks).toBe(HANDLER_NAMES.length);
  });
});
