// The generated interpreter: complete over the table, readable and reviewed as golden source, and its inline fast paths agree with the machine's slow paths.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { INSTRUCTIONS, PROFILES, spec } from "../isa/table.js";
import { goldenMismatch } from "../core/golden.js";
import { caseBody, caseLines, engineSource, interpreter } from "./interpreter.js";
import { compileSource } from "./runtime.js";
import { Machine } from "../machine/machine.js";
import { generateGuest, GUEST_MEMORY } from "../analysis/generator.js";
import { runGuest, buildGuest } from "../guests/index.js";
import { HELPERS } from "./helpers.js";
import { helperUses } from "./template.js";
import { assemble } from "../isa/assembler.js";
import { VECTOR } from "../isa/arch.js";
import { exitPolicy } from "../machine/exit-policy.js";
import type { ExitEvent } from "../machine/events.js";
import { dbt } from "./dbt.js";
import { engineRunners, firstDifference, observe, type LockstepRunner } from "./differential.js";
import type { Engine } from "./engine.js";

describe("the generated interpreter", () => {
  it.each(PROFILES)("has one case per table form on the %s profile, and compiles", (profile) => {
    const source = engineSource(profile);
    for (const s of INSTRUCTIONS) expect(source).toContain(`case ${s.op}: { // ${s.name}\n`);
    expect(() => compileSource(source)).not.toThrow();
  });

  it.each(PROFILES)("names itself vmlab-interpreter-%s.js and puts one statement on each line", (profile) => {
    const source = engineSource(profile);
    expect(source.trimEnd().split("\n").at(-1)).toBe(`//# sourceURL=vmlab-interpreter-${profile}.js`);
    for (const line of source.split("\n")) {
      // Outside declarations, no line holds two statements: a ';' ends a line unless it sits inside brackets (a for(;;), a block template).
      const code = line.replace(/\/\/.*$/, "");
      let depth = 0;
      for (let i = 0; i < code.length; i++) {
        const ch = code[i];
        if ("([{".includes(ch!)) depth++;
        else if (")]}".includes(ch!)) depth--;
        else if (ch === ";" && depth === 0) expect(code.slice(i + 1).trim(), line).toMatch(/^(\}|)$/);
      }
    }
  });

  it.each(PROFILES)("matches its golden copy on the %s profile (VMLAB_ACCEPT=1 rewrites it after a reviewed change)", (profile) => {
    const file = fileURLToPath(new URL(`golden/interpreter.${profile}.js`, import.meta.url));
    const mismatch = goldenMismatch(file, engineSource(profile));
    if (mismatch) expect(mismatch.actual, `the generated interpreter differs from ${file}`).toBe(mismatch.expected);
  });

  it("expands flag, memory and stack helpers inline and leaves slow paths as calls", () => {
    expect(caseLines(spec("ADD"))).toEqual([
      "const a = (w >>> 20) & 15;", "const b = (w >>> 16) & 15;", "const c = (w >>> 12) & 15;", "const next = (pc + 4) >>> 0;",
      "R[a] = (fa = R[b], fb = R[c], fop = 1, fres = (fa + fb) | 0);", "pc = next;",
    ]);
    const load = caseBody(spec("LD"));
    expect(load).toContain("te = FAST[(va >>> 12) & 4095]");
    expect(load).toContain("m.rd32.call(m, va)");
    // A case that runs on locals calls no helper that has an expansion or touches loop state.
    for (const s of INSTRUCTIONS) {
      const body = caseBody(s);
      const onLocals = helperUses(s.exec).every((u) => HELPERS[u.name]!.inline || (HELPERS[u.name]!.reads.length === 0 && HELPERS[u.name]!.writes.length === 0));
      if (onLocals) expect(helperUses(body).filter((u) => u.kind === "call" && HELPERS[u.name]?.inline), s.name).toEqual([]);
    }
  });

  it("writes back and reloads exactly the state a helper declares: the time before OUT, the flags around POPF, the masks after MOV CR", () => {
    expect(caseLines(spec("OUT"))).toEqual([
      "const a = (w >>> 20) & 15;", "const imm = w & 0xffff;", "const next = (pc + 4) >>> 0;",
      "m.time = base - left;", "if (m.cpl > m.iopl) { ev = m.fault(13); break events; }", "m.portOut(imm, R[a]);", "limit = Math.max(0, base - m.checkAt);", "pc = next;",
    ]);
    const popf = caseLines(spec("POPF"));
    expect(popf.indexOf("m.fop = fop;")).toBeLessThan(popf.indexOf("m.setFlagsWord(m.pop(), m.cpl);"));
    expect(popf.indexOf("fop = m.fop;")).toBeGreaterThan(popf.indexOf("m.setFlagsWord(m.pop(), m.cpl);"));
    expect(caseLines(spec("MOV_CR_R"))).toContain("rmask = m.readMask;");
    expect(caseLines(spec("RDTSC"))).toContain("R[a] = ((base - left) + m.tscOffset) | 0;");
  });

  it("runs a pushed value's page fault precisely: the stack pointer is unchanged", () => {
    const m = new Machine();
    m.load({ segments: [{ address: 0, bytes: new Uint8Array(new Int32Array([0x08100000]).buffer) }], entry: 0 }); // push r1
    m.R[15] = 0; // the push would write below address 0: 0xfffffffc, outside memory
    const stop = m.run({ maxSteps: 1 });
    expect(stop.kind).toBe("machine-check");
    expect(m.R[15]).toBe(0);
  });

  it("is every machine's default engine, and a machine runs the engine it is given", () => {
    expect(new Machine().engine).toBe(interpreter);
    const calls: number[] = [];
    const counting = { name: "counting", description: "counts its calls", run: (m: Machine, n: number) => (calls.push(n), interpreter.run(m, n)) };
    const m = new Machine({ engine: counting });
    m.load({ segments: [{ address: 0, bytes: new Uint8Array(new Int32Array([0x01000000, 0x01000000]).buffer) }], entry: 0 }); // nop; nop
    m.run({ maxSteps: 1 });
    m.run({ maxSteps: 1, engine: interpreter });
    expect(calls).toEqual([1]);
    expect(m.retired()).toBe(2);
  });

  it("allocates nothing per call that grows with the opcode space: counts go straight to the machine's mix", () => {
    // A monitor calls run() once per exit; many short calls must add up to one long one.
    const g = generateGuest({ seed: 11, size: 4 });
    const whole = new Machine({ memoryBytes: GUEST_MEMORY });
    whole.load(g.loadable!);
    whole.run({ maxSteps: 5000 });
    const pieces = new Machine({ memoryBytes: GUEST_MEMORY });
    pieces.load(g.loadable!);
    for (let i = 0; i < 5000; i++) pieces.run({ maxSteps: 1 });
    expect(Array.from(pieces.ops)).toEqual(Array.from(whole.ops));
    expect(pieces.counters.toJSON()).toEqual(whole.counters.toJSON());
  });
});

