// Guest address translation for a monitor: a software walk of the guest's page tables, and shadow page tables (a virtual TLB).
//
// The real MMU only ever sees the monitor's shadow page tables, which live in monitor memory outside the
// guest-physical window. They start empty; a real page fault on a guest access ("hidden" fault) makes the
// monitor walk the guest's own tables with the virtual CPL's rights. If the guest walk fails, the guest
// gets the page fault it would have got natively (CR2, error code). If it succeeds, the monitor sets the
// guest's accessed/dirty bits as hardware would, and copies the mapping into the shadow, pointing at the
// host frame of the guest-physical page. Entries are dropped where a TLB entry would be: on guest CR3 and
// CR0 writes (everything) and INVLPG (one page). There are two shadows: one used while the virtual CPL is
// 0–2 (the guest kernel) and one at virtual CPL 3, so guest user code cannot reach guest-kernel pages even
// though both really run at CPL 3. A shadow entry is writable only once the guest PTE's D bit is set, so
// the first write still exits and sets D.
//
// A shadow entry lasts until the guest invalidates it, so the shadow behaves as a TLB that never runs out
// of room. The architecture allows that: the TLB's size and replacement are the implementation's, and a
// translation used after its entry changed without INVLPG is undefined. A guest that relies on the
// bare machine's 64-entry TLB evicting a stale entry is outside the equivalence guarantee, and the
// checker says so instead of reporting a divergence (see analysis/equivalence.ts).
import { CR0, PAGE_SHIFT, PF_ERR, PTE } from "../isa/arch.js";
import type { Machine } from "../machine/machine.js";
import { MachineCheck } from "../machine/memory.js";
import type { GuestPhysicalMemory } from "./guest-memory.js";

/** A guest exception raised while the monitor acts for the guest (page fault in a guest walk, a handler's raise()). */
export class GuestFault {
  constructor(
    readonly vector: number,
    readonly error: number,
    /** The faulting linear address, for page faults (becomes the guest's CR2). */
    readonly address?: number,
  ) {
    // It unwinds through student handlers: frozen, so what the monitor reflects is what it raised.
    Object.freeze(this);
  }
}

/** A successful guest translation. */
export interface GuestTranslation {
  /** Guest-physical address. */
  readonly gpa: number;
  /** May this access path write the page (guest W bit, or a supervisor write with CR0.WP clear)? */
  readonly writable: boolean;
  /** Is the guest PTE's dirty bit set (after this walk)? */
  readonly dirty: boolean;
}

/** The guest's paging registers, as the MMU reads them. */
export interface GuestPagingState {
  readonly cr0: number;
  readonly cr3: number;
}

/**
 * Walk the guest's page tables as the native MMU would for an access at privilege level `cpl`.
 * Throws GuestFault(14) for what the guest would see as a page fault and MachineCheck for a frame
 * outside guest-physical memory. With `setBits`, sets A (and D on a write) in the guest's entries.
 */
export function walkGuest(
  mem: GuestPhysicalMemory, regs: GuestPagingState, va: number, write: boolean, fetch: boolean, cpl: number, setBits: boolean,
): GuestTranslation {
  va >>>= 0;
  if (!(regs.cr0 & CR0.PG)) {
    if (va >= mem.size) throw new MachineCheck(va, mem.size);
    return { gpa: va, writable: true, dirty: true };
  }
  const user = cpl === 3;
  const err = (write ? PF_ERR.W : 0) | (user ? PF_ERR.U : 0) | (fetch ? PF_ERR.I : 0);
  const pdeAddr = ((regs.cr3 & ~0xfff) + ((va >>> 22) << 2)) >>> 0;
  const pde = mem.read32(pdeAddr);
  if (!(pde & PTE.P)) throw new GuestFault(14, err, va);
  const pteAddr = ((pde & ~0xfff) + (((va >>> 12) & 0x3ff) << 2)) >>> 0;
  const pte = mem.read32(pteAddr);
  if (!(pte & PTE.P)) throw new GuestFault(14, err, va);
  const u = (pde & pte & PTE.U) !== 0;
  const w = (pde & pte & PTE.W) !== 0;
  if (user && !u) throw new GuestFault(14, err | PF_ERR.P, va);
  const wp = (regs.cr0 & CR0.WP) !== 0;
  if (write && !w && (user || wp)) throw new GuestFault(14, err | PF_ERR.P, va);
  let newPte = pte;
  if (setBits) {
    if (!(pde & PTE.A)) mem.write32(pdeAddr, pde | PTE.A);
    newPte = pte | PTE.A | (write ? PTE.D : 0);
    if (newPte !== pte) mem.write32(pteAddr, newPte);
  }
  const frame = (pte & ~0xfff) >>> 0;
  if (frame >= mem.size) throw new MachineCheck(frame, mem.size);
  return { gpa: (frame | (va & 0xfff)) >>> 0, writable: w || (!user && !wp), dirty: (newPte & PTE.D) !== 0 };
}

