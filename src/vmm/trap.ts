// The trap-and-emulate monitor: the guest kernel runs deprivileged, every trap reaches a handler that emulates it on a virtual CPU.
//
// The monitor owns a machine in intercept mode. The guest runs at real CPL 3 with IOPL 0 and paging on
// through the monitor's shadow page tables (see shadow.ts); guest-physical memory is a window of host
// memory above the monitor's own frames, so neither the guest nor its devices' DMA can reach the shadows.
// Every exit is classified (rule per branch below): privileged instructions are decoded through the
// guest's own translation and dispatched to the student's handler for that instruction; hidden page
// faults fill the shadow; guest faults, INT n and device interrupts are reflected into the guest through
// its IDT by the `reflect` handler; SYSCALL is entered by the framework. Guest time (instructions run
// directly + instructions emulated + time skipped in HLT) drives the virtual devices, and the run is cut
// into exact instruction budgets so a virtual interrupt arrives at the very guest-instruction boundary
// where the bare machine would deliver it.
import { CR0, CR_INDEX, FLAG, IOPL_SHIFT, SP, STATUS_MASK, VECTOR, vectorName } from "../isa/arch.js";
import { decode } from "../isa/encoding.js";
import { formatInstruction } from "../isa/disassembler.js";
import { VmlabError } from "../core/errors.js";
import type { Profile } from "../isa/table.js";
import { defaultCostModel, type CostModel } from "../machine/cost.js";
import {
  type BlockDevice, type Console, createDevices, type DeviceHost, type InterruptController, type PortBus, type PowerSwitch, type Timer, UnclaimedPortError,
} from "../machine/devices.js";
import { type ExitEvent, type InterruptRecord, type IoRecord, type Loadable, Machine, type Stop, haltedStop } from "../machine/machine.js";
import { MachineCheck } from "../machine/memory.js";
import { EVERY_EVENT_EXITS } from "../machine/exit-policy.js";
import type { EventExit } from "../machine/events.js";
import { wakeTime } from "../machine/wake.js";
import type { GuestEvent, HandlerName, TrapHandlers, TrappedInstruction, VirtualCpu } from "./api.js";
import { GuestPhysicalMemory } from "./guest-memory.js";
import { GuestFault, ShadowPageTables, shadowSpace, walkGuest } from "./shadow.js";
import {
  MONITOR_MAX_STEPS, describeStop, hashMemory, hex8, type GuestState, type MonitorCounters, type MonitorStop,
  type MonitoredRun, type RunOptions, type VmmCode,
} from "./types.js";

/** Frames of monitor memory below the guest window (shadow page-table pool). */
export const MONITOR_FRAMES = 64;
/** Exits in a row without a retired guest instruction before the run is declared stuck. */
export const NO_PROGRESS_LIMIT = 100_000;

/** The handler slot for each trapping instruction form. */
export const HANDLER_FOR_FORM: Readonly<Record<string, HandlerName>> = {
  CLI: "cli", STI: "sti", PUSHF: "pushf", POPF: "popf", IRET: "iret", HLT: "hlt", IN: "in", OUT: "out",
  MOV_CR_R: "movToCr", MOV_R_CR: "movFromCr", LIDT: "lidt", SIDT: "sidt", INVLPG: "invlpg", SMSW: "smsw",
  PUSH_CS: "readCs", MOV_R_CS: "readCs", SYSRET: "sysret", VMCALL: "vmcall",
};

/** Forms gated by IOPL rather than CPL 0 (POPF only traps on the strict profile, where it faults at CPL > IOPL). */
const IOPL_FORMS = new Set(["CLI", "STI", "IN", "OUT", "POPF"]);

/**
 * Thrown inside the monitor to end the run with a verdict (never escapes to callers). It unwinds through
 * the handler that was running, so it is frozen; and the monitor never takes one back from a handler as a
 * verdict: the capability records the stop as it leaves the monitor, and that record is what counts.
 */
class StopSignal {
  readonly stop: MonitorStop;
  constructor(stop: MonitorStop) {
    this.stop = Object.freeze({ ...stop });
    Object.freeze(this);
  }
}

/** What a handler call came to. */
type Outcome =
  | { readonly kind: "skip" }
  | { readonly kind: "jump"; readonly target: number }
  | { readonly kind: "wait" }
  | { readonly kind: "halt" }
  | { readonly kind: "fault"; readonly fault: GuestFault };

/** Virtual-CPU state a handler may change, saved so a faulting handler leaves no trace (an instruction faults before it changes state). */
interface Snapshot {
  readonly regs: Int32Array;
  readonly status: number;
  readonly cpl: number;
  readonly vif: boolean;
  readonly viopl: number;
  readonly cr0: number;
  readonly cr3: number;
  readonly cr8: number;
  readonly ksp: number;
  readonly sep: number;
  readonly idtr: number;
  readonly pc: number;
}

function handlerError(code: VmmCode, message: string, pc: number, handler?: HandlerName): MonitorStop {
  return handler === undefined ? { kind: "handler-error", code, message, pc } : { kind: "handler-error", code, handler, message, pc };
}

function checkNumber(what: string, value: unknown, handler: HandlerName): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new VmlabError("VMM_HANDLER_BAD_VALUE", `handler '${handler}' passed ${describe(value)} as ${what}; it must be a finite number`);
  }
  return value;
}

