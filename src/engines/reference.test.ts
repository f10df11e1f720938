// The reference engine as a differential oracle: the interpreter agrees with it on every observable, for generated guests, random machines and every bundled guest.
//
// VMLAB_LONG=1 runs ten times as many seeds.
import { describe, expect, it } from "vitest";
import { FEATURES, GUEST_MEMORY, generateGuest } from "../analysis/generator.js";
import { buildGuest, listGuests } from "../guests/index.js";
import { PROFILES, type Profile } from "../isa/table.js";
import { Machine } from "../machine/machine.js";
import { EVERY_EVENT_EXITS, NO_EXITS } from "../machine/exit-policy.js";
import { createRng } from "../sim/rng.js";
import type { Engine } from "./engine.js";
import { lockstep, type LockstepRunner } from "./differential.js";
import { fuzzCase } from "./fuzz.js";
import { interpreter } from "./interpreter.js";
import { reference } from "./reference.js";

const SCALE = process.env.VMLAB_LONG === "1" ? 10 : 1;

/** Random chunk budgets summing to about `total` (some of 1 instruction, so boundaries fall everywhere). */
function chunks(seed: string, total: number): number[] {
  const r = createRng(seed);
  const out: number[] = [];
  for (let sum = 0; sum < total; ) {
    const n = r.chance(0.2) ? r.int(1, 3) : r.int(1, Math.max(1, total >> 2));
    out.push(n);
    sum += n;
  }
  return out;
}

/** The interpreter, the reference engine, and a machine alternating between them chunk by chunk, from identical starts. */
function runners(create: (engine?: Engine) => Machine): LockstepRunner[] {
  return [
    { label: "the interpreter", machine: create(), engines: [interpreter] },
    { label: "the reference engine", machine: create(), engines: [reference] },
    { label: "a machine alternating engines", machine: create(), engines: [reference, interpreter] },
  ];
}

describe("the reference engine against the interpreter", () => {
  it("sees a difference when there is one: a machine whose timer starts one tick later", () => {
    const g = generateGuest({ seed: 3, size: 2, mix: ["timer"] });
    const make = (delay: number) => () => {
      const m = new Machine({ memoryBytes: GUEST_MEMORY });
      m.load(g.loadable!);
      m.time = delay;
      return m;
    };
    const [a] = runners(make(0));
    const late = { label: "a late machine", machine: make(1)(), engines: [reference] };
    expect(lockstep([a!, late], { chunks: [10, 100_000] }).difference).toMatch(/^the interpreter and a late machine differ after chunk 1 \(10 steps asked\): state\.time: 10 ≠ 11$/);
  });

  it(`agrees on ${240 * SCALE} generated guests with every feature, on both profiles, with 64, 3 and no TLB entries, in random chunks, natively and intercepted`, () => {
    let instructions = 0;
    for (let seed = 0; seed < 240 * SCALE; seed++) {
      const g = generateGuest({ seed: `engines-${seed}`, size: 1 + (seed % 3), mix: FEATURES });
      const profile: Profile = PROFILES[seed % 2]!;
      const tlbEntries = [64, 3, 0][seed % 3]!;
      const intercept = seed % 5 === 0;
      const create = (engine?: Engine) => {
        const m = new Machine({ profile, memoryBytes: GUEST_MEMORY, tlbEntries, ...(engine ? { engine } : {}) });
        m.load(g.loadable!);
        if (intercept) m.exits = EVERY_EVENT_EXITS;
        return m;
      };
      // After an exit the run goes on natively (the event that exited is not delivered: both engines drop it alike).
      const result = lockstep(runners(create), { chunks: chunks(`chunks-${seed}`, 30_000), afterExit: (m) => void (m.exits = NO_EXITS) });
      expect(result.difference, `guest seed engines-${seed} (${profile}, ${tlbEntries} TLB entries${intercept ? ", intercepted" : ""})`).toBeUndefined();
      instructions += Object.values(result.final.ops).reduce((a, b) => a + b, 0);
    }
    // The guests did real work (the comparison is not over empty runs).
    expect(instructions).toBeGreaterThan(240 * SCALE * 1000);
  });

  it(`agrees on ${2000 * SCALE} random machines: random code, IDT, page tables, ring and flags`, () => {
    const kinds = new Map<string, number>();
    for (let seed = 0; seed < 2000 * SCALE; seed++) {
      const c = fuzzCase(seed);
      const result = lockstep(runners((engine) => c.create(engine)), { chunks: chunks(`fuzz-chunks-${seed}`, 400) });
      expect(result.difference, `fuzz seed ${seed} (${c.profile}, ${c.tlbEntries} TLB entries${Object.keys(c.exits).length ? `, exits ${JSON.stringify(c.exits)}` : ""})`).toBeUndefined();
      const stop = result.final.stop;
      const kind = stop.kind === "exit" ? `exit:${stop.event.kind}` : stop.kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    // Random code ends every way a run can end, so each way was compared.
    expect([...kinds.keys()].sort()).toEqual(
      expect.arrayContaining(["budget", "exit:cr", "exit:fault", "exit:hlt", "exit:interrupt", "exit:interrupt-window", "exit:io", "exit:syscall", "exit:trap", "halted", "machine-check", "poweroff", "triple-fault"]),
    );
  });

  it.each(PROFILES)("agrees on every bundled guest on the %s profile", (profile) => {
    for (const info of listGuests()) {
      const build = buildGuest(info.name);
      const create = (engine?: Engine) => {
        const m = new Machine({ profile, memoryBytes: Math.max(1 << 20, build.memoryBytes), ...(engine ? { engine } : {}) });
        m.load(build);
        return m;
      };
      const result = lockstep(runners(create), { chunks: chunks(`guest-${info.name}`, 2_000_000) });
      expect(result.difference, info.name).toBeUndefined();
      expect(result.final.stop.kind, info.name).not.toBe("budget");
    }
  });
});
