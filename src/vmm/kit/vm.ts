// The VM shell every monitor is built on: a real machine with an exit policy, the guest-physical window, virtual devices on guest time, the exact-budget advance loop, injection at instruction boundaries, halt, delivery with double and triple faults, handler calls through a capability.
//
// A technique (trap-and-emulate, a toy, later binary translation or VT-x) subclasses VirtualMachine and
// says three things: which exits it handles and how (`exitHandlers`, a loud registry: an exit kind with no
// handler stops the run naming the exit), how an event enters its guest (`deliverOnce`), and what its own
// work costs (`sectionCycles`, with a counters section of its own). Memory is virtualized by a component
// (`paging`: the kit's shadow paging), which the shell tells when the guest's translations change.
//
// Guest time (instructions run directly + instructions emulated + time skipped in HLT) drives the
// virtual devices, and the run is cut into exact instruction budgets so a virtual interrupt arrives at
// the very guest-instruction boundary where the bare machine would deliver it.
import type { Engine } from "../../engines/engine.js";
import { CR0, CR_INDEX, FLAG, GATE, IOPL_SHIFT, PAGE_SIZE, PF_ERR, SP, STATUS_MASK, SYSCALL_REG, VECTOR, gateErrorCode, vectorName } from "../../isa/arch.js";
import { decode } from "../../isa/encoding.js";
import { formatInstruction } from "../../isa/disassembler.js";
import type { Profile } from "../../isa/table.js";
import { CR_EFFECT } from "../../machine/control-registers.js";
import { defaultCostModel, type CostModel } from "../../machine/cost.js";
import {
  type BlockDevice, type Console, createDevices, type DeviceHost, type InterruptController, type PortBus, type PowerSwitch, type Timer, UnclaimedPortError,
} from "../../machine/devices.js";
import type { EventExit, ExitEvent } from "../../machine/events.js";
import { describeExit, type ExitPolicy } from "../../machine/exit-policy.js";
import { haltedStop, Machine, type InterruptRecord, type IoRecord, type Loadable, type Stop } from "../../machine/machine.js";
import { MachineCheck } from "../../machine/memory.js";
import { wakeTime } from "../../machine/wake.js";
import type { GuestEvent, TrappedInstruction, VirtualCpu } from "../api.js";
import { emulateDelivery } from "../emulator.js";
import { GuestPhysicalMemory } from "../guest-memory.js";
import { describeStop, hashMemory, hex8, withLazyMemoryHash, type CoreCounters, type GuestState, type MonitorKind, type MonitorStop, type MonitoredRun, type RunOptions } from "../types.js";
import { Capability, describe, type Outcome, type VirtualCpuHost } from "./capability.js";
import { createCounters } from "./counters.js";
import { GuestFault } from "./guest-fault.js";
import { readGuest32, walkGuest, writeGuest32 } from "./guest-paging.js";
import { HandlerRegistry } from "./registry.js";
import { guestMemoryBytes, type GuestSession, type ResultOptions } from "./session.js";
import { ShadowPaging } from "./shadow-paging.js";
import { StopSignal, handlerError, internalError } from "./stop-signal.js";
import { VirtualCpuState, type VirtualCpuSnapshot } from "./virtual-cpu-state.js";

/** Exits in a row without a retired guest instruction before the run is declared stuck. */
export const NO_PROGRESS_LIMIT = 100_000;
/** Keep at most this many port-I/O trace entries. */
const IO_TRACE_LIMIT = 100_000;
/** The time limit is checked every this many exits (a power of two less one, as a mask). */
const DEADLINE_CHECK_MASK = 255;

/** The exit of one kind. */
export type ExitOfKind<K extends ExitEvent["kind"]> = K extends EventExit["kind"] ? EventExit : Extract<ExitEvent, { kind: K }>;

/** How a technique handles each kind of exit its policy sends out. */
export type ExitHandlers = { readonly [K in ExitEvent["kind"]]?: (e: ExitOfKind<K>) => void };

