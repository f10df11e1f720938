// Disassembler: instruction words back to assembly text that re-assembles to the identical bytes.
//
// A word is shown as an instruction only when the assembler would produce exactly that word from the
// printed text: its opcode is assigned, every bit the form does not use is zero, a control-register
// index has a name and the immediate lies in the range the assembler accepts. Anything else is data
// (`.word 0x...`), and bytes that do not fill a word — before the first word boundary of an unaligned
// origin, or at the end — are `.byte`, since instructions sit on word boundaries.
import { CR_NAMES, SP } from "./arch.js";
import { immediateRange } from "./asm/forms.js";
import { decode, encode, type Decoded, type Fields } from "./encoding.js";
import type { InstructionSpec } from "./table.js";

/** One line of a disassembly. */
export interface DisassembledLine {
  readonly address: number;
  /** Bytes covered by this line (4 or 8 for instructions and `.word`, 1..3 for a leading or trailing `.byte`). */
  readonly size: number;
  /** The instruction or data words (empty for a `.byte` line). */
  readonly words: readonly number[];
  readonly text: string;
  /** Symbols that name this address, printed as labels before the line. */
  readonly labels?: readonly string[];
}

/** Options for `disassemble`. */
export interface DisassembleOptions {
  /** Address of the first byte (default 0). */
  readonly origin?: number;
  /** Names for addresses; branch and call targets that land on a line start print as these names. */
  readonly symbols?: ReadonlyMap<string, number>;
}

/** The assembler's name for a general register: `r0`..`r14`, and `sp` for r15. */
export function registerName(r: number): string {
  return r === SP ? "sp" : `r${r}`;
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, "0");
}

/** The fields a form actually uses, taken from a decoded instruction (everything else left out). */
function usedFields(d: Decoded): Fields {
  const f: Fields = {};
  for (const k of d.spec.operands) {
    if (k === "a" || k === "b" || k === "c") f[k] = d[k];
    else if (k === "cr") f.b = d.b;
    else if (k === "mem") { f.b = d.b; f.imm = d.imm; }
    else if (k === "i16" || k === "u16" || k === "i32") f.imm = d.imm;
  }
  return f;
}

/**
 * Decode `w0` (and `w1` for two-word forms) when the printed text would re-assemble to exactly these
 * words; undefined otherwise. Stricter than `isCanonical` in encoding.ts, which ignores register
 * fields the form does not use.
 */
export function decodeCanonical(w0: number, w1 = 0): Decoded | undefined {
  const d = decode(w0, w1);
  if (!d) return undefined;
  const again = encode(d.spec, usedFields(d));
  if (again[0] !== w0 >>> 0) return undefined;
  if (d.spec.size === 8 && again[1] !== w1 >>> 0) return undefined;
  if (d.spec.operands.includes("cr") && CR_NAMES[d.b] === undefined) return undefined;
  const range = immediateRange(d.spec);
  if (range && d.spec.size === 4 && (d.imm < range.lo || d.imm > range.hi)) return undefined;
  return d;
}

function formatImmediate(spec: InstructionSpec, imm: number): string {
  const kindU16 = spec.operands.includes("u16");
  if (kindU16) return spec.mnemonic === "shl" || spec.mnemonic === "shr" || spec.mnemonic === "sar" ? String(imm) : hex(imm);
  if (spec.operands.includes("i16")) return String(imm);
  return hex(imm);
}

/** Render a decoded instruction; `nameOf` turns a branch target into a label when it knows one. */
export function formatInstruction(d: Decoded, nameOf?: (address: number) => string | undefined): string {
  const ops = d.spec.operands.map((k) => {
    switch (k) {
      case "a": case "b": case "c": return registerName(d[k]);
      case "cr": return CR_NAMES[d.b] ?? `cr${d.b}`;
      case "cs": return "cs";
      case "mem": return d.imm === 0 ? `[${registerName(d.b)}]` : `[${registerName(d.b)} ${d.imm < 0 ? "-" : "+"} ${Math.abs(d.imm)}]`;
      case "i32":
        if (d.spec.branch) return nameOf?.(d.imm >>> 0) ?? hex(d.imm);
        return hex(d.imm);
      case "i16": case "u16": return formatImmediate(d.spec, d.imm);
    }
  });
  return ops.length ? `${d.spec.mnemonic} ${ops.join(", ")}` : d.spec.mnemonic;
}

