// Tests for the assembler: syntax, expressions, directives, diagnostics and robustness against any input.
import { describe, expect, it } from "vitest";
import { type AsmDiagnostic, assemble, AssemblyError, formSyntax } from "./assembler.js";
import { decode, encode } from "./encoding.js";
import { VmlabError } from "../core/errors.js";
import { BY_MNEMONIC, spec } from "./table.js";
import { createRng } from "../sim/rng.js";

/** The words of a program assembled at 0, little-endian. */
function words(source: string): number[] {
  const { bytes } = assemble(source).image();
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return out;
}

function bytesOf(source: string): number[] {
  return [...assemble(source).image().bytes];
}

/** The diagnostics of a source that must fail. */
function diagnostics(source: string, file = "guest.s"): readonly AsmDiagnostic[] {
  try {
    assemble(source, { file });
  } catch (e) {
    if (e instanceof AssemblyError) return e.diagnostics;
    throw e;
  }
  throw new Error("expected the source to fail");
}

function only(source: string): AsmDiagnostic {
  const d = diagnostics(source);
  expect(d).toHaveLength(1);
  return d[0]!;
}

/** Seeded random floats in [0, 1), so random tests repeat exactly. */
function rng(seed: number): () => number {
  const stream = createRng(seed);
  return () => stream.next();
}

describe("instructions", () => {
  it("encodes each operand shape through the table", () => {
    expect(words("add r1, r2, r3")).toEqual(encode(spec("ADD"), { a: 1, b: 2, c: 3 }));
    expect(words("add r1, r2, -5")).toEqual(encode(spec("ADDI"), { a: 1, b: 2, imm: -5 }));
    expect(words("ld r4, [sp + 8]")).toEqual(encode(spec("LD"), { a: 4, b: 15, imm: 8 }));
    expect(words("st [r2 - 4], r7")).toEqual(encode(spec("ST"), { a: 7, b: 2, imm: -4 }));
    expect(words("ldb r1, [r2]")).toEqual(encode(spec("LDB"), { a: 1, b: 2, imm: 0 }));
    expect(words("out 0x10, r3")).toEqual(encode(spec("OUT"), { a: 3, imm: 0x10 }));
    expect(words("int 0x80")).toEqual(encode(spec("INT"), { imm: 0x80 }));
  });

  it("tells the forms of one mnemonic apart by operand kinds", () => {
    const first = (src: string) => decode(words(src)[0]!)!.spec.name;
    expect(first("mov r1, r2")).toBe("MOV");
    expect(first("mov r1, 0x1234")).toBe("MOVI");
    expect(first("mov cr3, r1")).toBe("MOV_CR_R");
    expect(first("mov r1, cr3")).toBe("MOV_R_CR");
    expect(first("mov r1, cs")).toBe("MOV_R_CS");
    expect(first("push r1")).toBe("PUSH");
    expect(first("push cs")).toBe("PUSH_CS");
    expect(first("jmp r3")).toBe("JMPR");
    expect(first("jmp 0")).toBe("JMP");
    expect(first("call r3")).toBe("CALLR");
    expect(first("cmp r1, r2")).toBe("CMP");
    expect(first("cmp r1, 5")).toBe("CMPI");
  });

  it("computes displacements from expressions, as in [sp + SLOT*4]", () => {
    expect(words("SLOT = 3\nld r1, [sp + SLOT*4]\nst [r2 - 2*2 + 1], r1")).toEqual([
      ...encode(spec("LD"), { a: 1, b: 15, imm: 12 }),
      ...encode(spec("ST"), { a: 1, b: 2, imm: -3 }),
    ]);
  });

  it("reads mnemonics, registers and control registers in any case", () => {
    expect(words("MOV R1, CR3\nPush SP")).toEqual([...encode(spec("MOV_R_CR"), { a: 1, b: 3 }), ...encode(spec("PUSH"), { a: 15 })]);
  });

  it("accepts the aliases je, jne and int3", () => {
    expect(words("je 0\njne 0\nint3")).toEqual([...encode(spec("JZ"), { imm: 0 }), ...encode(spec("JNZ"), { imm: 0 }), ...encode(spec("BRK"), {})]);
  });

  it("names control registers ksp and sep by name", () => {
    expect(words("mov ksp, r1\nmov r2, sep")).toEqual([...encode(spec("MOV_CR_R"), { a: 1, b: 4 }), ...encode(spec("MOV_R_CR"), { a: 2, b: 5 })]);
  });

  it("ignores comments after ';' and '//' but not inside strings or characters", () => {
    expect(bytesOf("nop ; a comment\nnop // another\n.ascii \"a;b//c\"\n.byte ';'")).toEqual([
      0, 0, 0, 1, 0, 0, 0, 1, 97, 59, 98, 47, 47, 99, 59,
    ]);
  });
});

