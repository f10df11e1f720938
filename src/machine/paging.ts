// The page-table walker: one two-level walk for the MMU, the debugger's probe and a monitor's walk of its guest's tables, parameterised by the memory it reads and what it does besides translating.
//
// A walk reads the page directory entry at CR3 + 4 × (va >> 22) and the page table entry it points to,
// checks presence and — for a real access — the rights of the access (U/S for CPL 3, R/W for a write
// from CPL 3 or with CR0.WP), sets the accessed and dirty bits as hardware does, and answers a TLB-format
// entry: frame | TLB_BIT bits (VALID, WRITE when both levels allow writes, USER when both allow CPL 3,
// DIRTY when the entry is dirty after the walk). With paging off the address is its own frame, with every
// right. What the walk cannot do is the owner's to say (WalkEffects): the machine raises #PF with CR2
// and a machine check; a monitor raises a guest page fault; a probe answers NO_PAGE and changes nothing.
import { CR0, PAGE_OFFSET_MASK, PAGE_SHIFT, PDE_SHIFT, PF_ERR, PT_INDEX_MASK, PTE } from "../isa/arch.js";
import type { PagingRegisters } from "./control-registers.js";
import { TLB_BIT } from "./tlb.js";

// The walk runs on every TLB miss: imported bindings cost a load and a check each time they are read, so
// the constants it uses are copied into module-local ones once.
const PG = CR0.PG;
const WP = CR0.WP;
const OFFSET = PAGE_OFFSET_MASK;
const PT_SHIFT = PAGE_SHIFT;
const PD_SHIFT = PDE_SHIFT;
const PT_MASK = PT_INDEX_MASK;
const P = PTE.P;
const W = PTE.W;
const U = PTE.U;
const A = PTE.A;
const D = PTE.D;
const ERR_P = PF_ERR.P;
const ERR_W = PF_ERR.W;
const ERR_U = PF_ERR.U;
const ERR_I = PF_ERR.I;
const T_VALID = TLB_BIT.VALID;
const T_WRITE = TLB_BIT.WRITE;
const T_USER = TLB_BIT.USER;
const T_DIRTY = TLB_BIT.DIRTY;
const T_ALL = T_VALID | T_WRITE | T_USER | T_DIRTY;

/** The memory a walk reads its tables from (physical memory, or a guest-physical window of it). */
export interface PageTableMemory {
  readonly size: number;
  read32(pa: number): number;
  write32(pa: number, v: number): void;
}

/** What a walk does besides translating. */
export interface WalkEffects {
  /** Set A in both entries and D in the page table entry on a write, as hardware does (a probe does not). */
  readonly setAccessed: boolean;
  /** Check the access's rights (a probe asks only whether the page is mapped). */
  readonly checkRights: boolean;
  /** The access faults with page-fault error code `error` (PF_ERR bits): throw the owner's fault, or return to make the walk answer NO_PAGE. */
  pageFault(va: number, error: number): void;
  /** The address (paging off) or the frame an entry names lies outside memory: throw the owner's machine check, or return for NO_PAGE. */
  outsideMemory(address: number, size: number): void;
}

/** A walk's answer when the address has no translation and the effects returned instead of throwing (never a valid entry: frames lie below 2^31). */
export const NO_PAGE = -1;

/** Physical address of the page directory entry for `va`. */
export function pdeAddress(cr3: number, va: number): number {
  return ((cr3 & ~OFFSET) + ((va >>> PD_SHIFT) << 2)) >>> 0;
}

/** Physical address of the page table entry for `va`, in the table a present directory entry points to. */
export function pteAddress(pde: number, va: number): number {
  return ((pde & ~OFFSET) + (((va >>> PT_SHIFT) & PT_MASK) << 2)) >>> 0;
}

/** The frame part of an entry or translation. */
export function frameOf(entry: number): number {
  return (entry & ~OFFSET) >>> 0;
}

/** The physical address a TLB-format entry gives `va`. */
export function physicalAddress(entry: number, va: number): number {
  return ((entry & ~OFFSET) | (va & OFFSET)) >>> 0;
}

/**
 * Translate linear address `va` for an access (a write, an instruction fetch, from CPL 3 when `user`)
 * through the tables `regs` point to in `mem`. Answers a TLB-format entry, or NO_PAGE when the effects
 * returned from a fault.
 */
export function walkPageTables(
  mem: PageTableMemory, regs: PagingRegisters, va: number, write: boolean, fetch: boolean, user: boolean, effects: WalkEffects,
): number {
  va >>>= 0;
  if (!(regs.cr0 & PG)) {
    if (va >= mem.size) {
      effects.outsideMemory(va, mem.size);
      return NO_PAGE;
    }
    return (va & ~OFFSET) | T_ALL;
  }
  const err = (write ? ERR_W : 0) | (user ? ERR_U : 0) | (fetch ? ERR_I : 0);
  const pdeAddr = pdeAddress(regs.cr3, va);
  const pde = mem.read32(pdeAddr);
  if (!(pde & P)) return fault(effects, va, err);
  const pteAddr = pteAddress(pde, va);
  const pte = mem.read32(pteAddr);
  if (!(pte & P)) return fault(effects, va, err);
  const u = (pde & pte & U) !== 0;
  const w = (pde & pte & W) !== 0;
  if (effects.checkRights) {
    if (user && !u) return fault(effects, va, err | ERR_P);
    if (write && !w && (user || regs.cr0 & WP)) return fault(effects, va, err | ERR_P);
  }
  let entry = pte;
  if (effects.setAccessed) {
    if (!(pde & A)) mem.write32(pdeAddr, pde | A);
    entry = pte | A | (write ? D : 0);
    if (entry !== pte) mem.write32(pteAddr, entry);
  }
  const frame = frameOf(pte);
  if (frame >= mem.size) {
    effects.outsideMemory(frame, mem.size);
    return NO_PAGE;
  }
  return frame | T_VALID | (w ? T_WRITE : 0) | (u ? T_USER : 0) | (entry & D ? T_DIRTY : 0);
}

function fault(effects: WalkEffects, va: number, error: number): number {
  effects.pageFault(va, error);
  return NO_PAGE;
}

/** Effects of a probe: no bits set, no rights checked, NO_PAGE for anything that would fault. */
export const PROBE: WalkEffects = Object.freeze({
  setAccessed: false,
  checkRights: false,
  pageFault(): void {},
  outsideMemory(): void {},
});
