// The TLB holds as many translations as its capacity, replaces the oldest first, and is found through its hash table even when pages collide.
import { describe, expect, it } from "vitest";
import { createRng } from "../sim/rng.js";
import { assemble } from "../isa/assembler.js";
import { CR0, CR_INDEX, PTE } from "../isa/arch.js";
import { Machine } from "./machine.js";
import { Tlb, TLB_BIT } from "./tlb.js";

/** The TLB as the architecture states it: an array of pages in fill order. */
class FifoModel {
  readonly pages: { vpn: number; entry: number }[] = [];
  constructor(readonly capacity: number) {}
  lookup(vpn: number): number {
    return this.pages.find((p) => p.vpn === vpn)?.entry ?? 0;
  }
  fill(vpn: number, entry: number): void {
    if (this.capacity === 0) return;
    const held = this.pages.find((p) => p.vpn === vpn);
    if (held) held.entry = entry;
    else {
      if (this.pages.length === this.capacity) this.pages.shift();
      this.pages.push({ vpn, entry });
    }
  }
  invalidate(vpn: number): void {
    const i = this.pages.findIndex((p) => p.vpn === vpn);
    if (i >= 0) this.pages.splice(i, 1);
  }
}

/** Pages whose home slot in a TLB of `capacity` entries is the same, so they displace each other. */
function collidingPages(capacity: number, count: number): number[] {
  const tlb = new Tlb(capacity);
  const home = tlb.home(0x400);
  const out: number[] = [];
  for (let vpn = 0; out.length < count; vpn++) if (tlb.home(vpn) === home) out.push(vpn);
  return out;
}

