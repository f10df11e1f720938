// The control-register file: what sticks in each register, what a write asks of its owner, and no register at an unknown index.
import { describe, expect, it } from "vitest";
import { CR0, CR_INDEX } from "../isa/arch.js";
import { ControlRegisters, CR_EFFECT, isControlRegister } from "./control-registers.js";

describe("the control-register file", () => {
  it("keeps PE set in CR0, drops CR3's low 12 bits and keeps CR8's low 4 bits", () => {
    const cr = new ControlRegisters();
    cr.write(CR_INDEX.cr0, 0);
    cr.write(CR_INDEX.cr3, 0x12345fff);
    cr.write(CR_INDEX.cr8, 0x1f);
    expect(cr.values()).toMatchObject({ cr0: CR0.PE, cr3: 0x12345000, cr8: 15 });
    expect(cr.read(CR_INDEX.cr8)).toBe(15);
  });

  it("asks for a TLB flush on every CR3 load and on a CR0 write only when PG or WP changes", () => {
    const cr = new ControlRegisters();
    expect(cr.write(CR_INDEX.cr3, 0x1000)).toBe(CR_EFFECT.FLUSH_TLB);
    expect(cr.write(CR_INDEX.cr3, 0x1000)).toBe(CR_EFFECT.FLUSH_TLB);
    expect(cr.write(CR_INDEX.cr0, CR0.PE)).toBe(CR_EFFECT.PAGING_MODE);
    expect(cr.write(CR_INDEX.cr0, CR0.PE | CR0.WP)).toBe(CR_EFFECT.PAGING_MODE | CR_EFFECT.FLUSH_TLB);
    expect(cr.write(CR_INDEX.cr0, CR0.PE | CR0.WP)).toBe(CR_EFFECT.PAGING_MODE);
    expect(cr.write(CR_INDEX.cr8, 3)).toBe(CR_EFFECT.PRIORITY);
    expect(cr.write(CR_INDEX.ksp, 0x8000) | cr.write(CR_INDEX.sep, 0x100) | cr.write(CR_INDEX.cr2, 4)).toBe(0);
  });

  it("has no register at indexes 1, 6, 7 and 9..15: a read answers undefined and a write stores nothing", () => {
    const cr = new ControlRegisters();
    for (const index of [1, 6, 7, 9, 15]) {
      expect(isControlRegister(index)).toBe(false);
      expect(cr.read(index)).toBeUndefined();
      expect(cr.write(index, 0xffffffff)).toBe(CR_EFFECT.UNDEFINED);
    }
    expect(cr.values()).toEqual(new ControlRegisters().values());
  });

  it("gives back saved values without applying the write rules again", () => {
    const cr = new ControlRegisters();
    cr.write(CR_INDEX.ksp, 0x4000);
    const saved = cr.values();
    cr.write(CR_INDEX.ksp, 0x9000);
    cr.restore(saved);
    expect(cr.ksp).toBe(0x4000);
  });
});