function checkIndex(what: string, value: unknown, limit: number, handler: HandlerName): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= limit) {
    throw new VmlabError("VMM_HANDLER_BAD_VALUE", `handler '${handler}' used ${describe(value)} as ${what}; it must be an integer 0..${limit - 1}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

/** A trap-and-emulate virtual machine: create, advance by guest instructions, inspect, collect the result. */
export class TrapAndEmulateMonitor {
  readonly monitor = "trap" as const;
  /** The first stop the monitor raised during the running handler call, recorded as it left (see invoke). */
  callStop: MonitorStop | undefined;
  readonly profile: Profile;
  /** The real machine the monitor owns (exposed for notebooks; the guest's handlers never see it). */
  readonly machine: Machine;
  /** Guest-physical memory: the window of host memory above the monitor's frames. */
  readonly memory: GuestPhysicalMemory;
  readonly cost: CostModel;

  // ---- the virtual CPU
  /** Virtual privilege level. */
  vcpl = 0;
  /** Virtual interrupt flag. */
  vif = false;
  viopl = 0;
  vcr0: number = CR0.PE;
  vcr2 = 0;
  vcr3 = 0;
  vcr8 = 0;
  vksp = 0;
  vsep = 0;
  vidtr = 0;
  /** Guest time: instructions retired (directly or emulated) plus time skipped while halted. */
  time = 0;
  /** Guest instructions retired. */
  retired = 0;
  /** Virtual interrupts are held off until this guest time (the STI shadow). */
  private inhibitUntil = 0;
  /** Guest retired count at the last injection: at most one injection per instruction boundary. */
  private lastInjection = -1;

  // ---- virtual devices
  readonly bus: PortBus;
  readonly pic: InterruptController;
  readonly console: Console;
  readonly timer: Timer;
  readonly block: BlockDevice;
  readonly power: PowerSwitch;
  private poweredOff: number | undefined;

  readonly ioTrace: IoRecord[] = [];
  readonly interrupts: InterruptRecord[] = [];
  readonly counters: MonitorCounters;
  private readonly shadow: ShadowPageTables;
  private final: MonitorStop | undefined;
  private readonly deadline: number;
  private stuck = 0;
  /** Did the last real run end because the monitor's budget cut it (a device event is due), not by an exit? */
  private cutByBudget = false;
  private readonly ioTraceLimit = 100_000;

  constructor(
    loadable: Loadable,
    private readonly handlers: TrapHandlers,
    options: RunOptions = {},
  ) {
    this.profile = options.profile ?? "strict";
    this.cost = options.cost ?? defaultCostModel();
    const guestBytes = options.memoryBytes ?? 1 << 20;
    if (!Number.isInteger(guestBytes) || guestBytes < 4096 || guestBytes % 4096 !== 0 || guestBytes > 1 << 29) {
      throw new VmlabError("VMM_BAD_OPTION", `guest memory must be a multiple of 4096 between 4 KiB and 512 MiB, got ${guestBytes}`);
    }
    const base = MONITOR_FRAMES * 4096;
    this.machine = new Machine({ profile: this.profile, memoryBytes: base + guestBytes, cost: this.cost, exits: EVERY_EVENT_EXITS });
    this.memory = new GuestPhysicalMemory(this.machine.memory, base, guestBytes);
    this.shadow = new ShadowPageTables(this.machine, 0, MONITOR_FRAMES);
    this.deadline = options.timeLimitMs === undefined ? Infinity : Date.now() + options.timeLimitMs;

    const host: DeviceHost = {
      now: () => this.time,
      raise: (irq) => this.pic.raise(irq),
      wake: () => {},
      memory: this.memory,
      powerOff: (code) => {
        this.poweredOff = code;
      },
    };
    ({ bus: this.bus, pic: this.pic, console: this.console, timer: this.timer, block: this.block, power: this.power } = createDevices(host,
      options.disk ? { disk: options.disk.slice() } : {}));

    this.counters = {
      directInstructions: 0, emulatedInstructions: 0, exits: 0, trapsByCause: {}, injectedInterrupts: 0, reflectedEvents: 0,
      hiddenPageFaults: 0, shadowFlushes: 0, portReads: 0, portWrites: 0, haltedTime: 0, machine: {},
    };

    // The real CPU: ring 3, IOPL 0, interrupts on (the monitor's own devices stay quiet), paging through the shadow.
    const m = this.machine;
    m.cpl = 3;
    m.iopl = 0;
    m.iflag = true;
    m.writeCr(CR_INDEX.cr3, this.shadow.root(0));
    m.writeCr(CR_INDEX.cr0, CR0.PE | CR0.PG | CR0.WP);
    m.refreshMasks();
    m.R[SP] = guestBytes;
    try {
      for (const s of loadable.segments) this.memory.load(s.address, s.bytes);
      m.pc = loadable.entry >>> 0;
    } catch (e) {
      if (!(e instanceof MachineCheck)) throw e;
      this.final = { kind: "machine-check", pc: loadable.entry >>> 0, message: `loading the guest: ${e.message}` };
    }
  }

  /** The stop that ended the run, once it has ended. */
  get stopped(): MonitorStop | undefined {
    return this.final;
  }

  // ---------------------------------------------------------------- running

  /**
   * Run until `steps` more guest instructions have retired (undefined: budget reached, the run can go
   * on) or the run ends (the stop). The budget is exact, so two monitors can be driven in lockstep.
   */
  advance(steps: number): MonitorStop | undefined {
    if (this.final) return this.final;
    const target = this.retired + steps;
    const m = this.machine;
    try {
      for (;;) {
        // Budget first: the bare machine also notices power-off only at the next boundary it reaches.
        if (this.retired >= target) return undefined;
        if (this.poweredOff !== undefined) return this.finish({ kind: "poweroff", pc: m.pc >>> 0, code: this.poweredOff });
        this.boundary();
        if (this.final) return this.final;
        let n = target - this.retired;
        const event = this.bus.nextEvent();
        if (event > this.time && event - this.time < n) n = event - this.time;
        if (this.inhibitUntil > this.time && this.inhibitUntil - this.time < n) n = this.inhibitUntil - this.time;
        const t0 = m.time;
        // The guest's time-stamp counter counts guest time: hide the time spent emulating, as VT-x's TSC offset does.
        m.tscOffset = this.time - t0;
        const stop = m.run({ maxSteps: n });
        const ran = m.time - t0;
        this.time += ran;
        this.retired += ran;
        this.counters.directInstructions += ran;
        const before = this.retired;
        this.cutByBudget = stop.kind === "budget";
        if (stop.kind !== "budget") {
          if (stop.kind !== "exit") return this.finish(this.hostStop(stop));
          this.counters.exits++;
          this.onExit(stop.event);
          if (this.final) return this.final;
        }
        if (ran === 0 && this.retired === before) {
          if (++this.stuck >= NO_PROGRESS_LIMIT) {
            return this.finish(handlerError("VMM_NO_PROGRESS", `the guest retired no instruction in ${NO_PROGRESS_LIMIT} exits to the monitor in a row (last at pc 0x${hex8(m.pc)}); a handler or the shadow paging is not making progress`, m.pc >>> 0));
          }
        } else this.stuck = 0;
        if ((this.counters.exits & 255) === 0 && Date.now() > this.deadline) {
          return this.finish(handlerError("VMM_TIME_LIMIT", `the monitored run exceeded its time limit at guest instruction ${this.retired}`, m.pc >>> 0));
        }
      }
    } catch (e) {
      if (e instanceof StopSignal) return this.finish(e.stop);
      if (e instanceof MachineCheck) return this.finish({ kind: "machine-check", pc: m.pc >>> 0, message: e.message });
      return this.finish(handlerError("VMM_INTERNAL", `internal monitor error: ${e instanceof Error ? e.message : String(e)}`, m.pc >>> 0));
    }
  }

  private finish(stop: MonitorStop): MonitorStop {
    this.final ??= stop;
    return this.final;
  }

  private hostStop(stop: Exclude<Stop, { kind: "exit" }>): MonitorStop {
    if (stop.kind === "machine-check") return stop;
    return handlerError("VMM_INTERNAL", `internal monitor error: the real machine stopped (${stop.kind}) under the monitor`, stop.pc);
  }

  /** At an instruction boundary: tick due virtual devices and inject at most one virtual interrupt, as the bare machine's boundary() does. */
  private boundary(): void {
    const now = this.time;
    if (this.bus.nextEvent() <= now) this.bus.tick(now);
    if (this.lastInjection === this.retired || this.inhibitUntil > now || !this.vif) return;
    const irq = this.pic.deliverable();
    if (irq < 0 || (VECTOR.IRQ_BASE + irq) >> 4 <= this.vcr8) return;
    this.pic.acknowledge(irq);
    const vector = VECTOR.IRQ_BASE + irq;
    this.interrupts.push({ time: now, vector });
    this.counters.injectedInterrupts++;
    this.lastInjection = this.retired;
    if (this.cutByBudget) {
      // The guest was running directly: on real hardware the device interrupt itself exits to the monitor.
      this.counters.exits++;
      this.cause(`${vectorName(vector)} exit`);
      this.cutByBudget = false;
    }
    const pc = this.machine.pc >>> 0;
    this.deliver({ kind: "interrupt", vector, error: 0, returnPc: pc }, pc, false, {
      name: "IRQ", mnemonic: "", pc, size: 0, a: 0, b: 0, c: 0, imm: vector, text: vectorName(vector),
    });
  }

  // ---------------------------------------------------------------- exits

  private onExit(e: ExitEvent): void {
    switch (e.kind) {
      case "fault":
        // A real page fault: the shadow lacks the mapping (hidden) or the guest itself would fault.
        if (e.vector === VECTOR.PAGE_FAULT) return this.hiddenPageFault(e);
        return this.onFault(e);
      case "trap":
        return this.onTrap(e);
      case "syscall":
        return this.onSyscall(e);
      case "interrupt":
        throw new StopSignal(handlerError("VMM_INTERNAL", `internal monitor error: a real device interrupt (vector ${e.vector}) reached the monitor`, e.pc));
      default:
        throw new StopSignal(handlerError("VMM_INTERNAL", `internal monitor error: an exit (${e.kind}) the monitor's policy does not ask for`, e.pc));
    }
  }

  private cause(name: string): void {
    this.counters.trapsByCause[name] = (this.counters.trapsByCause[name] ?? 0) + 1;
  }

  /** #GP / #UD / #DE ...: a privileged instruction the guest may run in its virtual ring is emulated; anything else is the guest's own fault. */
  private onFault(e: EventExit): void {
    const insn = this.decodeAt(e.pc);
    if (insn) {
      const slot = HANDLER_FOR_FORM[insn.name];
      const trapped = e.vector === VECTOR.GENERAL_PROTECTION || (insn.name === "VMCALL" && e.vector === VECTOR.INVALID_OPCODE);
      if (slot && trapped) {
        // Rule: the instruction faults natively too when the virtual ring is not allowed to run it.
        const allowed = insn.name === "VMCALL" || (IOPL_FORMS.has(insn.name) ? this.vcpl <= this.viopl : this.vcpl === 0);
        if (allowed) return this.emulate(slot, insn);
      }
    }
    this.reflectException(e.vector, e.error, e.pc, insn);
  }

  /** INT n checks the virtual gate (present, DPL >= virtual CPL) then reflects; BRK reflects #BP. */
  private onTrap(e: EventExit): void {
    // INT and BRK (the only trap forms, both 4 bytes): the exit's pc is the instruction itself, where a
    // failed gate check faults, and returnPc the instruction after it.
    const returnPc = e.returnPc ?? e.pc;
    const insn = this.decodeAt((returnPc - 4) >>> 0);
    if (insn?.name === "INT") {
      const vector = e.vector;
      let attr: number;
      try {
        attr = walkAndRead(this, (this.vidtr + vector * 8 + 4) >>> 0, 0);
      } catch (f) {
        if (!(f instanceof GuestFault)) throw f;
        this.unretire();
        return this.reflectException(f.vector, f.error, e.pc, insn, f.address);
      }
      if (!(attr & 1) || ((attr >>> 1) & 3) < this.vcpl) {
        // Natively the gate check faults before INT completes: it does not retire.
        this.unretire();
        return this.reflectException(VECTOR.GENERAL_PROTECTION, vector * 8 + 2, e.pc, insn);
      }
      this.cause(`int 0x${vector.toString(16)}`);
      this.counters.reflectedEvents++;
      return this.deliver({ kind: "software", vector, error: 0, returnPc }, e.pc, false, insn);
    }
    this.cause(`${vectorName(e.vector)} reflected`);
    this.counters.reflectedEvents++;
    this.deliver({ kind: "exception", vector: e.vector, error: e.error, returnPc }, e.pc, false, insn ?? pseudo(e.pc, e.vector));
  }

  /** SYSCALL (framework): r13 ← return PC, r12 ← virtual FLAGS, IF ← 0, virtual CPL ← 0, pc ← SEP. */
  private onSyscall(e: EventExit): void {
    this.cause("syscall");
    this.counters.reflectedEvents++;
    const m = this.machine;
    m.R[13] = (e.returnPc ?? e.pc) | 0;
    m.R[12] = this.flagsWord();
    this.vif = false;
    this.setCpl(0);
    m.pc = this.vsep >>> 0;
  }

  /** A real page fault: walk the guest tables with the virtual CPL's rights; fill the shadow, or give the guest its page fault. */
  private hiddenPageFault(e: EventExit): void {
    const va = (e.address ?? 0) >>> 0;
    const write = (e.error & 2) !== 0;
    const fetch = (e.error & 16) !== 0;
    let t;
    try {
      t = walkGuest(this.memory, this, va, write, fetch, this.vcpl, true);
    } catch (f) {
      if (!(f instanceof GuestFault)) throw f;
      return this.reflectException(f.vector, f.error, e.pc, undefined, f.address);
    }
    this.counters.hiddenPageFaults++;
    this.cause("#PF hidden");
    this.shadow.fill(this.vcpl, va, this.memory.base + t.gpa, t.writable && t.dirty);
  }

  private unretire(): void {
    this.time--;
    this.retired--;
    this.counters.directInstructions--;
  }

  // ---------------------------------------------------------------- emulation

  /** Dispatch a trapped instruction to its handler and apply the outcome: retire, resume, wait, halt or reflect the fault. */
  private emulate(slot: HandlerName, insn: TrappedInstruction): void {
    this.cause(slot);
    const handler = this.handlers[slot];
    if (typeof handler !== "function") {
      const where = `${insn.name} at 0x${hex8(insn.pc)}`;
      throw new StopSignal({
        kind: "no-handler", code: "VMM_NO_HANDLER", handler: slot, event: where, pc: insn.pc,
        message: `no handler for '${slot}' (${where})`,
      });
    }
    const timeBefore = this.time;
    const ifBefore = this.vif;
    const out = this.invoke(slot, insn, (vcpu) => (handler as (v: VirtualCpu) => unknown).call(this.handlers, vcpu));
    const m = this.machine;
    switch (out.kind) {
      case "fault":
        return this.reflectException(out.fault.vector, out.fault.error, insn.pc, insn, out.fault.address);
      case "skip":
      case "jump":
        this.retire();
        m.pc = out.kind === "skip" ? (insn.pc + insn.size) >>> 0 : out.target;
        // STI: virtual interrupts are recognised only after the next instruction, as on the bare machine.
        if (insn.name === "STI" && !ifBefore && this.vif) this.inhibitUntil = timeBefore + 2;
        return;
      case "wait":
        this.retire();
        return this.haltAt((insn.pc + insn.size) >>> 0);
      case "halt": {
        this.retire();
        const next = (insn.pc + insn.size) >>> 0;
        m.pc = next;
        throw new StopSignal(haltedStop(next, this.vif));
      }
    }
  }

  private retire(): void {
    this.time++;
    this.retired++;
    this.counters.emulatedInstructions++;
  }

  /** HLT, as the bare machine's haltAt: sleep until a virtual interrupt the guest would take is pending, or stop if none can come. */
  private haltAt(next: number): void {
    this.machine.pc = next;
    if (!this.vif) throw new StopSignal(haltedStop(next, false));
    const wake = wakeTime(this.bus, this.pic, this.vcr8, this.time);
    if (wake.kind === "never") throw new StopSignal(haltedStop(next, true, wake.reason));
    this.counters.haltedTime += wake.time - this.time;
    this.time = wake.time;
  }

  private reflectException(vector: number, error: number, pc: number, insn?: TrappedInstruction, address?: number): void {
    if (vector === VECTOR.PAGE_FAULT && address !== undefined) this.vcr2 = address >>> 0;
    this.cause(`${vectorName(vector)} reflected`);
    this.counters.reflectedEvents++;
    this.deliver({ kind: "exception", vector, error, returnPc: pc }, pc, true, insn ?? this.decodeAt(pc) ?? pseudo(pc, vector));
  }

  /**
   * Deliver an event through the guest IDT with the `reflect` handler. A guest fault while doing so
   * becomes a double fault; a fault while delivering that is a triple fault (as deliver() on the bare machine).
   */
  private deliver(event: GuestEvent, pc: number, isFault: boolean, insn: TrappedInstruction): void {
    const first = this.reflectOnce(event, insn);
    if (!first) return;
    if (event.vector === VECTOR.DOUBLE_FAULT) {
      throw new StopSignal({ kind: "triple-fault", pc, vector: event.vector, message: `triple fault: delivering the double fault raised vector ${first.vector}` });
    }
    if (first.vector === VECTOR.PAGE_FAULT && first.address !== undefined) this.vcr2 = first.address >>> 0;
    this.machine.pc = pc;
    const second = this.reflectOnce({ kind: "exception", vector: VECTOR.DOUBLE_FAULT, error: 0, returnPc: pc }, insn);
    if (!second) return;
    if (second.vector === VECTOR.PAGE_FAULT && second.address !== undefined) this.vcr2 = second.address >>> 0;
    throw new StopSignal({
      kind: "triple-fault", pc, vector: event.vector,
      message: `triple fault: delivering vector ${event.vector}${isFault ? " (fault)" : ""} raised vector ${first.vector}, and the double fault that followed raised vector ${second.vector}`,
    });
  }

  /** Run the reflect handler once; returns the guest fault it raised, if any. */
  private reflectOnce(event: GuestEvent, insn: TrappedInstruction): GuestFault | undefined {
    const handler = this.handlers.reflect;
    if (typeof handler !== "function") {
      const where = `${vectorName(event.vector)} at 0x${hex8(insn.pc)}`;
      throw new StopSignal({
        kind: "no-handler", code: "VMM_NO_HANDLER", handler: "reflect", event: where, pc: insn.pc,
        message: `no handler for 'reflect' (${where})`,
      });
    }
    const frozen = Object.freeze({ ...event });
    const out = this.invoke("reflect", insn, (vcpu) => handler.call(this.handlers, vcpu, frozen));
    if (out.kind === "fault") return out.fault;
    if (out.kind !== "jump") {
      throw new StopSignal(handlerError("VMM_HANDLER_BAD_RESUME", `handler 'reflect' resumed with ${out.kind}(); it must enter the guest's handler with vcpu.jump(address) (delivering ${vectorName(event.vector)})`, insn.pc, "reflect"));
    }
    this.machine.pc = out.target;
    return undefined;
  }

  // ---------------------------------------------------------------- handler invocation

  private snapshot(): Snapshot {
    const m = this.machine;
    return {
      regs: m.R.slice(), status: m.status(), cpl: this.vcpl, vif: this.vif, viopl: this.viopl, cr0: this.vcr0, cr3: this.vcr3,
      cr8: this.vcr8, ksp: this.vksp, sep: this.vsep, idtr: this.vidtr, pc: m.pc,
    };
  }

  private restore(s: Snapshot): void {
    const m = this.machine;
    m.R.set(s.regs);
    m.setFlagsWord(s.status, 3);
    this.vif = s.vif;
    this.viopl = s.viopl;
    if (this.vcr0 !== s.cr0 || this.vcr3 !== s.cr3) {
      this.vcr0 = s.cr0;
      this.vcr3 = s.cr3;
      this.shadow.flush();
    }
    this.vcr8 = s.cr8;
    this.vksp = s.ksp;
    this.vsep = s.sep;
    this.vidtr = s.idtr;
    this.setCpl(s.cpl);
    m.pc = s.pc;
  }

  /**
   * Call one handler with a fresh VirtualCpu capability, and turn whatever it does into an Outcome. A
   * guest fault (raised, or from a guest memory access) undoes the handler's changes to the virtual CPU;
   * anything else unusual ends the run with a verdict naming the handler.
   */
  private invoke(slot: HandlerName, insn: TrappedInstruction, call: (vcpu: VirtualCpu) => unknown): Outcome {
    const snap = this.snapshot();
    const cap = new Capability(this, slot, insn);
    this.callStop = undefined;
    let returned: unknown;
    let threw = false;
    let thrown: unknown;
    try {
      returned = call(cap.vcpu);
    } catch (e) {
      threw = true;
      thrown = e;
    }
    cap.live = false;
    // What the monitor itself raised during the call, as it recorded it: a handler that caught it, changed it
    // or threw something else in its place changes nothing.
    if (this.callStop) throw new StopSignal(this.callStop);
    if (cap.fault) {
      // A guest fault (raised, or from a guest memory access), even one the handler caught: the instruction faulted.
      this.restore(snap);
      return { kind: "fault", fault: cap.fault };
    }
    if (threw) {
      const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : describe(thrown);
      throw new StopSignal(handlerError("VMM_HANDLER_THREW", `handler '${slot}' threw ${text} (emulating ${insn.text} at 0x${hex8(insn.pc)})`, insn.pc, slot));
    }
    if (returned !== null && typeof returned === "object" && typeof (returned as { then?: unknown }).then === "function") {
      throw new StopSignal(handlerError("VMM_HANDLER_ASYNC", `handler '${slot}' returned a promise; handlers must be synchronous functions`, insn.pc, slot));
    }
    if (!cap.outcome) {
      throw new StopSignal(handlerError(
        "VMM_HANDLER_DID_NOT_RESUME",
        `handler '${slot}' returned without resuming the guest (emulating ${insn.text} at 0x${hex8(insn.pc)}); end it with vcpu.skip(), vcpu.jump(address), vcpu.waitForInterrupt() or vcpu.halt()`,
        insn.pc, slot,
      ));
    }
    return cap.outcome;
  }

  // ---------------------------------------------------------------- virtual CPU services (used by Capability)

  /** Set the virtual CPL; crossing between guest kernel and guest user switches the shadow address space. */
  setCpl(cpl: number): void {
    const before = shadowSpace(this.vcpl);
    this.vcpl = cpl;
    if (shadowSpace(cpl) !== before) this.machine.writeCr(CR_INDEX.cr3, this.shadow.root(cpl));
  }

  /** The FLAGS word the guest sees: status bits from the real CPU, IF and IOPL virtual. */
  flagsWord(): number {
    return (this.machine.status() & STATUS_MASK) | (this.vif ? FLAG.IF : 0) | (this.viopl << IOPL_SHIFT);
  }

  setFlagsWordRaw(v: number): void {
    this.machine.setFlagsWord(v, 3); // status bits only: the real CPL is above the real IOPL
    this.vif = (v & FLAG.IF) !== 0;
    this.viopl = (v >>> IOPL_SHIFT) & 3;
  }

  /** Guest control register by index; an index the machine does not have is #UD, as MOV crN natively. */
  readCr(index: number): number {
    switch (index) {
      case CR_INDEX.cr0: return this.vcr0 | 0;
      case CR_INDEX.cr2: return this.vcr2 | 0;
      case CR_INDEX.cr3: return this.vcr3 | 0;
      case CR_INDEX.ksp: return this.vksp | 0;
      case CR_INDEX.sep: return this.vsep | 0;
      case CR_INDEX.cr8: return this.vcr8;
      default: throw new GuestFault(VECTOR.INVALID_OPCODE, 0);
    }
  }

  writeCr(index: number, v: number): void {
    switch (index) {
      case CR_INDEX.cr0: {
        const old = this.vcr0;
        this.vcr0 = (v | CR0.PE) >>> 0;
        if ((old ^ this.vcr0) & (CR0.PG | CR0.WP)) this.flushShadow();
        return;
      }
      case CR_INDEX.cr2: this.vcr2 = v >>> 0; return;
      case CR_INDEX.cr3: this.vcr3 = (v & ~0xfff) >>> 0; this.flushShadow(); return;
      case CR_INDEX.ksp: this.vksp = v >>> 0; return;
      case CR_INDEX.sep: this.vsep = v >>> 0; return;
      case CR_INDEX.cr8: this.vcr8 = v & 15; return;
      default: throw new GuestFault(VECTOR.INVALID_OPCODE, 0);
    }
  }

  private flushShadow(): void {
    this.shadow.flush();
    this.counters.shadowFlushes++;
  }

  invalidatePage(va: number): void {
    this.shadow.invalidate(va >>> 0);
  }

  portIn(port: number): number {
    this.counters.portReads++;
    let v: number;
    try {
      v = this.bus.read(port);
    } catch (e) {
      if (e instanceof UnclaimedPortError) throw new StopSignal({ kind: "machine-check", pc: this.machine.pc >>> 0, message: e.message });
      throw e;
    }
    if (this.ioTrace.length < this.ioTraceLimit) this.ioTrace.push({ time: this.time, dir: "in", port, value: v });
    return v;
  }

  portOut(port: number, value: number): void {
    this.counters.portWrites++;
    if (this.ioTrace.length < this.ioTraceLimit) this.ioTrace.push({ time: this.time, dir: "out", port, value: value | 0 });
    try {
      this.bus.write(port, value);
    } catch (e) {
      if (e instanceof UnclaimedPortError) throw new StopSignal({ kind: "machine-check", pc: this.machine.pc >>> 0, message: e.message });
      throw e;
    }
  }

  /** Decode the guest instruction at a guest-virtual pc through the guest's own translation (no side effects). */
  decodeAt(pc: number): TrappedInstruction | undefined {
    if (pc & 3) return undefined;
    try {
      const w0 = this.memory.read32(walkGuest(this.memory, this, pc, false, true, this.vcpl, false).gpa);
      const d0 = decode(w0);
      if (!d0) return undefined;
      const w1 = d0.spec.size === 8 ? this.memory.read32(walkGuest(this.memory, this, (pc + 4) >>> 0, false, true, this.vcpl, false).gpa) : 0;
      const d = decode(w0, w1)!;
      return { name: d.spec.name, mnemonic: d.spec.mnemonic, pc, size: d.spec.size, a: d.a, b: d.b, c: d.c, imm: d.imm, text: formatInstruction(d) };
    } catch (e) {
      if (e instanceof GuestFault || e instanceof MachineCheck) return undefined;
      throw e;
    }
  }

  // the guest's paging registers, for walkGuest
  get cr0(): number {
    return this.vcr0;
  }
  get cr3(): number {
    return this.vcr3;
  }

  // ---------------------------------------------------------------- inspection

  /** What the guest can see right now (virtual values). */
  state(withHash = true): GuestState {
    const m = this.machine;
    return {
      pc: m.pc >>> 0, cpl: this.vcpl, registers: Array.from(m.R), flags: this.flagsWord(), IF: this.vif, IOPL: this.viopl,
      cr0: this.vcr0 >>> 0, cr2: this.vcr2 >>> 0, cr3: this.vcr3 >>> 0, cr8: this.vcr8, ksp: this.vksp >>> 0, sep: this.vsep >>> 0,
      idtr: this.vidtr >>> 0, time: this.time, retired: this.retired, memoryHash: withHash ? hashMemory(this.memory.bytes) : "",
    };
  }

  /** Cycles of the virtualized run: the real machine's own, plus every exit, emulation, injection and device access. */
  cycles(): number {
    const c = this.counters;
    const cost = this.cost;
    return (
      this.machine.cycles() +
      c.exits * cost.monitorTrap +
      c.emulatedInstructions * cost.emulate +
      (c.injectedInterrupts + c.reflectedEvents) * cost.inject +
      (c.portReads + c.portWrites) * cost.portIo
    );
  }

  consoleText(): string {
    return this.console.text();
  }

  /** End the run (a budget stop if it has not ended) and collect everything as data. */
  result(): MonitoredRun {
    const stop = this.final ?? { kind: "budget", pc: this.machine.pc >>> 0 };
    this.counters.shadowFlushes = this.shadow.flushes;
    this.counters.machine = this.machine.counters.toJSON();
    return {
      monitor: "trap", profile: this.profile, stop, verdict: describeStop(stop), console: this.consoleText(),
      ioTrace: this.ioTrace.slice(), interrupts: this.interrupts.slice(), finalState: this.state(), memory: this.memory.bytes.slice(),
      counters: structuredClone(this.counters), cycles: this.cycles(),
    };
  }
}

