// Tests for the preprocessor: .include, .macro/.endm and .ifb/.ifnb, through `assemble`, with their diagnostics.
import { describe, expect, it } from "vitest";
import { encode } from "../encoding.js";
import { spec } from "../table.js";
import { assemble, type AssembleOptions } from "./assemble.js";
import { type AsmDiagnostic, AssemblyError } from "./diagnostics.js";
import { readerFromMap } from "./readers.js";
import { createRng } from "../../sim/rng.js";

/** Assemble `main.s` of an in-memory file set. */
function build(files: Record<string, string>, options: AssembleOptions = {}) {
  return assemble(files["main.s"]!, { file: "main.s", readFile: readerFromMap(files), ...options });
}

function words(p: ReturnType<typeof assemble>): number[] {
  const { bytes } = p.image();
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return out;
}

function failure(run: () => unknown): AssemblyError {
  try {
    run();
  } catch (e) {
    if (e instanceof AssemblyError) return e;
    throw e;
  }
  throw new Error("expected the assembly to fail");
}

function only(run: () => unknown): AsmDiagnostic {
  const d = failure(run).diagnostics;
  expect(d, d.map((x) => x.message).join("\n")).toHaveLength(1);
  return d[0]!;
}

const ins = (name: string, f: Parameters<typeof encode>[1] = {}) => encode(spec(name), f);

describe(".include", () => {
  it("splices the named file in where the .include stands, relative to the including file", () => {
    const p = build({
      "main.s": 'nop\n.include "lib/io.s"\nhalt_here: hlt',
      "lib/io.s": 'putc: out 0x10, r1\n.include "more.s"\nret',
      "lib/more.s": "add r1, r1, 1",
    });
    expect(words(p)).toEqual([...ins("NOP"), ...ins("OUT", { a: 1, imm: 0x10 }), ...ins("ADDI", { a: 1, b: 1, imm: 1 }), ...ins("RET"), ...ins("HLT")]);
    expect(p.symbols.get("putc")).toBe(4);
    expect(p.symbols.get("halt_here")).toBe(16);
  });

  it("lists each statement under the file and line it came from", () => {
    const p = build({ "main.s": 'nop\n.include "b.s"', "b.s": "\n  hlt ; two" });
    expect(p.lines.map((l) => [l.file, l.line, l.text])).toEqual([["main.s", 1, "nop"], ["b.s", 2, "hlt ; two"]]);
  });

  it("lets a label stand before an .include, naming the first byte of the file", () => {
    const p = build({ "main.s": 'nop\ntable: .include "t.s"', "t.s": ".word 7" });
    expect(p.symbols.get("table")).toBe(4);
  });

  it("accepts the same file included twice in a row, which is not a cycle", () => {
    expect(words(build({ "main.s": '.include "w.s"\n.include "w.s"', "w.s": ".word 5" }))).toEqual([5, 5]);
  });

  it("reports an error inside an included file at that file's line and column, and where it was included from", () => {
    const e = failure(() => build({ "main.s": 'nop\nnop\n.include "lib/x.s"', "lib/x.s": "nop\n    ldw r1, [r2]" }));
    expect(e.diagnostics[0]).toMatchObject({ code: "ASM_UNKNOWN_MNEMONIC", file: "lib/x.s", line: 2, column: 5, from: [{ kind: "include", file: "main.s", line: 3 }] });
    expect(e.message).toBe([
      "lib/x.s:2:5: error: unknown mnemonic 'ldw'",
      " 2 |     ldw r1, [r2]",
      "   |     ^^^",
      "  included from main.s:3",
      "hint: did you mean 'ld'?",
    ].join("\n"));
  });

  it("names the whole chain when a file includes itself through another, once", () => {
    const e = failure(() => build({ "main.s": '.include "a.s"', "a.s": 'nop\n.include "b.s"', "b.s": '.include "./a.s"' }));
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]).toMatchObject({ code: "ASM_INCLUDE_CYCLE", file: "b.s", line: 1, message: "'a.s' includes itself: a.s → b.s → a.s" });
    expect(e.message).toContain("  included from a.s:2\n  included from main.s:1");
  });

  it("refuses a main file that includes itself", () => {
    expect(only(() => build({ "main.s": 'nop\n.include "main.s"' }))).toMatchObject({ code: "ASM_INCLUDE_CYCLE", message: "'main.s' includes itself: main.s → main.s" });
  });

  it("says where it looked for a missing file", () => {
    const d = only(() => build({ "main.s": 'nop\n  .include "lib/nope.s"' }, { file: "guests/main.s" }));
    expect(d).toMatchObject({ code: "ASM_INCLUDE_NOT_FOUND", file: "guests/main.s", line: 2, column: 12 });
    expect(d.message).toBe("cannot include 'lib/nope.s': looked for 'guests/lib/nope.s', which does not exist");
    expect(d.hint).toContain("relative to the including file, guests/main.s");
  });

  it("explains that an assembly given no reader cannot include", () => {
    const d = only(() => assemble('.include "x.s"'));
    expect(d.code).toBe("ASM_INCLUDE_NOT_FOUND");
    expect(d.hint).toContain("readFile");
  });

  it("reports a file the reader cannot read with the reader's reason", () => {
    const d = only(() => assemble('.include "x.s"', { readFile: () => { throw new Error("EACCES: permission denied"); } }));
    expect(d).toMatchObject({ code: "ASM_INCLUDE_UNREADABLE", message: "cannot read 'x.s': EACCES: permission denied" });
  });

  it("takes exactly one quoted file name", () => {
    expect(only(() => build({ "main.s": ".include lib.s" })).code).toBe("ASM_BAD_ARGUMENT");
    expect(only(() => build({ "main.s": '.include "a.s", "b.s"' })).code).toBe("ASM_BAD_ARGUMENT");
  });

  it("stops includes nested deeper than 64 files with a code of their own", () => {
    const files: Record<string, string> = { "main.s": '.include "f0.s"' };
    for (let i = 0; i < 80; i++) files[`f${i}.s`] = `.include "f${i + 1}.s"`;
    expect(only(() => build(files)).code).toBe("ASM_INCLUDE_DEPTH");
  });
});

