// The binary-translation monitor: trap-and-emulate's exits and handlers, with the guest kernel's code run by a translator that rewrites the x86 profile's sensitive-but-unprivileged instructions into callouts.
//
// On the x86 profile POPF, PUSHF, IRET within a ring, PUSH CS, MOV r, CS, SMSW and SIDT read or change
// privileged state without trapping at CPL 3 (the Pentium's holes, src/analysis/pg.ts), so a deprivileged
// kernel that runs them directly sees its real state, not its virtual one, and trap-and-emulate diverges.
// Adams & Agesen's answer (ASPLOS 2006, VMware's translator): translate the kernel's code before it
// runs. Here the machine runs on a translator (engines/dbt.ts) whose rewrite turns each sensitive
// instruction of code that runs at virtual CPL 0 into a callout — a #GP the exit policy sends to the
// monitor, which emulates it on the virtual CPU with the same handlers trap-and-emulate uses. Everything
// else is copied (IDENT: the interpreter's code for it, fields as constants), and user code (virtual CPL 3)
// runs unchanged. Translations are keyed by the virtual CPL, so the same page is translated once per mode.
import { VECTOR } from "../isa/arch.js";
import { INSTRUCTIONS, type InstructionSpec } from "../isa/table.js";
import type { Loadable } from "../machine/machine.js";
import { createDbt, type DbtEngine, type TranslationStats } from "../engines/dbt.js";
import type { RewrittenCode } from "../engines/translate.js";
import type { TrapHandlers } from "./api.js";
import type { SessionFactory } from "./kit/session.js";
import { TrapAndEmulateMonitor } from "./trap.js";
import { MONITOR_MAX_STEPS, type MonitoredRun, type RunOptions } from "./types.js";

/** The forms that are sensitive but not privileged on the x86 profile (the ones a deprivileged kernel runs without a trap). */
export const SENSITIVE_FORMS: ReadonlySet<string> = new Set(INSTRUCTIONS.filter((s) => s.privilege.x86 === "sensitive").map((s) => s.name));

/** How the translator treats one instruction of kernel code: copied, or a callout into the monitor. */
export type TranslationChoice = "IDENT" | "CALLOUT";

/** The reference translation policy: every sensitive form is a callout, everything else is copied. */
export function referencePolicy(spec: InstructionSpec): TranslationChoice {
  return SENSITIVE_FORMS.has(spec.name) ? "CALLOUT" : "IDENT";
}

/** A callout: a #GP at the instruction, which the exit policy sends to the monitor and its handlers emulate. */
const CALLOUT: RewrittenCode = { lines: [`throw m.fault(${VECTOR.GENERAL_PROTECTION});`], raises: true, branch: true };

/** A binary-translation virtual machine: trap-and-emulate's shell and handlers, its kernel code translated with callouts. */
export class BinaryTranslationMonitor extends TrapAndEmulateMonitor {
  override readonly monitor = "bt" as const;
  /** The translator the real machine runs on (its statistics: `translation()`). */
  readonly translator: DbtEngine;

  constructor(loadable: Loadable, handlers: TrapHandlers, options: RunOptions = {}, policy: (spec: InstructionSpec) => TranslationChoice = referencePolicy) {
    const self: { vm?: BinaryTranslationMonitor } = {};
    const translator = createDbt({
      name: "bt",
      description: "the BT monitor's translator: sensitive kernel instructions become callouts",
      // Kernel code is translated at once: nothing it runs may reach the interpreter unrewritten.
      hot: 1,
      mode: () => self.vm?.vcpu.cpl ?? 0,
      rewrite: () => (self.vm && self.vm.vcpu.cpl === 0 ? (spec) => (policy(spec) === "CALLOUT" ? CALLOUT : undefined) : undefined),
    });
    super(loadable, handlers, options, translator);
    self.vm = this;
    this.translator = translator;
  }

  /** The translator's statistics for this guest (regions, blocks, instructions, callouts are the exits). */
  translation(): TranslationStats {
    return this.translator.stats(this.machine);
  }
}

/** Run a guest under the binary-translation monitor with the given handlers until it stops or the budget ends. */
export function runBinaryTranslation(loadable: Loadable, handlers: TrapHandlers, options: RunOptions = {}): MonitoredRun {
  const vm = new BinaryTranslationMonitor(loadable, handlers, options);
  vm.advance(options.maxSteps ?? MONITOR_MAX_STEPS);
  return vm.result();
}

/** Sessions of the binary-translation monitor with `handlers`, for the equivalence checker. */
export function btSession(handlers: TrapHandlers, policy?: (spec: InstructionSpec) => TranslationChoice): SessionFactory {
  return (loadable, options) => new BinaryTranslationMonitor(loadable, handlers, options, policy);
}
