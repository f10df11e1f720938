// The binary-translating engine: interprets cold code, translates the pages where code runs often into regions (translate.ts), caches them by physical frame and virtual page, and drops them when their code is written.
//
// The dispatcher runs in JavaScript between regions. At the machine's PC it looks the page up in the
// TLB's fast view with the current ring's rights (a miss, a misaligned PC or a wrong right: the
// interpreter runs one instruction, taking the slow path the architecture defines). On a hit the
// physical frame and the virtual page name the region (a direct-mapped look-up cache by PC, fast-view
// entry and mode answers first: every indirect branch or return that leaves a region comes back through
// here); if the region has a block at the PC it runs,
// otherwise the entry's heat goes up, and at HOT the region is (re)built with every block reachable
// inside the page from its entries. Cold code runs on the interpreter one basic block at a time. Keying
// by the physical frame and the virtual page makes CR3 loads and INVLPG need nothing of the translator:
// the TLB they change is what the dispatcher and the regions consult on every entry.
//
// Self-modifying code and code loading: the frames of translated code are guarded in the TLB (their fast
// view entries lack DIRTY, so every store to them takes the machine's slow path) and the memory's write
// watch sees those stores, DMA and loads; a write to a translated word drops the frame's regions and
// empties the fast-view slots that map the frame, which a running region notices at its next check.
import { BY_OPCODE, type Profile } from "../isa/table.js";
import type { Stop } from "../machine/events.js";
import { TLB_FAST_SLOTS, TLB_FAST_TAG } from "../machine/tlb.js";
import type { Engine, EngineHost } from "./engine.js";
import { interpreter } from "./interpreter.js";
import { compileSource } from "./runtime.js";
import { CODE_LINE_SHIFT, decodeBlock, regionSource, type Block, type BlockFixup, type RegionSource, type Rewrite } from "./translate.js";

/**
 * What a region function is given besides the machine (code: which lines of memory hold translated code),
 * and writes back besides the machine's state (left: the budget left; chained: blocks run; stall: the
 * length of the block it stopped before because the block did not fit before the deadline or the
 * budget's end, else 0).
 */
interface RegionOut {
  left: number;
  chained: number;
  stall: number;
  code: Uint8Array;
}
type RegionFn = (m: EngineHost, maxSteps: number, out: RegionOut) => Stop | undefined;

/** A region: blocks of one page reachable from a hot entry (bounded in size), and the compiled function. */
export interface Region {
  readonly frame: number;
  readonly vpn: number;
  /** Word offset of the entry it was built from. */
  readonly entry: number;
  /** Blocks by word offset in the page. */
  readonly blocks: ReadonlyMap<number, Block>;
  readonly source: string;
  readonly fn: RegionFn;
}

/** The translations of one page at one virtual page: which region runs a block starting at each word offset, and offsets inside blocks. */
interface PageTranslations {
  readonly entries: Map<number, Region>;
  /** Word offsets inside a translated block (not a block's start), with the instructions from there to the block's end. */
  readonly inside: Map<number, number>;
  readonly regions: Region[];
}

/** A region holds at most this many blocks and instructions (a bigger function costs V8 more to optimise than it saves). */
export const MAX_REGION_BLOCKS = 24;
export const MAX_REGION_INSTRUCTIONS = 192;

/** Translation statistics of one machine (engine-specific: they are not architectural counters). */
export interface TranslationStats {
  /** Regions compiled (a region rebuilt with new entries counts again). */
  compiles: number;
  /** Regions alive now. */
  regions: number;
  /** Blocks and guest instructions translated (over all compiles). */
  blocks: number;
  instructions: number;
  /** Characters of generated JavaScript (over all compiles). */
  bytes: number;
  /** Region entries from the dispatcher, and block-to-block transfers that stayed inside a region. */
  entries: number;
  chained: number;
  /** Dispatches to code without a translation (interpreted), and PCs the TLB's fast view did not hold. */
  misses: number;
  tlbMisses: number;
  /**
   * The dispatcher's look-ups of the region at a PC (after every exit from a region or the interpreter, so
   * every indirect branch and return that leaves a region): answered by the look-up cache (a region, or a
   * place inside a translated block), or by the translation maps (which then fill the cache; a PC with no
   * translation counts here too).
   */
  lookupHits: number;
  lookupMisses: number;
  /** Regions dropped because their code was written. */
  invalidations: number;
  /** Guest instructions retired in regions and on the interpreter. */
  translatedInstructions: number;
  interpretedInstructions: number;
}