describe("the TLB", () => {
  it("gives a machine 64 entries in tens of kilobytes of tables, not a slot for every virtual page", () => {
    const tlb = new Machine().tlb;
    expect(tlb.capacity).toBe(64);
    expect(tlb.tags.byteLength + tlb.entries.byteLength + tlb.fast.byteLength).toBeLessThanOrEqual(32 * 1024);
  });

  it("evicts the oldest page when a 65th arrives, and only that one", () => {
    const tlb = new Tlb(64);
    for (let vpn = 0; vpn < 65; vpn++) tlb.fill(vpn, (vpn << 12) | 1);
    expect(tlb.size).toBe(64);
    expect(tlb.lookup(0)).toBe(0);
    expect(tlb.lookup(1)).toBe((1 << 12) | 1);
    expect(tlb.lookup(64)).toBe((64 << 12) | 1);
    expect(tlb.contents().map((c) => c.vpn)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
  });

  it("refreshes a page it holds in place, without a new FIFO position", () => {
    const tlb = new Tlb(2);
    tlb.fill(7, 0x1001);
    tlb.fill(8, 0x2001);
    tlb.fill(7, 0x3009);
    tlb.fill(9, 0x4001);
    expect(tlb.contents()).toEqual([{ vpn: 8, entry: 0x2001 }, { vpn: 9, entry: 0x4001 }]);
  });

  it("holds nothing with no entries: every access walks the page tables", () => {
    const tlb = new Tlb(0);
    tlb.fill(3, 0x1001);
    expect([tlb.size, tlb.lookup(3)]).toEqual([0, 0]);
  });

  it("finds pages that share a home slot, and keeps finding them after one of them is dropped", () => {
    const [a, b, c] = collidingPages(64, 3) as [number, number, number];
    const tlb = new Tlb(64);
    for (const v of [a, b, c]) tlb.fill(v, (v << 12) | 1);
    expect([tlb.lookup(a), tlb.lookup(b), tlb.lookup(c)]).toEqual([(a << 12) | 1, (b << 12) | 1, (c << 12) | 1]);
    tlb.invalidate(a);
    expect([tlb.lookup(a), tlb.lookup(b), tlb.lookup(c)]).toEqual([0, (b << 12) | 1, (c << 12) | 1]);
  });

  it.each([1, 4, 64])("agrees with a plain FIFO (capacity %i) over 20 000 seeded fills, invalidations, flushes and look-ups", (capacity) => {
    const rng = createRng(capacity);
    const tlb = new Tlb(capacity);
    const model = new FifoModel(capacity);
    // A page pool with many collisions in the hash table and pages from far apart in the address space.
    const pool = [...collidingPages(capacity, 12), ...Array.from({ length: 8 }, (_, k) => k * 4096 + 5), ...Array.from({ length: 100 }, (_, i) => i), ...Array.from({ length: 20 }, () => rng.int(0, 0xfffff))];
    for (let step = 0; step < 20_000; step++) {
      const vpn = rng.pick(pool);
      const roll = rng.next();
      if (roll < 0.5) {
        const entry = ((rng.int(0, 0xfffff) << 12) | rng.int(1, 15)) | 1;
        tlb.fill(vpn, entry);
        model.fill(vpn, entry);
      } else if (roll < 0.6) {
        tlb.invalidate(vpn);
        model.invalidate(vpn);
      } else if (roll < 0.605) {
        tlb.flush();
        model.pages.length = 0;
      }
      const [got, want] = [tlb.lookup(vpn), model.lookup(vpn)];
      if (got !== want) expect(got, `step ${step}, page ${vpn}`).toBe(want);
    }
    expect(tlb.contents()).toEqual(model.pages);
  });

  it("serves two pages 16 MiB apart, which share a fast slot, each from its own frame", () => {
    // Page tables at 0x10000: 0x00400000 → frame 0x20000 (holds 111), 0x01400000 → frame 0x21000 (holds 222); code identity-mapped.
    const m = new Machine();
    const w = (pa: number, v: number) => m.memory.write32(pa, v);
    w(0x10000 + 0 * 4, 0x11000 | PTE.P | PTE.W);
    w(0x10000 + 1 * 4, 0x12000 | PTE.P | PTE.W);
    w(0x10000 + 5 * 4, 0x13000 | PTE.P | PTE.W);
    w(0x11000, 0x0000 | PTE.P | PTE.W);
    w(0x12000, 0x20000 | PTE.P | PTE.W);
    w(0x13000, 0x21000 | PTE.P | PTE.W);
    w(0x20000, 111);
    w(0x21000, 222);
    m.load(assemble(`
_start: mov r1, 0x400000
        mov r2, 0x1400000
        mov r5, 50
.loop:  ld r3, [r1]
        ld r4, [r2]
        add r6, r6, r3
        add r7, r7, r4
        sub r5, r5, 1
        jnz .loop
        hlt`));
    m.writeCr(CR_INDEX.cr3, 0x10000);
    m.writeCr(CR_INDEX.cr0, m.cr0 | CR0.PG);
    expect(m.run().kind).toBe("halted");
    expect([m.R[6], m.R[7]]).toEqual([50 * 111, 50 * 222]);
    expect(m.tlb.contents().map((c) => c.vpn).sort((a, b) => a - b)).toEqual([0x000, 0x400, 0x1400]);
  });
});

describe("a guarded frame", () => {
  it("loses DIRTY in the fast view only, so stores to it take the slow path while look-ups still answer the true entry", () => {
    const t = new Tlb(4);
    t.fill(5, (9 << 12) | TLB_BIT.VALID | TLB_BIT.WRITE | TLB_BIT.DIRTY);
    t.guardFrame(9);
    expect(t.fast[5]).toBe(0);
    expect(t.lookup(5)).toBe((9 << 12) | TLB_BIT.VALID | TLB_BIT.WRITE | TLB_BIT.DIRTY);
    expect(t.fast[5]! & TLB_BIT.DIRTY).toBe(0);
    expect(t.fast[5]! & TLB_BIT.VALID).toBe(TLB_BIT.VALID);
    t.unguardFrame(9);
    expect(t.lookup(5)).toBe((9 << 12) | TLB_BIT.VALID | TLB_BIT.WRITE | TLB_BIT.DIRTY);
    expect(t.fast[5]! & TLB_BIT.DIRTY).toBe(TLB_BIT.DIRTY);
  });
});
