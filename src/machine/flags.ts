// Lazy flags: the last flag-setting operation and its operands, from which ZF SF CF OF and condition codes are computed on demand.
import { FLAG } from "../isa/arch.js";

/** Lazy-flag operations: the status bits are computed only when something reads them. */
export const F_NONE = 0;
export const F_ADD = 1;
export const F_SUB = 2;
export const F_LOGIC = 3;

/** Status bits (ZF SF CF OF) from lazy-flag state. */
export function statusOf(fop: number, r: number, x: number, y: number, fstat: number): number {
  let s: number;
  switch (fop) {
    case F_NONE: return fstat;
    case F_ADD: s = ((r >>> 0) < (x >>> 0) ? FLAG.CF : 0) | (((x ^ r) & (y ^ r)) < 0 ? FLAG.OF : 0); break;
    case F_SUB: s = ((x >>> 0) < (y >>> 0) ? FLAG.CF : 0) | (((x ^ y) & (x ^ r)) < 0 ? FLAG.OF : 0); break;
    default: s = 0;
  }
  return s | (r === 0 ? FLAG.ZF : 0) | (r < 0 ? FLAG.SF : 0);
}

/** Evaluate condition code `cc` (COND in the table) from lazy-flag state. */
export function evalCond(cc: number, fop: number, r: number, x: number, y: number, fstat: number): boolean {
  if (fop === F_SUB) {
    // Compare-and-branch, the common case, straight from the operands.
    switch (cc) {
      case 0: return x === y;
      case 1: return x !== y;
      case 2: return x < y;
      case 3: return x >= y;
      case 4: return x <= y;
      case 5: return x > y;
      case 6: return x >>> 0 < y >>> 0;
      case 7: return x >>> 0 >= y >>> 0;
      case 8: return x >>> 0 <= y >>> 0;
      case 9: return x >>> 0 > y >>> 0;
    }
  }
  const s = statusOf(fop, r, x, y, fstat);
  const zf = (s & FLAG.ZF) !== 0, sf = (s & FLAG.SF) !== 0, cf = (s & FLAG.CF) !== 0, of = (s & FLAG.OF) !== 0;
  switch (cc) {
    case 0: return zf;
    case 1: return !zf;
    case 2: return sf !== of;
    case 3: return sf === of;
    case 4: return zf || sf !== of;
    case 5: return !zf && sf === of;
    case 6: return cf;
    case 7: return !cf;
    case 8: return cf || zf;
    case 9: return !cf && !zf;
    case 10: return sf;
    default: return !sf;
  }
}
