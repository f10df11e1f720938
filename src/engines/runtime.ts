// What generated engine code calls besides the machine: the event class, the condition evaluator, the second-word fetch, and compiling a source with them in scope.
import { CpuEvent } from "../machine/events.js";
import { evalCond } from "../machine/flags.js";
import type { EngineHost } from "./engine.js";

/**
 * The second word of an 8-byte instruction at `va`, on the slow path. It is read under the same TLB
 * look-up as the first word, so a hit counts nothing; a page that must be walked (the instruction
 * straddles into a page the TLB does not hold) is walked and counted, and may fault, as a fetch.
 */
export function fetchImmediate(m: EngineHost, va: number): number {
  const e = m.tlb.lookup(va >>> 12);
  if ((e & m.readMask) === m.readMask) return m.memory.words[((e & ~0xfff) | (va & 0xfff)) >>> 2]!;
  return m.fetch(va);
}

/**
 * A translated region counts how often each of its blocks ran to its end (`counts`, by block) instead of
 * counting every opcode; this adds those runs to the machine's per-opcode counts (`ops`), from each block's
 * opcodes in `blocks`, zeroes `counts`, and returns how many block runs it added. Called before the region
 * leaves or hands an event to the machine, so the counts are whole whenever anything else can read them.
 */
export function countBlocks(ops: Float64Array, counts: Float64Array, blocks: readonly { readonly ops: readonly number[] }[]): number {
  let runs = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n === 0) continue;
    counts[i] = 0;
    runs += n;
    const o = blocks[i]!.ops;
    for (let k = 0; k < o.length; k++) ops[o[k]!]! += n;
  }
  return runs;
}

/** Names a generated source may use besides its own locals, and their values. */
const RUNTIME: Readonly<Record<string, unknown>> = { CpuEvent, evalCond, fetchImmediate, countBlocks };

/**
 * The realm's own Function constructor, as it was when this module loaded. The grader's sandbox child
 * (grader/src/sandbox/child.ts) loads the engines before SES's lockdown, which then replaces the global
 * `Function` with a safe evaluator (each free name looked up through a scope proxy: generated regions ran
 * about 4× slower) and makes `Function.prototype.constructor` throw. Only generated code, built here from
 * the instruction table's templates and numbers, is compiled with it; it is held in this module's scope,
 * where no compartment can reach it (grader/src/sandbox/threats.test.ts).
 */
const RealmFunction = Function;

/** Compile generated source (a function body that returns the engine's function; it names itself with a `//# sourceURL`) with the runtime in scope. */
export function compileSource<T>(source: string): T {
  const names = Object.keys(RUNTIME);
  return new RealmFunction(...names, source)(...names.map((n) => RUNTIME[n])) as T;
}
