// The cost model: turns counted events into cycles. Every default names its source.
import { INSTRUCTIONS } from "../isa/table.js";

/** Cycle costs of counted events. Labs and experiments may override any of them. */
export interface CostModel {
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
  /**
   * A trap into a trap-and-emulate monitor and the resume back into the guest: two hardware mode
   * switches (see modeSwitch) plus the monitor's decode and dispatch.
   */
  readonly monitorTrap: number;
  /** Work of an emulation handler inside the monitor, per emulated instruction. */
  readonly emulate: number;
  /** A virtual interrupt or reflected exception injected by the monitor (it builds the guest's frame). */
  readonly inject: number;
  /** Per-instruction cycles for instructions run directly, indexed by opcode (from the instruction table). */
  readonly instruction: readonly number[];
}

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
    instruction,
  };
}

/** A cost model with some values replaced (unknown keys are the caller's error to catch: see validateCostOverrides). */
export function withOverrides(base: CostModel, overrides: Partial<Omit<CostModel, "instruction">>): CostModel {
  return { ...base, ...overrides };
}

/** Names of the overridable scalar costs, for lab validation and did-you-mean. */
export const COST_KEYS = ["modeSwitch", "sameRingDelivery", "tlbMiss", "portIo", "monitorTrap", "emulate", "inject"] as const;
export type CostKey = (typeof COST_KEYS)[number];
