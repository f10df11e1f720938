// Tests for the disassembler: text for each word, data for what is not an instruction, listings that re-assemble.
import { describe, expect, it } from "vitest";
import { assemble } from "./assembler.js";
import { decodeCanonical, disassemble, disassembleOne, formatListing } from "./disassembler.js";
import { encode, type Fields, isCanonical } from "./encoding.js";
import { INSTRUCTIONS, spec } from "./table.js";
import { createRng } from "../sim/rng.js";

/** Seeded random floats in [0, 1), so random tests repeat exactly. */
function rng(seed: number): () => number {
  const stream = createRng(seed);
  return () => stream.next();
}

function le(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(out.buffer).setUint32(i * 4, w >>> 0, true));
  return out;
}

/** Disassemble, list, re-assemble: the bytes must come back unchanged. */
function roundTrip(bytes: Uint8Array, origin: number, symbols?: Map<string, number>): { listing: string; again: Uint8Array } {
  const listing = formatListing(disassemble(bytes, { origin, ...(symbols ? { symbols } : {}) }));
  const image = assemble(listing, { file: "listing.s" }).image();
  expect(image.base).toBe(origin);
  return { listing, again: image.bytes };
}

describe("disassembleOne", () => {
  it("prints each operand kind the way the assembler reads it", () => {
    expect(disassembleOne(encode(spec("ADD"), { a: 1, b: 2, c: 15 })[0]!)).toBe("add r1, r2, sp");
    expect(disassembleOne(encode(spec("ADDI"), { a: 1, b: 2, imm: -5 })[0]!)).toBe("add r1, r2, -5");
    expect(disassembleOne(encode(spec("LD"), { a: 1, b: 15, imm: 8 })[0]!)).toBe("ld r1, [sp + 8]");
    expect(disassembleOne(encode(spec("ST"), { a: 3, b: 2, imm: -4 })[0]!)).toBe("st [r2 - 4], r3");
    expect(disassembleOne(encode(spec("LDB"), { a: 3, b: 2, imm: 0 })[0]!)).toBe("ldb r3, [r2]");
    expect(disassembleOne(encode(spec("MOV_CR_R"), { a: 1, b: 3 })[0]!)).toBe("mov cr3, r1");
    expect(disassembleOne(encode(spec("MOV_R_CR"), { a: 1, b: 4 })[0]!)).toBe("mov r1, ksp");
    expect(disassembleOne(encode(spec("PUSH_CS"), {})[0]!)).toBe("push cs");
    expect(disassembleOne(encode(spec("OUT"), { a: 1, imm: 0x10 })[0]!)).toBe("out 0x10, r1");
    expect(disassembleOne(encode(spec("SHLI"), { a: 1, b: 1, imm: 3 })[0]!)).toBe("shl r1, r1, 3");
    const [w0, w1] = encode(spec("MOVI"), { a: 2, imm: -1 });
    expect(disassembleOne(w0!, w1)).toBe("mov r2, 0xffffffff");
  });

  it("shows an unassigned opcode as data", () => {
    expect(disassembleOne(0)).toBe(".word 0x0");
    expect(disassembleOne(0xff000000)).toBe(".word 0xff000000");
  });

  it("shows a word with stray bits in fields its form does not use as data", () => {
    const nopWithA = encode(spec("NOP"), {})[0]! | (3 << 20);
    expect(decodeCanonical(nopWithA)).toBeUndefined();
    expect(disassembleOne(nopWithA)).toBe(`.word 0x${nopWithA.toString(16)}`);
    const addWithLowBits = encode(spec("ADD"), { a: 1, b: 2, c: 3 })[0]! | 1;
    expect(disassembleOne(addWithLowBits).startsWith(".word")).toBe(true);
  });

  it("is stricter than isCanonical, which lets stray register fields through", () => {
    const nopWithA = encode(spec("NOP"), {})[0]! | (3 << 20);
    expect(isCanonical(nopWithA)).toBe(true);
    expect(decodeCanonical(nopWithA)).toBeUndefined();
  });

  it("shows what the assembler would refuse as data: unnamed control registers, vectors above 255, shifts above 31", () => {
    expect(disassembleOne(encode(spec("MOV_CR_R"), { a: 1, b: 1 })[0]!).startsWith(".word")).toBe(true);
    expect(disassembleOne(encode(spec("INT"), { imm: 0x100 })[0]!).startsWith(".word")).toBe(true);
    expect(disassembleOne(encode(spec("SHRI"), { a: 1, b: 1, imm: 32 })[0]!).startsWith(".word")).toBe(true);
  });
});

