// Reference models of the bundled user programs: what each must print, computed in TypeScript from its inputs.
//
// A model reads the program's inputs (its constants and strings, from the assembled image) and computes
// the console text the program must produce, without running the emulator. `buildGuest` attaches the
// result as `expectedConsole`; the tests compare the emulator's output against it.
import type { Program } from "../isa/assembler.js";
import { vectorName } from "../isa/arch.js";

/** What a model may read from an assembled program. */
export interface GuestProgramView {
  /** The value of a constant or label (throws when the program lacks it). */
  sym(name: string): number;
  /** The bytes of a NUL-terminated string at a label, without the NUL. */
  bytes(label: string): Uint8Array;
  /** The same, as text (Latin-1: one character per byte). */
  text(label: string): string;
}

/** The run's conditions a model may depend on. */
export interface GuestModelContext {
  readonly timerPeriod: number;
}

/** A model's answer: the console text and the exit code the program powers off with. */
export interface GuestExpectation {
  readonly console: string;
  readonly exitCode: number;
}

export type GuestModel = (p: GuestProgramView, ctx: GuestModelContext) => GuestExpectation;

/** A view of an assembled program for the models. */
export function programView(program: Program): GuestProgramView {
  const { base, bytes: image } = program.image();
  const sym = (name: string): number => {
    const v = program.symbols.get(name);
    if (v === undefined) throw new Error(`the program has no symbol '${name}'`);
    return v;
  };
  const bytes = (label: string): Uint8Array => {
    const start = sym(label) - base;
    let end = start;
    while (end < image.length && image[end] !== 0) end++;
    return image.slice(start, end);
  };
  return { sym, bytes, text: (label) => String.fromCharCode(...bytes(label)) };
}

const hex = (v: number): string => "0x" + (v >>> 0).toString(16);

/** FNV-1a, 32 bits, over `data` repeated `reps` times. */
export function fnv1a32(data: Uint8Array, reps = 1): number {
  let h = 0x811c9dc5;
  for (let r = 0; r < reps; r++) for (const b of data) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/** Adler-32 over `data` repeated `reps` times. */
export function adler32(data: Uint8Array, reps = 1): number {
  let a = 1;
  let b = 0;
  for (let r = 0; r < reps; r++) {
    for (const x of data) {
      a = (a + x) % 65521;
      b = (b + a) % 65521;
    }
  }
  return ((b << 16) | a) >>> 0;
}

/** The C library's LCG: x ← x·1103515245 + 12345 mod 2³², value (x >>> 16) mod 1000. */
export function lcgValues(seed: number, n: number): number[] {
  let x = seed | 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out.push((x >>> 16) % 1000);
  }
  return out;
}

/** Primes below n by trial division (a different algorithm from the guest's sieve, on purpose). */
export function primesBelow(n: number): number[] {
  const out: number[] = [];
  for (let k = 2; k < n; k++) {
    let prime = true;
    for (const p of out) {
      if (p * p > k) break;
      if (k % p === 0) {
        prime = false;
        break;
      }
    }
    if (prime) out.push(k);
  }
  return out;
}

/** C = A × B with A[i][j] = (7i + 3j) mod 11 − 5, B[i][j] = (5i + 2j) mod 13 − 6 (32-bit arithmetic). */
export function matmulModel(n: number): number[][] {
  const a = (i: number, j: number) => ((7 * i + 3 * j) % 11) - 5;
  const b = (i: number, j: number) => ((5 * i + 2 * j) % 13) - 6;
  const c: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s = (s + Math.imul(a(i, k), b(k, j))) | 0;
      row.push(s);
    }
    c.push(row);
  }
  return c;
}

/** Byte-wise comparison sign, as the guest's strcmp. */
export function compareSign(x: Uint8Array, y: Uint8Array): number {
  for (let i = 0; ; i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p !== q) return p < q ? -1 : 1;
    if (p === 0) return 0;
  }
}

const ok = (console: string): GuestExpectation => ({ console, exitCode: 0 });
const faultLine = (vector: number, pc: number, error: number, addr?: number): string =>
  `user fault: ${vectorName(vector)} pc=${hex(pc)}${addr === undefined ? "" : ` addr=${hex(addr)}`} error=${hex(error)}\n`;

/** The models, by guest name. */
export const GUEST_MODELS: Readonly<Record<string, GuestModel>> = {
  hello: (p) => ok(p.text("greeting")),
  checksum: (p) => {
    const data = p.bytes("text");
    const reps = p.sym("REPS");
    return ok(`fnv1a ${hex(fnv1a32(data, reps))}\nadler32 ${hex(adler32(data, reps))}\n`);
  },
  sort: (p) => {
    const n = p.sym("N");
    const values = lcgValues(p.sym("SEED"), n).sort((x, y) => x - y);
    return ok(`${values.join(" ")}\nsorted ${n}\n`);
  },
  primes: (p) => {
    const n = p.sym("N");
    const primes = primesBelow(n);
    return ok(`primes below ${n}: ${primes.length}, largest ${primes.at(-1) ?? 0}\n`);
  },
  matmul: (p) => {
    const c = matmulModel(p.sym("N"));
    const trace = c.reduce((s, row, i) => (s + row[i]!) | 0, 0);
    const sum = c.flat().reduce((s, v) => (s + v) | 0, 0);
    return ok(`row0 ${c[0]!.join(" ")}\ntrace ${trace}\nsum ${sum}\n`);
  },
  strings: (p) => {
    const text = p.text("text");
    const upper = text.replace(/[a-z]/g, (ch) => ch.toUpperCase());
    const reversed = [...text].reverse().join("");
    const signs = [1, 2, 3].map((k) => compareSign(p.bytes(`cmp_a${k}`), p.bytes(`cmp_b${k}`)));
    return ok(`length ${text.length}\nupper ${upper}\nreverse ${reversed}\ncompare ${signs.join(" ")}\n`);
  },
  sleep: (p, ctx) =>
    ctx.timerPeriod > 0 ? ok(`slept ${p.sym("TICKS")} ticks\n`) : { console: "sleep: the timer is off\n", exitCode: 1 },
  syscalls: (p) => ok(`int 0x80 ${p.sym("REPS")}, syscall ${p.sym("REPS")}\n`),
  "write-kernel": () => ok("write refused: -1 -1\n"),
  "fault-kernel": (p) => ({
    console: "reading kernel memory\n" + faultLine(14, p.sym("touch"), 0b101, p.sym("KERNEL_ADDR")),
    exitCode: 128 + 14,
  }),
  "fault-divide": (p) => ({ console: faultLine(0, p.sym("divide"), 0), exitCode: 128 }),
  "fault-privileged": (p) => ({ console: "trying CLI at CPL 3\n" + faultLine(13, p.sym("privileged"), 0), exitCode: 128 + 13 }),
};