/** How a monitor virtualizes its guest's memory: told when the guest's translations change and asked to resolve real page faults. */
export interface GuestAddressSpace {
  /** The virtual CPL changed from `before` to `after` (the guest kernel and guest user may need separate mappings). */
  switchCpl(before: number, after: number): void;
  /** The guest loaded CR3 or changed CR0.PG or WP: every cached translation is stale. */
  flush(): void;
  /** The guest ran INVLPG for the page of `va`. */
  invalidate(va: number): void;
  /** A real page fault at `va`: undefined when it was hidden (now mapped), else the guest's own page fault. */
  resolve(va: number, write: boolean, fetch: boolean, cpl: number): GuestFault | undefined;
}

/** What a technique tells the shell when it is built. */
export interface VmSetup<S extends object> {
  /** What the real machine sends out to the monitor. */
  readonly exits: ExitPolicy;
  /** Frames of monitor memory below the guest window (the shadow page-table pool). */
  readonly monitorFrames: number;
  /** The technique's counters section, with starting values. */
  readonly counters: S;
  /** The engine the real machine runs on (default: the run options' engine, else the interpreter); a binary-translation monitor passes its translator. */
  readonly engine?: Engine;
}

/** A pseudo-instruction for events that have no instruction of their own (`imm` is the vector). */
export function pseudoInstruction(pc: number, vector: number, name = "EVENT"): TrappedInstruction {
  return { name, mnemonic: "", pc, size: 0, a: 0, b: 0, c: 0, imm: vector, text: vectorName(vector) };
}

/** A virtual machine: create, advance by guest instructions, inspect, collect the result. */
export abstract class VirtualMachine<S extends object = object> implements GuestSession, VirtualCpuHost {
  abstract readonly monitor: MonitorKind;
  /** The first stop the monitor raised during the running handler call, recorded as it left (see invoke). */
  callStop: MonitorStop | undefined;
  readonly profile: Profile;
  /** The real machine the monitor owns (exposed for notebooks; handlers never see it). */
  readonly machine: Machine;
  /** Guest-physical memory: the window of host memory above the monitor's frames. */
  readonly memory: GuestPhysicalMemory;
  readonly cost: CostModel;
  /** The virtual CPU's privileged state. */
  readonly vcpu = new VirtualCpuState();
  /** Guest time: instructions retired (directly or emulated) plus time skipped while halted. */
  time = 0;
  /** Guest instructions retired. */
  retired = 0;
  /** Virtual interrupts are held off until this guest time (the STI shadow). */
  protected inhibitUntil = 0;
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
  readonly counters: CoreCounters & S;
  private final: MonitorStop | undefined;
  private readonly deadline: number;
  private readonly monitorFrames: number;
  private stuck = 0;
  /** Did the last real run end because the monitor's budget cut it (a device event is due), not by an exit? */
  private cutByBudget = false;
  private exitRegistry: HandlerRegistry<ExitEvent["kind"], (e: ExitEvent) => void> | undefined;

  /** How this technique handles each kind of exit (an exit kind missing here stops the run naming the exit). */
  protected abstract readonly exitHandlers: ExitHandlers;
  /** How the guest's memory is virtualized. */
  protected abstract readonly paging: GuestAddressSpace;
  /** Enter the guest's handler for `event` once; the guest fault that raised, if any (the shell turns it into a double or triple fault). */
  protected abstract deliverOnce(event: GuestEvent, insn: TrappedInstruction): GuestFault | undefined;
  /** Cycles of the technique's own work (its exits, emulation, injections), on top of the machine's and the virtual devices'. */
  protected abstract sectionCycles(): number;

  constructor(loadable: Loadable, options: RunOptions, setup: VmSetup<S>) {
    this.profile = options.profile ?? "strict";
    this.cost = options.cost ?? defaultCostModel();
    const guestBytes = guestMemoryBytes(options);
    this.monitorFrames = setup.monitorFrames;
    const base = setup.monitorFrames * PAGE_SIZE;
    const engine = setup.engine ?? options.engine;
    this.machine = new Machine({ profile: this.profile, memoryBytes: base + guestBytes, cost: this.cost, exits: setup.exits, ...(engine ? { engine } : {}), ...(options.memory ? { memory: options.memory } : {}) });
    this.memory = new GuestPhysicalMemory(this.machine.memory, base, guestBytes);
    // Translated code reaches the virtual CPU's shared words through the machine (see VSTATE).
    this.machine.vstate = this.vcpu.words;
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
    this.counters = createCounters(setup.counters);
    this.machine.R[SP] = guestBytes;
    try {
      for (const s of loadable.segments) this.memory.load(s.address, s.bytes);
      this.machine.pc = loadable.entry >>> 0;
    } catch (e) {
      if (!(e instanceof MachineCheck)) throw e;
      this.final = { kind: "machine-check", pc: loadable.entry >>> 0, message: `loading the guest: ${e.message}` };
    }
  }

