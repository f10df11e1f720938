// Tests of a session's final result: the memory handed over instead of copied, its hash computed only when read, the same data as a copying result.
import { describe, expect, it } from "vitest";
import { assemble } from "../isa/assembler.js";
import { NativeSession } from "./native.js";
import { trapSession } from "./trap.js";
import { emulatingHandlers } from "./emulator.js";

const GUEST = assemble(`
_start:
  mov r1, 0x1234
  mov r2, 0x800
  st [r2], r1
  cli
  sti
  hlt
`, { file: "final.s" });
const OPTIONS = { profile: "strict" as const, memoryBytes: 16384, maxSteps: 1000 };

describe("a final result", () => {
  for (const [name, make] of [
    ["native", () => new NativeSession(GUEST, OPTIONS)],
    ["trap", () => trapSession(emulatingHandlers())(GUEST, OPTIONS)],
  ] as const) {
    it(`of a ${name} session holds the same data as a copying one, hands its memory over and hashes it when read`, () => {
      const a = make();
      a.advance(1000);
      const copied = a.result();
      const b = make();
      b.advance(1000);
      const final = b.result({ final: true });
      expect(final.memory).toBe(b.memory.bytes);
      expect(copied.memory).not.toBe(a.memory.bytes);
      expect(JSON.parse(JSON.stringify(final))).toEqual(JSON.parse(JSON.stringify(copied)));
      expect(final.finalState.memoryHash).toBe(copied.finalState.memoryHash);
      expect(final.finalState.memoryHash).toMatch(/^[0-9a-f]{8}$/);
    });
  }
});
