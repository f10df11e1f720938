// The translation policy API of the binary-translation monitor: what a student's lab 02 code sees and writes.
//
// The monitor translates the guest kernel's code (everything that runs at virtual CPL 0) before it runs.
// For each kernel instruction the translator meets, it asks the policy what to emit (the lecture's three
// classes, after VMware's translator, Adams & Agesen 2006):
// - IDENT: copy it. It runs on the real CPU at real CPL 3 as it is: a privileged instruction still traps
//   to the monitor (a full trap, the expensive path trap-and-emulate takes), a sensitive-but-unprivileged
//   one (POPF, PUSHF, IRET within a ring, PUSH CS, MOV r, CS, SMSW, SIDT on the x86 profile) silently
//   uses the real state instead of the virtual one;
// - INLINE: replace it by a few instructions that work on the virtual CPU in place, with no monitor entry
//   (CLI becomes "virtual IF ← 0"; STI "virtual IF ← 1", calling out when a virtual interrupt waits).
//   Only the forms in INLINE_FORMS have an inline sequence;
// - CALLOUT: replace it by a call into the monitor, which runs your callout for it (a handler with a
//   VirtualCpu, as in lab 01) — cheaper than a trap, dearer than inline code.
// The policy must classify every instruction: one it leaves unclassified stops the run with a message
// naming the instruction and its address.
import type { TrapHandlers, TrappedInstruction } from "./api.js";

/** What the translator emits for one kernel instruction. */
export type Translation = "IDENT" | "INLINE" | "CALLOUT";

/** The three translations, for validation and messages. */
export const TRANSLATIONS: readonly Translation[] = ["IDENT", "INLINE", "CALLOUT"];

/** The forms that have an inline sequence (operations on the virtual CPU in place). */
export const INLINE_FORMS: readonly string[] = ["CLI", "STI"];

/** A kernel instruction as the translator sees it: decoded, with its privilege class on the run's profile. */
export interface KernelInstruction extends TrappedInstruction {
  /**
   * On the run's profile: `privileged` traps at CPL 3, `sensitive` reads or changes privileged state without
   * trapping (only on x86), `innocuous` neither (src/isa/table.ts, the instruction table's privilege column).
   */
  readonly privilege: "innocuous" | "privileged" | "sensitive";
}

/**
 * The translation policy: IDENT, INLINE or CALLOUT for one kernel instruction. Called once per instruction
 * translated (the translator caches its answer with the translation), so it must depend only on the
 * instruction. Returning anything else stops the run naming the instruction.
 */
export type TranslationPolicy = (insn: KernelInstruction) => Translation;

/**
 * A binary-translation monitor's code: the policy, and the callouts its CALLOUT instructions enter — lab 01's
 * handler slots (`pushf`, `popf`, `iret`, `readCs`, `smsw`, `sidt`, `cli`, `sti`, ...), each called with a
 * VirtualCpu whose `insn` is the instruction called out, and each resuming the guest (skip, jump, ...)
 * exactly as a trap handler does. Privileged instructions left IDENT trap to the monitor's own trap handlers.
 */
export interface BinaryTranslator {
  readonly policy: TranslationPolicy;
  readonly callouts: TrapHandlers;
}
