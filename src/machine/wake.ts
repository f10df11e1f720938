// When a HLT ends: only an interrupt the CPU would take — a line unmasked in the PIC whose priority is above CR8 — wakes it.
//
// Shared by the bare machine and the monitors, so a halted guest sleeps the same on both. While the CPU
// is halted it runs nothing, so neither the PIC mask nor CR8 can change: a line that cannot be delivered
// now never will be, and a HLT with no such line pending or coming is halted for good.
import { VECTOR } from "../isa/arch.js";
import type { InterruptController, PortBus } from "./devices.js";

/** The interrupt lines (as a bit mask) whose interrupt the CPU would take: unmasked, and of a priority class above `cr8`. */
export function wakeLines(pic: Pick<InterruptController, "mask">, cr8: number): number {
  let lines = 0;
  for (let irq = 0; irq < 16; irq++) {
    if (!(pic.mask & (1 << irq)) && (VECTOR.IRQ_BASE + irq) >> 4 > cr8) lines |= 1 << irq;
  }
  return lines;
}

/** How a HLT with IF set ends: at `time`, when an interrupt that can be taken is pending; or never, and why. */
export type Wake =
  | { readonly kind: "at"; readonly time: number }
  | { readonly kind: "never"; readonly reason: "no-device" | "blocked" };

/** When a HLT executed at `now` with IF set ends (the interrupt itself is delivered at the next instruction boundary). */
export function wakeTime(bus: PortBus, pic: Pick<InterruptController, "mask" | "pending">, cr8: number, now: number): Wake {
  const lines = wakeLines(pic, cr8);
  if (pic.pending & lines) return { kind: "at", time: now };
  const t = bus.nextEventRaising(lines);
  if (t < Infinity) return { kind: "at", time: Math.max(t, now) };
  return { kind: "never", reason: pic.pending !== 0 || bus.nextEvent() < Infinity ? "blocked" : "no-device" };
}
