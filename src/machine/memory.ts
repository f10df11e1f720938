// Physical memory: a flat little-endian byte array with a word view for aligned accesses.

/** Thrown when an access reaches a physical address the machine does not have: the run stops with a machine check. */
export class MachineCheck extends Error {
  constructor(readonly address: number, readonly size: number) {
    super(`physical address 0x${(address >>> 0).toString(16)} is outside memory (0x${size.toString(16)} bytes)`);
  }
}

/** The most physical memory a machine may have. */
export const MAX_MEMORY = 1 << 30;

/** Where a machine's memory comes from: `allocate(size)` gives at least `size` zeroed bytes (memory-recycler.ts reuses those of machines that are done). */
export interface MemorySource {
  allocate(size: number): Uint8Array;
}

/** Told of a write through PhysicalMemory's methods: `length` bytes at physical address `pa` (a translator drops code it translated there). */
export type WriteWatch = (pa: number, length: number) => void;

export class PhysicalMemory {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  /**
   * Called after every write through write32, write8 and load when set (a binary translator watching its
   * code frames sets it). Engines' inline stores bypass it, which is why the TLB's fast view withholds
   * DIRTY from watched frames (see Tlb.guardFrame): stores to them take the machine's slow path, which ends here.
   */
  watch: WriteWatch | undefined = undefined;
  /**
   * `size` bytes of zeroed memory, fresh or from a MemorySource, or a window onto existing memory
   * (`backing`, at a 4-byte aligned offset) — which is how a monitor gives its guest a slice of the host's memory.
   */
  constructor(readonly size: number, backing?: { readonly buffer: ArrayBufferLike; readonly byteOffset: number } | MemorySource) {
    if (!Number.isInteger(size) || size < 4096 || size % 4096 !== 0 || size > MAX_MEMORY) {
      throw new RangeError(`memory size must be a multiple of 4096 between 4 KiB and 1 GiB, got ${size}`);
    }
    const window = backing && "allocate" in backing ? backing.allocate(size) : backing;
    this.bytes = window ? new Uint8Array(window.buffer, window.byteOffset, size) : new Uint8Array(size);
    this.words = new Int32Array(this.bytes.buffer, this.bytes.byteOffset, size >>> 2);
  }

  read32(pa: number): number {
    if ((pa & 3) === 0 && pa >= 0 && pa + 4 <= this.size) return this.words[pa >>> 2]!;
    const b = this.bytes;
    if (pa + 4 > this.size || pa < 0) throw new MachineCheck(pa, this.size);
    return b[pa]! | (b[pa + 1]! << 8) | (b[pa + 2]! << 16) | (b[pa + 3]! << 24);
  }

  write32(pa: number, v: number): void {
    if ((pa & 3) === 0 && pa >= 0 && pa + 4 <= this.size) {
      this.words[pa >>> 2] = v;
      if (this.watch !== undefined) this.watch(pa, 4);
      return;
    }
    if (pa + 4 > this.size || pa < 0) throw new MachineCheck(pa, this.size);
    const b = this.bytes;
    b[pa] = v;
    b[pa + 1] = v >>> 8;
    b[pa + 2] = v >>> 16;
    b[pa + 3] = v >>> 24;
    if (this.watch !== undefined) this.watch(pa, 4);
  }

  read8(pa: number): number {
    if (pa >= this.size || pa < 0) throw new MachineCheck(pa, this.size);
    return this.bytes[pa]!;
  }

  write8(pa: number, v: number): void {
    if (pa >= this.size || pa < 0) throw new MachineCheck(pa, this.size);
    this.bytes[pa] = v;
    if (this.watch !== undefined) this.watch(pa, 1);
  }

  /** Copy bytes in at a physical address. */
  load(pa: number, data: Uint8Array): void {
    if (pa < 0 || pa + data.length > this.size) throw new MachineCheck(pa + data.length - 1, this.size);
    this.bytes.set(data, pa);
    if (this.watch !== undefined && data.length > 0) this.watch(pa, data.length);
  }
}