  /** Shadow paging over this machine's monitor frames: the kit's way to virtualize guest memory. */
  protected shadowPaging(): ShadowPaging {
    return new ShadowPaging(this.machine, this.memory, this.vcpu.cr, this.monitorFrames);
  }

  /**
   * Run the guest deprivileged: the real CPU at ring 3 with IOPL 0 and interrupts on (the monitor's own
   * devices stay quiet), paging on through `paging`, which maps the guest's addresses for the virtual CPL.
   */
  protected deprivilege(paging: ShadowPaging): void {
    const m = this.machine;
    m.cpl = 3;
    m.iopl = 0;
    m.iflag = true;
    paging.select(this.vcpu.cpl);
    m.setCr(CR_INDEX.cr0, CR0.PE | CR0.PG | CR0.WP);
    m.refreshMasks();
  }

  /** Just before the real machine runs the guest: a technique tells its translated code what it needs to know (default: nothing). */
  protected beforeRun(): void {}

  /** Just after the real machine ran the guest, before its exit is handled: a technique collects what its translated code recorded (default: nothing). */
  protected afterRun(): void {}

  /** The stop that ended the run, once it has ended. */
  get stopped(): MonitorStop | undefined {
    return this.final;
  }

  // ---------------------------------------------------------------- running

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
        this.beforeRun();
        const stop = m.run({ maxSteps: n });
        this.afterRun();
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
        if ((this.counters.exits & DEADLINE_CHECK_MASK) === 0 && Date.now() > this.deadline) {
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
    return internalError(`the real machine stopped (${stop.kind}) under the monitor`, stop.pc);
  }

  /** End the run now with `stop` (from inside an exit handler). */
  protected stop(stop: MonitorStop): never {
    throw new StopSignal(stop);
  }

  /** Dispatch an exit to the technique's handler for its kind. */
  private onExit(e: ExitEvent): void {
    this.exitRegistry ??= new HandlerRegistry(this.exitHandlers as Partial<Record<ExitEvent["kind"], unknown>>);
    this.exitRegistry.lookup(e.kind, () => `${describeExit(e)} at 0x${hex8(e.pc)}`, e.pc).call(this.exitHandlers, e);
  }

  /** At an instruction boundary: tick due virtual devices and inject at most one virtual interrupt, as the bare machine's boundary() does. */
  private boundary(): void {
    const now = this.time;
    if (this.bus.nextEvent() <= now) this.bus.tick(now);
    if (this.lastInjection === this.retired || this.inhibitUntil > now || !this.vcpu.iflag) return;
    const irq = this.pic.deliverable();
    if (irq < 0 || (VECTOR.IRQ_BASE + irq) >> 4 <= this.vcpu.cr.cr8) return;
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
    this.deliver({ kind: "interrupt", vector, error: 0, returnPc: pc }, pc, false, pseudoInstruction(pc, vector, "IRQ"));
  }

  /** Count an exit (or an event inside one) by its cause. */
  protected cause(name: string): void {
    this.counters.trapsByCause[name] = (this.counters.trapsByCause[name] ?? 0) + 1;
  }

  // ---------------------------------------------------------------- exits every technique handles alike

  /** A real page fault: hidden (the mapping was missing, now filled: true) or the guest's own, reflected into it (false). */
  protected pageFaultExit(e: EventExit): boolean {
    const fault = this.paging.resolve((e.address ?? 0) >>> 0, (e.error & PF_ERR.W) !== 0, (e.error & PF_ERR.I) !== 0, this.vcpu.cpl);
    if (fault) {
      this.reflectException(fault.vector, fault.error, e.pc, undefined, fault.address);
      return false;
    }
    this.cause("#PF hidden");
    return true;
  }

