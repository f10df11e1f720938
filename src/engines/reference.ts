// The reference engine: the instruction table run as plainly as possible, as a differential oracle for the interpreter (and later the translator).
//
// No locals, no inline expansions, no fast paths: each step fetches through the machine, decodes with the
// disassembler's decoder (encoding.ts), and calls the form's template as a function with `m` the machine,
// so every helper a template names runs as the Machine method it is. The machine's fields are
// authoritative at every moment (its clock is advanced per retired instruction, its deadline read
// afresh). It shares with the interpreter only the table and the machine; what the interpreter adds —
// locals, syncing, inline TLB and flag code, its fetch accounting — must give the same result on every
// observable, which the differential tests check.
import { VECTOR } from "../isa/arch.js";
import { decode } from "../isa/encoding.js";
import { BY_OPCODE, INSTRUCTIONS, type InstructionSpec, type Profile } from "../isa/table.js";
import { CpuEvent, type Stop } from "../machine/events.js";
import type { Engine, EngineHost } from "./engine.js";
import { fetchImmediate } from "./runtime.js";

/** One form's template as a function of the machine and the decoded fields; returns the next PC. */
type Semantics = (m: EngineHost, R: Int32Array, a: number, b: number, c: number, imm: number, pc: number, next: number) => number;

/** A form's template as a function: `STRICT` fixed by the profile; a non-branch goes on at `next`. */
export function semanticsFunction(spec: InstructionSpec, profile: Profile): Semantics {
  const tail = spec.branch ? "return pc;" : "return next;";
  const body = `"use strict";\nconst STRICT = ${profile === "strict"};\n${spec.exec}\n${tail}\n//# sourceURL=vmlab-reference-${profile}-${spec.name}.js`;
  return new Function("m", "R", "a", "b", "c", "imm", "pc", "next", body) as Semantics;
}

/** The reference engine as an engine; compiles each profile's templates on first use. */
function createReference(): Engine {
  const tables = new Map<Profile, readonly (Semantics | undefined)[]>();
  const tableFor = (profile: Profile) => {
    let t = tables.get(profile);
    if (!t) {
      const fs: (Semantics | undefined)[] = new Array(256).fill(undefined);
      for (const s of INSTRUCTIONS) fs[s.op] = semanticsFunction(s, profile);
      tables.set(profile, (t = fs));
    }
    return t;
  };
  return {
    name: "reference",
    description: "the table's templates called one by one on the machine, no locals or fast paths (a differential oracle, slow)",
    run(m: EngineHost, maxSteps: number): Stop {
      const semantics = tableFor(m.profile);
      let left = maxSteps;
      for (;;) {
        if (left <= 0) return { kind: "budget", pc: m.pc };
        if (m.time >= m.checkAt) {
          const s = m.boundary();
          if (s !== undefined) return s;
        }
        const pc = m.pc >>> 0;
        let op = -1;
        try {
          const w0 = m.fetch(pc);
          const spec = BY_OPCODE[w0 >>> 24];
          if (!spec) throw m.fault(VECTOR.INVALID_OPCODE);
          op = spec.op;
          const d = decode(w0, spec.size === 8 ? fetchImmediate(m, (pc + 4) >>> 0) : 0)!;
          const next = semantics[op]!(m, m.R, d.a, d.b, d.c, d.imm, pc, (pc + spec.size) >>> 0);
          m.pc = next >>> 0;
          m.ops[op]!++;
          m.time++;
          left--;
        } catch (e) {
          // A trap, system call or HLT retired its instruction; a fault did not.
          if (e instanceof CpuEvent && e.returnPc !== undefined) {
            m.ops[op]!++;
            m.time++;
            left--;
          }
          const s = m.onEvent(e, pc);
          if (s !== undefined) return s;
        }
      }
    },
  };
}

/** The reference engine. */
export const reference: Engine = createReference();
