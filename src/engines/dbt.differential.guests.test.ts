// The binary translator against the reference engine and the interpreter on generated guests: every observable identical, each guest on both profiles, with 64, 3 and no TLB entries, in random chunks, natively and intercepted.
//
// Each seed is a kernel of analysis/generator.ts with every feature (paging with remaps, INVLPG and CR3
// reloads, a demand-paged page, the timer, system calls, a drop to user code...), assembled once and run
// on both profiles by engineRunners (differential.ts): the reference engine, the translator, and a
// machine alternating between the translator and the interpreter, compared after every chunk and on
// every observable at the end. The random machines are dbt.differential.random.test.ts.
//
// Environment: VMLAB_LONG=1 runs ten times as many seeds; VMLAB_FUZZ_SEED=N starts at seed N (default 0).
import { describe, expect, it } from "vitest";
import { FEATURES, GUEST_MEMORY, generateGuest } from "../analysis/generator.js";
import { PROFILES } from "../isa/table.js";
import { Machine } from "../machine/machine.js";
import { EVERY_EVENT_EXITS, NO_EXITS } from "../machine/exit-policy.js";
import { engineRunners, lockstep } from "./differential.js";
import type { Engine } from "./engine.js";
import { dbt } from "./dbt.js";
import { randomChunks } from "./fuzz.js";

const SCALE = process.env.VMLAB_LONG === "1" ? 10 : 1;
const FIRST = Number(process.env.VMLAB_FUZZ_SEED ?? 0);
const GUESTS = 60 * SCALE;

describe("the binary translator against the reference engine and the interpreter", () => {
  it(`agrees on ${GUESTS} generated guests with every feature, each on both profiles, with 64, 3 and no TLB entries, in random chunks, natively and intercepted`, () => {
    let translated = 0;
    let runs = 0;
    for (let seed = FIRST; seed < FIRST + GUESTS; seed++) {
      const g = generateGuest({ seed: `dbt-${seed}`, size: 1 + (seed % 3), mix: FEATURES });
      for (const [k, profile] of PROFILES.entries()) {
        const tlbEntries = [64, 3, 0][(seed + k) % 3]!;
        const intercept = (seed + k) % 5 === 0;
        const create = (engine?: Engine) => {
          const m = new Machine({ profile, memoryBytes: GUEST_MEMORY, tlbEntries, ...(engine ? { engine } : {}) });
          m.load(g.loadable!);
          if (intercept) m.exits = EVERY_EVENT_EXITS;
          return m;
        };
        const rs = engineRunners(create, dbt);
        const result = lockstep(rs, { chunks: randomChunks(`dbt-chunks-${seed}-${profile}`, 15_000), afterExit: (m) => void (m.exits = NO_EXITS) });
        expect(result.difference, `guest seed dbt-${seed} (${profile}, ${tlbEntries} TLB entries${intercept ? ", intercepted" : ""})`).toBeUndefined();
        expect(result.final.stop.kind, `guest seed dbt-${seed} (${profile}) ran to its end`).not.toBe("budget");
        translated += dbt.stats(rs[1]!.machine).translatedInstructions;
        runs++;
      }
    }
    // Most of the work ran translated (the comparison is not of the interpreter with itself).
    expect(translated).toBeGreaterThan(runs * 500);
  });
});