  /** INT n checks the virtual gate (present, DPL ≥ virtual CPL) then reflects; BRK reflects #BP. */
  protected trapExit(e: EventExit): void {
    // INT and BRK (the only trap forms, both 4 bytes): the exit's pc is the instruction itself, where a
    // failed gate check faults, and returnPc the instruction after it.
    const returnPc = e.returnPc ?? e.pc;
    const insn = this.decodeAt((returnPc - 4) >>> 0);
    if (insn?.name === "INT") {
      const vector = e.vector;
      let attr: number;
      try {
        attr = this.readGuest32((this.vcpu.idtr + vector * GATE.SIZE + GATE.ATTRIBUTES) >>> 0, 0);
      } catch (f) {
        if (!(f instanceof GuestFault)) throw f;
        this.unretire();
        return this.reflectException(f.vector, f.error, e.pc, insn, f.address);
      }
      if (!(attr & GATE.PRESENT) || ((attr >>> GATE.DPL_SHIFT) & GATE.DPL_MASK) < this.vcpu.cpl) {
        // Natively the gate check faults before INT completes: it does not retire.
        this.unretire();
        return this.reflectException(VECTOR.GENERAL_PROTECTION, gateErrorCode(vector), e.pc, insn);
      }
      this.cause(`int 0x${vector.toString(16)}`);
      this.counters.reflectedEvents++;
      return this.deliver({ kind: "software", vector, error: 0, returnPc }, e.pc, false, insn);
    }
    this.cause(`${vectorName(e.vector)} reflected`);
    this.counters.reflectedEvents++;
    this.deliver({ kind: "exception", vector: e.vector, error: e.error, returnPc }, e.pc, false, insn ?? pseudoInstruction(e.pc, e.vector));
  }

  /** SYSCALL on the virtual CPU: r13 ← return PC, r12 ← virtual FLAGS, IF ← 0, virtual CPL ← 0, pc ← SEP. */
  protected syscallExit(e: EventExit): void {
    this.cause("syscall");
    this.counters.reflectedEvents++;
    const m = this.machine;
    m.R[SYSCALL_REG.RETURN_PC] = (e.returnPc ?? e.pc) | 0;
    m.R[SYSCALL_REG.FLAGS] = this.flagsWord();
    this.vcpu.iflag = false;
    this.setCpl(0);
    m.pc = this.vcpu.cr.sep >>> 0;
  }

  /** The guest's own exception at `pc`: set CR2 for a page fault and deliver it through the guest's IDT. */
  protected reflectException(vector: number, error: number, pc: number, insn?: TrappedInstruction, address?: number): void {
    if (vector === VECTOR.PAGE_FAULT && address !== undefined) this.vcpu.cr.cr2 = address >>> 0;
    this.cause(`${vectorName(vector)} reflected`);
    this.counters.reflectedEvents++;
    this.deliver({ kind: "exception", vector, error, returnPc: pc }, pc, true, insn ?? this.decodeAt(pc) ?? pseudoInstruction(pc, vector));
  }

  /** A guest instruction exited after retiring (the gate check of INT failed after all): take it back. */
  protected unretire(): void {
    this.time--;
    this.retired--;
    this.counters.directInstructions--;
  }

  /**
   * Deliver an event through the guest IDT with `deliverOnce`. A guest fault while doing so becomes a
   * double fault; a fault while delivering that is a triple fault (as deliver() on the bare machine).
   */
  protected deliver(event: GuestEvent, pc: number, isFault: boolean, insn: TrappedInstruction): void {
    const first = this.deliverOnce(event, insn);
    if (!first) return;
    if (event.vector === VECTOR.DOUBLE_FAULT) {
      this.stop({ kind: "triple-fault", pc, vector: event.vector, message: `triple fault: delivering the double fault raised vector ${first.vector}` });
    }
    if (first.vector === VECTOR.PAGE_FAULT && first.address !== undefined) this.vcpu.cr.cr2 = first.address >>> 0;
    this.machine.pc = pc;
    const second = this.deliverOnce({ kind: "exception", vector: VECTOR.DOUBLE_FAULT, error: 0, returnPc: pc }, insn);
    if (!second) return;
    if (second.vector === VECTOR.PAGE_FAULT && second.address !== undefined) this.vcpu.cr.cr2 = second.address >>> 0;
    this.stop({
      kind: "triple-fault", pc, vector: event.vector,
      message: `triple fault: delivering vector ${event.vector}${isFault ? " (fault)" : ""} raised vector ${first.vector}, and the double fault that followed raised vector ${second.vector}`,
    });
  }

