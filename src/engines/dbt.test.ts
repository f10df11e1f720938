// The binary translator against the reference engine: every observable identical on self-modifying code and every bundled guest, its statistics and caches, its regions golden (generated guests and random machines: dbt.differential.*.test.ts).
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { goldenMismatch } from "../core/golden.js";
import { buildGuest, listGuests } from "../guests/index.js";
import { assemble } from "../isa/assembler.js";
import { PROFILES } from "../isa/table.js";
import { Machine } from "../machine/machine.js";
import type { Engine } from "./engine.js";
import { engineRunners, lockstep } from "./differential.js";
import { randomChunks } from "./fuzz.js";
import { reference } from "./reference.js";
import { createDbt, dbt } from "./dbt.js";
import { engineNamed } from "./registry.js";

/** Run a program on the reference engine and on the translator in lockstep, expect no difference, and return the translator's machine. */
function translatedLikeReference(program: ReturnType<typeof assemble>): Machine {
  const make = (engine: Engine) => {
    const m = new Machine({ engine });
    m.load(program);
    return m;
  };
  const [a, b] = [make(reference), make(dbt)];
  const result = lockstep([{ label: "the reference engine", machine: a, engines: [reference] }, { label: "the translator", machine: b, engines: [dbt] }], { chunks: [10_000] });
  expect(result.difference).toBeUndefined();
  expect(b.consoleText()).toBe(a.consoleText());
  return b;
}

