// The interpreter: a fetch/decode/execute loop generated from the instruction table's semantics templates.
//
// The loop is one `switch` over the opcode whose cases are the table's `exec` templates, compiled once
// per profile with `new Function`. That keeps the table the only place that says what an instruction
// does, and gives V8 a monomorphic loop whose hot state lives in locals. Every piece of the loop comes
// from codegen.ts, which a translator shares; this module only arranges them: fetch the word, decode
// its fields at run time, run the case, count it.
import { INSTRUCTIONS, type InstructionSpec, type Profile } from "../isa/table.js";
import type { Stop } from "../machine/events.js";
import type { Engine, EngineHost } from "./engine.js";
import { boundaryCheck, declarations, eventHandler, EVENTS_LABEL, fetchWord, indent, instructionCode, INVALID_OPCODE, profileConstant, retire } from "./codegen.js";
import { compileSource } from "./runtime.js";

/** A compiled loop: runs a machine for at most `maxSteps` instructions. */
type Loop = (m: EngineHost, maxSteps: number) => Stop;

/** The statements of one form's case, one per line (decode, template, PC update). */
export function caseLines(s: InstructionSpec): string[] {
  return instructionCode(s, "runtime").lines;
}

/** One form's case body on one line, as the notebooks show it. */
export function caseBody(s: InstructionSpec): string {
  return caseLines(s).join(" ");
}

/**
 * Source of the run loop for one profile (golden copies in golden/interpreter.PROFILE.js).
 *
 * Hot state lives in locals (see codegen.ts): the PC, the step budget, lazy flags and the TLB masks of
 * the current ring. The clock is not counted separately: while the loop runs, machine time is
 * `base - left`, and the loop leaves its fast path when `left` reaches `limit` — the budget's end or the
 * machine's next `checkAt`, whichever comes first — so one compare per instruction covers both.
 * Instruction fetch and data accesses hit the TLB inline; anything unusual (a miss, a misaligned
 * access, a fault) takes the machine's slow path. Events leave the inner loop (labelled EVENTS_LABEL)
 * for the handler after it: the common ones — privilege checks, HLT, INT, BRK, #UD — by a labelled break
 * with the event in `ev`, the ones raised inside a helper by a throw the `catch` stores in `ev`. A throw
 * through this one large function is costly while V8 runs it as baseline code (short-lived processes
 * never optimize it): to unwind, V8 scans its bytecode's position tables from the start.
 */
export function engineSource(profile: Profile): string {
  const cases = INSTRUCTIONS.flatMap((s) => [`case ${s.op}: { // ${s.name}`, ...indent(caseLines(s)), "  break;", "}"]);
  return [
    '"use strict";',
    profileConstant(profile),
    "return function run(m, maxSteps) {",
    ...indent([
      ...declarations(),
      "for (;;) {",
      ...indent([
        "try {",
        ...indent([
          `${EVENTS_LABEL}: for (;;) {`,
          ...indent([
            ...boundaryCheck(),
            ...fetchWord(),
            "op = w >>> 24;",
            "switch (op) {",
            ...indent([...cases, "default:", `  ${INVALID_OPCODE}`]),
            "}",
            ...retire("op"),
          ]),
          "}",
        ]),
        "} catch (e) {",
        "  ev = e;",
        "}",
        ...eventHandler(),
      ]),
      "}",
    ]),
    "};",
    `//# sourceURL=vmlab-interpreter-${profile}.js`,
    "",
  ].join("\n");
}

/** The interpreter as an engine: compiles each profile's loop on first use (the code is a pure function of the table). */
function createInterpreter(): Engine {
  const loops = new Map<Profile, Loop>();
  return {
    name: "interpreter",
    description: "a switch over the opcode generated from the instruction table, hot state in locals, TLB and memory fast paths inline",
    run(m, maxSteps) {
      let loop = loops.get(m.profile);
      if (!loop) {
        loop = compileSource<Loop>(engineSource(m.profile));
        loops.set(m.profile, loop);
      }
      return loop(m, maxSteps);
    },
  };
}

/** The interpreter (every machine's default engine). */
export const interpreter: Engine = createInterpreter();