describe("labels and symbols", () => {
  it("resolves forward and backward references to labels", () => {
    const p = assemble("_start: jmp end\nmid: nop\nend: jmp mid");
    expect(p.symbols.get("end")).toBe(12);
    expect(words("_start: jmp end\nmid: nop\nend: jmp mid")).toEqual([...encode(spec("JMP"), { imm: 12 }), ...encode(spec("NOP"), {}), ...encode(spec("JMP"), { imm: 8 })]);
  });

  it("scopes local labels to the last global label", () => {
    const p = assemble("one:\n.loop: jmp .loop\ntwo:\n.loop: jmp .loop\njmp one.loop");
    expect(p.symbols.get("one.loop")).toBe(0);
    expect(p.symbols.get("two.loop")).toBe(8);
    expect(words("one:\n.loop: jmp .loop\ntwo:\n.loop: jmp .loop").map((w, i) => (i % 2 ? w : 0))).toEqual([0, 0, 0, 8]);
  });

  it("lets a label share its line with an instruction, and stacks labels", () => {
    const p = assemble("a: b: nop\nc: nop");
    expect([p.symbols.get("a"), p.symbols.get("b"), p.symbols.get("c")]).toEqual([0, 0, 4]);
  });

  it("enters at _start when it is defined, else at the first segment", () => {
    expect(assemble("nop\n_start: nop", { origin: 0x100 }).entry).toBe(0x104);
    expect(assemble("nop", { origin: 0x100 }).entry).toBe(0x100);
    expect(assemble(".org 0x2000\nnop\n.org 0x1000\nnop").entry).toBe(0x2000);
  });

  it("defines constants with '=' and .equ, forward references included", () => {
    const p = assemble("mov r1, N * 2\nN = M + 1\n.equ M, 20");
    expect(p.symbols.get("N")).toBe(21);
    expect(words("mov r1, N * 2\nN = M + 1\n.equ M, 20")[1]).toBe(42);
  });

  it("lets options.defines override a constant's default in the source", () => {
    const p = assemble("N = 10\nmov r1, N", { defines: { N: 99, EXTRA: 1 } });
    expect(p.symbols.get("N")).toBe(99);
    expect(p.symbols.get("EXTRA")).toBe(1);
  });

  it("uses '.' as the address of the current statement", () => {
    expect(words(".org 0x40\njmp .\n.word . + 1")).toEqual([...encode(spec("JMP"), { imm: 0x40 }), 0x49]);
  });
});

