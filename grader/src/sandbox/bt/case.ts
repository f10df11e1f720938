// The binary-translation harness's case runner inside the sandbox child: one case through the equivalence check under the BT monitor with the student's translator.
//
// Trusted code. The translator it receives is wrapped (child.ts). What traps rather than calling out (a
// privileged instruction the policy left IDENT, a fault, an interrupt to reflect) runs on the monitor's
// own handlers (src/vmm/bt.ts monitorTrapHandlers: the instruction emulator, lab 01's work, without the
// callouts a student writes in lab 02, which must come from the translator).
import type { Loadable } from "../../../../src/machine/machine.js";
import type { BinaryTranslator } from "../../../../src/vmm/bt-api.js";
import { translatorSession } from "../../../../src/vmm/bt.js";
import type { SandboxCaseResult } from "../protocol.js";
import { runTrapCase, type TrapCaseOptions } from "../trap/case.js";

/** Run one case: native and binary translation with `translator`, compared by the equivalence checker. */
export function runBtCase(id: string, loadable: Loadable, translator: BinaryTranslator, options: TrapCaseOptions): SandboxCaseResult {
  return runTrapCase(id, loadable, translatorSession(translator, options.profile), options);
}
