// Event counters kept by every run, and their conversion to cycles through the cost model.
import type { CostModel } from "./cost.js";

/** What a run counts. Monitors add their own counters on top (see vmm/). */
export class Counters {
  /** Exceptions, software interrupts and system calls raised, by vector. */
  readonly events = new Float64Array(256);
  /** Hardware interrupts delivered. */
  interrupts = 0;
  pageFaults = 0;
  /** Deliveries and returns that changed the ring (user ↔ kernel). */
  modeSwitches = 0;
  /** Deliveries that stayed in ring 0. */
  sameRingDeliveries = 0;
  syscalls = 0;
  tlbHits = 0;
  tlbMisses = 0;
  tlbFlushes = 0;
  portReads = 0;
  portWrites = 0;
  /** Machine time skipped while halted, waiting for an interrupt. */
  haltedTime = 0;

  /** Cycles: per-instruction costs of the retired mix plus the cost of every counted event. */
  cycles(cost: CostModel, ops: Float64Array): number {
    let c = 0;
    for (let i = 0; i < 256; i++) c += ops[i]! * cost.instruction[i]!;
    return (
      c +
      this.tlbMisses * cost.tlbMiss +
      this.modeSwitches * cost.modeSwitch +
      this.sameRingDeliveries * cost.sameRingDelivery +
      (this.portReads + this.portWrites) * cost.portIo
    );
  }

  /** Plain-data view: events by vector as a sparse record. */
  toJSON(): Record<string, number | Record<string, number>> {
    const events: Record<string, number> = {};
    this.events.forEach((n, v) => {
      if (n) events[String(v)] = n;
    });
    return {
      events, interrupts: this.interrupts, pageFaults: this.pageFaults, modeSwitches: this.modeSwitches,
      sameRingDeliveries: this.sameRingDeliveries, syscalls: this.syscalls, tlbHits: this.tlbHits, tlbMisses: this.tlbMisses,
      tlbFlushes: this.tlbFlushes, portReads: this.portReads, portWrites: this.portWrites, haltedTime: this.haltedTime,
    };
  }
}