describe("expressions", () => {
  const value = (expr: string) => words(`.word ${expr}`)[0];

  it("takes 100 levels of nesting and 1000 operators on a line, and refuses more with ASM_TOO_COMPLEX instead of overflowing the stack", () => {
    expect(value("(".repeat(100) + "7" + ")".repeat(100))).toBe(7);
    expect(value("-".repeat(50) + "~".repeat(49) + "1")).toBe(0xfffffffe);
    expect(value(Array(1001).fill("1").join("+"))).toBe(1001);
    expect(only(`.word ${"(".repeat(101)}7${")".repeat(101)}`)).toMatchObject({ code: "ASM_TOO_COMPLEX", column: 107 });
    expect(only(`.word ${"-".repeat(200_000)}1`).code).toBe("ASM_TOO_COMPLEX");
    expect(only(`.word ${Array(200_000).fill("1").join("*")}`)).toMatchObject({ code: "ASM_TOO_COMPLEX", message: "more than 1000 operators in the expressions of one line" });
  });

  it("quotes a huge token clipped, not whole", () => {
    const d = only(`.word ${"9".repeat(100_000)}`);
    expect(d.message).toBe(`number '${"9".repeat(30)}…' (100,000 characters) is too large`);
  });

  it("reads decimal, hex, binary and character literals with escapes", () => {
    expect(value("42")).toBe(42);
    expect(value("0x2A")).toBe(42);
    expect(value("0b101010")).toBe(42);
    expect(value("'*'")).toBe(42);
    expect(bytesOf(".byte '\\n', '\\t', '\\0', '\\\\', '\\'', '\\x41'")).toEqual([10, 9, 0, 92, 39, 0x41]);
  });

  it("follows C precedence and parentheses", () => {
    expect(value("1 + 2 * 3")).toBe(7);
    expect(value("(1 + 2) * 3")).toBe(9);
    expect(value("1 << 2 + 1")).toBe(8);
    expect(value("6 & 3 | 8")).toBe(10);
    expect(value("1 | 6 ^ 3 & 1")).toBe(7);
    expect(value("-7 / 2")).toBe((-3 >>> 0));
    expect(value("-7 % 3")).toBe((-1 >>> 0));
    expect(value("~0")).toBe(0xffffffff);
    expect(value("0x80000000 >> 4")).toBe(0xf8000000);
  });

  it("reports division by zero at the operator", () => {
    const d = only("x = 4 / (2 - 2)");
    expect(d.code).toBe("ASM_DIV_ZERO");
    expect(d.column).toBe(7);
  });

  it("reports a circular definition once", () => {
    expect(diagnostics("A = B\nB = A + 1").map((d) => d.code)).toEqual(["ASM_CIRCULAR"]);
  });
});

describe("directives", () => {
  it("lays out .word, .byte, .ascii, .string, .asciz and .space", () => {
    expect(bytesOf(".word 0x11223344\n.byte 1, -1\n.ascii \"ab\"\n.string \"c\"\n.asciz \"d\"\n.space 2")).toEqual([
      0x44, 0x33, 0x22, 0x11, 1, 255, 97, 98, 99, 0, 100, 0, 0, 0,
    ]);
  });

  it("pads with zeros up to a multiple of the .align value", () => {
    const p = assemble(".byte 1\n.align 4\nx: nop\n.align 16\ny:");
    expect(p.symbols.get("x")).toBe(4);
    expect(p.symbols.get("y")).toBe(16);
  });

  it("starts a new segment at .org and fills gaps with zeros in the image", () => {
    const p = assemble(".org 0x100\n.byte 1\n.org 0x104\n.byte 2");
    expect(p.segments.map((s) => [s.address, [...s.bytes]])).toEqual([[0x100, [1]], [0x104, [2]]]);
    expect(p.image()).toEqual({ base: 0x100, bytes: Uint8Array.from([1, 0, 0, 0, 2]) });
  });

  it("merges output that ends up contiguous", () => {
    expect(assemble(".org 4\n.byte 2\n.org 0\n.word 1").segments).toHaveLength(2);
    expect(assemble(".byte 1\n.org 1\n.byte 2").segments).toHaveLength(1);
  });

  it("suggests '.word' for the unknown directive '.wrod'", () => {
    const d = only(".wrod 5");
    expect(d.code).toBe("ASM_UNKNOWN_DIRECTIVE");
    expect(d.hint).toBe("did you mean '.word'?");
  });

  it("needs .org values in the first pass and says so", () => {
    expect(only(".org later\nlater: nop").code).toBe("ASM_NOT_YET_KNOWN");
  });

  it("reports two pieces of output at the same address", () => {
    const d = only(".word 1\n.org 0\n.word 2");
    expect(d.code).toBe("ASM_OVERLAP");
    expect(d.line).toBe(3);
  });

  it("returns a listing line per emitting statement with its source", () => {
    const p = assemble("x:\n  nop ; one\n  .word 7", { file: "a.s", origin: 8 });
    expect(p.lines).toEqual([
      { address: 8, size: 4, line: 2, file: "a.s", text: "nop ; one" },
      { address: 12, size: 4, line: 3, file: "a.s", text: ".word 7" },
    ]);
  });
});