/** Which shadow serves a virtual CPL: 0 for the guest kernel (CPL 0–2), 1 for guest user code. */
export function shadowSpace(cpl: number): 0 | 1 {
  return cpl === 3 ? 1 : 0;
}

/**
 * Shadow page tables in a pool of monitor frames: two roots (guest kernel, guest user) and page tables
 * allocated on demand. When the pool runs dry everything is flushed and filling starts over.
 */
export class ShadowPageTables {
  private readonly roots: [number, number];
  private nextFrame: number;
  /** Number of flushes (guest CR3/CR0 writes and pool exhaustion). */
  flushes = 0;

  constructor(
    private readonly machine: Machine,
    /** Host-physical base of the pool (page aligned). */
    private readonly poolBase: number,
    /** Frames in the pool, at least 4. */
    private readonly poolFrames: number,
  ) {
    this.roots = [poolBase, poolBase + 4096];
    this.nextFrame = 2;
    this.zero(this.roots[0]);
    this.zero(this.roots[1]);
  }

  /** Host-physical address of the page directory serving a virtual CPL. */
  root(cpl: number): number {
    return this.roots[shadowSpace(cpl)];
  }

  /** Map guest-virtual page of `va` to host frame `hostFrame` in the shadow for `cpl`. */
  fill(cpl: number, va: number, hostFrame: number, writable: boolean): void {
    let root = this.root(cpl);
    const mem = this.machine.memory;
    const pdeAddr = root + ((va >>> 22) << 2);
    let pde = mem.read32(pdeAddr);
    if (!(pde & PTE.P)) {
      if (this.nextFrame >= this.poolFrames) {
        this.flush();
        root = this.root(cpl);
      }
      const frame = this.poolBase + this.nextFrame++ * 4096;
      this.zero(frame);
      pde = frame | PTE.P | PTE.W | PTE.U;
      mem.write32(root + ((va >>> 22) << 2), pde);
    }
    const pteAddr = (pde & ~0xfff) + (((va >>> 12) & 0x3ff) << 2);
    mem.write32(pteAddr, (hostFrame & ~0xfff) | PTE.P | PTE.U | (writable ? PTE.W : 0));
    this.machine.invlpg(va >>> 0);
  }

  /** Drop one page from both shadows (the guest ran INVLPG). */
  invalidate(va: number): void {
    const mem = this.machine.memory;
    for (const root of this.roots) {
      const pde = mem.read32(root + ((va >>> 22) << 2));
      if (pde & PTE.P) mem.write32((pde & ~0xfff) + (((va >>> 12) & 0x3ff) << 2), 0);
    }
    this.machine.invlpg(va >>> 0);
  }

  /** Drop everything (the guest changed CR3 or paging mode). */
  flush(): void {
    this.zero(this.roots[0]);
    this.zero(this.roots[1]);
    this.nextFrame = 2;
    this.flushes++;
    this.machine.flushTlb();
  }

  private zero(frame: number): void {
    this.machine.memory.words.fill(0, frame >>> 2, (frame + 4096) >>> 2);
  }
}

/** Page number of an address. */
export function pageOf(va: number): number {
  return va >>> PAGE_SHIFT;
}
