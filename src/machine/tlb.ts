// The TLB: as many translations as the architecture gives it (64 by default), FIFO replacement, found through a small hash table.
//
// The architectural TLB is the FIFO: `capacity` virtual pages in fill order, the oldest evicted when a
// new page arrives and the TLB is full. To find a page's entry without searching the FIFO, every live
// entry also sits in an open-addressing hash table (a power of two of slots, at least 512 and twice the
// capacity) keyed by the virtual page number with Fibonacci hashing and linear probing; an entry is in
// the table exactly when it is in the FIFO.
//
// The interpreter's fast path reads a third, direct-mapped view, `fast`: 4096 words indexed by the low
// 12 bits of the virtual page number, each holding one live entry with the page number's top 8 bits
// folded into the entry's unused bits 4..11 (0 when the slot holds none). One load and one compare
// then both find the entry and check it belongs to this page. Two live pages 16 MiB apart share a
// fast slot; the one not in it is found on the slow path through the hash table (and takes the slot).

/** TLB entry bits (an entry is frame << 12 | bits). */
export const TLB_BIT = { VALID: 1, WRITE: 2, USER: 4, DIRTY: 8 } as const;

/** Slots of the fast view, indexed by `vpn & (TLB_FAST_SLOTS - 1)`; an entry there carries `vpn >>> 12` in bits 4..11. */
export const TLB_FAST_SLOTS = 4096;
/** Bits 4..11 of a fast-view word: the top 8 bits of its virtual page number. */
export const TLB_FAST_TAG = 0xff0;

/** The Fibonacci hashing multiplier (2^32 / φ, as a signed 32-bit integer). */
export const TLB_HASH = -1640531535;

/** The largest TLB a machine may be given. */
export const MAX_TLB_ENTRIES = 1 << 16;

/** Frames a TLB can guard (1 GiB of physical memory, the most a machine has). */
const GUARDED_FRAMES = 1 << 18;

/** An empty hash-table slot (no virtual page number is negative). */
const EMPTY = -1;