  // ---------------------------------------------------------------- handler calls

  /**
   * Emulate `insn` with a handler call under `slot` and apply how it resumed: retire and go on (skip,
   * jump), wait for an interrupt, halt, or reflect the guest fault it raised.
   */
  protected emulate(slot: string, insn: TrappedInstruction, call: (vcpu: VirtualCpu) => unknown): void {
    const timeBefore = this.time;
    const ifBefore = this.vcpu.iflag;
    const out = this.invoke(slot, insn, false, call);
    const m = this.machine;
    switch (out.kind) {
      case "fault":
        return this.reflectException(out.fault.vector, out.fault.error, insn.pc, insn, out.fault.address);
      case "skip":
      case "jump":
        this.retire();
        m.pc = out.kind === "skip" ? (insn.pc + insn.size) >>> 0 : out.target;
        // STI: virtual interrupts are recognised only after the next instruction, as on the bare machine.
        if (insn.name === "STI" && !ifBefore && this.vcpu.iflag) this.inhibitUntil = timeBefore + 2;
        return;
      case "wait":
        this.retire();
        return this.haltAt((insn.pc + insn.size) >>> 0);
      case "halt": {
        this.retire();
        const next = (insn.pc + insn.size) >>> 0;
        m.pc = next;
        this.stop(haltedStop(next, this.vcpu.iflag));
      }
    }
  }

  /** Enter the guest's handler for `event` with a handler call under `slot`, which must end by jumping there; the guest fault it raised, if any. */
  protected deliverVia(slot: string, event: GuestEvent, insn: TrappedInstruction, call: (vcpu: VirtualCpu, event: GuestEvent) => unknown): GuestFault | undefined {
    const frozen = Object.freeze({ ...event });
    const out = this.invoke(slot, insn, true, (vcpu) => call(vcpu, frozen));
    if (out.kind === "fault") return out.fault;
    if (out.kind !== "jump") {
      this.stop(handlerError("VMM_HANDLER_BAD_RESUME", `handler '${slot}' resumed with ${out.kind}(); it must enter the guest's handler with vcpu.jump(address) (delivering ${vectorName(event.vector)})`, insn.pc, slot));
    }
    this.machine.pc = out.target;
    return undefined;
  }

  /** Enter the guest's IDT gate for `event` exactly as the bare machine does (push the frame, virtual ring 0, IF clear, jump to the handler). */
  protected deliverNatively(event: GuestEvent, insn: TrappedInstruction): GuestFault | undefined {
    return this.deliverVia("deliver", event, insn, (vcpu, e) => emulateDelivery(vcpu, e, this.profile));
  }

  /** One emulated instruction retired. */
  protected retire(): void {
    this.time++;
    this.retired++;
    this.counters.emulatedInstructions++;
  }

  /** HLT, as the bare machine's haltAt: sleep until a virtual interrupt the guest would take is pending, or stop if none can come. */
  protected haltAt(next: number): void {
    this.machine.pc = next;
    if (!this.vcpu.iflag) this.stop(haltedStop(next, false));
    const wake = wakeTime(this.bus, this.pic, this.vcpu.cr.cr8, this.time);
    if (wake.kind === "never") this.stop(haltedStop(next, true, wake.reason));
    this.counters.haltedTime += wake.time - this.time;
    this.time = wake.time;
  }

  private snapshot(): VirtualCpuSnapshot {
    const m = this.machine;
    const v = this.vcpu;
    return { regs: m.R.slice(), status: m.status(), pc: m.pc, cpl: v.cpl, iflag: v.iflag, iopl: v.iopl, cr: v.cr.values(), idtr: v.idtr };
  }