describe("the binary translator against the reference engine", () => {
  it("is registered as an engine", () => {
    expect(engineNamed("dbt")).toBe(dbt);
  });

  it("drops a region whose code the guest rewrites, and runs the new code (self-modifying code)", () => {
    // The loop rewrites the immediate of its own `add` from 1 to 2 halfway through: 50 × 1 + 50 × 2.
    const program = assemble(`
_start: mov r1, 0
        mov r2, 0
loop:   add r1, r1, 1
patch:  add r2, r2, 1
        cmp r2, 50
        jnz same
        ld r3, [r0 + patch]
        add r3, r3, 1
        st [r0 + patch], r3
same:   cmp r2, 100
        jl loop
        out 0x11, r1
        hlt`, { file: "smc.s" });
    const b = translatedLikeReference(program);
    expect(dbt.stats(b).invalidations).toBeGreaterThan(0);
    expect(dbt.stats(b).translatedInstructions).toBeGreaterThan(100);
  });

  it("writes data beside its code without dropping regions, in lines with code too, and drops them when a store reaches the code", () => {
    // Bytes, words and pushes into the code's own page: a buffer past the code, a word in the code's
    // last line, and a stack; at the end the loop rewrites its own increment (50 × 1 + 50 × 2 again).
    const program = assemble(`
_start: mov sp, stack_top
        mov r1, 0
        mov r2, 0
loop:   add r1, r1, 1
patch:  add r2, r2, 1
        stb [r2 + buffer], r1
        st [r0 + near], r2
        push r1
        pop r5
        cmp r2, 50
        jnz same
        ld r3, [r0 + patch]
        add r3, r3, 1
        st [r0 + patch], r3
same:   cmp r2, 100
        jl loop
        out 0x11, r1
        hlt
near:   .word 0
        .space 60
buffer: .space 128
        .space 64
stack_top:`, { file: "data-beside-code.s" });
    const b = translatedLikeReference(program);
    expect(dbt.stats(b).invalidations).toBe(1);
    expect(dbt.stats(b).translatedInstructions).toBeGreaterThan(500);
  });

  it.each(PROFILES)("agrees on every bundled guest on the %s profile, most of it translated", (profile) => {
    for (const info of listGuests()) {
      const build = buildGuest(info.name);
      const create = (engine?: Engine) => {
        const m = new Machine({ profile, memoryBytes: Math.max(1 << 20, build.memoryBytes), ...(engine ? { engine } : {}) });
        m.load(build);
        return m;
      };
      const rs = engineRunners(create, dbt);
      const result = lockstep(rs, { chunks: randomChunks(`dbt-guest-${info.name}`, 2_000_000) });
      expect(result.difference, info.name).toBeUndefined();
      expect(result.final.stop.kind, info.name).not.toBe("budget");
    }
  });

  it("keeps a loop in one region and chains its blocks there, counting what it did", () => {
    const build = buildGuest("checksum");
    const m = new Machine({ memoryBytes: Math.max(1 << 20, build.memoryBytes), engine: dbt });
    m.load(build);
    expect(m.run().kind).toBe("poweroff");
    const s = dbt.stats(m);
    expect(s.translatedInstructions).toBeGreaterThan(5 * s.interpretedInstructions);
    expect(s.chained).toBeGreaterThan(10 * s.entries);
    expect(s.regions).toBe(dbt.regions(m).length);
    expect(s.bytes).toBeGreaterThan(0);
  });

  it("runs a loop with a branch inside it in one case of its region, both arms nested in the loop", () => {
    // Odd i adds 3, even i adds 1: 50 × 3 + 50 × 1.
    const program = assemble(`
_start: mov r1, 0
        mov r2, 0
loop:   and r3, r2, 1
        jz even
odd:    add r1, r1, 3
        jmp join
even:   add r1, r1, 1
join:   add r2, r2, 1
        cmp r2, 100
        jl loop
        out 0x11, r1
        hlt`, { file: "diamond.s" });
    const b = translatedLikeReference(program);
    expect(b.consoleText()).toBe("200");
    const at = (label: string) => `// 0x${program.symbols.get(label)!.toString(16).padStart(8, "0")}`;
    const source = dbt.regions(b).find((r) => r.source.includes(`${at("loop")}\n`))!.source;
    const loopCase = /case (\d+): loop\1: for \(;;\) \{\n([\s\S]*?)\n {10}\}\n/.exec(source);
    expect(loopCase, "a loop case in the region").not.toBeNull();
    for (const label of ["loop", "odd", "even", "join"]) expect(loopCase![2]).toContain(at(label));
    expect(loopCase![2]).toContain(`continue loop${loopCase![1]};`);
  });

  it("answers most of the dispatcher's look-ups from its look-up cache, and goes on as the interpreter does after a flush", () => {
    const engine = createDbt();
    // Long enough for a hundred timer ticks, each leaving the loop's region and coming back to it.
    const build = buildGuest("checksum", { defines: { REPS: 100 } });
    const whole = new Machine({ memoryBytes: Math.max(1 << 20, build.memoryBytes) });
    whole.load(build);
    whole.run();
    const half = Math.floor(whole.retired() / 2);
    const m = new Machine({ memoryBytes: Math.max(1 << 20, build.memoryBytes), engine });
    m.load(build);
    expect(m.run({ maxSteps: half }).kind).toBe("budget");
    const s = engine.stats(m);
    // A hit enters a region, or interprets from inside a block to its end (at least one instruction); most look-ups hit.
    expect(s.lookupHits).toBeLessThanOrEqual(s.entries + s.interpretedInstructions);
    expect(s.lookupHits).toBeGreaterThan(s.entries / 2);
    expect(s.lookupHits).toBeGreaterThan(s.lookupMisses);
    expect(s.lookupMisses).toBeGreaterThan(0);
    engine.flush(m);
    const ref = new Machine({ memoryBytes: Math.max(1 << 20, build.memoryBytes) });
    ref.load(build);
    ref.run({ maxSteps: half });
    // After the flush the cache names no dropped region: the run goes on exactly as on the interpreter.
    const hitsBefore = engine.stats(m).lookupHits;
    expect(m.run().kind).toBe("poweroff");
    expect(ref.run().kind).toBe("poweroff");
    expect(engine.stats(m).lookupHits).toBeGreaterThan(hitsBefore);
    expect([m.consoleText(), m.retired(), m.interrupts]).toEqual([ref.consoleText(), ref.retired(), ref.interrupts]);
  });

  it("reuses the translation of the same code at the same place on another machine, and not of other code there", () => {
    const engine = createDbt();
    const run = (name: string) => {
      const build = buildGuest(name);
      const m = new Machine({ memoryBytes: Math.max(1 << 20, build.memoryBytes), engine });
      m.load(build);
      expect(m.run().kind).toBe("poweroff");
      return m;
    };
    const first = run("checksum"), second = run("checksum"), other = run("sort");
    const user = (m: Machine) => engine.regions(m).filter((r) => r.vpn === 0x400);
    expect(user(second).length).toBeGreaterThan(0);
    // The same blocks (shared, not decoded again) and the same function (which V8 optimises once).
    expect(user(second).map((r) => r.blocks)).toEqual(user(first).map((r) => r.blocks));
    expect(user(second)[0]!.blocks).toBe(user(first)[0]!.blocks);
    expect(user(second)[0]!.fn).toBe(user(first)[0]!.fn);
    // Other code at the same virtual page is translated afresh.
    expect(user(other).some((r) => user(first).some((f) => f.blocks === r.blocks))).toBe(false);
    expect(second.consoleText()).toBe(first.consoleText());
  });

  it("matches its golden regions for the calibration loop on both profiles (VMLAB_ACCEPT=1 rewrites them after a reviewed change)", () => {
    const program = assemble(`
_start: mov r1, 0
        mov r2, 0
        mov r3, 1000
loop:   mul r4, r2, r2
        add r1, r1, r4
        add r2, r2, 1
        cmp r2, r3
        jl loop
        out 0x11, r1
        hlt`, { file: "calibration.s" });
    for (const profile of PROFILES) {
      const m = new Machine({ profile, engine: dbt });
      m.load(program);
      m.run();
      expect(m.consoleText()).toBe("332833500");
      const text = dbt.regions(m).map((r) => r.source).join("\n");
      const file = fileURLToPath(new URL(`golden/dbt.calibration.${profile}.js`, import.meta.url));
      const mismatch = goldenMismatch(file, text);
      if (mismatch) expect(mismatch.actual, `the translated calibration loop differs from ${file}`).toBe(mismatch.expected);
    }
  });
});
