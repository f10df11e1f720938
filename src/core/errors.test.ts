// Tests for VmlabError and the compiler-style diagnostic renderer.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatDiagnostic, formatLocation, isVmlabError, quote, VmlabError } from "./errors.js";
import { vmlabRoot } from "./package-root.js";

describe("VmlabError", () => {
  it("carries a stable code, the message, where it happened and the fix", () => {
    const e = new VmlabError("LAB_MISSING_FIELD", "lab.yaml has no 'id'", {
      where: { file: "lab.yaml", line: 1, column: 1 },
      hint: "add id: 01-trap-and-emulate",
    });
    expect(e).toBeInstanceOf(Error);
    expect(isVmlabError(e)).toBe(true);
    expect(e.name).toBe("VmlabError");
    expect(e.code).toBe("LAB_MISSING_FIELD");
    expect(e.message).toBe("lab.yaml has no 'id'");
    expect(e.where).toEqual({ file: "lab.yaml", line: 1, column: 1 });
    expect(e.hint).toBe("add id: 01-trap-and-emulate");
  });

  it("names subclasses after themselves", () => {
    class GraderError extends VmlabError {}
    expect(new GraderError("GRADER_TIMEOUT", "case ran too long").name).toBe("GraderError");
  });

  it("keeps the cause of a wrapped error", () => {
    const cause = new Error("ENOENT");
    expect(new VmlabError("CLI_NO_FILE", "cannot read guest.s", { cause }).cause).toBe(cause);
  });

  it("formats without a location as 'error:' and the hint", () => {
    expect(new VmlabError("VMM_NO_HANDLER", "no handler for 'cli'", { hint: "add cli(vcpu) to your handlers" }).format())
      .toBe("error: no handler for 'cli'\nhint: add cli(vcpu) to your handlers");
  });

  it("formats with a location and the source line under it", () => {
    const e = new VmlabError("LAB_BAD_VALUE", "harness must be one of native, trap, bt, vmx", {
      where: { file: "lab.yaml", line: 2, column: 10, length: 4 },
    });
    expect(e.format({ source: "id: x\nharness: trpa\n" })).toBe(
      "lab.yaml:2:10: error: harness must be one of native, trap, bt, vmx\n 2 | harness: trpa\n   |          ^^^^",
    );
  });

  it("serialises to plain data for JSON reporters", () => {
    const e = new VmlabError("X_Y", "m", { hint: "h" });
    expect(JSON.parse(JSON.stringify(e))).toEqual({ name: "VmlabError", code: "X_Y", message: "m", hint: "h" });
  });
});

describe("formatDiagnostic", () => {
  const d = { code: "ASM_UNKNOWN_MNEMONIC", file: "guest.s", line: 2, column: 9, length: 3, message: "unknown mnemonic 'ldw'", hint: "did you mean 'ld'?" };

  it("renders the location, the line, a caret under the culprit and the hint", () => {
    expect(formatDiagnostic(d, { source: "start:\n        ldw r1, [r2]" })).toBe(
      ["guest.s:2:9: error: unknown mnemonic 'ldw'", " 2 |         ldw r1, [r2]", "   |         ^^^", "hint: did you mean 'ld'?"].join("\n"),
    );
  });

  it("keeps tabs in the caret line so the caret stays under the culprit", () => {
    const text = formatDiagnostic({ ...d, column: 2 }, { source: ["", "\tldw r1, [r2]"] });
    expect(text.split("\n")[2]).toBe("   | \t^^^");
  });

  it("shows a window around the column of a very long line, with the caret still under the culprit", () => {
    const line = "x".repeat(5000) + "ldw" + "y".repeat(5000);
    const [, shown, caret] = formatDiagnostic({ ...d, line: 1, column: 5001, length: 3 }, { source: line }).split("\n") as [string, string, string];
    expect(shown.length).toBeLessThan(180);
    expect(shown).toMatch(/^ 1 \| …x+ldwy+…$/);
    expect(caret.indexOf("^")).toBe(shown.indexOf("ldw"));
    expect(caret.trimEnd().endsWith("^^^")).toBe(true);
  });

  it("quotes short input as it is and clips long input with its length", () => {
    expect(quote("ldw")).toBe("'ldw'");
    expect(quote("a".repeat(41))).toBe(`'${"a".repeat(30)}…' (41 characters)`);
  });

  it("leaves out the source line when the source is not given", () => {
    expect(formatDiagnostic(d)).toBe("guest.s:2:9: error: unknown mnemonic 'ldw'\nhint: did you mean 'ld'?");
  });

  it("writes file:line without a column when the column is unknown", () => {
    expect(formatLocation({ file: "a.s", line: 3 })).toBe("a.s:3");
    expect(formatLocation({ file: "a.s", line: 3, column: 4 })).toBe("a.s:3:4");
  });

  it("recognises a VmlabError made by another copy of the module by its brand, and nothing that merely looks like one", async () => {
    // Another module instance of the same source, as the sandbox child's copy in dist/ is.
    const other = (await import(/* @vite-ignore */ pathToFileURL(join(vmlabRoot(), "src/core/errors.ts")).href + "?another-copy")) as typeof import("./errors.js");
    const foreign = new other.VmlabError("ASM_X", "from another copy");
    expect(foreign instanceof VmlabError).toBe(false);
    expect(isVmlabError(foreign)).toBe(true);
    expect(isVmlabError({ code: "ASM_X", message: "a look-alike", format: () => "" })).toBe(false);
  });
});