function emptyStats(): TranslationStats {
  return {
    compiles: 0, regions: 0, blocks: 0, instructions: 0, bytes: 0, entries: 0, chained: 0, misses: 0, tlbMisses: 0, lookupHits: 0, lookupMisses: 0, invalidations: 0,
    translatedInstructions: 0, interpretedInstructions: 0,
  };
}

/**
 * A region's translation before it is given to a machine: its blocks, its source and its compiled function.
 * The function keeps nothing of a machine between calls (its block counts are emptied before it returns or
 * hands an event to the machine), so every machine running the same translation calls the same function,
 * and V8 optimises it once.
 */
interface Built {
  readonly blocks: ReadonlyMap<number, Block>;
  readonly src: RegionSource;
  readonly fn: RegionFn;
}

function equalWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}

/** One machine's translations. */
interface MachineTranslations {
  /** Translations by frame, then by virtual page. */
  readonly frames: Map<number, Map<number, PageTranslations>>;
  /** Per frame, which of its words hold translated instructions (a write elsewhere in the frame drops nothing). */
  readonly code: Map<number, Uint8Array>;
  /** The same, coarser and flat: 1 for each line of physical memory (CODE_LINE_SHIFT) holding translated words, for the regions' inline stores. */
  readonly lines: Uint8Array;
  /** Every line marked: what regions get while another write watch shares the memory (their stores must all reach the watches). */
  allLines: Uint8Array | undefined;
  /** The write watch this engine installed, and whether it calls one installed before it. */
  readonly watch: (pa: number, length: number) => void;
  readonly chainsWatch: boolean;
  /** Dispatch counts of untranslated entries, by region key and word offset. */
  readonly heat: Map<number, number>;
  /** The look-up cache (see LOOKUP_SLOTS). */
  readonly lookup: LookupCache;
  readonly stats: TranslationStats;
  readonly out: RegionOut;
}

export interface DbtOptions {
  /** Name in the engine registry (default "dbt"). */
  readonly name?: string;
  readonly description?: string;
  /** Dispatches of an entry before its page is translated (default 2: the second visit translates). */
  readonly hot?: number;
  /** Blocks and instructions a region holds at most (default MAX_REGION_BLOCKS, MAX_REGION_INSTRUCTIONS). */
  readonly maxBlocks?: number;
  readonly maxInstructions?: number;
  /**
   * Rewrite instructions as they are translated (the BT monitor's callouts). With a rewrite, no instruction
   * it rewrites ever runs on the interpreter: cold code is interpreted only up to the first such
   * instruction, which is translated at once, and a PC the TLB's fast view lacks is fetched through the
   * machine first (one extra TLB look-up, so such a machine's TLB counters are not the bare machine's).
   */
  readonly rewrite?: (m: EngineHost) => Rewrite | undefined;
  /** The mode a translation assumes, as a small integer (0..7) that joins the region key (the BT monitor's virtual CPL). */
  readonly mode?: (m: EngineHost) => number;
}

/** The binary-translating engine, with access to its translations for notebooks and tests. */
export interface DbtEngine extends Engine {
  /** The machine's translation statistics (zeros for a machine it never ran). */
  stats(m: EngineHost): TranslationStats;
  /** The machine's live regions. */
  regions(m: EngineHost): Region[];
  /** Drop every translation of a machine (after the caller changed memory behind the memory's methods). */
  flush(m: EngineHost): void;
}

