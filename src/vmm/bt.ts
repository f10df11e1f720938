// The binary-translation monitor: trap-and-emulate's exits and handlers, with the guest kernel's code run by a translator that applies a translation policy (IDENT, INLINE, CALLOUT) to every kernel instruction.
//
// On the x86 profile POPF, PUSHF, IRET within a ring, PUSH CS, MOV r, CS, SMSW and SIDT read or change
// privileged state without trapping at CPL 3 (the Pentium's holes, src/analysis/pg.ts), so a deprivileged
// kernel that runs them directly sees its real state, not its virtual one, and trap-and-emulate diverges.
// Adams & Agesen's answer (ASPLOS 2006, VMware's translator): translate the kernel's code before it
// runs. Here the machine runs on a translator (engines/dbt.ts) that asks the policy (bt-api.ts) about
// each instruction of code running at virtual CPL 0: IDENT copies it (the interpreter's code, fields as
// constants: a privileged one still traps to the trap handlers), INLINE emits operations on the virtual
// CPU's shared words (bt-policy.ts), CALLOUT a call into the monitor, which runs the callout handler for
// the instruction. User code (virtual CPL 3) runs unchanged. Translations are keyed by the virtual CPL,
// so the same page is translated once per mode.
import type { Profile } from "../isa/table.js";
import type { EventExit } from "../machine/events.js";
import type { Loadable } from "../machine/machine.js";
import { createDbt, type DbtEngine, type TranslationStats } from "../engines/dbt.js";
import type { HandlerName, TrapHandlers, VirtualCpu } from "./api.js";
import { checkedPolicy, referencePolicy, type BinaryTranslator, type TranslationPolicy } from "./bt-policy.js";
import { emulatingHandlers } from "./emulator.js";
import { HandlerRegistry } from "./kit/registry.js";
import type { SessionFactory } from "./kit/session.js";
import { handlerError } from "./kit/stop-signal.js";
import { VSTATE } from "./kit/virtual-cpu-state.js";
import { HANDLER_FOR_FORM, TrapAndEmulateMonitor } from "./trap.js";
import { MONITOR_MAX_STEPS, hex8, type MonitoredRun, type RunOptions } from "./types.js";

export { allCalloutPolicy, referencePolicy, SENSITIVE_FORMS, INLINE_FORMS, TRANSLATIONS } from "./bt-policy.js";
export type { BinaryTranslator, KernelInstruction, Translation, TranslationPolicy } from "./bt-api.js";

/** The binary-translation monitor's own counters, beside trap-and-emulate's. */
export interface BtCounters {
  /** Exits that were callouts from translated code (a call into the monitor, not a trap). */
  callouts: number;
  /** Inline sequences the translated code ran (no monitor entry). */
  inlineSequences: number;
  /** The translator's statistics (regions, blocks, instructions translated, dispatcher look-ups, ...). */
  translation: TranslationStats;
}

/** What a BT monitor runs: a policy and its callouts (`callouts` default to the trap handlers). */
export interface BtOptions {
  readonly policy?: TranslationPolicy;
  readonly callouts?: TrapHandlers;
}

/** A binary-translation virtual machine: trap-and-emulate's shell and trap handlers, its kernel code translated by a policy. */
export class BinaryTranslationMonitor extends TrapAndEmulateMonitor {
  override readonly monitor = "bt" as const;
  /** The translator the real machine runs on (its statistics: `translation()`). */
  readonly translator: DbtEngine;
  private readonly callouts: HandlerRegistry<HandlerName, (vcpu: VirtualCpu) => unknown>;
  private readonly trapSide: HandlerRegistry<HandlerName, (vcpu: VirtualCpu) => unknown>;

  /** `handlers`: the trap handlers (privileged instructions left IDENT, reflection); `bt`: the policy and the callouts. */
  constructor(loadable: Loadable, handlers: TrapHandlers, options: RunOptions = {}, bt: BtOptions = {}) {
    const self: { vm?: BinaryTranslationMonitor } = {};
    const profile = options.profile ?? "strict";
    const fail = (message: string, pc: number): never => {
      throw self.vm!.stopWith("VMM_BAD_POLICY", message, pc);
    };
    const rewrite = checkedPolicy(bt.policy ?? referencePolicy, profile, fail);
    const translator = createDbt({
      name: "bt",
      description: "the BT monitor's translator: kernel instructions copied, inlined or called out by the translation policy",
      // Kernel code is translated at once: nothing it runs may reach the interpreter untranslated.
      hot: 1,
      mode: () => self.vm?.vcpu.cpl ?? 0,
      rewrite: () => (self.vm && self.vm.vcpu.cpl === 0 ? rewrite : undefined),
    });
    // (The translator's statistics of a machine it has not run yet are zeros.)
    super(loadable, handlers, options, translator, { callouts: 0, inlineSequences: 0, translation: translator.stats(undefined as never) });
    self.vm = this;
    this.translator = translator;
    this.trapSide = new HandlerRegistry(handlers);
    this.callouts = new HandlerRegistry(bt.callouts ?? handlers);
  }

