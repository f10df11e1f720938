// Shadow page tables (a virtual TLB): what the real MMU walks while a guest runs, filled from the guest's own tables on hidden page faults.
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
import { CR_INDEX, PAGE_SIZE, PTE } from "../../isa/arch.js";
import type { PagingRegisters } from "../../machine/control-registers.js";
import type { Machine } from "../../machine/machine.js";
import { frameOf, pdeAddress, pteAddress } from "../../machine/paging.js";
import type { GuestPhysicalMemory } from "../guest-memory.js";
import { GuestFault } from "./guest-fault.js";
import { walkGuest } from "./guest-paging.js";

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
    this.roots = [poolBase, poolBase + PAGE_SIZE];
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
    const pdeAddr = pdeAddress(root, va);
    let pde = mem.read32(pdeAddr);
    if (!(pde & PTE.P)) {
      if (this.nextFrame >= this.poolFrames) {
        this.flush();
        root = this.root(cpl);
      }
      const frame = this.poolBase + this.nextFrame++ * PAGE_SIZE;
      this.zero(frame);
      pde = frame | PTE.P | PTE.W | PTE.U;
      mem.write32(pdeAddress(root, va), pde);
    }
    mem.write32(pteAddress(pde, va), frameOf(hostFrame) | PTE.P | PTE.U | (writable ? PTE.W : 0));
    this.machine.invlpg(va >>> 0);
  }

  /** Drop one page from both shadows (the guest ran INVLPG). */
  invalidate(va: number): void {
    const mem = this.machine.memory;
    for (const root of this.roots) {
      const pde = mem.read32(pdeAddress(root, va));
      if (pde & PTE.P) mem.write32(pteAddress(pde, va), 0);
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
    this.machine.memory.words.fill(0, frame >>> 2, (frame + PAGE_SIZE) >>> 2);
  }
}

/**
 * Shadow paging for one guest: the tables in a pool of monitor frames, the real CR3 following the virtual
 * CPL, and the fill from the guest's own tables when the real MMU misses (a hidden page fault).
 */
export class ShadowPaging {
  readonly tables: ShadowPageTables;

  constructor(
    private readonly machine: Machine,
    /** The guest-physical window the guest's frames live in. */
    private readonly memory: GuestPhysicalMemory,
    /** The guest's paging registers (its virtual CR0 and CR3). */
    private readonly regs: PagingRegisters,
    /** Frames of the shadow pool, at host-physical 0 (below the guest window). */
    poolFrames: number,
  ) {
    this.tables = new ShadowPageTables(machine, 0, poolFrames);
  }

  /** Point the real MMU at the shadow that serves virtual CPL `cpl`. */
  select(cpl: number): void {
    this.machine.setCr(CR_INDEX.cr3, this.tables.root(cpl));
  }

  /** The virtual CPL changed: crossing between guest kernel and guest user switches the shadow. */
  switchCpl(before: number, after: number): void {
    if (shadowSpace(after) !== shadowSpace(before)) this.select(after);
  }

  /** Drop every shadow mapping (the guest loaded CR3 or changed CR0.PG or WP). */
  flush(): void {
    this.tables.flush();
  }

  /** Drop the shadow mapping of one guest page (the guest ran INVLPG). */
  invalidate(va: number): void {
    this.tables.invalidate(va >>> 0);
  }

  /**
   * A real page fault at `va`: walk the guest's tables with the rights of virtual CPL `cpl`. Undefined when
   * the guest's tables allow the access and the shadow now maps the page (the fault was hidden), else the
   * page fault the guest itself takes.
   */
  resolve(va: number, write: boolean, fetch: boolean, cpl: number): GuestFault | undefined {
    let t;
    try {
      t = walkGuest(this.memory, this.regs, va, write, fetch, cpl, true);
    } catch (f) {
      if (f instanceof GuestFault) return f;
      throw f;
    }
    this.tables.fill(cpl, va, this.memory.base + t.gpa, t.writable && t.dirty);
    return undefined;
  }
}