/**
 * The dispatcher's look-up cache: direct-mapped by the PC's word, each slot naming the region that runs a
 * block at `pc` under the fast-view entry `te` (which holds the frame) in `mode`, or else how many
 * instructions there are from `pc` to the end of the translated block it lies inside (where an interrupt
 * returns to). Emptied whenever a region is dropped or made; a region once entered for a block keeps it
 * while it lives, so a filled slot stays true.
 */
interface LookupCache {
  readonly pc: Int32Array;
  readonly te: Int32Array;
  readonly mode: Uint8Array;
  readonly region: (Region | undefined)[];
  readonly inside: Int32Array;
}
export const LOOKUP_SLOTS = 1024;

const emptyLookup = (): LookupCache => ({ pc: new Int32Array(LOOKUP_SLOTS), te: new Int32Array(LOOKUP_SLOTS), mode: new Uint8Array(LOOKUP_SLOTS), region: new Array<Region | undefined>(LOOKUP_SLOTS).fill(undefined), inside: new Int32Array(LOOKUP_SLOTS) });

const emptyLookupSlots = (lookup: LookupCache) => {
  lookup.region.fill(undefined);
  lookup.inside.fill(0);
};

/** Region key: virtual page and frame. */
const regionKey = (vpn: number, frame: number) => vpn * 2 ** 18 + frame;

/** Instructions from word `off` of a page up to and including the first that ends a block (at most the page's end), for interpreting cold code a block at a time. */
function coldBlockLength(page: Int32Array, off: number): number {
  let n = 0;
  for (let i = off; i < 1024; n++) {
    const spec = BY_OPCODE[page[i]! >>> 24];
    if (!spec || spec.endsBlock || spec.branch) return n + 1;
    i += spec.size >>> 2;
  }
  return Math.max(1, n);
}