export class Tlb {
  /** Entries the TLB holds at most (0: no TLB, every access walks the page tables). */
  readonly capacity: number;
  /** Virtual page number held in each hash-table slot, or -1. */
  readonly tags: Int32Array;
  /** The entry in each slot: frame << 12 | TLB_BIT bits. */
  readonly entries: Int32Array;
  /** A page's home slot is `Math.imul(vpn, TLB_HASH) >>> shift`. */
  readonly shift: number;
  /** The interpreter's direct-mapped view (see the header): entry | (vpn >>> 12) << 4 at `vpn & 4095`, or 0. */
  readonly fast = new Int32Array(TLB_FAST_SLOTS);
  /**
   * Beside the fast view, for the slots holding a guarded frame's entry (see `guarded`): that entry as the
   * fast view would hold it without the guard (DIRTY when the page is dirty); 0 in every other slot. A
   * translator's stores read it to write a guarded frame's data inline when the bytes written hold no
   * translated code (engines/translate.ts); every change of a fast slot changes this slot too.
   */
  readonly unguarded = new Int32Array(TLB_FAST_SLOTS);
  private readonly mask: number;
  /** Live virtual page numbers, oldest first, as a ring. */
  private readonly fifo: Int32Array;
  private head = 0;
  private count = 0;
  /**
   * Physical frames whose fast-view entries are held without the DIRTY bit, so that every store to them
   * leaves the inline fast path for the machine's slow path, where a translator watching the frame sees it
   * (frames holding translated code; see engines/dbt.ts). Undefined until a frame is first guarded. Only
   * the fast view changes: lookup() answers with the true entry, so counters and the FIFO are unaffected.
   */
  private guarded: Uint8Array | undefined;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_TLB_ENTRIES) throw new RangeError(`a TLB holds 0 to ${MAX_TLB_ENTRIES} entries, got ${capacity}`);
    this.capacity = capacity;
    let bits = 9;
    while (1 << bits < capacity * 2) bits++;
    this.tags = new Int32Array(1 << bits).fill(EMPTY);
    this.entries = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    this.fifo = new Int32Array(Math.max(1, capacity));
  }

  /** Live entries. */
  get size(): number {
    return this.count;
  }

  /** The hash-table slot where `vpn`'s entry sits when nothing collided with it. */
  home(vpn: number): number {
    return Math.imul(vpn, TLB_HASH) >>> this.shift;
  }

  /** The slot holding `vpn`, or -1. */
  private find(vpn: number): number {
    for (let s = this.home(vpn); ; s = (s + 1) & this.mask) {
      const t = this.tags[s]!;
      if (t === vpn) return s;
      if (t === EMPTY) return -1;
    }
  }

  /** The entry for a virtual page (0 when the TLB does not hold it); a page found on the slow path takes its fast slot. */
  lookup(vpn: number): number {
    const f = this.fast[vpn & (TLB_FAST_SLOTS - 1)]!;
    if (f & 1 && (f & TLB_FAST_TAG) === (vpn >>> 12) << 4 && (f & TLB_BIT.DIRTY || this.guarded === undefined)) return f & ~TLB_FAST_TAG;
    const s = this.find(vpn);
    if (s < 0) return 0;
    this.setFast(vpn, this.entries[s]!);
    return this.entries[s]!;
  }

  private setFast(vpn: number, entry: number): void {
    const g = this.guarded;
    const i = vpn & (TLB_FAST_SLOTS - 1), tag = (vpn >>> 12) << 4;
    if (g !== undefined && g[entry >>> 12] === 1) {
      this.fast[i] = (entry & ~TLB_BIT.DIRTY) | tag;
      this.unguarded[i] = entry | tag;
    } else {
      this.fast[i] = entry | tag;
      this.unguarded[i] = 0;
    }
  }

  /** Guard physical frame `frame` (see `guarded`): its fast-view entries lose DIRTY from now on, those there now included. */
  guardFrame(frame: number): void {
    if (frame >>> 0 >= GUARDED_FRAMES) return;
    this.guarded ??= new Uint8Array(GUARDED_FRAMES);
    if (this.guarded[frame] === 1) return;
    this.guarded[frame] = 1;
    this.forgetFrame(frame);
  }

  /** Stop guarding `frame`; its fast-view slots are emptied, so the next look-up refills them with the true entry. */
  unguardFrame(frame: number): void {
    if (this.guarded === undefined || this.guarded[frame >>> 0] !== 1) return;
    this.guarded[frame] = 0;
    this.forgetFrame(frame);
  }

  /**
   * Empty every fast-view slot that maps physical frame `frame`. The FIFO and hash table keep the entries,
   * so the next access finds them on the slow path and counts the same hit: invisible to the architecture,
   * but an engine that compares a slot with the value it saw (a translated region checking its code page)
   * notices.
   */
  forgetFrame(frame: number): void {
    const fast = this.fast;
    for (let i = 0; i < TLB_FAST_SLOTS; i++) {
      if (fast[i]! & 1 && fast[i]! >>> 12 === frame) {
        fast[i] = 0;
        this.unguarded[i] = 0;
      }
    }
  }

  /** Clear `vpn`'s fast slot if it holds `vpn`. */
  private clearFast(vpn: number): void {
    const i = vpn & (TLB_FAST_SLOTS - 1);
    const f = this.fast[i]!;
    if (f & 1 && (f & TLB_FAST_TAG) === (vpn >>> 12) << 4) {
      this.fast[i] = 0;
      this.unguarded[i] = 0;
    }
  }

  /** Hold `entry` for `vpn`: replace the page's entry if it is held, else take a new one, evicting the oldest when full. */
  fill(vpn: number, entry: number): void {
    if (this.capacity === 0) return;
    const held = this.find(vpn);
    if (held >= 0) {
      this.entries[held] = entry;
      this.setFast(vpn, entry);
      return;
    }
    if (this.count === this.capacity) {
      this.remove(this.fifo[this.head]!);
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    let s = this.home(vpn);
    while (this.tags[s] !== EMPTY) s = (s + 1) & this.mask;
    this.tags[s] = vpn;
    this.entries[s] = entry;
    this.setFast(vpn, entry);
    this.fifo[(this.head + this.count) % this.capacity] = vpn;
    this.count++;
  }

  /** Drop one page's entry (INVLPG); its FIFO place is freed too, so the FIFO holds only live entries. Returns whether it was held. */
  invalidate(vpn: number): boolean {
    if (this.find(vpn) < 0) return false;
    this.remove(vpn);
    const cap = this.capacity;
    for (let i = 0; i < this.count; i++) {
      if (this.fifo[(this.head + i) % cap] !== vpn) continue;
      for (let j = i; j < this.count - 1; j++) this.fifo[(this.head + j) % cap] = this.fifo[(this.head + j + 1) % cap]!;
      break;
    }
    this.count--;
    return true;
  }

  /** Drop every entry. */
  flush(): void {
    for (let i = 0; i < this.count; i++) this.remove(this.fifo[(this.head + i) % this.capacity]!);
    this.count = 0;
    this.head = 0;
  }

  /** Live translations, oldest first (for notebooks and tests). */
  contents(): { readonly vpn: number; readonly entry: number }[] {
    const out: { vpn: number; entry: number }[] = [];
    for (let i = 0; i < this.count; i++) {
      const vpn = this.fifo[(this.head + i) % this.capacity]!;
      out.push({ vpn, entry: this.lookup(vpn) });
    }
    return out;
  }

  /** Take a held page out of the hash table and the fast view (the caller fixes the FIFO). */
  private remove(vpn: number): void {
    this.removeSlot(this.find(vpn));
    this.clearFast(vpn);
  }

  /** Empty slot `i` by backward-shift deletion, so every remaining entry stays reachable from its home slot. */
  private removeSlot(i: number): void {
    const mask = this.mask;
    for (let j = (i + 1) & mask; this.tags[j] !== EMPTY; j = (j + 1) & mask) {
      const k = this.home(this.tags[j]!);
      // The entry at j may stay when its home lies cyclically in (i, j]; otherwise it moves into the hole.
      const stays = i <= j ? i < k && k <= j : i < k || k <= j;
      if (stays) continue;
      this.tags[i] = this.tags[j]!;
      this.entries[i] = this.entries[j]!;
      i = j;
    }
    this.tags[i] = EMPTY;
    this.entries[i] = 0;
  }
}