describe(".macro", () => {
  it("expands a call into its body with each \\param replaced by the argument's text (so the body parenthesises it in an expression)", () => {
    const p = assemble("idt = 0x1000\n.macro GATE vector, handler\n    mov r1, idt + (\\vector) * 8\n    mov r2, \\handler\n    st [r1], r2\n.endm\nGATE 3, 0x40\nGATE 2 + 2, 0x80");
    const gate = (vector: number, handler: number) => [...ins("MOVI", { a: 1, imm: 0x1000 + vector * 8 }), ...ins("MOVI", { a: 2, imm: handler }), ...ins("ST", { a: 2, b: 1, imm: 0 })];
    expect(words(p)).toEqual([...gate(3, 0x40), ...gate(4, 0x80)]);
  });

  it("matches a call to its macro in any case, as mnemonics are", () => {
    expect(words(assemble(".macro Twice r\n add \\r, \\r, \\r\n.endm\ntwice r3\nTWICE r4"))).toEqual([...ins("ADD", { a: 3, b: 3, c: 3 }), ...ins("ADD", { a: 4, b: 4, c: 4 })]);
  });

  it("passes memory operands and strings whole, and leaves quotes and comments alone (a \\n in quotes stays a newline)", () => {
    const p = assemble('.macro STORE dst, src\n st \\dst, \\src ; \\nothing here\n.endm\n.macro TEXT n\n .ascii \\n, "\\n"\n.endm\nSTORE [r2 + 4], r7\nTEXT "a,b"');
    expect(words(p)[0]).toBe(ins("ST", { a: 7, b: 2, imm: 4 })[0]);
    expect(new TextDecoder().decode(p.image().bytes.slice(4))).toBe("a,b\n");
  });

  it("gives each expansion its own labels with \\@, so a macro with a loop can be called twice in one routine", () => {
    const src = ".macro SPIN n\n    mov r1, \\n\n.spin\\@:\n    sub r1, r1, 1\n    jnz .spin\\@\n.endm\nmain:\n    SPIN 3\n    SPIN 5\n";
    const p = assemble(src);
    expect(p.symbols.get("main.spin0")).toBe(8);
    expect(p.symbols.get("main.spin1")).toBe(28);
    expect(words(p)[4]).toBe(ins("JNZ", { imm: 8 })[1]);
    expect(words(p)[9]).toBe(ins("JNZ", { imm: 28 })[1]);
  });

  it("joins a parameter to following text with \\()", () => {
    const p = assemble(".macro COUNTER name\n\\name\\()_count: .word 0\n.endm\nCOUNTER ticks");
    expect(p.symbols.get("ticks_count")).toBe(0);
  });

  it("expands macros that call macros, and a vararg parameter that recurses until .ifnb finds it blank", () => {
    const lib = [
      ".macro SAVE r, rest:vararg",
      "    push \\r",
      "  .ifnb \\rest",
      "    SAVE \\rest",
      "  .endif",
      ".endm",
      ".macro RESTORE r, rest:vararg",
      "  .ifnb \\rest",
      "    RESTORE \\rest",
      "  .endif",
      "    pop \\r",
      ".endm",
      ".macro FRAME",
      "    SAVE r8, r9, r10",
      "    RESTORE r8, r9, r10",
      ".endm",
      "FRAME",
    ].join("\n");
    expect(words(assemble(lib))).toEqual([8, 9, 10, 10, 9, 8].flatMap((r, i) => ins(i < 3 ? "PUSH" : "POP", { a: r })));
  });

  it("lets a label stand before a call, naming the first instruction of the expansion", () => {
    const p = assemble(".macro TWO\n nop\n nop\n.endm\nnop\nhere: TWO");
    expect(p.symbols.get("here")).toBe(4);
  });

  it("accepts the same macro defined twice identically (a macro file included twice), and refuses a different one", () => {
    expect(words(assemble(".macro N\n nop\n.endm\n.macro N\n nop\n.endm\nN"))).toEqual(ins("NOP"));
    const d = only(() => assemble(".macro N\n nop\n.endm\n.macro n\n hlt\n.endm"));
    expect(d).toMatchObject({ code: "ASM_DUPLICATE_MACRO", line: 4 });
    expect(d.hint).toContain("first defined at line 1");
  });

  it("reports an error inside an expansion at the macro body line, naming the macro and the call site", () => {
    const e = failure(() => assemble(".macro BUMP reg, by\n    add \\reg, \\reg, \\by\n.endm\nnop\nBUMP r1, 40000", { file: "k.s" }));
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]).toMatchObject({ code: "ASM_IMM16_RANGE", file: "k.s", line: 2, column: 17,
      from: [{ kind: "macro", macro: "BUMP", file: "k.s", line: 5, column: 1, definedAt: { file: "k.s", line: 1 } }] });
    expect(e.message.split("\n").slice(0, 4)).toEqual([
      "k.s:2:17: error: immediate 40000 does not fit in a signed 16-bit field (-32768..32767)",
      " 2 |     add r1, r1, 40000",
      "   |                 ^^^^^",
      "  in macro 'BUMP' (k.s:1), called from k.s:5",
    ]);
  });

  it("names the call chain of nested expansions and the include that brought the macro in", () => {
    const e = failure(() => build({
      "main.s": '.include "m.s"\nOUTER',
      "m.s": ".macro INNER\n    jmp nowhere\n.endm\n.macro OUTER\n    INNER\n.endm",
    }));
    expect(e.message).toContain("m.s:2:9: error: undefined symbol 'nowhere'");
    expect(e.message).toContain("  in macro 'INNER' (m.s:1), called from m.s:5\n  in macro 'OUTER' (m.s:4), called from main.s:2");
  });

  it("suggests the macro for a misspelt call", () => {
    const d = only(() => assemble(".macro SAVE_ALL\n nop\n.endm\nSAVE_AL"));
    expect(d).toMatchObject({ code: "ASM_UNKNOWN_MACRO", message: "unknown macro 'SAVE_AL'", hint: "did you mean 'SAVE_ALL'?", line: 4 });
  });

  it("says a macro called above its definition must move up", () => {
    const d = only(() => assemble("LATER\n.macro LATER\n nop\n.endm", { file: "a.s" }));
    expect(d).toMatchObject({ code: "ASM_UNKNOWN_MACRO", message: "macro 'LATER' is called before its definition (a.s:2)" });
  });

  it("counts the arguments of a call against the parameters", () => {
    const src = ".macro PAIR a, b\n nop\n.endm\n.macro SOME a, rest:vararg\n nop\n.endm\n";
    expect(only(() => assemble(src + "PAIR 1"))).toMatchObject({ code: "ASM_MACRO_ARGS", message: "macro 'PAIR' takes 2 arguments, got 1", line: 7 });
    expect(only(() => assemble(src + "PAIR 1, 2, 3")).hint).toBe("call it as PAIR a, b (defined at line 1)");
    expect(only(() => assemble(src + "SOME")).message).toBe("macro 'SOME' takes at least 1 argument, got 0");
    expect(words(assemble(src + "SOME 1\nSOME 1, 2, 3"))).toHaveLength(2);
    expect(only(() => assemble(src + "PAIR 1,, 2")).message).toBe("argument 2 of macro 'PAIR' is empty");
  });

  it("reports a .macro without .endm at the .macro line", () => {
    const d = only(() => assemble("nop\n.macro OPEN x\n nop\n", { file: "a.s" }));
    expect(d).toMatchObject({ code: "ASM_UNCLOSED_MACRO", line: 2, message: "macro 'OPEN' is not closed: no '.endm' before the end of a.s" });
  });

  it("ends a macro in the file it starts in", () => {
    const e = failure(() => build({ "main.s": '.include "m.s"\n.endm', "m.s": ".macro M\n nop" }));
    expect(e.diagnostics.map((d) => [d.file, d.line, d.code])).toEqual([["m.s", 1, "ASM_UNCLOSED_MACRO"], ["main.s", 2, "ASM_UNMATCHED"]]);
  });

  it("reports an .endm that closes nothing, and a .macro inside a macro body", () => {
    expect(only(() => assemble("nop\n.endm")).code).toBe("ASM_UNMATCHED");
    expect(only(() => assemble(".macro A\n.macro B\n.endm")).code).toBe("ASM_BAD_MACRO");
  });

  it("refuses a \\name in the body that is no parameter, with a did-you-mean, when the macro is defined", () => {
    const d = only(() => assemble(".macro M count\n    mov r1, \\cuont\n.endm"));
    expect(d).toMatchObject({ code: "ASM_BAD_MACRO", line: 2, column: 13, message: "'\\cuont' names no parameter of this macro", hint: "did you mean 'count'?" });
    expect(only(() => assemble(".macro M\n    mov r1, \\ 1\n.endm")).code).toBe("ASM_BAD_MACRO");
  });

  it("refuses macro names that are instructions, registers or directives, and bad parameter lists", () => {
    expect(only(() => assemble(".macro push x\n.endm")).message).toBe("'push' is an instruction: a macro cannot take its name");
    expect(only(() => assemble(".macro r3\n.endm")).code).toBe("ASM_BAD_MACRO");
    expect(only(() => assemble(".macro .m\n.endm")).code).toBe("ASM_BAD_MACRO");
    expect(only(() => assemble(".macro M a, a\n.endm")).message).toBe("parameter 'a' is named twice");
    expect(only(() => assemble(".macro M a:vararg, b\n.endm")).code).toBe("ASM_BAD_MACRO");
    expect(only(() => assemble(".macro M a:req\n.endm")).code).toBe("ASM_BAD_MACRO");
    expect(only(() => assemble(".macro\n.endm")).code).toBe("ASM_SYNTAX");
  });

  it("does not cascade: the calls of a macro whose definition failed expand to nothing", () => {
    expect(failure(() => assemble(".macro M a, a\n nop\n.endm\nM 1, 2\nM 3, 4")).diagnostics).toHaveLength(1);
  });

  it("stops a macro that calls itself without end after 100 nested expansions, with one error", () => {
    const e = failure(() => assemble(".macro FOREVER\n    FOREVER\n    FOREVER\n.endm\nFOREVER"));
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]).toMatchObject({ code: "ASM_MACRO_DEPTH" });
    expect(e.message).toContain("… and 94 more");
  });

  it("stops expansions that would produce more than 200,000 lines", () => {
    const wide = ".macro W\n" + " nop\n".repeat(1000) + ".endm\n" + "W\n".repeat(300);
    expect(only(() => assemble(wide)).message).toBe("macro expansions produced more than 200,000 lines");
  });

  it("tells that a backslash outside a macro body belongs in one", () => {
    expect(only(() => assemble("mov r1, \\x")).hint).toContain("only inside a .macro body");
  });

  it("names a label defined by every expansion and suggests \\@", () => {
    const d = failure(() => assemble(".macro M\nfixed: nop\n.endm\nM\nM")).diagnostics[0]!;
    expect(d).toMatchObject({ code: "ASM_DUPLICATE_SYMBOL" });
    expect(d.hint).toContain("each expansion of macro 'M' defines it again");
  });
});

