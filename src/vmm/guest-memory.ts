// Guest-physical memory: a window of host physical memory that the guest (and its devices' DMA) cannot leave.
import { MachineCheck, PhysicalMemory } from "../machine/memory.js";

/**
 * A view of `size` bytes of host memory starting at host-physical `base`, with PhysicalMemory's shape,
 * so the bundled device classes can be instantiated against it for a guest. Addresses are
 * guest-physical; anything at or beyond `size` is a machine check, never host memory.
 */
export class GuestPhysicalMemory implements PhysicalMemory {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  constructor(host: PhysicalMemory, readonly base: number, readonly size: number) {
    if (base % 4096 !== 0 || size % 4096 !== 0 || size < 4096 || base + size > host.size) {
      throw new RangeError(`guest window 0x${base.toString(16)}+0x${size.toString(16)} does not fit host memory of 0x${host.size.toString(16)} bytes`);
    }
    this.bytes = host.bytes.subarray(base, base + size);
    this.words = new Int32Array(host.bytes.buffer, host.bytes.byteOffset + base, size >>> 2);
  }

  read32(pa: number): number {
    if ((pa & 3) === 0 && pa >= 0 && pa + 4 <= this.size) return this.words[pa >>> 2]!;
    if (pa < 0 || pa + 4 > this.size) throw new MachineCheck(pa, this.size);
    const b = this.bytes;
    return b[pa]! | (b[pa + 1]! << 8) | (b[pa + 2]! << 16) | (b[pa + 3]! << 24);
  }

  write32(pa: number, v: number): void {
    if ((pa & 3) === 0 && pa >= 0 && pa + 4 <= this.size) {
      this.words[pa >>> 2] = v;
      return;
    }
    if (pa < 0 || pa + 4 > this.size) throw new MachineCheck(pa, this.size);
    const b = this.bytes;
    b[pa] = v;
    b[pa + 1] = v >>> 8;
    b[pa + 2] = v >>> 16;
    b[pa + 3] = v >>> 24;
  }

  read8(pa: number): number {
    if (pa >= this.size || pa < 0) throw new MachineCheck(pa, this.size);
    return this.bytes[pa]!;
  }

  write8(pa: number, v: number): void {
    if (pa >= this.size || pa < 0) throw new MachineCheck(pa, this.size);
    this.bytes[pa] = v;
  }

  load(pa: number, data: Uint8Array): void {
    if (pa < 0 || pa + data.length > this.size) throw new MachineCheck(pa + data.length - 1, this.size);
    this.bytes.set(data, pa);
  }
}