  /** Undo a handler's changes. CR2 stays: it is where the fault that caused the undo leaves its address. */
  private restore(s: VirtualCpuSnapshot): void {
    const m = this.machine;
    const v = this.vcpu;
    m.R.set(s.regs);
    m.setFlagsWord(s.status, 3);
    v.iflag = s.iflag;
    v.iopl = s.iopl;
    const remap = v.cr.cr0 !== s.cr.cr0 || v.cr.cr3 !== s.cr.cr3;
    v.cr.restore({ ...s.cr, cr2: v.cr.cr2 });
    if (remap) this.paging.flush();
    v.idtr = s.idtr;
    this.setCpl(s.cpl);
    m.pc = s.pc;
  }

  /**
   * Call one handler with a fresh VirtualCpu capability, and turn whatever it does into an Outcome. A
   * guest fault (raised, or from a guest memory access) undoes the handler's changes to the virtual CPU;
   * anything else unusual ends the run with a verdict naming the handler.
   */
  protected invoke(slot: string, insn: TrappedInstruction, delivering: boolean, call: (vcpu: VirtualCpu) => unknown): Outcome {
    const snap = this.snapshot();
    const cap = new Capability(this, slot, insn, delivering);
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
    if (this.callStop) this.stop(this.callStop);
    if (cap.fault) {
      // A guest fault (raised, or from a guest memory access), even one the handler caught: the instruction faulted.
      this.restore(snap);
      return { kind: "fault", fault: cap.fault };
    }
    if (threw) {
      const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : describe(thrown);
      this.stop(handlerError("VMM_HANDLER_THREW", `handler '${slot}' threw ${text} (emulating ${insn.text} at 0x${hex8(insn.pc)})`, insn.pc, slot));
    }
    if (returned !== null && typeof returned === "object" && typeof (returned as { then?: unknown }).then === "function") {
      this.stop(handlerError("VMM_HANDLER_ASYNC", `handler '${slot}' returned a promise; handlers must be synchronous functions`, insn.pc, slot));
    }
    if (!cap.outcome) {
      this.stop(handlerError(
        "VMM_HANDLER_DID_NOT_RESUME",
        `handler '${slot}' returned without resuming the guest (emulating ${insn.text} at 0x${hex8(insn.pc)}); end it with vcpu.skip(), vcpu.jump(address), vcpu.waitForInterrupt() or vcpu.halt()`,
        insn.pc, slot,
      ));
    }
    return cap.outcome;
  }

  // ---------------------------------------------------------------- virtual CPU services (used by Capability)

  /** Set the virtual CPL; the address space follows it. */
  setCpl(cpl: number): void {
    const before = this.vcpu.cpl;
    this.vcpu.cpl = cpl;
    this.paging.switchCpl(before, cpl);
  }

  /** The FLAGS word the guest sees: status bits from the real CPU, IF and IOPL virtual. */
  flagsWord(): number {
    return (this.machine.status() & STATUS_MASK) | (this.vcpu.iflag ? FLAG.IF : 0) | (this.vcpu.iopl << IOPL_SHIFT);
  }

  setFlagsWordRaw(v: number): void {
    this.machine.setFlagsWord(v, 3); // status bits only: the real CPL is above the real IOPL
    this.vcpu.iflag = (v & FLAG.IF) !== 0;
    this.vcpu.iopl = (v >>> IOPL_SHIFT) & 3;
  }

  /** Guest control register by index; an index the machine does not have is #UD, as MOV crN natively. */
  readCr(index: number): number {
    const v = this.vcpu.cr.read(index);
    if (v === undefined) throw new GuestFault(VECTOR.INVALID_OPCODE, 0);
    return v;
  }

  /** MOV crN on the virtual CPU, with the machine's rules; what would flush a TLB drops the guest's cached translations. */
  writeCr(index: number, v: number): void {
    const effect = this.vcpu.cr.write(index, v);
    if (effect & CR_EFFECT.UNDEFINED) throw new GuestFault(VECTOR.INVALID_OPCODE, 0);
    if (effect & CR_EFFECT.FLUSH_TLB) this.paging.flush();
  }

  invalidatePage(va: number): void {
    this.paging.invalidate(va >>> 0);
  }

