// The interpreter: a fetch/decode/execute loop generated from the instruction table's semantics templates.
//
// The loop is one `switch` over the opcode whose cases are the table's `exec` templates, compiled once
// per profile with `new Function`. That keeps the table the only place that says what an instruction
// does, and gives V8 a monomorphic loop with registers in a typed array: the shape that runs fastest.
import { INSTRUCTIONS, type InstructionSpec, type Profile } from "../isa/table.js";
import { imm16Kind } from "../isa/encoding.js";
import { VECTOR } from "../isa/arch.js";
import { CpuEvent, type Machine, type Stop } from "../machine/machine.js";

/** A compiled engine runs a machine for at most `maxSteps` instructions and says why it stopped. */
export type Engine = (m: Machine, maxSteps: number) => Stop;

/** The JavaScript statements that decode one instruction's fields and execute its template. */
export function caseBody(s: InstructionSpec): string {
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(s.exec);
  const lines: string[] = [];
  if (uses("a")) lines.push("const a = (w >>> 20) & 15;");
  if (uses("b")) lines.push("const b = (w >>> 16) & 15;");
  if (uses("c")) lines.push("const c = (w >>> 12) & 15;");
  if (uses("imm")) {
    if (s.size === 8) lines.push("const imm = m.fetch((pc + 4) >>> 0) | 0;");
    else if (imm16Kind(s) === "u16") lines.push("const imm = w & 0xffff;");
    else lines.push("const imm = (w << 16) >> 16;");
  }
  lines.push(`const next = (pc + ${s.size}) >>> 0;`);
  lines.push(s.exec);
  if (!s.branch) lines.push("pc = next;");
  return lines.join(" ");
}

/** Source of the run loop for one profile (exported for inspection and golden tests). */
export function engineSource(profile: Profile): string {
  const cases = INSTRUCTIONS.map((s) => `      case ${s.op}: { /* ${s.name} */ ${caseBody(s)} break; }`).join("\n");
  return `"use strict";
const STRICT = ${profile === "strict"};
return function run(m, maxSteps) {
  const R = m.R, ops = m.ops;
  let pc = m.pc >>> 0, left = maxSteps, op = 0, w = 0;
  for (;;) {
    try {
      for (;;) {
        if (left <= 0) { m.pc = pc; return { kind: "budget", pc }; }
        if (m.time >= m.checkAt) {
          m.pc = pc;
          const s = m.boundary();
          if (s !== undefined) return s;
          pc = m.pc >>> 0;
        }
        w = m.fetch(pc);
        op = w >>> 24;
        switch (op) {
${cases}
      default: throw m.fault(${VECTOR.INVALID_OPCODE});
        }
        ops[op]++; m.time++; left--;
      }
    } catch (e) {
      if (e instanceof CpuEvent && e.returnPc !== undefined) { ops[op]++; m.time++; left--; }
      const s = m.onEvent(e, pc);
      if (s !== undefined) return s;
      pc = m.pc >>> 0;
    }
  }
};`;
}

const compiled = new Map<Profile, Engine>();

/** The compiled engine for a profile (compiled on first use; the code is a pure function of the table). */
export function compiledEngine(profile: Profile): Engine {
  let engine = compiled.get(profile);
  if (!engine) {
    engine = new Function("CpuEvent", engineSource(profile))(CpuEvent) as Engine;
    compiled.set(profile, engine);
  }
  return engine;
}
