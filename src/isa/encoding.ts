// Encoder and decoder for instruction words, derived from the instruction table's operand kinds.
import { BY_OPCODE, type InstructionSpec, type OperandKind } from "./table.js";

/** A decoded instruction: the table row plus its field values. */
export interface Decoded {
  readonly spec: InstructionSpec;
  /** Register fields (0 when unused). */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** The immediate as the semantics see it: sign-extended i16/i32, zero-extended u16, 0 when absent. */
  readonly imm: number;
}

/** Operand values for encoding, by kind; registers by field. */
export interface Fields {
  a?: number;
  b?: number;
  c?: number;
  imm?: number;
}

/** Which field an operand kind fills. */
export function fieldOf(kind: OperandKind): keyof Fields {
  switch (kind) {
    case "a": return "a";
    case "b": return "b";
    case "c": return "c";
    case "cr": return "b";
    case "mem": return "imm"; // displacement; the base register goes to b
    case "cs": return "imm"; // no field: the literal is implied by the form
    default: return "imm";
  }
}

/** Does this form carry a 16-bit immediate in word 0 (signed or unsigned)? */
export function imm16Kind(spec: InstructionSpec): "i16" | "u16" | undefined {
  if (spec.operands.includes("u16")) return "u16";
  if (spec.operands.includes("i16") || spec.operands.includes("mem")) return "i16";
  return undefined;
}

/** Encode one instruction to its words (1 or 2). Field ranges are the caller's to check (the assembler does). */
export function encode(spec: InstructionSpec, f: Fields): number[] {
  let w = (spec.op << 24) | ((f.a ?? 0) & 15) << 20 | ((f.b ?? 0) & 15) << 16;
  const k16 = imm16Kind(spec);
  if (k16) w |= (f.imm ?? 0) & 0xffff;
  else if (spec.operands.includes("c")) w |= ((f.c ?? 0) & 15) << 12;
  if (spec.size === 8) return [w >>> 0, (f.imm ?? 0) >>> 0];
  return [w >>> 0];
}

/** Decode the instruction whose first word is `w0` (and second word `w1` when the form has one); undefined for an unassigned opcode. */
export function decode(w0: number, w1 = 0): Decoded | undefined {
  const spec = BY_OPCODE[w0 >>> 24];
  if (!spec) return undefined;
  const a = (w0 >>> 20) & 15;
  const b = (w0 >>> 16) & 15;
  const k16 = imm16Kind(spec);
  const c = !k16 && spec.operands.includes("c") ? (w0 >>> 12) & 15 : 0;
  let imm = 0;
  if (spec.size === 8) imm = w1 | 0;
  else if (k16 === "i16") imm = (w0 << 16) >> 16;
  else if (k16 === "u16") imm = w0 & 0xffff;
  return { spec, a, b, c, imm };
}

/** Is this 32-bit word the start of a valid instruction whose unused bits are zero (so it re-encodes identically)? */
export function isCanonical(w0: number, w1 = 0): boolean {
  const d = decode(w0, w1);
  if (!d) return false;
  const again = encode(d.spec, { a: d.a, b: d.b, c: d.c, imm: d.imm });
  return again[0] === w0 >>> 0 && (d.spec.size === 4 || again[1] === w1 >>> 0);
}
