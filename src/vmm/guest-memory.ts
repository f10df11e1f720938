// Guest-physical memory: a window of host physical memory that the guest (and its devices' DMA) cannot leave.
import { PhysicalMemory } from "../machine/memory.js";

/**
 * A view of `size` bytes of host memory starting at host-physical `base`, with PhysicalMemory's shape,
 * so the bundled device classes can be instantiated against it for a guest. Addresses are
 * guest-physical; anything at or beyond `size` is a machine check, never host memory.
 */
export class GuestPhysicalMemory extends PhysicalMemory {
  constructor(host: PhysicalMemory, readonly base: number, size: number) {
    if (base % 4096 !== 0 || size % 4096 !== 0 || size < 4096 || base + size > host.size) {
      throw new RangeError(`guest window 0x${base.toString(16)}+0x${size.toString(16)} does not fit host memory of 0x${host.size.toString(16)} bytes`);
    }
    super(size, { buffer: host.bytes.buffer, byteOffset: host.bytes.byteOffset + base });
    // Writes through the window are writes to host memory: whoever watches the host hears of them.
    this.watch = (pa, length) => host.watch?.(base + pa, length);
  }
}
