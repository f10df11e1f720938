// Tests of the memory recycler: memory is lent zeroed, lent again only after it is taken back, and machines built on it run as on fresh memory.
import { describe, expect, it } from "vitest";
import { assemble } from "../isa/assembler.js";
import { runNative } from "../vmm/native.js";
import { MemoryRecycler } from "./memory-recycler.js";

describe("the memory recycler", () => {
  it("lends the same memory again only once it is taken back, and cleared", () => {
    const r = new MemoryRecycler();
    const a = r.allocate(8192);
    a.fill(7);
    const b = r.allocate(8192);
    expect(b).not.toBe(a);
    r.reclaim();
    const again = [r.allocate(8192), r.allocate(8192)];
    expect(again).toContain(a);
    expect(again).toContain(b);
    expect(again.every((x) => x.every((v) => v === 0))).toBe(true);
    expect(r.allocate(8192)).not.toBe(a);
    expect(r.allocate(4096).length).toBe(4096);
  });

  it("gives machines memory on which a guest runs exactly as on fresh memory, case after case", () => {
    const guest = assemble("_start:\n  mov r1, 0x2000\n  ld r2, [r1]\n  add r2, r2, 5\n  st [r1], r2\n  mov r3, 0x1234\n  st [r1 + 4], r3\n  hlt\n");
    const fresh = runNative(guest, { memoryBytes: 16384 });
    const recycler = new MemoryRecycler();
    const lent: Uint8Array[] = [];
    const memory = { allocate: (size: number) => (lent.push(recycler.allocate(size)), lent.at(-1)!) };
    for (let i = 0; i < 3; i++) {
      const run = runNative(guest, { memoryBytes: 16384, memory });
      expect(run.finalState).toEqual(fresh.finalState);
      expect(Buffer.from(run.memory).equals(Buffer.from(fresh.memory))).toBe(true);
      recycler.reclaim();
    }
    expect(lent.map((b) => b.length)).toEqual([16384, 16384, 16384]);
    expect(new Set(lent).size).toBe(1);
  });
});
