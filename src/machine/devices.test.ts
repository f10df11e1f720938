// The devices on the port bus, driven by guests: block-device DMA, the interrupt controller's mask, the console's limit.
import { describe, expect, it } from "vitest";
import { bootAssembly } from "./boot.js";
import { kernelEntry } from "./asm-snippets.js";
import { SECTOR_SIZE } from "./devices.js";
import { IRQ, PORT } from "../isa/arch.js";
import { Machine } from "./machine.js";

/** A kernel with an IRQ1 handler that records the time of the block device's interrupt in r9. */
const withBlockIrq = (body: string) => `
${kernelEntry({ 33: "done" })}  mov r9, 0
${body}
done:
  rdtsc r9
  iret
`;

describe("the block device", () => {
  it("reads a sector into memory by DMA and raises IRQ1 when done", () => {
    const disk = new Uint8Array(8 * SECTOR_SIZE);
    disk.set(new TextEncoder().encode("sector three"), 3 * SECTOR_SIZE);
    const m = bootAssembly(
      withBlockIrq(`
  mov r1, 3
  out ${PORT.BLOCK_SECTOR}, r1
  mov r1, 0x4000
  out ${PORT.BLOCK_ADDRESS}, r1
  mov r1, 1
  out ${PORT.BLOCK_COMMAND}, r1
  in r5, ${PORT.BLOCK_STATUS}      ; busy right after the command
  sti
.wait:
  cmp r9, 0
  jz .wait
  cli
  in r6, ${PORT.BLOCK_STATUS}      ; idle again
  mov r1, 0
  out 0xf0, r1`),
      { disk },
    );
    expect(m.run({ maxSteps: 10_000 })).toMatchObject({ kind: "poweroff" });
    expect(new TextDecoder().decode(m.memory.bytes.subarray(0x4000, 0x4000 + 12))).toBe("sector three");
    const r = m.state().registers;
    expect(r[5]).toBe(1);
    expect(r[6]).toBe(0);
    expect(m.interrupts.map((i) => i.vector)).toEqual([32 + IRQ.BLOCK]);
  });

  it("writes memory to a sector", () => {
    const m = bootAssembly(
      withBlockIrq(`
  mov r1, 0x4000
  mov r2, 0x6b6f           ; "ok"
  st [r1], r2
  out ${PORT.BLOCK_ADDRESS}, r1
  mov r1, 5
  out ${PORT.BLOCK_SECTOR}, r1
  mov r1, 2
  out ${PORT.BLOCK_COMMAND}, r1
  sti
.wait:
  cmp r9, 0
  jz .wait
  mov r1, 0
  out 0xf0, r1`),
    );
    m.run({ maxSteps: 10_000 });
    expect(String.fromCharCode(...m.block.disk.subarray(5 * SECTOR_SIZE, 5 * SECTOR_SIZE + 2))).toBe("ok");
  });

  it("reports an error status for a sector beyond the disk", () => {
    const m = bootAssembly(
      withBlockIrq(`
  mov r1, 9999
  out ${PORT.BLOCK_SECTOR}, r1
  mov r1, 1
  out ${PORT.BLOCK_COMMAND}, r1
  sti
.wait:
  cmp r9, 0
  jz .wait
  in r6, ${PORT.BLOCK_STATUS}
  mov r1, 0
  out 0xf0, r1`),
    );
    m.run({ maxSteps: 10_000 });
    expect(m.state().registers[6]).toBe(2);
  });
});

describe("the interrupt controller and the console", () => {
  it("holds a masked line pending until the mask is cleared", () => {
    const m = bootAssembly(`
${kernelEntry({ 32: "tick" })}  mov r1, 1
  out ${PORT.PIC_MASK}, r1      ; mask IRQ0
  mov r1, 10
  out ${PORT.TIMER_PERIOD}, r1
  sti
  mov r4, 100
.spin:
  sub r4, r4, 1
  jnz .spin
  in r5, ${PORT.PIC_PENDING}    ; IRQ0 is pending, not delivered
  mov r1, 0
  out ${PORT.PIC_MASK}, r1      ; unmask: delivered now
  nop
  cli
  out 0x11, r9
  mov r1, 0
  out 0xf0, r1
tick:
  add r9, r9, 1
  mov r1, 0
  out ${PORT.TIMER_PERIOD}, r1  ; one tick is enough
  iret`);
    m.run({ maxSteps: 10_000 });
    expect(m.state().registers[5]).toBe(1);
    expect(m.consoleText()).toBe("1");
  });

  it("drops console output beyond its limit and counts what it dropped", () => {
    const m = new Machine({ consoleLimit: 10 });
    for (let i = 0; i < 15; i++) m.console.write(PORT.CONSOLE_CHAR, 65);
    expect(m.consoleText()).toBe("A".repeat(10));
    expect(m.console.dropped).toBe(5);
  });

  it("refuses a device that claims a port already taken", () => {
    const m = new Machine();
    expect(() => m.bus.attach({ name: "clone", ports: [PORT.CONSOLE_CHAR], read: () => 0, write: () => {}, nextEvent: () => Infinity, tick: () => {} }))
      .toThrow(/already claimed by console/);
  });
});

describe("the port bus's earliest event", () => {
  it("follows the devices' clocks as they change: a timer started, a disk command, ticks, a timer stopped, a device attached", () => {
    const m = new Machine();
    expect(m.bus.nextEvent()).toBe(Infinity);
    m.bus.write(PORT.TIMER_PERIOD, 100);
    expect(m.bus.nextEvent()).toBe(100);
    m.bus.write(PORT.BLOCK_COMMAND, 1);
    expect(m.bus.nextEvent()).toBe(50);
    m.bus.tick(50);
    expect(m.bus.nextEvent()).toBe(100);
    m.bus.tick(100);
    expect(m.bus.nextEvent()).toBe(200);
    m.bus.write(PORT.TIMER_PERIOD, 0);
    expect(m.bus.nextEvent()).toBe(Infinity);
    m.bus.attach({ name: "alarm", ports: [0xee], read: () => 0, write: () => {}, nextEvent: () => 7, tick: () => {} });
    expect(m.bus.nextEvent()).toBe(7);
  });
});
