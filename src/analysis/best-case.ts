// The best case for a translator of vmlab's design, for three of the bench kernels: their guests' loops translated by hand, as `vmlab bench` reports beside the binary translator.
//
// Each function is what engines/dbt.ts would emit for the guest's loops if it knew all a compiler knows:
// the guest's registers in locals, its loops as JavaScript loops, no lazy flags, no interrupts, no
// dispatcher. What is left is what the machine asks of any translation of this design: every guest
// memory access goes through the TLB's fast view (one slot read, a tag and rights check, the frame's
// offset), the retired-instruction budget is checked before each of the guest's blocks, and each block
// counts its runs. Against the kernels' JavaScript versions (bench.ts), these are the floor under the
// translator's `dbt_vs_native`: a translation that keeps the guest's memory behind its TLB cannot run
// faster than this on the machine measured.
import { TLB_FAST_SLOTS, TLB_FAST_TAG } from "../machine/tlb.js";

/** Where the kernels' data lives: virtual pages from DATA_VA, mapped to frames from DATA_PA. */
const DATA_VA = 0x0040_0000;
const DATA_PA = 0x0001_0000;
const DATA_PAGES = 4;
const READ = 1, WRITE = 2;

/**
 * Guest memory, the TLB's fast view of the data pages, the budget and the block counts: one set for the
 * module, so the accesses below are the same functions on every run (V8 inlines them into the loops, and a
 * closure made per run would be a new call target each time).
 */
const bytes = new Uint8Array(1 << 18);
const words = new Int32Array(bytes.buffer);
const fast = new Int32Array(TLB_FAST_SLOTS);
for (let p = 0; p < DATA_PAGES; p++) {
  const va = DATA_VA + p * 4096;
  fast[(va >>> 12) & (TLB_FAST_SLOTS - 1)] = (DATA_PA + p * 4096) | ((va >>> 20) & TLB_FAST_TAG) | READ | WRITE;
}
const runs = new Float64Array(8);
let left = 0, hits = 0;

/** A fresh guest: memory zeroed, a budget no kernel reaches. */
function reset(): void {
  bytes.fill(0);
  runs.fill(0);
  left = 2 ** 30; // more than any kernel runs, and a small integer (a larger number would be boxed at every update)
  hits = 0;
}

/** What a translation does when the fast view refuses an access or the budget runs out: leave (here, never). */
function leave(): never {
  throw new RangeError("the best case left its loops");
}

/** The budget check before a block of `n` instructions. */
function take(n: number): void {
  if (left - n < 0) leave();
  left -= n;
}

/** The fast-view entry's frame for `va` with `rights`. */
function frame(va: number, rights: number): number {
  const te = fast[(va >>> 12) & (TLB_FAST_SLOTS - 1)]!;
  if ((te & (rights | TLB_FAST_TAG)) !== (((va >>> 20) & TLB_FAST_TAG) | rights)) leave();
  hits++;
  return te & ~0xfff;
}
const rd8 = (va: number): number => bytes[frame(va, READ) | (va & 0xfff)]!;
const wr8 = (va: number, v: number): void => void (bytes[frame(va, WRITE) | (va & 0xfff)] = v);
const rd32 = (va: number): number => ((va & 3) !== 0 ? leave() : words[(frame(va, READ) | (va & 0xfff)) >>> 2]!);
const wr32 = (va: number, v: number): void => void ((va & 3) !== 0 ? leave() : (words[(frame(va, WRITE) | (va & 0xfff)) >>> 2] = v));

/** guests/programs/primes.s, block by block: clear, then cross out the multiples of each p with p² < N, then count. */
export function primesBestCase({ REPS = 1, N = 2000 }: Readonly<Record<string, number>>): string[] {
  reset();
  const sieve = DATA_VA;
  let count = 0, largest = 0;
  for (let rep = 0; rep < REPS; rep++) {
    take(11); // the clear's and the crossing-out's three movs each, the count's three, .rep's sub and jnz
    for (let r8 = sieve; r8 < sieve + N; r8++) {
      take(4); // stb, add, cmp, jb
      wr8(r8, 0);
      runs[0]++;
    }
    for (let p = 2; ; p++) {
      take(3); // mul, cmp, jge
      runs[1]++;
      if (Math.imul(p, p) >= N) break;
      take(4); // add, ldb, cmp, jnz
      runs[2]++;
      if (rd8(sieve + p) === 0) {
        for (let k = Math.imul(p, p); k < N; k += p) {
          take(5); // add, stb, add, cmp, jl
          wr8(sieve + k, 1);
          runs[3]++;
        }
      }
      take(2); // add, jmp
    }
    count = 0;
    largest = 0;
    for (let n = 2; n < N; n++) {
      take(6); // cmp, jge, add, ldb, cmp, jnz
      runs[4]++;
      if (rd8(sieve + n) === 0) {
        take(2); // add, mov
        count++;
        largest = n;
      }
      take(2); // add, jmp
    }
  }
  return [String(count), String(largest)];
}