/** A pseudo-instruction for events that have no instruction of their own. */
function pseudo(pc: number, vector: number): TrappedInstruction {
  return { name: "EVENT", mnemonic: "", pc, size: 0, a: 0, b: 0, c: 0, imm: vector, text: vectorName(vector) };
}

/** Read a guest word with the rights of privilege level `cpl` (gates are read with ring-0 rights). */
function walkAndRead(mon: TrapAndEmulateMonitor, va: number, cpl: number): number {
  return readGuest32(mon, va, cpl);
}

function readGuest32(mon: TrapAndEmulateMonitor, va: number, cpl: number): number {
  va >>>= 0;
  if ((va & 0xfff) > 0xffc) {
    let v = 0;
    for (let i = 0; i < 4; i++) v |= mon.memory.read8(walkGuest(mon.memory, mon, (va + i) >>> 0, false, false, cpl, true).gpa) << (8 * i);
    return v;
  }
  return mon.memory.read32(walkGuest(mon.memory, mon, va, false, false, cpl, true).gpa);
}

function writeGuest32(mon: TrapAndEmulateMonitor, va: number, v: number, cpl: number): void {
  va >>>= 0;
  if ((va & 0xfff) > 0xffc) {
    // Both pages first, so the write does not half-happen; CR2 names the second page's first byte, as on the bare machine.
    walkGuest(mon.memory, mon, va, true, false, cpl, true);
    walkGuest(mon.memory, mon, ((va + 3) & ~0xfff) >>> 0, true, false, cpl, true);
    for (let i = 0; i < 4; i++) mon.memory.write8(walkGuest(mon.memory, mon, (va + i) >>> 0, true, false, cpl, true).gpa, v >>> (8 * i));
    return;
  }
  mon.memory.write32(walkGuest(mon.memory, mon, va, true, false, cpl, true).gpa, v);
}

