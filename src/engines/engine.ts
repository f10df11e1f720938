// What an engine is (a named strategy that runs a machine for a budget of instructions) and what it may touch of the machine.
import type { Profile } from "../isa/table.js";
import type { CpuEvent, Stop } from "../machine/events.js";

/**
 * The machine as an engine sees it: architectural state, the TLB's fast view and physical memory for
 * the inline fast paths, the counters the engine keeps, and the protocol methods (fetch, boundary,
 * onEvent). Templates reach the other helpers through `m` by name (see helpers.ts). The Machine class
 * has all of these; engines depend on this shape, not on the class, so machine.ts can import its default
 * engine without an import cycle.
 */
export interface EngineHost {
  readonly profile: Profile;
  /** General registers r0..r15. */
  readonly R: Int32Array;
  pc: number;
  time: number;
  /** Time at which the loop must call boundary(). */
  checkAt: number;
  fop: number;
  fres: number;
  fa: number;
  fb: number;
  fstat: number;
  /** TLB bits a read or fetch / a write needs at the current ring. */
  readonly readMask: number;
  readonly writeMask: number;
  readonly tlb: {
    readonly fast: Int32Array;
    lookup(vpn: number): number;
    /** Withhold DIRTY from a frame's fast-view entries, so stores to it take the slow path (a translator's code frames). */
    guardFrame(frame: number): void;
    unguardFrame(frame: number): void;
    /** Per fast-view slot, a guarded frame's entry as it is without the guard (0 elsewhere; see Tlb.unguarded). */
    readonly unguarded: Int32Array;
  };
  readonly memory: {
    readonly words: Int32Array;
    readonly bytes: Uint8Array;
    /** Told of every write through the memory's methods (the slow path's stores, loads, DMA). */
    watch: ((pa: number, length: number) => void) | undefined;
  };
  readonly counters: { tlbHits: number };
  /** Retired instructions by opcode; engines add to it as they retire them. */
  readonly ops: Float64Array;
  /** The slow-path fetch of an instruction word (alignment, TLB, page walk, faults). */
  fetch(va: number): number;
  fault(vector: number, error?: number): CpuEvent;
  /** At an instruction boundary when time reached checkAt: a Stop ends the run; pc may have changed. */
  boundary(): Stop | undefined;
  /** An instruction at `pc` raised `e`: a Stop ends the run; pc may have changed. */
  onEvent(e: unknown, pc: number): Stop | undefined;
}

/** An engine: runs a machine for at most `maxSteps` instructions (at most 2^31 per call) and says why it stopped. */
export interface Engine {
  /** How the CLI and tests select it (`--engine NAME`). */
  readonly name: string;
  /** One line for listings. */
  readonly description: string;
  run(m: EngineHost, maxSteps: number): Stop;
}

/** The most instructions one call of Engine.run may be asked for (Machine.run splits longer runs). */
export const ENGINE_CHUNK = 2 ** 31;
