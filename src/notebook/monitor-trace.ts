// A guest traced one instruction at a time under the trap-and-emulate monitor: each row the instruction that really ran, with what the monitor did before it.
//
// `advance(1)` retires one guest instruction, but the monitor may first deliver an event: a virtual
// interrupt injected at the instruction boundary, or the fault of an instruction that did not complete.
// The instruction that then retires is the first one of the guest's handler, not the one the PC showed
// before the step. So the trace records every handler call (wrapping the handlers), shows a delivered
// event as a row of its own, and names the instruction at the address the guest really ran.
import { vectorName } from "../isa/arch.js";
import type { Loadable } from "../machine/machine.js";
import type { GuestEvent, TrapHandlers, VirtualCpu } from "../vmm/api.js";
import { TrapAndEmulateMonitor } from "../vmm/trap.js";
import type { MonitorStop, RunOptions } from "../vmm/types.js";
import { describeStop } from "../vmm/types.js";
import type { TraceEntry } from "./tables.js";

/** One row of a monitor trace: an instruction that retired (its text ends with the guest's virtual CPL and IF), or an event the monitor delivered into the guest. */
export interface MonitorTraceRow extends TraceEntry {
  readonly kind: "instruction" | "event";
  /** Guest instructions retired once this row's instruction had run (instruction rows). */
  readonly retired?: number;
  /** The guest's virtual CPL and IF as the instruction started (instruction rows). */
  readonly virtualCpl?: number;
  readonly virtualIF?: boolean;
}

/** A traced run: the rows, the monitor (to inspect afterwards) and how the run ended, if it did. */
export interface MonitorTrace {
  readonly rows: MonitorTraceRow[];
  readonly monitor: TrapAndEmulateMonitor;
  readonly stop?: MonitorStop;
}

/** A Loadable that may carry its source lines (an assembled Program does): rows then show the source text. */
type TracedGuest = Loadable & { readonly lines?: readonly { readonly address: number; readonly text: string }[] };

/** One handler call as the trace saw it. */
interface Call {
  readonly slot: string;
  readonly event?: GuestEvent;
  /** Where the guest resumes after the call (the jump target of a delivery). */
  readonly resumeAt: number;
  readonly cplAfter: number;
  readonly ifBefore: boolean;
  readonly ifAfter: boolean;
}

/** Wrap every handler so each call is logged (the handlers themselves run unchanged). */
function logged(handlers: TrapHandlers, log: Call[]): TrapHandlers {
  const wrapped: Record<string, unknown> = {};
  for (const [slot, handler] of Object.entries(handlers)) {
    if (typeof handler !== "function") continue;
    wrapped[slot] = (vcpu: VirtualCpu, event?: GuestEvent) => {
      const ifBefore = vcpu.flags.IF;
      try {
        (handler as (v: VirtualCpu, e?: GuestEvent) => void).call(handlers, vcpu, event);
      } finally {
        log.push({ slot, ...(event ? { event } : {}), resumeAt: vcpu.pc, cplAfter: vcpu.cpl, ifBefore, ifAfter: vcpu.flags.IF });
      }
    };
  }
  return wrapped as TrapHandlers;
}

/** Run `guest` under trap-and-emulate with `handlers`, one guest instruction at a time for `steps` instructions (or until it stops). */
export function traceMonitor(guest: TracedGuest, handlers: TrapHandlers, options: RunOptions, steps: number): MonitorTrace {
  const log: Call[] = [];
  const monitor = new TrapAndEmulateMonitor(guest, logged(handlers, log), options);
  const source = new Map((guest.lines ?? []).map((l) => [l.address, l.text.replace(/\s*;.*$/, "").trim()]));
  const textAt = (pc: number): string => source.get(pc) ?? monitor.decodeAt(pc)?.text ?? "?";
  const rows: MonitorTraceRow[] = [];
  for (let i = 0; i < steps; i++) {
    const before = monitor.state(false);
    log.length = 0;
    const stop = monitor.advance(1);
    const after = monitor.state(false);
    let pc = before.pc;
    let cpl = before.cpl;
    let iflag = before.IF;
    const notes: string[] = [];
    for (const call of log) {
      const e = call.event;
      if (call.slot === "reflect" && e && e.kind !== "software") {
        // Delivered before anything retired: a row of its own, and the guest goes on at the handler.
        const what = e.kind === "interrupt" ? `virtual ${vectorName(e.vector)} interrupt injected` : `did not complete: ${vectorName(e.vector)} reflected`;
        notes.push(`${what}; the guest's handler at 0x${call.resumeAt.toString(16)} runs next`);
        rows.push({ kind: "event", pc, text: e.kind === "interrupt" ? "(interrupt)" : textAt(pc), note: notes.join("; ") });
        notes.length = 0;
        pc = call.resumeAt;
        cpl = call.cplAfter;
        iflag = call.ifAfter;
      } else if (call.slot === "reflect" && e) {
        notes.push(`${vectorName(e.vector)} delivered through the guest's IDT`);
      } else {
        notes.push(`exit → ${call.slot} handler, virtual IF ${Number(call.ifBefore)}→${Number(call.ifAfter)}`);
      }
    }
    if (after.retired > before.retired) {
      rows.push({
        kind: "instruction", pc, text: `${textAt(pc)}   (guest CPL ${cpl}, IF ${Number(iflag)})`, cpl: monitor.machine.cpl, note: notes.join("; "),
        retired: after.retired, virtualCpl: cpl, virtualIF: iflag,
      });
    }
    if (stop) {
      rows.push({ kind: "event", pc: after.pc, text: "(stop)", note: describeStop(stop) });
      return { rows, monitor, stop };
    }
  }
  return { rows, monitor };
}