  /** The run ends with a monitor verdict (from inside the translator). */
  private stopWith(code: "VMM_BAD_POLICY", message: string, pc: number): never {
    return this.stop(handlerError(code, message, pc));
  }

  private get bt(): BtCounters {
    return this.counters as unknown as BtCounters;
  }

  /** Tell translated code whether a virtual interrupt waits (an inline STI then calls out). */
  protected override beforeRun(): void {
    this.vcpu.words[VSTATE.IRQ] = this.pic.deliverable() >= 0 ? 1 : 0;
  }

  /** Collect what translated code recorded: its inline sequences, and the STI shadow of an inline STI that set IF. */
  protected override afterRun(): void {
    const w = this.vcpu.words;
    this.bt.inlineSequences += w[VSTATE.INLINED]!;
    w[VSTATE.INLINED] = 0;
    if (w[VSTATE.STI_AT]! >= 0) {
      // Machine time to guest time (the TSC offset the shell set for this run), then one more instruction runs first.
      const at = w[VSTATE.STI_AT]! + this.machine.tscOffset;
      if (at + 2 > this.inhibitUntil) this.inhibitUntil = at + 2;
      w[VSTATE.STI_AT] = -1;
    }
  }

  /** A #GP marked as a callout enters the callout for its instruction; any other fault is trap-and-emulate's. */
  protected override onFault(e: EventExit): void {
    const w = this.vcpu.words;
    if (w[VSTATE.CALLOUT] === 0) return super.onFault(e);
    w[VSTATE.CALLOUT] = 0;
    this.bt.callouts++;
    const insn = this.decodeAt(e.pc)!;
    const slot = HANDLER_FOR_FORM[insn.name]!;
    this.cause(`${slot} callout`);
    // A slot the callouts leave empty is served by the trap handlers (lab 02 gives those only for what traps).
    const registry = this.callouts.has(slot) ? this.callouts : this.trapSide;
    const fn = registry.lookup(slot, () => `the callout of ${insn.name} at 0x${hex8(insn.pc)}`, insn.pc);
    this.emulate(slot, insn, (vcpu) => fn.call(registry.table, vcpu));
  }

  /** Trap-and-emulate's section, with callouts priced as calls rather than traps, plus inline code, translation and look-ups. */
  protected override sectionCycles(): number {
    const cost = this.cost;
    const bt = this.bt;
    const s = this.translator.stats(this.machine);
    // Trap-and-emulate prices every exit as a trap; a callout is a call instead.
    return super.sectionCycles() + bt.callouts * (cost.callout - cost.monitorTrap) + bt.inlineSequences * cost.inlineSequence
      + s.instructions * cost.translate + s.entries * cost.indirectLookup;
  }

  protected override settleCounters(): void {
    super.settleCounters();
    this.bt.translation = this.translator.stats(this.machine);
  }

  /** The translator's statistics for this guest (regions, blocks, instructions; callouts are exits). */
  translation(): TranslationStats {
    return this.translator.stats(this.machine);
  }
}

/** Run a guest under the binary-translation monitor with the given handlers until it stops or the budget ends. */
export function runBinaryTranslation(loadable: Loadable, handlers: TrapHandlers, options: RunOptions = {}, bt: BtOptions = {}): MonitoredRun {
  const vm = new BinaryTranslationMonitor(loadable, handlers, options, bt);
  vm.advance(options.maxSteps ?? MONITOR_MAX_STEPS);
  return vm.result();
}

/** Sessions of the binary-translation monitor with `handlers` (and a policy and callouts), for the equivalence checker. */
export function btSession(handlers: TrapHandlers, bt: BtOptions | TranslationPolicy = {}): SessionFactory {
  const options = typeof bt === "function" ? { policy: bt } : bt;
  return (loadable, o) => new BinaryTranslationMonitor(loadable, handlers, o, options);
}

/** The callouts a translator must supply itself (lab 02's): on the x86 profile these instructions do not trap, so the monitor has no trap handler for them. */
export const TRANSLATOR_CALLOUTS = ["pushf", "popf", "iret", "readCs", "smsw", "sidt"] as const satisfies readonly HandlerName[];

/** The monitor's own trap handlers beside a translator: the instruction emulator (lab 01's work) without TRANSLATOR_CALLOUTS. */
export function monitorTrapHandlers(profile: Profile): TrapHandlers {
  const all: Record<string, unknown> = { ...emulatingHandlers(profile) };
  for (const slot of TRANSLATOR_CALLOUTS) delete all[slot];
  return all as TrapHandlers;
}

/**
 * Sessions of a translator (lab 02's `translator`: its policy and callouts) for the equivalence checker;
 * what traps instead of calling out runs on the monitor's own handlers (monitorTrapHandlers).
 */
export function translatorSession(code: BinaryTranslator, profile: Profile = "x86"): SessionFactory {
  return btSession(monitorTrapHandlers(profile), { policy: code.policy, callouts: code.callouts });
}
