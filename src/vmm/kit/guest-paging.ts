// The guest's own address translation, done in software by its monitor: the machine's page-table walker over guest-physical memory, with guest page faults.
import { CR0, PAGE_OFFSET_MASK, VECTOR } from "../../isa/arch.js";
import type { PagingRegisters } from "../../machine/control-registers.js";
import { MachineCheck } from "../../machine/memory.js";
import { physicalAddress, walkPageTables, type WalkEffects } from "../../machine/paging.js";
import { TLB_BIT } from "../../machine/tlb.js";
import type { GuestPhysicalMemory } from "../guest-memory.js";
import { GuestFault } from "./guest-fault.js";

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
export type GuestPagingState = PagingRegisters;

function guestEffects(setAccessed: boolean): WalkEffects {
  return Object.freeze({
    setAccessed,
    checkRights: true,
    pageFault(va: number, error: number): never {
      throw new GuestFault(VECTOR.PAGE_FAULT, error, va);
    },
    outsideMemory(address: number, size: number): never {
      throw new MachineCheck(address, size);
    },
  });
}

/** A walk for an access the guest makes (A and D set), and one that only looks (decoding a trapped instruction). */
const GUEST_ACCESS = guestEffects(true);
const GUEST_LOOK = guestEffects(false);

/**
 * Walk the guest's page tables as the native MMU would for an access at privilege level `cpl`.
 * Throws GuestFault(14) for what the guest would see as a page fault and MachineCheck for a frame
 * outside guest-physical memory. With `setBits`, sets A (and D on a write) in the guest's entries.
 */
export function walkGuest(
  mem: GuestPhysicalMemory, regs: GuestPagingState, va: number, write: boolean, fetch: boolean, cpl: number, setBits: boolean,
): GuestTranslation {
  const user = cpl === 3;
  const entry = walkPageTables(mem, regs, va, write, fetch, user, setBits ? GUEST_ACCESS : GUEST_LOOK);
  return {
    gpa: physicalAddress(entry, va),
    writable: (entry & TLB_BIT.WRITE) !== 0 || (!user && !(regs.cr0 & CR0.WP)),
    dirty: (entry & TLB_BIT.DIRTY) !== 0,
  };
}

/** Read a guest word at a guest-virtual address with the rights of privilege level `cpl` (byte by byte across a page boundary, as the machine does). */
export function readGuest32(mem: GuestPhysicalMemory, regs: GuestPagingState, va: number, cpl: number): number {
  va >>>= 0;
  if ((va & PAGE_OFFSET_MASK) > PAGE_OFFSET_MASK - 3) {
    let v = 0;
    for (let i = 0; i < 4; i++) v |= mem.read8(walkGuest(mem, regs, (va + i) >>> 0, false, false, cpl, true).gpa) << (8 * i);
    return v;
  }
  return mem.read32(walkGuest(mem, regs, va, false, false, cpl, true).gpa);
}

/** Write a guest word with the rights of `cpl`; across a page boundary both pages are checked first, so the write does not half-happen. */
export function writeGuest32(mem: GuestPhysicalMemory, regs: GuestPagingState, va: number, v: number, cpl: number): void {
  va >>>= 0;
  if ((va & PAGE_OFFSET_MASK) > PAGE_OFFSET_MASK - 3) {
    // CR2 names the second page's first byte, as on the bare machine.
    walkGuest(mem, regs, va, true, false, cpl, true);
    walkGuest(mem, regs, ((va + 3) & ~PAGE_OFFSET_MASK) >>> 0, true, false, cpl, true);
    for (let i = 0; i < 4; i++) mem.write8(walkGuest(mem, regs, (va + i) >>> 0, true, false, cpl, true).gpa, v >>> (8 * i));
    return;
  }
  mem.write32(walkGuest(mem, regs, va, true, false, cpl, true).gpa, v);
}
