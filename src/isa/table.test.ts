// Invariants of the instruction table, checked through every view derived from it: encoder, decoder, assembler, disassembler.
import { describe, expect, it } from "vitest";
import { CR_INDEX } from "./arch.js";
import { assemble, immediateRange } from "./assembler.js";
import { disassembleOne, registerName } from "./disassembler.js";
import { decode, encode, type Fields, imm16Kind, isCanonical } from "./encoding.js";
import { ALIASES, BY_MNEMONIC, BY_NAME, BY_OPCODE, INSTRUCTIONS, type InstructionSpec, type OperandKind } from "./table.js";
import { createRng } from "../sim/rng.js";

/** Seeded random floats in [0, 1), so random tests repeat exactly. */
function rng(seed: number): () => number {
  const stream = createRng(seed);
  return () => stream.next();
}

function int(next: () => number, lo: number, hi: number): number {
  return lo + Math.floor(next() * (hi - lo + 1));
}

const CR_NAMES = Object.keys(CR_INDEX) as (keyof typeof CR_INDEX)[];

/** Random operand values for a form, and the assembly text that says the same. */
function sample(s: InstructionSpec, next: () => number): { fields: Fields; text: string } {
  const fields: Fields = {};
  const range = immediateRange(s);
  const parts = s.operands.map((k: OperandKind) => {
    switch (k) {
      case "a": case "b": case "c": {
        const r = int(next, 0, 15);
        fields[k] = r;
        return next() < 0.5 ? `r${r}` : registerName(r);
      }
      case "cr": {
        const name = CR_NAMES[int(next, 0, CR_NAMES.length - 1)]!;
        fields.b = CR_INDEX[name];
        return name;
      }
      case "cs":
        return "cs";
      case "mem": {
        const base = int(next, 0, 15);
        const disp = int(next, range!.lo, range!.hi);
        fields.b = base;
        fields.imm = disp;
        return `[r${base} ${disp < 0 ? "-" : "+"} ${Math.abs(disp)}]`;
      }
      case "i16": case "u16": case "i32": {
        const v = int(next, range!.lo, range!.hi);
        fields.imm = v;
        return String(v);
      }
    }
  });
  return { fields, text: parts.length ? `${s.mnemonic} ${parts.join(", ")}` : s.mnemonic };
}

function wordsOf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return out;
}

/** The operand kinds the assembler can tell apart (it sees registers, not fields; numbers, not widths). */
function shape(s: InstructionSpec): string {
  return s.operands.map((k) => (k === "a" || k === "b" || k === "c" ? "reg" : k === "i16" || k === "u16" || k === "i32" ? "imm" : k)).join(",");
}

describe("the instruction table", () => {
  it("gives every form a unique opcode and a unique name", () => {
    expect(new Set(INSTRUCTIONS.map((s) => s.op)).size).toBe(INSTRUCTIONS.length);
    expect(new Set(INSTRUCTIONS.map((s) => s.name)).size).toBe(INSTRUCTIONS.length);
    expect(BY_NAME.size).toBe(INSTRUCTIONS.length);
  });

  it("never assigns opcode 0, so zeroed memory is #UD", () => {
    expect(BY_OPCODE[0]).toBeUndefined();
    expect(decode(0)).toBeUndefined();
    for (const s of INSTRUCTIONS) expect(s.op).toBeGreaterThan(0), expect(s.op).toBeLessThan(256);
  });

  it("is sorted by opcode and indexed by opcode", () => {
    INSTRUCTIONS.forEach((s, i) => {
      if (i > 0) expect(s.op).toBeGreaterThan(INSTRUCTIONS[i - 1]!.op);
      expect(BY_OPCODE[s.op]).toBe(s);
    });
  });

  it("makes a form 8 bytes exactly when it has a 32-bit immediate", () => {
    for (const s of INSTRUCTIONS) expect(s.size).toBe(s.operands.includes("i32") ? 8 : 4);
  });

  it("gives each operand its own field: one immediate at most, no 16-bit immediate beside c, no register field twice", () => {
    for (const s of INSTRUCTIONS) {
      expect(s.operands.filter((k) => k === "i16" || k === "u16" || k === "i32" || k === "mem").length, s.name).toBeLessThanOrEqual(1);
      if (imm16Kind(s)) expect(s.operands.includes("c"), s.name).toBe(false);
      const fieldsUsed = s.operands.map((k) => (k === "cr" || k === "mem" ? "b" : k)).filter((k) => k === "a" || k === "b" || k === "c");
      expect(new Set(fieldsUsed).size, `${s.name} uses a register field twice`).toBe(fieldsUsed.length);
    }
  });

  it("tells every form of a mnemonic apart by operand shape, so the assembler can reach each one", () => {
    for (const [m, forms] of BY_MNEMONIC) {
      const shapes = forms.map(shape);
      expect(new Set(shapes).size, `${m}: ${shapes.join(" | ")}`).toBe(forms.length);
    }
  });

  it("has aliases that name real mnemonics and shadow none", () => {
    for (const [alias, target] of Object.entries(ALIASES)) {
      expect(BY_MNEMONIC.has(target), alias).toBe(true);
      expect(BY_MNEMONIC.has(alias), alias).toBe(false);
    }
  });
});