/** guests/programs/sort.s, block by block: generate N numbers with the LCG, then insertion-sort them. */
export function sortBestCase({ REPS = 1, N = 50, SEED = 1974 }: Readonly<Record<string, number>>): string[] {
  reset();
  const numbers = DATA_VA;
  for (let rep = 0; rep < REPS; rep++) {
    take(8); // the generator's five movs, the sort's one, .sorted's sub and jnz
    let s = SEED | 0;
    for (let i = 0; i < N; i++) {
      take(9); // mul, add, shr, remu, st, add, add, cmp, jl
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      wr32(numbers + 4 * i, ((s >>> 16) % 1000) | 0);
      runs[0]++;
    }
    for (let i = 1; i < N; i++) {
      take(6); // cmp, jge, shl, mov, add, ld
      runs[1]++;
      let at = numbers + 4 * i;
      const key = rd32(at);
      for (;;) {
        take(3); // mov, cmp, jbe
        runs[2]++;
        if (at <= numbers) break;
        take(3); // ld, cmp, jle
        const v = rd32(at - 4);
        if (v <= key) break;
        take(3); // st, sub, jmp
        wr32(at, v);
        at -= 4;
      }
      take(3); // st, add, jmp
      wr32(at, key);
      runs[3]++;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < N; i++) out.push(rd32(numbers + 4 * i));
  return [out.join(" ")];
}

/** guests/programs/matmul.s, block by block: fill A and B, then C = A × B REPS times; C's first row, trace and sum. */
export function matmulBestCase({ REPS = 1, N = 8 }: Readonly<Record<string, number>>): string[] {
  reset();
  const A = DATA_VA, B = DATA_VA + 4 * N * N, C = DATA_VA + 8 * N * N;
  for (let i = 0; i < N; i++) {
    take(7); // .gen_row's cmp, jge, mov; .gen_col's last cmp, jge; .gen_next_row's add, jmp
    for (let j = 0; j < N; j++) {
      take(25); // .gen_col's 25 instructions per element
      wr32(A + 4 * (i * N + j), ((i * 7 + j * 3) % 11) - 5);
      wr32(B + 4 * (i * N + j), ((i * 5 + j * 2) % 13) - 6);
      runs[0]++;
    }
  }
  for (let rep = 0; rep < REPS; rep++) {
    take(3); // mov r13, .rep's sub and jnz
    for (let i = 0; i < N; i++) {
      take(7); // .row's cmp, jge, mov; .col's last cmp, jge; .next_row's add, jmp
      for (let j = 0; j < N; j++) {
        take(12); // .col's cmp, jge, and the ten that set up the row, column, stride and sum
        runs[1]++;
        let a = A + 4 * i * N, bj = B + 4 * j, dot = 0;
        for (let k = 0; k < N; k++) {
          take(10); // cmp, jge, ld, ld, mul, add, add, add, add, jmp
          dot = (dot + Math.imul(rd32(a), rd32(bj))) | 0;
          a += 4;
          bj += 4 * N;
          runs[2]++;
        }
        take(10); // .dot's last cmp, jge, and .dot_done's eight (the store of C[i][j], the column's step)
        wr32(C + 4 * (i * N + j), dot);
        runs[3]++;
      }
    }
  }
  let trace = 0, sum = 0;
  const row: number[] = [];
  for (let j = 0; j < N; j++) row.push(rd32(C + 4 * j));
  for (let i = 0; i < N; i++) trace += rd32(C + 4 * (i * N + i));
  for (let i = 0; i < N * N; i++) sum += rd32(C + 4 * i);
  return [row.join(" "), String(trace), String(sum)];
}