describe("diagnostics", () => {
  it("suggests 'ld' for the typo 'ldw' and points at it", () => {
    const d = only("start:\n        ldw r1, [r2]");
    expect(d).toMatchObject({ code: "ASM_UNKNOWN_MNEMONIC", file: "guest.s", line: 2, column: 9, message: "unknown mnemonic 'ldw'", hint: "did you mean 'ld'?" });
  });

  it("formats each diagnostic with the source line, a caret and the hint", () => {
    try {
      assemble("start:\n        ldw r1, [r2]", { file: "guest.s" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AssemblyError);
      expect(e).toBeInstanceOf(VmlabError);
      expect((e as AssemblyError).code).toBe("ASM_UNKNOWN_MNEMONIC");
      expect((e as Error).message).toBe(
        ["guest.s:2:9: error: unknown mnemonic 'ldw'", " 2 |         ldw r1, [r2]", "   |         ^^^", "hint: did you mean 'ld'?"].join("\n"),
      );
    }
  });

  it("collects every problem in one error, in line order", () => {
    const d = diagnostics("ldw r1, [r2]\nadd r1, r2\nadd r1, r2, 100000\njmp nowhere");
    expect(d.map((x) => [x.line, x.code])).toEqual([
      [1, "ASM_UNKNOWN_MNEMONIC"],
      [2, "ASM_BAD_OPERANDS"],
      [3, "ASM_IMM16_RANGE"],
      [4, "ASM_UNDEFINED_SYMBOL"],
    ]);
  });

  it("lists the forms a mnemonic has when the operands match none", () => {
    expect(only("add r1, r2").hint).toBe("add takes: add rd, rs, rt | add rd, rs, imm16");
    expect(only("st r1, [r2]").hint).toBe("st takes: st [rs + disp], rt");
    expect(formSyntax(spec("OUT"))).toBe("out port, rs");
    expect(formSyntax(spec("MOV_CR_R"))).toBe("mov crN, rs");
  });

  it("tells how to load a constant that does not fit in 16 bits", () => {
    const d = only("add r1, r2, 40000");
    expect(d.code).toBe("ASM_IMM16_RANGE");
    expect(d.hint).toContain("mov rX, 40000");
  });

  it("checks unsigned immediates, shift counts, vectors, displacements, words and bytes", () => {
    expect(only("in r1, 65536").code).toBe("ASM_UIMM16_RANGE");
    expect(only("in r1, -1").code).toBe("ASM_UIMM16_RANGE");
    expect(only("shl r1, r1, 32").code).toBe("ASM_SHIFT_RANGE");
    expect(only("int 256").code).toBe("ASM_VECTOR_RANGE");
    expect(only("ld r1, [r2 + 32768]").code).toBe("ASM_DISP_RANGE");
    expect(only("mov r1, 0x100000000").code).toBe("ASM_WORD_RANGE");
    expect(only(".byte 256").code).toBe("ASM_BYTE_RANGE");
    expect(words("shl r1, r1, 31\nld r1, [r2 - 32768]\nmov r1, -1\nmov r2, 0xffffffff")).toHaveLength(6);
  });

  it("suggests a defined label for an undefined one", () => {
    const d = only("start: nop\njmp strat");
    expect(d).toMatchObject({ code: "ASM_UNDEFINED_SYMBOL", column: 5, hint: "did you mean 'start'?" });
  });

  it("names the first definition of a duplicate label", () => {
    const d = only("x: nop\nnop\nx: nop");
    expect(d).toMatchObject({ code: "ASM_DUPLICATE_SYMBOL", line: 3 });
    expect(d.hint).toContain("line 1");
  });

  it("asks for .align 4 before a misaligned instruction", () => {
    const d = only(".byte 1\nnop");
    expect(d.code).toBe("ASM_MISALIGNED");
    expect(d.hint).toContain(".align 4");
  });

  it("rejects registers that do not exist and register names as labels", () => {
    expect(only("mov r16, r1").code).toBe("ASM_BAD_REGISTER");
    expect(only("mov cr1, r1").code).toBe("ASM_BAD_REGISTER");
    expect(only("sp: nop").code).toBe("ASM_RESERVED_NAME");
  });

  it("explains a register used with an offset outside brackets", () => {
    expect(only("ld r1, r2 + 4").hint).toContain("[r2 + ...]");
  });

  it("does not cascade when a labelled line fails to parse", () => {
    expect(diagnostics("top: mov r1, @\njmp top").map((d) => [d.line, d.code])).toEqual([[1, "ASM_SYNTAX"]]);
  });

  it("reports unterminated strings and bad escapes as literal errors", () => {
    expect(only('.ascii "abc').code).toBe("ASM_BAD_LITERAL");
    expect(only('.ascii "\\q"').code).toBe("ASM_BAD_LITERAL");
    expect(only("mov r1, 12ab").code).toBe("ASM_BAD_LITERAL");
    expect(only("mov r1, 'ab'").code).toBe("ASM_BAD_LITERAL");
  });

  it("rejects a bad origin as a diagnostic", () => {
    expect(() => assemble("nop", { origin: -4 })).toThrow(AssemblyError);
  });
});

describe("robustness", () => {
  it("throws nothing but AssemblyError for random text", () => {
    const next = rng(1974);
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 \t,:;[]()+-*/%<>&^|~='\"\\.rspcxmovldjz_\n";
    const words = ["mov", "ld", "st", "r1", "sp", "cr3", "[", "]", ".word", ".org", ".align", ".byte", ".string", "x", "x:", ".l:", "=", ",", "+", "0x", "'", '"', "1/0", "<<", "cs"];
    for (let n = 0; n < 2000; n++) {
      let src = "";
      const len = Math.floor(next() * 60);
      for (let i = 0; i < len; i++) {
        src += next() < 0.5 ? alphabet[Math.floor(next() * alphabet.length)] : ` ${words[Math.floor(next() * words.length)]} `;
      }
      try {
        assemble(src);
      } catch (e) {
        if (!(e instanceof AssemblyError)) throw new Error(`raw exception for ${JSON.stringify(src)}: ${String(e)}`);
        expect(e.diagnostics.length).toBeGreaterThan(0);
        expect(e.diagnostics.filter((d) => d.code === "ASM_INTERNAL")).toEqual([]);
      }
    }
  });

  it("has a form for every mnemonic it advertises", () => {
    for (const [m, forms] of BY_MNEMONIC) expect(forms.every((f) => f.mnemonic === m)).toBe(true);
  });
});

describe("large output", () => {
  it("merges megabyte runs and strings without exhausting the stack", () => {
    const long = "x".repeat(300_000);
    const p = assemble(`.space 4\n.org 4\n.space 0x400000\n.ascii "${long}"`);
    expect(p.segments).toHaveLength(1);
    expect(p.image().bytes.length).toBe(4 + 0x400000 + long.length);
  });

  it("refuses a flat image spanning most of the address space, with a code", () => {
    const p = assemble(".byte 1\n.org 0xfffffff0\n.byte 2");
    expect(() => p.image()).toThrow(expect.objectContaining({ code: "ASM_IMAGE_TOO_LARGE" }));
  });
});
