// Code generation for translators: an instruction compiled with its fields as constants does exactly what the interpreter's case does with fields decoded at run time.
import { describe, expect, it } from "vitest";
import { decode } from "../isa/encoding.js";
import { BY_OPCODE, spec, type InstructionSpec, type Profile } from "../isa/table.js";
import { CpuEvent } from "../machine/events.js";
import type { Machine } from "../machine/machine.js";
import { firstDifference, observe } from "./differential.js";
import { fuzzCase } from "./fuzz.js";
import { declarations, EVENTS_LABEL, expandEvents, indent, instructionCode, profileConstant, saveAll, syncAround, type ConstantFields } from "./codegen.js";
import { compileSource, fetchImmediate } from "./runtime.js";
import { statements, substitute } from "./template.js";

/** One instruction as a function of the machine (and its first word): run it on the loop's locals, write them back, return the PC. */
type Step = (m: Machine, maxSteps: number, w: number) => number;

function compileStep(s: InstructionSpec, fields: ConstantFields | "runtime", profile: Profile): Step {
  const body = [
    '"use strict";',
    profileConstant(profile),
    "return function step(m, maxSteps, word) {",
    ...indent([
      ...declarations(),
      "w = word;",
      // An event raised as data leaves the labelled block with it in `ev`; a thrown one is caught into `ev`.
      "try {",
      ...indent([`${EVENTS_LABEL}: {`, ...indent(instructionCode(s, fields).lines), "}"]),
      "} catch (e) {",
      "  ev = e;",
      "}",
      ...saveAll(),
      "m.counters.tlbHits += dh;",
      "if (ev !== undefined) throw ev;",
      "return pc;",
    ]),
    "};",
  ].join("\n");
  return compileSource<Step>(body);
}

/** What one step did: the PC it returned or the event it raised, and everything observable after it. */
function outcome(m: Machine, step: Step, w: number) {
  let result: unknown;
  try {
    result = { pc: step(m, 1, w) };
  } catch (e) {
    if (!(e instanceof CpuEvent)) result = { error: String(e) };
    else result = { event: { kind: e.kind, vector: e.vector, error: e.error, returnPc: e.returnPc } };
  }
  return { result, observed: observe(m, { kind: "budget", pc: m.pc }) };
}

describe("instructionCode", () => {
  it("substitutes constant fields into the template and folds the next PC", () => {
    expect(instructionCode(spec("ADDI"), { pc: 0x1000, a: 3, b: 4, c: 0, imm: -5 }).lines).toEqual([
      "R[3] = (fa = R[4], fb = (-5), fop = 1, fres = (fa + fb) | 0);",
      "pc = 0x00001004;",
    ]);
    expect(instructionCode(spec("JNZ"), { pc: 0x2000, a: 0, b: 0, c: 0, imm: 0x1000 }, { advance: false }).lines).toEqual([
      "pc = (fop !== 0 ? fres !== 0 : evalCond(1, fop, fres, fa, fb, fstat)) ? 4096 >>> 0 : 0x00002008;",
    ]);
    const out = instructionCode(spec("OUT"), { pc: 0, a: 1, b: 0, c: 0, imm: 0x10 });
    expect(out).toMatchObject({ mode: "machine", raises: true });
    expect(instructionCode(spec("MOV"), { pc: 0, a: 1, b: 2, c: 0, imm: 0 })).toMatchObject({ mode: "locals", raises: false });
  });

  it("agrees with the run-time decoded case on 800 random machines", () => {
    const runtimeSteps = new Map<string, Step>();
    let compared = 0;
    for (let seed = 10_000; seed < 10_800; seed++) {
      const c = fuzzCase(seed);
      const runtime = c.create(), constant = c.create();
      const pc = runtime.pc >>> 0;
      let w0: number, w1 = 0;
      try {
        w0 = runtime.fetch(pc);
        constant.fetch(pc);
      } catch {
        continue; // the fetch itself faults: nothing to compile
      }
      const s = BY_OPCODE[w0 >>> 24];
      if (!s) continue;
      if (s.size === 8) {
        try {
          w1 = fetchImmediate(constant, (pc + 4) >>> 0);
        } catch {
          continue;
        }
      }
      const d = decode(w0, w1)!;
      const key = `${s.name} ${c.profile}`;
      if (!runtimeSteps.has(key)) runtimeSteps.set(key, compileStep(s, "runtime", c.profile));
      const a = outcome(runtime, runtimeSteps.get(key)!, w0);
      const b = outcome(constant, compileStep(s, { pc, a: d.a, b: d.b, c: d.c, imm: d.imm }, c.profile), w0);
      expect(firstDifference(a, b), `fuzz seed ${seed}: ${s.name}`).toBeUndefined();
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe("event forms", () => {
  it("turns a check into a jump to the handler with the event in ev, as the branch's one statement after if (…)", () => {
    expect(expandEvents("m.needIopl(); m.setIF(false);", "break out;", "CLI's template")).toBe("if (m.cpl > m.iopl) { ev = m.fault(13); break out; } m.setIF(false);");
    expect(expandEvents("if (STRICT) m.needCpl0(); R[a] = m.idtr;", "break out;", "SIDT's template")).toBe("if (STRICT) { if (m.cpl !== 0) { ev = m.fault(13); break out; } } R[a] = m.idtr;");
    expect(expandEvents("m.softInt(imm & 255, next);", "break out;", "INT's template")).toBe("{ ev = m.softIntEvent(imm & 255, next); break out; }");
  });

  it("refuses a helper with an event form called inside an expression, naming the template", () => {
    expect(() => expandEvents("R[a] = m.halt(next);", "break out;", "a template")).toThrow(/a template calls m\.halt inside an expression/);
    expect(() => expandEvents("f(m.needCpl0());", "break out;", "a template")).toThrow(/calls m\.needCpl0 inside an expression/);
  });
});

describe("syncing", () => {
  it("writes back what a call reads or changes, reloads what it changes, and reloads the deadline with the time", () => {
    expect(syncAround(["time"], ["deadline"])).toEqual({ before: ["m.time = base - left;"], after: ["limit = Math.max(0, base - m.checkAt);"] });
    expect(syncAround([], ["time"]).after).toEqual(["base = m.time + left;", "limit = Math.max(0, base - m.checkAt);"]);
    expect(syncAround(["masks", "regs"], []).before).toEqual([]);
  });
});

describe("reading templates", () => {
  it("splits top-level statements, keeping blocks and if-statements whole", () => {
    expect(statements("if (STRICT) m.needCpl0(); m.push(m.flagsWord());")).toEqual(["if (STRICT) m.needCpl0();", "m.push(m.flagsWord());"]);
    expect(statements("{ const v = m.pop(); R[a] = v; }")).toEqual(["{ const v = m.pop(); R[a] = v; }"]);
    expect(statements("")).toEqual([]);
  });

  it("substitutes free identifiers only, not properties or longer names", () => {
    expect(substitute("R[a] = m.a + ab + a;", { a: "3" })).toBe("R[3] = m.a + ab + 3;");
  });
});
