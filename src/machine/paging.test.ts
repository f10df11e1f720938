// The page-table walker: one walk whose owner decides what a fault is and whether accessed and dirty bits are set.
import { describe, expect, it } from "vitest";
import { CR0, PF_ERR, PTE } from "../isa/arch.js";
import { PhysicalMemory } from "./memory.js";
import { NO_PAGE, PROBE, walkPageTables, type WalkEffects } from "./paging.js";
import { TLB_BIT } from "./tlb.js";

/** A directory at 0x1000 whose first entry points to a table at 0x2000; page 0x5000 maps frame 0x7000 with `bits`. */
function tables(bits: number, pdeBits = PTE.P | PTE.W | PTE.U) {
  const mem = new PhysicalMemory(0x10000);
  mem.write32(0x1000, 0x2000 | pdeBits);
  mem.write32(0x2000 + 5 * 4, 0x7000 | bits);
  return { mem, regs: { cr0: CR0.PE | CR0.PG | CR0.WP, cr3: 0x1000 } };
}

/** Effects that throw what the access would raise, as the machine and the monitors do. */
const RAISE: WalkEffects = {
  setAccessed: true,
  checkRights: true,
  pageFault(va, error) {
    throw Object.assign(new Error("page fault"), { va, error });
  },
  outsideMemory(address) {
    throw Object.assign(new Error("outside"), { address });
  },
};

describe("the page-table walker", () => {
  it("answers the frame with the rights both levels give, and sets A in both entries and D on a write", () => {
    const { mem, regs } = tables(PTE.P | PTE.W | PTE.U);
    const entry = walkPageTables(mem, regs, 0x5abc, true, false, true, RAISE);
    expect(entry).toBe(0x7000 | TLB_BIT.VALID | TLB_BIT.WRITE | TLB_BIT.USER | TLB_BIT.DIRTY);
    expect(mem.read32(0x1000) & PTE.A).toBe(PTE.A);
    expect(mem.read32(0x2014) & (PTE.A | PTE.D)).toBe(PTE.A | PTE.D);
  });

  it("raises the owner's page fault with the error code of the access: not present, or a protection violation from CPL 3", () => {
    const absent = tables(0);
    expect(() => walkPageTables(absent.mem, absent.regs, 0x5000, true, false, true, RAISE)).toThrow(
      expect.objectContaining({ va: 0x5000, error: PF_ERR.W | PF_ERR.U }),
    );
    const supervisor = tables(PTE.P | PTE.W);
    expect(() => walkPageTables(supervisor.mem, supervisor.regs, 0x5000, false, true, true, RAISE)).toThrow(
      expect.objectContaining({ error: PF_ERR.P | PF_ERR.U | PF_ERR.I }),
    );
  });

  it("lets ring 0 write a read-only page when CR0.WP is clear, and not when it is set", () => {
    const { mem, regs } = tables(PTE.P | PTE.U);
    expect(() => walkPageTables(mem, regs, 0x5000, true, false, false, RAISE)).toThrow(expect.objectContaining({ error: PF_ERR.P | PF_ERR.W }));
    const entry = walkPageTables(mem, { ...regs, cr0: CR0.PE | CR0.PG }, 0x5000, true, false, false, RAISE);
    expect(entry & TLB_BIT.WRITE).toBe(0);
  });

  it("probes without side effects: no rights checked, no bits set, NO_PAGE instead of a fault or a frame outside memory", () => {
    const { mem, regs } = tables(PTE.P);
    const before = mem.bytes.slice();
    expect(walkPageTables(mem, regs, 0x5004, true, false, true, PROBE)).toBe(0x7000 | TLB_BIT.VALID);
    expect(walkPageTables(mem, regs, 0x6000, false, false, false, PROBE)).toBe(NO_PAGE);
    mem.write32(0x2014, 0x70000 | PTE.P);
    expect(walkPageTables(mem, regs, 0x5000, false, false, false, PROBE)).toBe(NO_PAGE);
    mem.write32(0x2014, 0x7000 | PTE.P);
    expect(Buffer.from(mem.bytes).equals(Buffer.from(before))).toBe(true);
  });

  it("maps every address to itself with paging off, up to the end of memory", () => {
    const { mem } = tables(0);
    const off = { cr0: CR0.PE, cr3: 0 };
    expect(walkPageTables(mem, off, 0x3456, true, false, true, RAISE) & ~0xfff).toBe(0x3000);
    expect(() => walkPageTables(mem, off, 0x10000, false, false, false, RAISE)).toThrow(expect.objectContaining({ address: 0x10000 }));
  });
});
