// The control-register file (CR0, CR2, CR3, CR8, KSP, SEP): what each MOV crN keeps and what it asks of its owner — one set of rules for the machine and every virtual CPU.
//
// The file holds the values and the rules of MOV crN (which bits stick, which index exists); what a write
// requires beyond storing — flushing the TLB, recomputing access rights, re-checking pending interrupts —
// belongs to whoever owns the file, so a write answers it as CR_EFFECT bits. The bare machine flushes
// its TLB on FLUSH_TLB; a monitor's virtual CPU drops its shadow page tables (or translations) instead.
import { CR0, CR_INDEX, PAGE_OFFSET_MASK } from "../isa/arch.js";

/** CR8 (the task priority) keeps its low four bits: interrupt priority classes 0..15. */
export const CR8_MASK = 15;

/** What a control-register write asks of the file's owner, as bits (0: nothing beyond storing the value). */
export const CR_EFFECT = {
  /** Cached translations are stale: CR3 loaded, or CR0.PG or CR0.WP changed. */
  FLUSH_TLB: 1,
  /** CR0 was written: access rights derived from WP and PG must be recomputed. */
  PAGING_MODE: 2,
  /** CR8 was written: interrupts it held back may now be deliverable (or the reverse). */
  PRIORITY: 4,
  /** The index names no control register: MOV crN raises #UD and nothing was stored. */
  UNDEFINED: 8,
} as const;

/** The paging registers a page-table walk reads. */
export interface PagingRegisters {
  readonly cr0: number;
  readonly cr3: number;
}

/** The values of the file, as data (a snapshot a monitor can restore). */
export interface ControlRegisterValues {
  readonly cr0: number;
  readonly cr2: number;
  readonly cr3: number;
  readonly cr8: number;
  readonly ksp: number;
  readonly sep: number;
}

/** Does MOV crN reach a register at this index (0, 2, 3, 4 KSP, 5 SEP, 8)? */
export function isControlRegister(index: number): boolean {
  return index === CR_INDEX.cr0 || index === CR_INDEX.cr2 || index === CR_INDEX.cr3 || index === CR_INDEX.ksp || index === CR_INDEX.sep || index === CR_INDEX.cr8;
}

export class ControlRegisters implements PagingRegisters, ControlRegisterValues {
  /** CR0: PE always set, WP, PG. */
  cr0: number = CR0.PE;
  /** CR2: the linear address of the last page fault. */
  cr2 = 0;
  /** CR3: the page directory's physical address (page aligned). */
  cr3 = 0;
  /** CR8: task priority; interrupts whose vector ÷ 16 ≤ CR8 are held back. */
  cr8 = 0;
  /** Kernel stack pointer loaded on entry to ring 0 from an outer ring. */
  ksp = 0;
  /** SYSCALL entry point. */
  sep = 0;

  /** MOV rd, crN: the value read, or undefined for an index the machine lacks (the owner raises #UD). */
  read(index: number): number | undefined {
    switch (index) {
      case CR_INDEX.cr0: return this.cr0 | 0;
      case CR_INDEX.cr2: return this.cr2 | 0;
      case CR_INDEX.cr3: return this.cr3 | 0;
      case CR_INDEX.ksp: return this.ksp | 0;
      case CR_INDEX.sep: return this.sep | 0;
      case CR_INDEX.cr8: return this.cr8;
      default: return undefined;
    }
  }

  /**
   * MOV crN, rs: store what sticks (CR0 keeps PE set, CR3 drops its low 12 bits, CR8 keeps 4 bits) and
   * return what the owner must do about it (CR_EFFECT bits).
   */
  write(index: number, v: number): number {
    switch (index) {
      case CR_INDEX.cr0: {
        const old = this.cr0;
        this.cr0 = (v | CR0.PE) >>> 0;
        return ((old ^ this.cr0) & (CR0.PG | CR0.WP) ? CR_EFFECT.FLUSH_TLB : 0) | CR_EFFECT.PAGING_MODE;
      }
      case CR_INDEX.cr2: this.cr2 = v >>> 0; return 0;
      case CR_INDEX.cr3: this.cr3 = (v & ~PAGE_OFFSET_MASK) >>> 0; return CR_EFFECT.FLUSH_TLB;
      case CR_INDEX.ksp: this.ksp = v >>> 0; return 0;
      case CR_INDEX.sep: this.sep = v >>> 0; return 0;
      case CR_INDEX.cr8: this.cr8 = v & CR8_MASK; return CR_EFFECT.PRIORITY;
      default: return CR_EFFECT.UNDEFINED;
    }
  }

  /** The values as data. */
  values(): ControlRegisterValues {
    return { cr0: this.cr0, cr2: this.cr2, cr3: this.cr3, cr8: this.cr8, ksp: this.ksp, sep: this.sep };
  }

  /** Put saved values back as they were (no write rules: they were kept once already). */
  restore(v: ControlRegisterValues): void {
    this.cr0 = v.cr0;
    this.cr2 = v.cr2;
    this.cr3 = v.cr3;
    this.cr8 = v.cr8;
    this.ksp = v.ksp;
    this.sep = v.sep;
  }
}
