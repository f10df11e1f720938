import { describe, expect, it } from "vitest";
import { redactCase } from "../disclosure.js";
import type { CaseResult } from "../result.js";
import { TRAP_WORDS } from "../harnesses/trap-cases.js";
import { caseHint, type HintLab } from "./hint.js";
import { trapDivergenceKind } from "./trap-divergence.js";

const base: CaseResult = {
  id: "hidden/flags-003", suite: "hidden", group: "hidden/flags", name: "flags-003", visibility: "hidden", describe: "random guest #3 of set flags (seed 12345, mix cli, timer)",
  origin: { kind: "generated", generator: "random", seed: 12345, size: 8, mix: ["cli", "timer"] }, status: "failed", outcome: "ok",
  message: "diverged from the native run at guest instruction 7, pc 0x00001040 (popf): IF: native 1, virtualized 0",
  divergence: { message: "IF: native 1, virtualized 0", pc: 0x1040, disassembly: "popf", instruction: 7 },
  cost: 5000, baseline_cost: 1000, reference_cost: 2000, overhead: 5, relative: 2.5, counters: { exits: 9, console: "SECRET-42" }, limit_seconds: 1,
  score: 0, max_score: 3, breakdown: { correctness: 0, max_correctness: 2, overhead: 0, max_overhead: 1 },
};
const TRAP_LAB: HintLab = { harness: "trap", words: TRAP_WORDS };

describe("the kind of a trap divergence", () => {
  it("says an interrupt came late or early by how many instructions, naming only the vector", () => {
    expect(trapDivergenceKind("interrupts: newest entry: native IRQ0 timer at t=120, virtualized IRQ0 timer at t=123")).toBe("a IRQ0 timer interrupt was delivered 3 instructions late");
    expect(trapDivergenceKind("interrupts: entry 2: native IRQ0 timer at t=90, virtualized IRQ0 timer at t=89")).toBe("a IRQ0 timer interrupt was delivered 1 instruction early");
    expect(trapDivergenceKind("interrupts: native has 3 entries, virtualized 2; the newest is IRQ0 timer at t=5 (native)")).toBe("an interrupt the bare machine delivers was not delivered");
  });

  it("names the part of the machine that differs and never a value the guest computed", () => {
    const cases: [string, string][] = [
      ["IF: native 1, virtualized 0", "the guest sees its interrupt flag (IF) clear where the bare machine has it set"],
      ["r3: native 0x0000beef, virtualized 0x0000dead", "a general register (r3) holds another value than on the bare machine"],
      ['console: native "the secret is 42"; virtualized "the secret is 41"', "the guest's console output differs"],
      ["memory: word at guest-physical 0x00003000 native 0x12345678, virtualized 0x0", "the guest's memory differs from the bare machine's"],
      ["stop: native powered off with code 0; virtualized instruction budget exhausted at pc 0x00001000", "the guest ran out of its instruction budget where the bare machine powered off"],
    ];
    for (const [message, words] of cases) {
      expect(trapDivergenceKind(message)).toBe(words);
      for (const secret of ["beef", "dead", "42", "41", "12345678", "0x00001000"]) expect(trapDivergenceKind(message)).not.toContain(secret);
    }
  });
});

describe("a hint on a hidden case", () => {
  it("names the generated set's features and the kind of divergence, and a student view carries nothing else of the guest", () => {
    expect(caseHint(base, TRAP_LAB)).toEqual({ category: "random guests of the lab's generator", features: ["CLI", "timer interrupts"], divergence: "the guest sees its interrupt flag (IF) clear where the bare machine has it set" });
    const shown = redactCase(base, TRAP_WORDS, TRAP_LAB);
    expect(shown.message).toBe("diverged from the native run: this case exercises random guests of the lab's generator (CLI, timer interrupts); the guest sees its interrupt flag (IF) clear where the bare machine has it set");
    const text = JSON.stringify(shown);
    for (const secret of ["12345", "popf", "0x00001040", "SECRET-42", "instruction 7", "seed"]) expect(text).not.toContain(secret);
  });

  it("uses the instructor's category and features, and the handler's name for an exception", () => {
    const c: CaseResult = { ...base, category: "timer interrupts while the virtual IF is clear", features: ["sti", "hlt"], status: "error", outcome: "handler-error", divergence: null, message: "a handler failed: Your `popf` handler threw Error: oops 0xbeef" };
    expect(caseHint(c, TRAP_LAB)).toEqual({ category: "timer interrupts while the virtual IF is clear", features: ["sti", "hlt"], divergence: "your `popf` handler threw an exception" });
  });

  it("is left out when the lab turns hints off, and never given for a case that passed", () => {
    expect(redactCase(base, TRAP_WORDS).hint).toBeUndefined();
    expect(redactCase({ ...base, status: "passed", divergence: null }, TRAP_WORDS, TRAP_LAB).hint).toBeUndefined();
  });
});