describe(".ifb and .ifnb", () => {
  it("keeps the lines of a branch whose argument text is blank (.ifb) or not (.ifnb), and the .else branch otherwise", () => {
    const m = ".macro OPT a:vararg\n.ifb \\a\n    nop\n.else\n    hlt\n.endif\n.ifnb \\a\n    ret\n.endif\n.endm\n";
    const p = assemble(m + "OPT\nOPT x");
    expect(words(p)).toEqual([...ins("NOP"), ...ins("HLT"), ...ins("RET")]);
  });

  it("nests, dropping everything inside a dropped branch", () => {
    expect(words(assemble(".ifnb\n.ifb\n nop\n.else\n hlt\n.endif\n.else\n ret\n.endif"))).toEqual(ins("RET"));
  });

  it("reports a conditional left open at the end of its file or expansion, and an .else or .endif that closes nothing", () => {
    expect(only(() => assemble("nop\n.ifb\nnop")).message).toBe("'.ifb' is not closed: no '.endif' before the end of <input>");
    expect(only(() => assemble(".macro M\n.ifnb x\n.endm\nM")).message).toBe("'.ifnb' is not closed: no '.endif' before the end of the expansion of macro 'M'");
    expect(only(() => assemble(".endif")).code).toBe("ASM_UNMATCHED");
    expect(only(() => assemble(".else")).code).toBe("ASM_UNMATCHED");
    expect(only(() => assemble(".ifb\n.else\n.else\n.endif")).message).toContain("a second '.else'");
    expect(only(() => assemble(".ifb\n.endif junk")).code).toBe("ASM_SYNTAX");
  });

  it("suggests the preprocessor's directives for a misspelt one", () => {
    expect(only(() => assemble('.inclde "x.s"')).hint).toBe("did you mean '.include'?");
  });
});