describe("every form", () => {
  const next = rng(20260301);

  for (const s of INSTRUCTIONS) {
    it(`${s.name} assembles, disassembles and re-assembles to the same words`, () => {
      for (let n = 0; n < 20; n++) {
        const { fields, text } = sample(s, next);
        const expected = encode(s, fields);
        const words = wordsOf(assemble(text).image().bytes);
        expect(words, text).toEqual(expected);
        expect(decode(words[0]!, words[1])!.spec, text).toBe(s);
        expect(isCanonical(words[0]!, words[1])).toBe(true);
        const back = disassembleOne(words[0]!, words[1]);
        expect(back.startsWith(".word"), `${text} → ${back}`).toBe(false);
        expect(wordsOf(assemble(back).image().bytes), back).toEqual(expected);
      }
    });
  }
});

describe("decode(encode(x))", () => {
  it("gives back the form and every field the form uses, over random fields", () => {
    const next = rng(42);
    for (let n = 0; n < 20000; n++) {
      const s = INSTRUCTIONS[int(next, 0, INSTRUCTIONS.length - 1)]!;
      const f: Fields = {};
      const k16 = imm16Kind(s);
      for (const k of s.operands) {
        if (k === "a" || k === "b" || k === "c") f[k] = int(next, 0, 15);
        if (k === "cr" || k === "mem") f.b = int(next, 0, 15);
      }
      if (k16 === "i16") f.imm = int(next, -32768, 32767);
      if (k16 === "u16") f.imm = int(next, 0, 65535);
      if (s.size === 8) f.imm = int(next, -(2 ** 31), 2 ** 31 - 1);
      const [w0, w1] = encode(s, f);
      const d = decode(w0!, w1)!;
      expect(d.spec).toBe(s);
      for (const key of ["a", "b", "c", "imm"] as const) expect(d[key], `${s.name}.${key}`).toBe(f[key] ?? 0);
    }
  });
});

describe("the reference card (each form's summary, which `vmlab isa` prints)", () => {
  const arithmetic = INSTRUCTIONS.filter((s) => s.op >= 0x10 && s.op <= 0x2c);

  it("says of every arithmetic form which flags it sets and clears, as its semantics do", () => {
    for (const s of arithmetic) {
      if (/\bm\.logic\(/.test(s.exec)) expect(s.summary, s.name).toMatch(/ZF SF.*clears? CF OF/);
      else if (/\bm\.(add|sub)\(/.test(s.exec)) expect(s.summary, s.name).toMatch(/sets? ZF SF CF OF/);
      else expect(s.summary, s.name).toMatch(/flags unchanged/);
    }
  });

  it("says where a raw field is reduced: shift counts mod 32, interrupt vectors mod 256", () => {
    for (const s of INSTRUCTIONS) {
      if (/& 31\b/.test(s.exec)) expect(s.summary, s.name).toMatch(/mod 32/);
      if (/imm & 255\b/.test(s.exec)) expect(s.summary, s.name).toMatch(/mod 256/);
    }
  });

  it.each([
    ["DIV", /−2\^31 ÷ −1 = −2\^31/],
    ["REM", /−2\^31 mod −1 = 0/],
    ["PUSH", /push sp stores sp as it was before/],
    ["POP", /pop sp leaves sp holding the popped word/],
    ["MOV_CR_R", /CR0 keeps PE set and flushes the TLB when PG or WP changes.*CR8.*low 4 bits/],
    ["INT", /error code vector × 8 \+ 2 if the gate is absent or its DPL < CPL/],
    ["CPUID", /r0 ← 1 .*"vmla" "b-cp" "u   ".*r0 ← 0x100.*bit 0 paging, bit 1 x86 profile/],
    ["POPF", /strict: #GP if CPL > IOPL/],
    ["RDTSC", /TSC offset/],
    ["HLT", /unmasked in the PIC, priority above CR8/],
    ["INVLPG", /until then an access may use the old translation/],
  ])("states what %s does in the corner cases", (name, statement) => {
    expect(BY_NAME.get(name)!.summary).toMatch(statement);
  });
});

