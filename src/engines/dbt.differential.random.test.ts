// The binary translator against the reference engine and the interpreter on thousands of random machines: every observable identical, random code that faults, traps, exits, stores into itself and jumps into unmapped pages.
//
// Each seed is a machine of fuzz.ts (64 KiB of random code, data, IDT and page tables; a random ring,
// profile, TLB size and exit policy) run in random chunks by engineRunners (differential.ts): the
// reference engine, the translator, and a machine alternating between the translator and the
// interpreter, compared after every chunk and on every observable at the end.
//
// Environment: VMLAB_LONG=1 runs ten times as many seeds; VMLAB_FUZZ_SEED=N starts at seed N (default 0),
// for a fresh stretch of seeds. A failure names its seed: `fuzzCase(seed)` rebuilds the machine.
import { describe, expect, it } from "vitest";
import { engineRunners, lockstep, watchHardCases, type HardCases } from "./differential.js";
import { createDbt } from "./dbt.js";
import { fuzzCase, randomChunks } from "./fuzz.js";

const SCALE = process.env.VMLAB_LONG === "1" ? 10 : 1;
const FIRST = Number(process.env.VMLAB_FUZZ_SEED ?? 0);
const MACHINES = 2000 * SCALE;

// Random code makes many small regions: keep them small, so every case is translated quickly.
const eager = createDbt({ name: "dbt-small", maxBlocks: 4, maxInstructions: 24 });

describe("the binary translator against the reference engine and the interpreter", () => {
  it(`agrees on ${MACHINES} random machines: random code that faults, traps, exits, stores into itself and jumps into unmapped pages`, () => {
    const kinds = new Map<string, number>();
    const hard: HardCases = { unmappedFetches: 0, lastInstructionFaults: 0 };
    let translated = 0;
    let selfModifying = 0;
    for (let seed = FIRST; seed < FIRST + MACHINES; seed++) {
      const c = fuzzCase(seed);
      const rs = engineRunners((engine) => c.create(engine), eager);
      watchHardCases(rs[1]!.machine, eager, hard);
      const result = lockstep(rs, { chunks: randomChunks(`dbt-fuzz-chunks-${seed}`, 400) });
      expect(result.difference, `fuzz seed ${seed} (${c.profile}, ${c.tlbEntries} TLB entries${Object.keys(c.exits).length ? `, exits ${JSON.stringify(c.exits)}` : ""})`).toBeUndefined();
      const stop = result.final.stop;
      const kind = stop.kind === "exit" ? `exit:${stop.event.kind}` : stop.kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const stats = eager.stats(rs[1]!.machine);
      translated += stats.translatedInstructions;
      if (stats.invalidations > 0) selfModifying++;
    }
    // Every way a run can end, and the translator's hard cases, many times over.
    expect([...kinds.keys()].sort()).toEqual(
      expect.arrayContaining(["budget", "exit:fault", "exit:interrupt", "exit:io", "exit:syscall", "exit:trap", "halted", "machine-check", "poweroff", "triple-fault"]),
    );
    expect(selfModifying, "machines whose code overwrote its own translation").toBeGreaterThan(MACHINES / 50);
    expect(hard.unmappedFetches, "jumps into pages that are not present").toBeGreaterThan(MACHINES / 50);
    expect(hard.lastInstructionFaults, "faults on the last instruction of a translated block").toBeGreaterThan(MACHINES / 50);
    // Most of the work ran translated (the comparison is not of the interpreter with itself).
    expect(translated).toBeGreaterThan(MACHINES * 10);
  });
});
