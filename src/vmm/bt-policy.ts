// What the binary-translation monitor's translator emits for each translation class: the reference policy, the inline sequences and the callout, and the checks that make a bad policy loud.
//
// The emitted code is statements over the translated region's locals (src/engines/translate.ts): `m` is the
// real machine, `m.vstate` the virtual CPU's shared words (kit/virtual-cpu-state.ts VSTATE), `base - left`
// the machine time before the instruction. A callout is a #GP raised at the instruction after marking
// VSTATE.CALLOUT, so the monitor knows the exit is a call into it and not a trap; it is raised as data
// (the event in `ev`, then REGION_LEAVE to the region's handler), as the instruction table's checks are.
import { VECTOR } from "../isa/arch.js";
import { formatInstruction } from "../isa/disassembler.js";
import { INSTRUCTIONS, type InstructionSpec, type Profile } from "../isa/table.js";
import type { ConstantFields } from "../engines/codegen.js";
import { REGION_LEAVE, type RewrittenCode } from "../engines/translate.js";
import { TRANSLATIONS, INLINE_FORMS, type KernelInstruction, type Translation, type TranslationPolicy } from "./bt-api.js";
import { VSTATE } from "./kit/virtual-cpu-state.js";
import { HANDLER_FOR_FORM } from "./trap.js";
import { hex8 } from "./types.js";

export { INLINE_FORMS, TRANSLATIONS, type BinaryTranslator, type KernelInstruction, type Translation, type TranslationPolicy } from "./bt-api.js";

/** The forms that are sensitive but not privileged on the x86 profile (the ones a deprivileged kernel runs without a trap). */
export const SENSITIVE_FORMS: ReadonlySet<string> = new Set(INSTRUCTIONS.filter((s) => s.privilege.x86 === "sensitive").map((s) => s.name));

/** Forms a callout can enter: those with a handler slot (lab 01's names). */
export const CALLOUT_FORMS: ReadonlySet<string> = new Set(Object.keys(HANDLER_FOR_FORM));

/**
 * The reference translation policy: CLI and STI inline, every other sensitive or privileged instruction a
 * callout (cheaper than letting a privileged one trap), everything innocuous copied.
 */
export function referencePolicy(insn: KernelInstruction): Translation {
  if (INLINE_FORMS.includes(insn.name)) return "INLINE";
  return insn.privilege === "innocuous" ? "IDENT" : "CALLOUT";
}

/** The policy with no inline code: every sensitive or privileged instruction a callout, CLI and STI too. */
export function allCalloutPolicy(insn: KernelInstruction): Translation {
  return insn.privilege === "innocuous" ? "IDENT" : "CALLOUT";
}

const v = (word: number) => `m.vstate[${word}]`;

/** The #GP of a callout, handed to the region's event handler. */
const CALL_OUT = `${v(VSTATE.CALLOUT)} = 1; ev = m.fault(${VECTOR.GENERAL_PROTECTION}); ${REGION_LEAVE}`;

/** A callout: mark the exit as one, then a #GP at the instruction, which the exit policy sends to the monitor. */
export const CALLOUT_CODE: RewrittenCode = { lines: [CALL_OUT], raises: true, branch: true };

/** The inline sequences, by form: the lecture's `mov [CPU_IE], 0` for CLI; for STI `mov [CPU_IE], 1` unless an interrupt waits (`test [CPU_IRQ]`), which calls out. */
export const INLINE_CODE: Readonly<Record<string, RewrittenCode>> = {
  CLI: { lines: [`${v(VSTATE.IF)} = 0;`, `${v(VSTATE.INLINED)}++;`], raises: false },
  STI: {
    lines: [
      `if (${v(VSTATE.IRQ)} !== 0) { ${CALL_OUT} }`,
      // The STI shadow: the monitor holds interrupts back until after the next instruction, counted from here.
      `if (${v(VSTATE.IF)} === 0) { ${v(VSTATE.IF)} = 1; ${v(VSTATE.STI_AT)} = base - left; }`,
      `${v(VSTATE.INLINED)}++;`,
    ],
    raises: true,
  },
};

/** The kernel instruction the policy is asked about. */
export function kernelInstruction(spec: InstructionSpec, f: ConstantFields, profile: Profile): KernelInstruction {
  return {
    name: spec.name, mnemonic: spec.mnemonic, pc: f.pc >>> 0, size: spec.size, a: f.a, b: f.b, c: f.c, imm: f.imm,
    text: formatInstruction({ spec, a: f.a, b: f.b, c: f.c, imm: f.imm }), privilege: spec.privilege[profile],
  };
}

/** A policy's answer that cannot be translated, in words: what is wrong and how to fix it (undefined: it can). */
export function policyProblem(insn: KernelInstruction, answer: unknown): string | undefined {
  const at = `${insn.name} (${insn.text}) at 0x${hex8(insn.pc)}`;
  if (answer === undefined || answer === null) {
    return `the translation policy did not classify ${at}: return "IDENT", "INLINE" or "CALLOUT" for it (a ${insn.privilege} instruction)`;
  }
  if (typeof answer !== "string" || !(TRANSLATIONS as readonly string[]).includes(answer)) {
    return `the translation policy returned ${typeof answer === "string" ? JSON.stringify(answer.slice(0, 40)) : typeof answer} for ${at}: it must return "IDENT", "INLINE" or "CALLOUT"`;
  }
  if (answer === "INLINE" && !INLINE_FORMS.includes(insn.name)) {
    return `the translation policy chose INLINE for ${at}, which has no inline sequence (only ${INLINE_FORMS.join(" and ")} do): return "CALLOUT" or "IDENT"`;
  }
  if (answer === "CALLOUT" && !CALLOUT_FORMS.has(insn.name)) {
    return `the translation policy chose CALLOUT for ${at}, which has no callout (only instructions with a handler slot do): return "IDENT"`;
  }
  return undefined;
}

/** The cached, checked form of a policy the translator calls: code for an instruction, or a problem to stop the run with. */
export type CheckedPolicy = (spec: InstructionSpec, fields: ConstantFields) => RewrittenCode | undefined;

/** Wrap `policy` for the translator: one call per instruction (by address and encoding), its answer checked; `fail` ends the run with a problem's words. */
export function checkedPolicy(policy: TranslationPolicy, profile: Profile, fail: (message: string, pc: number) => never): CheckedPolicy {
  const cache = new Map<string, Translation>();
  return (spec, fields) => {
    const key = `${fields.pc >>> 0}:${spec.op}:${fields.a}:${fields.b}:${fields.c}:${fields.imm}`;
    let t = cache.get(key);
    if (t === undefined) {
      const insn = kernelInstruction(spec, fields, profile);
      const answer: unknown = policy(insn);
      const problem = policyProblem(insn, answer);
      if (problem) fail(problem, insn.pc);
      t = answer as Translation;
      cache.set(key, t);
    }
    return t === "IDENT" ? undefined : t === "INLINE" ? INLINE_CODE[spec.name] : CALLOUT_CODE;
  };
}