  portIn(port: number): number {
    this.counters.portReads++;
    let v: number;
    try {
      v = this.bus.read(port);
    } catch (e) {
      if (e instanceof UnclaimedPortError) this.stop({ kind: "machine-check", pc: this.machine.pc >>> 0, message: e.message });
      throw e;
    }
    if (this.ioTrace.length < IO_TRACE_LIMIT) this.ioTrace.push({ time: this.time, dir: "in", port, value: v });
    return v;
  }

  portOut(port: number, value: number): void {
    this.counters.portWrites++;
    if (this.ioTrace.length < IO_TRACE_LIMIT) this.ioTrace.push({ time: this.time, dir: "out", port, value: value | 0 });
    try {
      this.bus.write(port, value);
    } catch (e) {
      if (e instanceof UnclaimedPortError) this.stop({ kind: "machine-check", pc: this.machine.pc >>> 0, message: e.message });
      throw e;
    }
  }

  /** Read and write guest-virtual memory with the rights of privilege level `cpl` (gates and frames are reached with ring-0 rights). */
  readGuest32(va: number, cpl: number): number {
    return readGuest32(this.memory, this.vcpu.cr, va, cpl);
  }

  writeGuest32(va: number, v: number, cpl: number): void {
    writeGuest32(this.memory, this.vcpu.cr, va, v, cpl);
  }

  /** Decode the guest instruction at a guest-virtual pc through the guest's own translation (no side effects). */
  decodeAt(pc: number): TrappedInstruction | undefined {
    if (pc & 3) return undefined;
    const v = this.vcpu;
    try {
      const w0 = this.memory.read32(walkGuest(this.memory, v.cr, pc, false, true, v.cpl, false).gpa);
      const d0 = decode(w0);
      if (!d0) return undefined;
      const w1 = d0.spec.size === 8 ? this.memory.read32(walkGuest(this.memory, v.cr, (pc + 4) >>> 0, false, true, v.cpl, false).gpa) : 0;
      const d = decode(w0, w1)!;
      return { name: d.spec.name, mnemonic: d.spec.mnemonic, pc, size: d.spec.size, a: d.a, b: d.b, c: d.c, imm: d.imm, text: formatInstruction(d) };
    } catch (e) {
      if (e instanceof GuestFault || e instanceof MachineCheck) return undefined;
      throw e;
    }
  }

  // ---------------------------------------------------------------- inspection

  /** The virtual CPL (the guest kernel's 0 while it really runs at CPL 3). */
  get vcpl(): number {
    return this.vcpu.cpl;
  }

  state(withHash = true): GuestState {
    const m = this.machine;
    const v = this.vcpu;
    const cr = v.cr;
    return {
      pc: m.pc >>> 0, cpl: v.cpl, registers: Array.from(m.R), flags: this.flagsWord(), IF: v.iflag, IOPL: v.iopl,
      cr0: cr.cr0 >>> 0, cr2: cr.cr2 >>> 0, cr3: cr.cr3 >>> 0, cr8: cr.cr8, ksp: cr.ksp >>> 0, sep: cr.sep >>> 0,
      idtr: v.idtr >>> 0, time: this.time, retired: this.retired, memoryHash: withHash ? hashMemory(this.memory.bytes) : "",
    };
  }

  /** Cycles of the virtualized run: the real machine's own, the technique's section, and every virtual device access. */
  cycles(): number {
    const c = this.counters;
    return this.machine.cycles() + this.sectionCycles() + (c.portReads + c.portWrites) * this.cost.portIo;
  }

  consoleText(): string {
    return this.console.text();
  }

  /** Bring the technique's counters up to date before they are collected. */
  protected settleCounters(): void {}

  result(options: ResultOptions = {}): MonitoredRun<CoreCounters & S> {
    const stop = this.final ?? { kind: "budget", pc: this.machine.pc >>> 0 };
    this.settleCounters();
    this.counters.machine = this.machine.counters.toJSON();
    return {
      monitor: this.monitor, profile: this.profile, stop, verdict: describeStop(stop), console: this.consoleText(),
      ioTrace: this.ioTrace.slice(), interrupts: this.interrupts.slice(),
      finalState: options.final ? withLazyMemoryHash(this.state(false), this.memory.bytes) : this.state(),
      memory: options.final ? this.memory.bytes : this.memory.bytes.slice(),
      counters: structuredClone(this.counters), cycles: this.cycles(),
    };
  }
}