describe("robustness of the preprocessor", () => {
  it("throws nothing but AssemblyError, and no internal error, for random lines of directives, calls and backslashes", () => {
    const stream = createRng(2024);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(stream.next() * xs.length)]!;
    const pieces = [".macro M a, b", ".macro N r, rest:vararg", ".endm", ".ifb \\a", ".ifnb \\rest", ".else", ".endif", '.include "lib.s"', '.include "main.s"',
      "M 1, 2", "M", "N r1", "N r1, r2, r3", "push \\r", "\\@", "x\\@:", "\\()", "\\a + \\b", "nop", "L:", ".l:", ",", "'", '"', "\\", "mov r1, \\b"];
    const files = { "lib.s": ".macro L2 x\n    add \\x, \\x, 1\n.endm\n", "main.s": "" };
    for (let n = 0; n < 1500; n++) {
      const lines = Array.from({ length: 1 + Math.floor(stream.next() * 12) }, () => Array.from({ length: 1 + Math.floor(stream.next() * 3) }, () => pick(pieces)).join(" "));
      const src = lines.join("\n");
      try {
        assemble(src, { file: "main.s", readFile: readerFromMap({ ...files, "main.s": src }) });
      } catch (e) {
        if (!(e instanceof AssemblyError)) throw new Error(`raw exception for ${JSON.stringify(src)}: ${String(e)}`);
        expect(e.diagnostics.filter((d) => d.code === "ASM_INTERNAL"), src).toEqual([]);
        expect(e.message.length).toBeGreaterThan(0);
      }
    }
  });
});