/** One instruction as text, or `.word 0x...` when the word is not a canonical instruction. */
export function disassembleOne(w0: number, w1 = 0): string {
  const d = decodeCanonical(w0, w1);
  return d ? formatInstruction(d) : `.word ${hex(w0)}`;
}

const LABEL_NAME = /^[A-Za-z_$][A-Za-z0-9_.$]*$/;
const RESERVED = /^(r\d+|sp|cs|cr\d+|ksp|sep)$/i;

/** Disassemble a byte range; every byte is covered by exactly one line. */
export function disassemble(bytes: Uint8Array, options: DisassembleOptions = {}): DisassembledLine[] {
  const origin = options.origin ?? 0;
  const word = (i: number): number => (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
  const raw: { address: number; size: number; words: number[]; d?: Decoded; bytes?: number[] }[] = [];
  // Up to the first word boundary the bytes can only be data: an instruction there would not re-assemble.
  let i = Math.min(bytes.length, (4 - (origin & 3)) & 3);
  if (i > 0) raw.push({ address: origin, size: i, words: [], bytes: [...bytes.subarray(0, i)] });
  while (i + 4 <= bytes.length) {
    const w0 = word(i);
    const first = decode(w0);
    if (first && first.spec.size === 8) {
      const d = i + 8 <= bytes.length ? decodeCanonical(w0, word(i + 4)) : undefined;
      if (d) {
        raw.push({ address: origin + i, size: 8, words: [w0, word(i + 4)], d });
        i += 8;
        continue;
      }
    } else {
      const d = decodeCanonical(w0);
      if (d) {
        raw.push({ address: origin + i, size: 4, words: [w0], d });
        i += 4;
        continue;
      }
    }
    raw.push({ address: origin + i, size: 4, words: [w0] });
    i += 4;
  }
  if (i < bytes.length) raw.push({ address: origin + i, size: bytes.length - i, words: [], bytes: [...bytes.subarray(i)] });

  // Names only for line starts, so that a listing with its labels re-assembles.
  const starts = new Set(raw.map((r) => r.address));
  const names = new Map<number, string[]>();
  for (const [name, address] of options.symbols ?? []) {
    if (!starts.has(address) || !LABEL_NAME.test(name) || RESERVED.test(name)) continue;
    const list = names.get(address) ?? [];
    list.push(name);
    names.set(address, list);
  }
  const nameOf = (address: number): string | undefined => names.get(address)?.[0];

  return raw.map((r) => {
    const text = r.d ? formatInstruction(r.d, nameOf)
      : r.bytes ? `.byte ${r.bytes.map((b) => hex(b)).join(", ")}`
      : `.word ${hex(r.words[0]!)}`;
    const labels = names.get(r.address);
    return { address: r.address, size: r.size, words: r.words, text, ...(labels ? { labels } : {}) };
  });
}

/**
 * A listing: labels on their own lines, each instruction indented with its address and words in a
 * comment. A `.org` opens the listing (and any gap), so the text re-assembles to the same bytes.
 */
export function formatListing(lines: readonly DisassembledLine[]): string {
  const out: string[] = [];
  let expected: number | undefined;
  for (const l of lines) {
    if (l.address !== expected) out.push(`        .org ${hex(l.address)}`);
    for (const name of l.labels ?? []) out.push(`${name}:`);
    const words = l.words.length ? " " + l.words.map(hex8).join(" ") : "";
    out.push(`        ${l.text.padEnd(32)} ; ${hex8(l.address)}:${words}`);
    expected = l.address + l.size;
  }
  return out.length ? out.join("\n") + "\n" : "";
}