describe("disassemble", () => {
  it("names branch targets after symbols that start a line, and prints the labels", () => {
    const p = assemble("_start: mov r1, 3\n.loop: add r1, r1, -1\n jnz .loop\n call 0x9000\n hlt", { origin: 0x1000 });
    const lines = disassemble(p.image().bytes, { origin: 0x1000, symbols: new Map([...p.symbols, ["far", 0x9000]]) });
    expect(lines.map((l) => l.text)).toEqual(["mov r1, 0x3", "add r1, r1, -1", "jnz _start.loop", "call 0x9000", "hlt"]);
    expect(lines[0]).toMatchObject({ address: 0x1000, size: 8, labels: ["_start"] });
    expect(lines[1]!.labels).toEqual(["_start.loop"]);
  });

  it("prints targets in hex without symbols", () => {
    const [w0, w1] = encode(spec("JMP"), { imm: 0x40 });
    expect(disassemble(le([w0!, w1!])).map((l) => l.text)).toEqual(["jmp 0x40"]);
  });

  it("covers trailing bytes with .byte and a two-word form cut short with .word", () => {
    const [w0] = encode(spec("JMP"), { imm: 0 });
    const bytes = new Uint8Array([...le([w0!]), 7, 8]);
    const lines = disassemble(bytes, { origin: 4 });
    expect(lines.map((l) => [l.address, l.size, l.text])).toEqual([[4, 4, `.word 0x${w0!.toString(16)}`], [8, 2, ".byte 0x7, 0x8"]]);
  });

  it("lists with a leading .org and re-assembles to the same bytes", () => {
    const source = [
      "_start: mov sp, 0x8000",
      "  ld r1, [sp - 8]",
      "loop: in r2, 0x41",
      "  cmp r2, 10",
      "  jl loop",
      "  mov cr3, r2",
      "  push cs",
      "  .word 0xdeadbeef",
      "  .byte 1, 2, 3",
    ].join("\n");
    const p = assemble(source, { origin: 0x400 });
    const { listing, again } = roundTrip(p.image().bytes, 0x400, p.symbols);
    expect(listing.split("\n")[0]).toBe("        .org 0x400");
    expect(listing).toContain("jl loop");
    expect([...again]).toEqual([...p.image().bytes]);
  });

  it("re-assembles one sample of every table form to the same bytes", () => {
    const words: number[] = [];
    for (const s of INSTRUCTIONS) {
      const fields: Fields = {};
      for (const k of s.operands) {
        if (k === "a" || k === "b" || k === "c") fields[k] = { a: 1, b: 2, c: 3 }[k];
        else if (k === "cr") fields.b = 3;
        else if (k === "mem") { fields.b = 2; fields.imm = -7; }
        else if (k === "cs") continue;
        else fields.imm = k === "u16" ? 7 : -7;
      }
      words.push(...encode(s, fields));
    }
    const bytes = le(words);
    const { listing, again } = roundTrip(bytes, 0x100);
    expect(listing).not.toContain(".word");
    expect([...again]).toEqual([...bytes]);
  });

  it("re-assembles random words to the same bytes, whatever they decode to", () => {
    const next = rng(7);
    let instructions = 0;
    for (let round = 0; round < 50; round++) {
      const count = 1 + Math.floor(next() * 64);
      const words: number[] = [];
      for (let i = 0; i < count; i++) {
        // Half the words start with an assigned opcode so that instructions, not only data, are exercised.
        const op = next() < 0.5 ? INSTRUCTIONS[Math.floor(next() * INSTRUCTIONS.length)]!.op : Math.floor(next() * 256);
        const low = next() < 0.5 ? Math.floor(next() * 2 ** 24) : Math.floor(next() * 16) << 20 | Math.floor(next() * 16) << 16;
        words.push(((op << 24) | low) >>> 0);
      }
      const extra = Math.floor(next() * 4);
      const bytes = new Uint8Array([...le(words), ...Array.from({ length: extra }, () => Math.floor(next() * 256))]);
      // Every fourth image sits at an unaligned origin, where the bytes before the first word boundary are data.
      const origin = 4 * Math.floor(next() * 0x4000) + (next() < 0.25 ? 1 + Math.floor(next() * 3) : 0);
      instructions += disassemble(bytes).filter((l) => !l.text.startsWith(".")).length;
      const { again } = roundTrip(bytes, origin);
      expect([...again]).toEqual([...bytes]);
    }
    expect(instructions).toBeGreaterThan(200);
  });
});

describe("formatListing", () => {
  it("is empty for no lines", () => {
    expect(formatListing([])).toBe("");
  });

  it("puts the address and words in a comment and opens gaps with .org", () => {
    const text = formatListing([
      { address: 0, size: 4, words: [0x01000000], text: "nop" },
      { address: 16, size: 4, words: [0x01000000], text: "nop", labels: ["later"] },
    ]);
    expect(text.split("\n")).toEqual([
      "        .org 0x0",
      "        nop                              ; 00000000: 01000000",
      "        .org 0x10",
      "later:",
      "        nop                              ; 00000010: 01000000",
      "",
    ]);
  });
});