describe("events raised as data", () => {
  const eventForms = Object.entries(HELPERS).filter(([, h]) => h.event).map(([name]) => name);

  it.each(PROFILES)("hands the privilege checks', HLT's, INT's, BRK's, VMCALL's and #UD's events to the handler without a throw on the %s profile", (profile) => {
    expect(eventForms).toEqual(expect.arrayContaining(["needCpl0", "needIopl", "halt", "softInt", "trap", "vmcall"]));
    const source = engineSource(profile);
    for (const name of eventForms) expect(source, name).not.toMatch(new RegExp(`m\\.${name}\\(`));
    // What still throws comes from inside a helper (a slow path's page fault, a port exit), caught into `ev`.
    expect(source).not.toContain("throw");
    expect(caseLines(spec("CLI"))).toEqual([
      "const next = (pc + 4) >>> 0;", "if (m.cpl > m.iopl) { ev = m.fault(13); break events; }", "m.setIF(false);", "limit = Math.max(0, base - m.checkAt);", "pc = next;",
    ]);
    expect(caseLines(spec("INT"))).toContain("{ ev = m.softIntEvent(imm & 255, next); break events; }");
  });

  it("reports a user-mode CLI's #GP, INT's trap and BRK's breakpoint with the same events, PCs and counters on the interpreter, the reference engine and the translator", () => {
    // At CPL 3 with IOPL 0 every CLI faults (the caller skips it, as a monitor would); INT 0x30 and BRK trap past themselves.
    const program = assemble(`
_start: mov r1, 0
loop:   add r1, r1, 1
fault:  cli
        int 0x30
        brk
        cmp r1, 20
        jl loop
        int 0x31`, { file: "user-events.s" });
    const create = (engine?: Engine) => {
      const m = new Machine({ exits: exitPolicy({ vectors: [VECTOR.GENERAL_PROTECTION, VECTOR.BREAKPOINT, 0x30, 0x31] }), ...(engine ? { engine } : {}) });
      m.load(program);
      m.cpl = 3;
      m.refreshMasks();
      return m;
    };
    /** Run from exit to exit until INT 0x31: every exit, and everything observable at the end. */
    const exitsOf = ({ machine, engines }: LockstepRunner) => {
      const exits: ExitEvent[] = [];
      for (let i = 0; i < 200; i++) {
        const stop = machine.run({ maxSteps: 1000, engine: engines[i % engines.length]! });
        if (stop.kind !== "exit") return { exits, observed: observe(machine, stop) };
        exits.push(stop.event);
        if (stop.event.vector === 0x31) return { exits, observed: observe(machine, stop) };
        if (stop.event.kind === "fault") machine.pc = (machine.pc + 4) >>> 0;
      }
      throw new Error("the guest did not reach INT 0x31");
    };
    const runners = engineRunners(create, dbt);
    const [reference, ...others] = runners.map(exitsOf);
    for (const [i, other] of others.entries()) expect(firstDifference(reference, other), runners[i + 1]!.label).toBeUndefined();
    const cli = program.symbols.get("fault")!;
    const seen = (vector: number) => reference!.exits.filter((e) => e.vector === vector).map((e) => [e.kind, e.pc, "returnPc" in e ? e.returnPc : undefined]);
    expect(seen(VECTOR.GENERAL_PROTECTION)).toEqual(Array.from({ length: 20 }, () => ["fault", cli, undefined]));
    expect(seen(0x30)).toEqual(Array.from({ length: 20 }, () => ["trap", cli + 4, cli + 8]));
    expect(seen(VECTOR.BREAKPOINT)).toEqual(Array.from({ length: 20 }, () => ["trap", cli + 8, cli + 12]));
    // A fault retires nothing: 20 CLIs started, none counted.
    expect(reference!.observed.ops[String(spec("CLI").op)]).toBeUndefined();
    expect(reference!.observed.ops[String(spec("INT").op)]).toBe(21);
    // The translator raised them from its regions.
    expect(dbt.stats(runners[1]!.machine).translatedInstructions).toBeGreaterThan(50);
  });
});