/**
 * The VirtualCpu handed to one handler call: a narrow capability over the monitor, checked on every use,
 * revoked when the handler returns. It records how the handler resumed and the first guest fault raised.
 */
class Capability {
  live = true;
  outcome: Outcome | undefined;
  fault: GuestFault | undefined;
  readonly vcpu: VirtualCpu;

  constructor(
    private readonly mon: TrapAndEmulateMonitor,
    private readonly slot: HandlerName,
    insn: TrappedInstruction,
  ) {
    const self = this;
    const mon_ = mon;
    const guard = (): void => {
      if (!self.live) throw recorded(new VmlabError("VMM_HANDLER_STALE", `a VirtualCpu from handler '${slot}' was used after that handler returned`));
    };
    const guestFault = (f: GuestFault): never => {
      self.fault ??= f;
      throw f;
    };
    /** Record what the monitor raises as it leaves for the handler (see invoke): the record is the verdict, not what comes back. */
    const recorded = (e: unknown): unknown => {
      if (e instanceof GuestFault) {
        if (self.live) self.fault ??= e;
      } else if (e instanceof StopSignal) mon_.callStop ??= e.stop;
      else if (e instanceof MachineCheck) mon_.callStop ??= { kind: "machine-check", pc: insn.pc, message: String(e.message) };
      else if (e instanceof VmlabError && e.code.startsWith("VMM_")) mon_.callStop ??= handlerError(e.code as VmmCode, e.message, insn.pc, slot);
      return e;
    };
    const mem = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (e) {
        throw recorded(e);
      }
    };
    const resume = (o: Outcome): void => {
      if (self.outcome) {
        throw recorded(new VmlabError("VMM_HANDLER_BAD_RESUME", `handler '${slot}' resumed the guest twice (${self.outcome.kind}() then ${o.kind}())`));
      }
      self.outcome = o;
    };
    /** Every verb runs through here: checked live, and whatever the monitor raises is recorded before it leaves. */
    const use = <T>(fn: () => T): T => mem(() => {
      guard();
      return fn();
    });
    const flags = {
      get IF(): boolean {
        return mon_.vif;
      },
      set IF(on: boolean) {
        use(() => void (mon_.vif = Boolean(on)));
      },
      get IOPL(): number {
        return mon_.viopl;
      },
      set IOPL(v: number) {
        use(() => void (mon_.viopl = checkIndex("IOPL", v, 4, slot)));
      },
      get word(): number {
        return mon_.flagsWord();
      },
      set word(v: number) {
        use(() => mon_.setFlagsWordRaw(checkNumber("the FLAGS word", v, slot) | 0));
      },
    };
    const regs = {
      get(index: number): number {
        return use(() => mon_.machine.R[checkIndex("a register index", index, 16, slot)]!);
      },
      set(index: number, value: number): void {
        use(() => {
          const i = checkIndex("a register index", index, 16, slot);
          mon_.machine.R[i] = checkNumber(`the value of r${i}`, value, slot);
        });
      },
    };
    const cr = {
      get(index: number): number {
        return use(() => mon_.readCr(checkNumber("a control-register index", index, slot)));
      },
      set(index: number, value: number): void {
        use(() => {
          const v = checkNumber("a control-register value", value, slot);
          mon_.writeCr(checkNumber("a control-register index", index, slot), v);
        });
      },
    };
    const io = {
      in(port: number): number {
        return use(() => mon_.portIn(checkIndex("a port", port, 65536, slot)));
      },
      out(port: number, value: number): void {
        use(() => mon_.portOut(checkIndex("a port", port, 65536, slot), checkNumber("a port value", value, slot)));
      },
    };
    const frozenInsn = Object.freeze({ ...insn });
    this.vcpu = {
      get cpl(): number {
        return mon_.vcpl;
      },
      set cpl(v: number) {
        use(() => mon_.setCpl(checkIndex("the CPL", v, 4, slot)));
      },
      flags,
      regs,
      cr,
      get idtBase(): number {
        return mon_.vidtr;
      },
      set idtBase(v: number) {
        use(() => void (mon_.vidtr = checkNumber("the IDT base", v, slot) >>> 0));
      },
      io,
      insn: frozenInsn,
      get pc(): number {
        const o = self.outcome;
        if (o?.kind === "jump") return o.target;
        if (o && slot !== "reflect") return (insn.pc + insn.size) >>> 0;
        return insn.pc;
      },
      skip(): void {
        use(() => resume({ kind: "skip" }));
      },
      jump(address: number): void {
        use(() => resume({ kind: "jump", target: checkNumber("a jump target", address, slot) >>> 0 }));
      },
      push(value: number): void {
        use(() => {
          const v = checkNumber("a value to push", value, slot);
          const sp = (mon_.machine.R[SP]! - 4) >>> 0;
          writeGuest32(mon_, sp, v, mon_.vcpl);
          mon_.machine.R[SP] = sp;
        });
      },
      pop(): number {
        return use(() => {
          const sp = mon_.machine.R[SP]! >>> 0;
          const v = readGuest32(mon_, sp, mon_.vcpl);
          mon_.machine.R[SP] = (sp + 4) | 0;
          return v;
        });
      },
      read32(address: number): number {
        return use(() => readGuest32(mon_, checkNumber("an address", address, slot), mon_.vcpl));
      },
      write32(address: number, value: number): void {
        use(() => {
          const a = checkNumber("an address", address, slot);
          writeGuest32(mon_, a, checkNumber("a value to write", value, slot), mon_.vcpl);
        });
      },
      invalidatePage(address: number): void {
        use(() => mon_.invalidatePage(checkNumber("an address", address, slot)));
      },
      waitForInterrupt(): void {
        use(() => resume({ kind: "wait" }));
      },
      halt(): void {
        use(() => resume({ kind: "halt" }));
      },
      raise(vector: number, error = 0): never {
        return use(() => {
          const v = checkIndex("a vector", vector, 256, slot);
          return guestFault(new GuestFault(v, checkNumber("an error code", error, slot) | 0));
        });
      },
    };
    void this.mon;
    void this.slot;
  }
}

/** Run a guest under the trap-and-emulate monitor with the given handlers until it stops or the budget ends. */
export function runTrapAndEmulate(loadable: Loadable, handlers: TrapHandlers, options: RunOptions = {}): MonitoredRun {
  const vm = new TrapAndEmulateMonitor(loadable, handlers, options);
  vm.advance(options.maxSteps ?? MONITOR_MAX_STEPS);
  return vm.result();
}
