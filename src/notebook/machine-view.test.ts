// Tests for the compact machine-state view.
import { describe, expect, it } from "vitest";
import { machineView, ringName } from "./machine-view.js";

describe("machineView", () => {
  const state = {
    pc: 0x40,
    cpl: 3,
    profile: "x86",
    next: "popf",
    flags: { ZF: true, IF: false, IOPL: 0 },
    registers: Array.from({ length: 6 }, (_, i) => ({ name: `r${i}`, value: i })),
    changed: ["r2"],
  };

  it("shows the mode line with profile, ring, pc and next instruction", () => {
    const view = machineView(state);
    expect(view.text.split("\n")[0]).toBe("profile x86 | CPL 3 (ring 3, user) | pc 0x00000040 | next: popf");
    expect(view.body).toContain("<code>popf</code>");
  });

  it("draws set flags as lit chips and clear flags as dim ones", () => {
    const view = machineView(state);
    expect(view.body).toContain('<span class="flag on">ZF</span>');
    expect(view.body).toContain('<span class="flag">IF</span>');
    expect(view.text).toContain("flags: ZF if IOPL=0");
  });

  it("lays registers out in rows of the requested width and highlights the changed ones", () => {
    const view = machineView(state, { columns: 4 });
    const gridLines = view.text.split("\n").slice(2);
    expect(gridLines).toHaveLength(2);
    expect(gridLines[0]).toContain("r2=0x00000002*");
    expect(view.body.match(/<tr>/g)).toHaveLength(2);
    expect(view.body).toContain('<td class="changed">0x00000002</td>');
  });

  it("names rings 0 and 3 the way the lectures do", () => {
    expect(ringName(0)).toBe("ring 0, kernel");
    expect(ringName(3)).toBe("ring 3, user");
    expect(ringName(1)).toBe("ring 1");
  });
});
