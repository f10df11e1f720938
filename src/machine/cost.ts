// The cost model: turns counted events into cycles — the machine's costs plus a section per monitor technique. Every default names its source.
import { INSTRUCTIONS } from "../isa/table.js";

/** What the bare machine's events cost: every run pays these. */
export interface MachineCostModel {
  /**
   * Hardware delivery of an interrupt, exception or system call that enters ring 0 from an outer ring,
   * and the matching return (IRET/SYSRET to an outer ring). Lecture 2: "switching from user mode to kernel
   * mode ... has been measured, on the basic request getpid, to cost 1000–1500 cycles"; a round trip is
   * two switches plus the handler, so each switch costs 600.
   */
  readonly modeSwitch: number;
  /** Delivery through the IDT without a ring change (a kernel interrupted in ring 0): no stack switch. */
  readonly sameRingDelivery: number;
  /** A TLB miss: a two-level page walk, two memory references. */
  readonly tlbMiss: number;
  /**
   * A port read or write reaching a device. Adams & Agesen (ASPLOS 2006), table of nanobenchmarks:
   * `in` costs 3209 cycles natively, because the device answers slowly.
   */
  readonly portIo: number;
  /** Per-instruction cycles for instructions run directly, indexed by opcode (from the instruction table). */
  readonly instruction: readonly number[];
}

/** The trap-and-emulate monitor's section: what its exits, emulation and injections cost on top of the machine. */
export interface TrapCostModel {
  /**
   * A trap into a trap-and-emulate monitor and the resume back into the guest: two hardware mode
   * switches (see modeSwitch) plus the monitor's decode and dispatch.
   */
  readonly monitorTrap: number;
  /** Work of an emulation handler inside the monitor, per emulated instruction. */
  readonly emulate: number;
  /** A virtual interrupt or reflected exception injected by the monitor (it builds the guest's frame). */
  readonly inject: number;
}

/**
 * The binary-translation monitor's section, on top of the trap section (its traps and emulation cost the
 * same). Adams & Agesen (ASPLOS 2006) measured VMware's translator: a call/ret pair costs 11 cycles
 * natively and 51 translated, because a return is an indirect branch the translated code must look up;
 * callouts and translation itself are their other named costs.
 */
export interface BtCostModel {
  /**
   * Translating one guest instruction into the translation cache (decode, classify, emit). Adams & Agesen
   * treat translation as a cost the cache amortises over reuse without a per-instruction figure; vmlab's
   * estimate is a few hundred cycles of decoding and emitting per guest instruction: 300.
   */
  readonly translate: number;
  /**
   * A callout from translated code into the monitor and back: a call within the monitor's address space
   * (VMware's translated kernel and its monitor share one), with the guest state saved and restored and the
   * handler dispatched, but none of the two hardware mode switches of a trap (monitorTrap). vmlab's
   * estimate: 400, a third of a trap.
   */
  readonly callout: number;
  /** An inline sequence run in place of an instruction (a few loads and stores on the virtual CPU, as the lecture's `mov [CPU_IE], 0`): 4. */
  readonly inlineSequence: number;
  /**
   * A look-up of translated code at run time (an indirect branch, a return, a jump to another page): Adams &
   * Agesen's call/ret, 51 cycles translated against 11 native, so 40 more.
   */
  readonly indirectLookup: number;
}

/** Cycle costs of counted events: the machine's and each technique's section. Labs and experiments may override any scalar. */
export type CostModel = MachineCostModel & TrapCostModel & BtCostModel;

/** The documented defaults. */
export function defaultCostModel(): CostModel {
  const instruction = new Array<number>(256).fill(0);
  for (const s of INSTRUCTIONS) instruction[s.op] = s.cycles;
  return {
    modeSwitch: 600,
    sameRingDelivery: 100,
    tlbMiss: 30,
    portIo: 3209,
    monitorTrap: 1200 + 100,
    emulate: 100,
    inject: 200,
    translate: 300,
    callout: 400,
    inlineSequence: 4,
    indirectLookup: 51 - 11,
    instruction,
  };
}

/** A cost model with some values replaced (unknown keys are the caller's error to catch: see validateCostOverrides). */
export function withOverrides(base: CostModel, overrides: Partial<Omit<CostModel, "instruction">>): CostModel {
  return { ...base, ...overrides };
}

/** The machine's scalar costs, and the trap-and-emulate section's. */
export const MACHINE_COST_KEYS = ["modeSwitch", "sameRingDelivery", "tlbMiss", "portIo"] as const;
export const TRAP_COST_KEYS = ["monitorTrap", "emulate", "inject"] as const;
/** The binary-translation section's. */
export const BT_COST_KEYS = ["translate", "callout", "inlineSequence", "indirectLookup"] as const;
/** Names of the overridable scalar costs, for lab validation and did-you-mean. */
export const COST_KEYS = [...MACHINE_COST_KEYS, ...TRAP_COST_KEYS, ...BT_COST_KEYS] as const;
export type CostKey = (typeof COST_KEYS)[number];
