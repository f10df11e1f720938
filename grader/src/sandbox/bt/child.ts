// The binary-translation harness inside the sandbox child: the runtime `vmlab` module, the translator (policy and callouts) found and wrapped, and each case run.
//
// A lab 02 submission exports `translator`: an object with `policy`, a function from a kernel instruction
// to "IDENT", "INLINE" or "CALLOUT" (src/vmm/bt-api.ts), and `callouts`, an object of handler functions
// with lab 01's names. Both are read once; the callouts are checked and wrapped as trap handlers are
// (trap/child.ts), the policy in a guarded call that hands it a frozen copy of the instruction and reads
// back only a string. What traps instead of calling out runs on the monitor's own handlers (case.ts).
import { INLINE_FORMS, TRANSLATIONS, type BinaryTranslator, type KernelInstruction, type Translation } from "../../../../src/vmm/bt-api.js";
import { describeKind, describeThrown, displayName, missingExport, type LoadFailure } from "../compartment.js";
import { guardedCall, type GuardContext } from "../guarded-call.js";
import type { CaseRunOptions, ChildHarness } from "../harness.js";
import type { SandboxCaseResult, WireCase } from "../protocol.js";
import { fromWire, type TrapInput } from "../trap/wire.js";
import { findHandlers, runtimeApi as trapRuntimeApi, wrapHandlers } from "../trap/child.js";
import { isBtApiSpecifier } from "./api-specifier.js";
import { runBtCase } from "./case.js";
import { caseMemory } from "../trap/case.js";

/** The runtime side of `vmlab` for lab 02: lab 01's constants and the translation names. */
function runtimeApi(): object {
  return harden({ ...(trapRuntimeApi() as Record<string, unknown>), TRANSLATIONS: [...TRANSLATIONS], INLINE_FORMS: [...INLINE_FORMS] });
}

/** A copy of the instruction the policy may keep: primitives only, frozen. */
function copyInstruction(insn: KernelInstruction): KernelInstruction {
  return Object.freeze({
    name: insn.name, mnemonic: insn.mnemonic, pc: insn.pc, size: insn.size, a: insn.a, b: insn.b, c: insn.c, imm: insn.imm, text: insn.text, privilege: insn.privilege,
  });
}

/** Read the policy's answer as a string (anything else is handed on as its kind, for the monitor's message). */
function answerOf(returned: unknown): Translation {
  return (typeof returned === "string" ? returned.slice(0, 40) : returned === undefined ? undefined : `(${describeKind(returned)})`) as Translation;
}

function bind(exported: unknown, { js, entry, exportName, ctx }: { readonly js: Readonly<Record<string, string>>; readonly entry: string; readonly exportName: string; readonly ctx: GuardContext }) {
  const file = displayName(ctx.where.maps, entry);
  const shape = `export const ${exportName}: BinaryTranslator = { policy(insn) { ... }, callouts: { ... } };`;
  if (exported === undefined) return missingExport(js, entry, exportName, ctx.where, shape);
  if (typeof exported !== "object" || exported === null) {
    return { ok: false, status: "missing-export", message: `\`${exportName}\` in ${file} must be an object with \`policy\` and \`callouts\`, but it is ${describeKind(exported)}.` } satisfies LoadFailure;
  }
  let policy: unknown, callouts: unknown;
  try {
    policy = (exported as Record<string, unknown>).policy;
    callouts = (exported as Record<string, unknown>).callouts;
  } catch (e) {
    return { ok: false, status: "load-error", message: `Reading \`${exportName}\` from ${file} failed: ${describeThrown(e, ctx.where)}` } satisfies LoadFailure;
  }
  if (typeof policy !== "function") {
    return { ok: false, status: "missing-export", message: `\`${exportName}.policy\` must be a function from a kernel instruction to "IDENT", "INLINE" or "CALLOUT", but it is ${describeKind(policy)}.` } satisfies LoadFailure;
  }
  const found = findHandlers(callouts ?? {}, `${exportName}.callouts`, js, entry, ctx.where);
  if (!found.ok) return found;
  const wrapped = wrapHandlers(found.handlers, found.self, { ...ctx, noun: "callout" });
  const policyCtx: GuardContext = { ...ctx, noun: "function" };
  const fn = policy as (...args: unknown[]) => unknown;
  const translator: BinaryTranslator = harden({
    policy: (insn: KernelInstruction) => guardedCall(policyCtx, "policy", fn, exported, [copyInstruction(insn)], answerOf) as Translation,
    callouts: wrapped,
  });
  // One submission's cases run one after another on the same memory.
  const memory = caseMemory();
  return {
    ok: true as const,
    run: (c: WireCase, options: CaseRunOptions): SandboxCaseResult => {
      const input = c.input as unknown as TrapInput;
      return runBtCase(c.id, fromWire(input.guest), translator, { profile: input.profile, maxSteps: input.maxSteps, cost: options.cost, engine: options.engine, memory: memory.next() });
    },
  };
}

export const btChild: ChildHarness = { runtimeApi, isApiSpecifier: isBtApiSpecifier, bind };