/** Run a loadable to the end with the TLB emptied before every instruction, so every access takes the slow path. */
function slowRun(m: Machine, maxSteps: number) {
  for (let i = 0; i < maxSteps; i++) {
    m.flushTlb();
    const stop = m.step();
    if (stop.kind !== "budget") return stop;
  }
  return { kind: "budget" as const, pc: m.pc };
}

describe("fast paths against slow paths", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("agree on generated guest %i (paging, user mode, interrupts)", (seed) => {
    const g = generateGuest({ seed, size: 12 });
    const fast = new Machine({ memoryBytes: GUEST_MEMORY });
    fast.load(g.loadable!);
    const fastStop = fast.run({ maxSteps: 200_000 });
    const slow = new Machine({ memoryBytes: GUEST_MEMORY });
    slow.load(g.loadable!);
    const slowStop = slowRun(slow, 200_000);
    expect(slowStop).toEqual(fastStop);
    expect(slow.consoleText()).toBe(fast.consoleText());
    expect(slow.state()).toEqual(fast.state());
    expect(slow.interrupts).toEqual(fast.interrupts);
    expect(Buffer.from(slow.memory.bytes).equals(Buffer.from(fast.memory.bytes))).toBe(true);
  });

  it("agree on a bundled user program under the teaching kernel", () => {
    const build = buildGuest("sort");
    const fast = runGuest("sort");
    const slow = new Machine({ memoryBytes: Math.max(1 << 20, build.memoryBytes) });
    slow.load(build);
    slowRun(slow, 1_000_000);
    expect(slow.consoleText()).toBe(fast.console);
    expect(slow.state()).toEqual(fast.state);
  });
});