/** A binary-translating engine (each machine it runs keeps its own translations). */
export function createDbt(options: DbtOptions = {}): DbtEngine {
  const hot = options.hot ?? 2;
  const maxBlocks = options.maxBlocks ?? MAX_REGION_BLOCKS;
  const maxInstructions = options.maxInstructions ?? MAX_REGION_INSTRUCTIONS;
  const modeOf = options.mode ?? (() => 0);
  /** Pages are kept per virtual page and mode. */
  const pageKey = (vpn: number, mode: number) => vpn * 8 + mode;
  /** How many of the `n` instructions from word `off` of a page run unchanged (before the first the rewrite changes). */
  const unchanged = (rewrite: Rewrite, page: Int32Array, vpn: number, off: number, n: number): number => {
    for (let i = 0, o = off; i < n && o < 1024; i++) {
      const spec = BY_OPCODE[page[o]! >>> 24];
      if (!spec) return i;
      const fields = { pc: ((vpn << 12) | (o << 2)) >>> 0, a: (page[o]! >>> 20) & 15, b: (page[o]! >>> 16) & 15, c: (page[o]! >>> 12) & 15, imm: 0 };
      if (rewrite(spec, fields)) return i;
      o += spec.size >>> 2;
    }
    return n;
  };
  const machines = new WeakMap<EngineHost, MachineTranslations>();
  /** Compiled region functions, by source and fixups. */
  const compiled = new Map<string, RegionFn>();

  const drop = (m: EngineHost, t: MachineTranslations, frame: number) => {
    const pages = t.frames.get(frame);
    if (!pages) return;
    t.frames.delete(frame);
    t.code.delete(frame);
    t.lines.fill(0, (frame << 12) >>> CODE_LINE_SHIFT, ((frame + 1) << 12) >>> CODE_LINE_SHIFT);
    let n = 0;
    for (const p of pages.values()) n += p.regions.length;
    t.stats.regions -= n;
    t.stats.invalidations += n;
    emptyLookupSlots(t.lookup);
    m.tlb.unguardFrame(frame);
  };

  const stateOf = (m: EngineHost): MachineTranslations => {
    let t = machines.get(m);
    if (t) return t;
    const previous = m.memory.watch;
    const lines = new Uint8Array(Math.ceil(m.memory.bytes.length / (1 << CODE_LINE_SHIFT)));
    const watch = (pa: number, length: number) => {
      previous?.(pa, length);
      for (let f = pa >>> 12, last = (pa + length - 1) >>> 12; f <= last; f++) {
        const words = fresh.code.get(f);
        if (!words) continue;
        const from = f === pa >>> 12 ? (pa & 0xfff) >>> 2 : 0;
        const to = f === last ? ((pa + length - 1) & 0xfff) >>> 2 : 1023;
        for (let w = from; w <= to; w++) {
          if (words[w]) {
            drop(m, fresh, f);
            break;
          }
        }
      }
    };
    const fresh: MachineTranslations = {
      frames: new Map(), code: new Map(), lines, allLines: undefined, watch, chainsWatch: previous !== undefined, heat: new Map(), lookup: emptyLookup(), stats: emptyStats(), out: { left: 0, chained: 0, stall: 0, code: lines },
    };
    machines.set(m, fresh);
    m.memory.watch = watch;
    return fresh;
  };

  /**
   * Translations made without a rewrite, by profile, virtual page and entry, each with a copy of the page
   * it was decoded from: what they hold is a function of those alone, so a machine running the same code
   * at the same place (every run of a benchmark, every case of a suite) reuses the decoding, the generated
   * source and V8's compiled code instead of generating them again.
   */
  const made = new Map<string, { readonly page: Int32Array; readonly built: Built }[]>();
  let madeCount = 0;
  const buildCached = (profile: Profile, page: Int32Array, vpn: number, off: number): Built | undefined => {
    const key = `${profile}:${vpn}:${off}`;
    const list = made.get(key);
    const hit = list?.find((b) => equalWords(b.page, page));
    if (hit) return hit.built;
    const built = build(profile, page, vpn, off, undefined);
    if (!built) return undefined;
    if (madeCount >= 512) {
      made.clear();
      madeCount = 0;
    }
    made.set(key, [...(made.get(key) ?? []), { page: page.slice(), built }]);
    madeCount++;
    return built;
  };

  /** Decode the blocks reachable from word `off` of a page and compile them into a region (undefined: nothing there translates). */
  const build = (profile: Profile, page: Int32Array, vpn: number, off: number, rewrite: Rewrite | undefined): Built | undefined => {
    const blocks = new Map<number, Block>();
    const work = [((vpn << 12) | (off << 2)) >>> 0];
    let instructions = 0;
    // Breadth first from the entry: the blocks nearest to it (a loop's body) come first.
    for (let i = 0; i < work.length && blocks.size < maxBlocks && instructions < maxInstructions; i++) {
      const va = work[i]!;
      const o = (va & 0xfff) >>> 2;
      if (blocks.has(o)) continue;
      const b = decodeBlock(page, va, rewrite);
      if (b.instructions.length === 0) continue;
      blocks.set(o, b);
      instructions += b.instructions.length;
      work.push(...b.successors);
    }
    if (blocks.size === 0) return undefined;
    const src = regionSource(profile, vpn, [...blocks.values()]);
    const key = `${src.source}\n${JSON.stringify(src.fixups)}`;
    let fn = compiled.get(key);
    if (!fn) {
      fn = compileSource<(fix: readonly BlockFixup[]) => RegionFn>(src.source)(src.fixups);
      compiled.set(key, fn);
      if (compiled.size > 512) compiled.delete(compiled.keys().next().value!);
    }
    return { blocks, src, fn };
  };

  /** Build a region of page `vpn` at `frame` from the entry at word `off`; false when nothing there can be translated. */
  const translate = (m: EngineHost, t: MachineTranslations, frame: number, vpn: number, off: number): boolean => {
    if ((frame + 1) * 1024 > m.memory.words.length) return false;
    const page = m.memory.words.subarray(frame * 1024, frame * 1024 + 1024);
    const rewrite = options.rewrite?.(m);
    const built = rewrite ? build(m.profile, page, vpn, off, rewrite) : buildCached(m.profile, page, vpn, off);
    if (!built) return false;
    const { blocks, src, fn } = built;
    const list = [...blocks.values()];
    const region: Region = { frame, vpn, entry: off, blocks, source: src.source, fn };
    let pages = t.frames.get(frame);
    if (!pages) t.frames.set(frame, (pages = new Map()));
    let p = pages.get(pageKey(vpn, modeOf(m) & 7));
    if (!p) pages.set(pageKey(vpn, modeOf(m) & 7), (p = { entries: new Map(), inside: new Map(), regions: [] }));
    const pt = p;
    p.regions.push(region);
    let words = t.code.get(frame);
    if (!words) t.code.set(frame, (words = new Uint8Array(1024)));
    const codeWords = words;
    for (const [o, b] of blocks) {
      if (!pt.entries.has(o)) pt.entries.set(o, region);
      b.instructions.forEach((inst, k) => {
        const io = (inst.fields.pc & 0xfff) >>> 2;
        if (k > 0 && !pt.inside.has(io)) pt.inside.set(io, b.instructions.length - k);
        for (let w = 0; w < inst.spec.size >>> 2; w++) {
          codeWords[io + w] = 1;
          t.lines[((frame << 12) | ((io + w) << 2)) >>> CODE_LINE_SHIFT] = 1;
        }
      });
    }
    m.tlb.guardFrame(frame);
    // A cached PC inside a block may be a block's start now.
    emptyLookupSlots(t.lookup);
    t.stats.regions++;
    t.stats.compiles++;
    t.stats.blocks += list.length;
    t.stats.instructions += src.instructions;
    t.stats.bytes += src.source.length;
    return true;
  };

  return {
    name: options.name ?? "dbt",
    description: options.description ?? "a binary translator: hot pages compiled to JavaScript regions from the table's templates, registers in locals, blocks chained inside a page",
    stats: (m) => ({ ...(machines.get(m)?.stats ?? emptyStats()) }),
    regions: (m) => [...(machines.get(m)?.frames.values() ?? [])].flatMap((pages) => [...pages.values()].flatMap((p) => p.regions)),
    flush(m) {
      const t = machines.get(m);
      if (t) for (const frame of [...t.frames.keys()]) drop(m, t, frame);
    },
    run(m: EngineHost, maxSteps: number): Stop {
      const t = stateOf(m);
      const { stats, out, lookup } = t;
      const fast = m.tlb.fast;
      const rewrite = options.rewrite?.(m);
      let left = maxSteps;
      for (;;) {
        if (left <= 0) return { kind: "budget", pc: m.pc };
        if (m.time >= m.checkAt) {
          // The instruction boundary's protocol, as every engine runs it.
          const s = m.boundary();
          if (s !== undefined) return s;
          continue;
        }
        const pc = m.pc >>> 0;
        const rm = m.readMask;
        const te = fast[(pc >>> 12) & (TLB_FAST_SLOTS - 1)]!;
        let n = 1;
        if ((te & (rm | TLB_FAST_TAG)) === (((pc >>> 20) & TLB_FAST_TAG) | rm) && (pc & 3) === 0) {
          const frame = te >>> 12, vpn = pc >>> 12, off = (pc & 0xfff) >>> 2;
          const slot = (pc >>> 2) & (LOOKUP_SLOTS - 1), mode = modeOf(m) & 7;
          let region = lookup.region[slot];
          let inside = lookup.inside[slot]!;
          let page: PageTranslations | undefined;
          if ((region !== undefined || inside > 0) && lookup.pc[slot] === (pc | 0) && lookup.te[slot] === te && lookup.mode[slot] === mode) stats.lookupHits++;
          else {
            stats.lookupMisses++;
            page = t.frames.get(frame)?.get(pageKey(vpn, mode));
            region = page?.entries.get(off);
            inside = region ? 0 : (page?.inside.get(off) ?? 0);
            if (region || inside > 0) {
              lookup.region[slot] = region;
              lookup.inside[slot] = inside;
              lookup.pc[slot] = pc;
              lookup.te[slot] = te;
              lookup.mode[slot] = mode;
            }
          }
          if (region) {
            const before = left;
            out.left = left;
            out.chained = 0;
            // Inline stores skip the write watch, so only while this engine's watch is the memory's only one.
            out.code = m.memory.watch === t.watch && !t.chainsWatch ? t.lines : (t.allLines ??= new Uint8Array(t.lines.length).fill(1));
            const stop = region.fn(m, left, out);
            stats.entries++;
            stats.chained += out.chained;
            stats.translatedInstructions += before - out.left;
            left = out.left;
            if (stop !== undefined) return stop;
            if (out.stall > 0 && !rewrite && left > 0 && m.time < m.checkAt) {
              // It stopped before a block that does not fit before the deadline: interpret up to the deadline
              // (dispatching again would find the same block and make no progress), where the boundary comes
              // next, and the code it leads to (an interrupt handler) runs translated from its start.
              n = Math.min(out.stall, m.checkAt - m.time);
            } else if (left !== before || m.pc >>> 0 !== pc) continue;
            // No progress: the first block does not fit before the deadline or the budget's end; interpret across it.
            else n = region.blocks.get(off)!.instructions.length;
          } else if (inside > 0) {
            // Inside a translated block (an interrupt returned here): interpret to the block's end, where translated code resumes.
            n = inside;
          } else {
            const key = regionKey(vpn, frame) * 1024 + off;
            const heat = (t.heat.get(key) ?? 0) + 1;
            t.heat.set(key, heat);
            if (heat >= hot && translate(m, t, frame, vpn, off)) continue;
            stats.misses++;
            if ((frame + 1) * 1024 <= m.memory.words.length) n = coldBlockLength(m.memory.words.subarray(frame * 1024, frame * 1024 + 1024), off);
          }
          if (rewrite && (frame + 1) * 1024 <= m.memory.words.length) {
            // Nothing the rewrite changes may run on the interpreter: stop before it, or translate it now.
            const k = unchanged(rewrite, m.memory.words.subarray(frame * 1024, frame * 1024 + 1024), vpn, off, n);
            if (k === 0) {
              if (translate(m, t, frame, vpn, off)) continue;
            } else n = k;
          }
        } else {
          stats.tlbMisses++;
          if (rewrite && (pc & 3) === 0) {
            // Fill the TLB through the machine's fetch, then dispatch again (a fetch that faults is left to the interpreter, which faults alike).
            try {
              m.fetch(pc);
              const e = fast[(pc >>> 12) & (TLB_FAST_SLOTS - 1)]!;
              if ((e & (rm | TLB_FAST_TAG)) === (((pc >>> 20) & TLB_FAST_TAG) | rm)) continue;
            } catch {
              // the interpreter's fetch raises the same fault
            }
          }
        }
        n = Math.min(n, left);
        const stop = interpreter.run(m, n);
        if (stop.kind !== "budget") {
          stats.interpretedInstructions += n; // at most n; the exact count is not architectural
          return stop;
        }
        stats.interpretedInstructions += n;
        left -= n;
      }
    },
  };
}

/** The binary translator with the default settings, as the engine registry lists it. */
export const dbt: DbtEngine = createDbt();

/** A region's place, for listings: its frame and the virtual page it runs at. */
export function regionName(r: Region): string {
  return `frame 0x${r.frame.toString(16)} at 0x${((r.vpn << 12) >>> 0).toString(16).padStart(8, "0")}`;
}
