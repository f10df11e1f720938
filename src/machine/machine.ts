// The emulated computer: CPU state, MMU with TLB, event delivery through the IDT, devices and counters.
import {
  CR0, FLAG, FLAGS_MASK, IOPL_SHIFT, NUM_REGS, PAGE_SHIFT, SP, STATUS_MASK, VECTOR, csSelector, vectorName,
} from "../isa/arch.js";

import type { Profile } from "../isa/table.js";
import { type CostModel, defaultCostModel } from "./cost.js";
import {
  type BlockDevice, type Console, createDevices, type DeviceHost, type InterruptController, type PortBus, type PowerSwitch, type Timer, UnclaimedPortError,
} from "./devices.js";
import { MachineCheck, PhysicalMemory, type MemorySource } from "./memory.js";
import { Counters } from "./counters.js";
import { interpreter } from "../engines/interpreter.js";
import { ENGINE_CHUNK, type Engine } from "../engines/engine.js";
import { Tlb, TLB_BIT } from "./tlb.js";
import { wakeTime } from "./wake.js";
import { CpuEvent, ExitRequest, haltedStop, hex, NO_VECTOR, type ExitEvent, type Stop } from "./events.js";
import { evalCond, F_ADD, F_LOGIC, F_NONE, F_SUB, statusOf } from "./flags.js";
import { ControlRegisters, CR_EFFECT, type ControlRegisterValues } from "./control-registers.js";
import { NO_EXITS, type ExitPolicy } from "./exit-policy.js";
import { NO_PAGE, PROBE, physicalAddress, walkPageTables, type WalkEffects } from "./paging.js";

export {
  CpuEvent, ExitRequest, haltedStop, hex, NO_VECTOR, type CrExit, type EventExit, type ExitEvent, type HaltedStop, type HltExit, type InterruptWindowExit,
  type IoExit, type Stop,
} from "./events.js";
export { evalCond, statusOf } from "./flags.js";

/** A snapshot of architectural state: the control registers' values and the rest. */
export interface CpuState extends ControlRegisterValues {
  readonly pc: number;
  readonly cpl: number;
  readonly registers: readonly number[];
  readonly flags: number;
  readonly idtr: number;
  readonly time: number;
}

export interface MachineOptions {
  readonly profile?: Profile;
  /** Physical memory in bytes (multiple of 4096). Default 1 MiB. */
  readonly memoryBytes?: number;
  readonly cost?: CostModel;
  /** TLB capacity in entries (FIFO replacement; 0: no TLB, every access walks the page tables). Default 64. */
  readonly tlbEntries?: number;
  /** Disk image for the block device. */
  readonly disk?: Uint8Array;
  /** Console output limit in characters. */
  readonly consoleLimit?: number;
  /** Keep at most this many port-I/O trace entries. Default 100 000. */
  readonly ioTraceLimit?: number;
  /** What leaves the machine as exits to a monitor (default NO_EXITS: a bare machine). */
  readonly exits?: ExitPolicy;
  /** The engine `run` uses unless told otherwise (default: the interpreter). */
  readonly engine?: Engine;
  /** Where its physical memory comes from (default: a fresh zeroed array). */
  readonly memory?: MemorySource;
}

/** One port access, as the guest observed it. */
export interface IoRecord {
  readonly time: number;
  readonly dir: "in" | "out";
  readonly port: number;
  readonly value: number;
}

/** One delivered hardware interrupt. */
export interface InterruptRecord {
  readonly time: number;
  readonly vector: number;
}

// TLB entry bits (an entry is pfn << 12 | bits).
const T_VALID = TLB_BIT.VALID;
const T_WRITE = TLB_BIT.WRITE;
const T_USER = TLB_BIT.USER;
const T_DIRTY = TLB_BIT.DIRTY;

/** A program image to place in memory. */
export interface Loadable {
  readonly segments: readonly { readonly address: number; readonly bytes: Uint8Array }[];
  readonly entry: number;
}

export class Machine {
  readonly profile: Profile;
  readonly memory: PhysicalMemory;
  readonly cost: CostModel;
  readonly counters = new Counters();
  readonly bus: PortBus;
  readonly pic: InterruptController;
  readonly console: Console;
  readonly timer: Timer;
  readonly block: BlockDevice;
  readonly power: PowerSwitch;

  /** General registers r0..r15 (r15 is the stack pointer). */
  readonly R = new Int32Array(NUM_REGS);
  pc = 0;
  /** Current privilege level 0..3 (shows in CS's low bits). */
  cpl = 0;
  /** Interrupt flag. */
  iflag = false;
  iopl = 0;
  /** The control registers (CR0, CR2, CR3, CR8, KSP, SEP) and the rules of MOV crN. */
  readonly cr = new ControlRegisters();
  /** IDT base (linear address; 256 gates of 8 bytes: handler, attributes). */
  idtr = 0;
  /** Machine time: instructions retired plus time skipped while halted. */
  time = 0;
  /**
   * Added to machine time by RDTSC. A monitor sets it so the guest's clock counts only guest time, not the
   * time the monitor spent emulating (the TSC offset of VT-x); no instruction reaches it, and it is 0 on a
   * bare machine.
   */
  tscOffset = 0;
  /**
   * Words of a monitor's virtual CPU that its translated code reads and writes in place, as `m.vstate[i]`
   * (the binary-translation monitor's inline CLI and STI: src/vmm/kit/virtual-cpu-state.ts VSTATE). The
   * machine itself never reads them; empty on a bare machine.
   */
  vstate: Float64Array = new Float64Array(0);
  /** What leaves the machine as an exit (a stop of kind "exit") instead of running on it; NO_EXITS on a bare machine. */
  exits: ExitPolicy;

  /**
   * Lazy flags: the last flag-setting operation (F_ADD, F_SUB, F_LOGIC, or F_NONE when `fstat` holds the
   * bits), its operands and result. The engine keeps copies in locals and writes them back before
   * anything reads FLAGS through the machine.
   */
  fop = F_NONE;
  fres = 0;
  fa = 0;
  fb = 0;
  fstat = 0;

  /** Interrupts are inhibited until this time (the instruction after STI runs first). */
  private inhibitUntil = 0;
  /** The run loop calls boundary() once time reaches this. */
  checkAt = 0;
  private poweredOff: number | undefined;

  /** The TLB (64 entries unless the options say otherwise); the engine reads its hash table on its fast path. */
  readonly tlb: Tlb;
  /** TLB bits an entry needs for a read or fetch / a write at the current ring (engine fast path). */
  readMask: number = T_VALID;
  writeMask: number = T_VALID | T_DIRTY;

  readonly ioTrace: IoRecord[] = [];
  /** Delivered hardware interrupts, kept as two arrays of numbers so a delivery allocates no record; `interrupts` makes the records when it is read. */
  private readonly irqTimes: number[] = [];
  private readonly irqVectors: number[] = [];
  private readonly irqRecords: InterruptRecord[] = [];
  private readonly ioTraceLimit: number;

  /** Per-opcode retired-instruction counts (the instruction mix). */
  readonly ops = new Float64Array(256);

  /** The engine `run` uses unless told otherwise. */
  readonly engine: Engine;

  constructor(options: MachineOptions = {}) {
    this.profile = options.profile ?? "strict";
    this.memory = new PhysicalMemory(options.memoryBytes ?? 1 << 20, options.memory);
    this.cost = options.cost ?? defaultCostModel();
    this.tlb = new Tlb(options.tlbEntries ?? 64);
    this.ioTraceLimit = options.ioTraceLimit ?? 100_000;
    this.exits = options.exits ?? NO_EXITS;
    this.engine = options.engine ?? interpreter;
    const host: DeviceHost = {
      now: () => this.time,
      raise: (irq) => this.pic.raise(irq),
      wake: (t) => {
        if (t < this.checkAt) this.checkAt = t;
      },
      memory: this.memory,
      powerOff: (code) => {
        this.poweredOff = code;
        this.checkAt = 0;
      },
    };
    ({ bus: this.bus, pic: this.pic, console: this.console, timer: this.timer, block: this.block, power: this.power } = createDevices(host, {
      ...(options.disk ? { disk: options.disk } : {}), ...(options.consoleLimit !== undefined ? { consoleLimit: options.consoleLimit } : {}),
    }));
    this.R[SP] = this.memory.size;
    const machine = this;
    this.mmu = {
      setAccessed: true,
      checkRights: true,
      pageFault(va: number, error: number): never {
        throw machine.pageFault(va, error);
      },
      outsideMemory(address: number, size: number): never {
        throw new MachineCheck(address, size);
      },
    };
  }

  // The control registers by name (raw: no MOV crN rules; see readCr/writeCr for those).
  get cr0(): number { return this.cr.cr0; }
  set cr0(v: number) { this.cr.cr0 = v; }
  get cr2(): number { return this.cr.cr2; }
  set cr2(v: number) { this.cr.cr2 = v; }
  get cr3(): number { return this.cr.cr3; }
  set cr3(v: number) { this.cr.cr3 = v; }
  get cr8(): number { return this.cr.cr8; }
  set cr8(v: number) { this.cr.cr8 = v; }
  /** Kernel stack pointer loaded on entry to ring 0 from an outer ring. */
  get ksp(): number { return this.cr.ksp; }
  set ksp(v: number) { this.cr.ksp = v; }
  /** SYSCALL entry point. */
  get sep(): number { return this.cr.sep; }
  set sep(v: number) { this.cr.sep = v; }

  // ---------------------------------------------------------------- loading and inspection

  /** Copy a program's segments into physical memory and point the PC at its entry. */
  load(program: Loadable): void {
    for (const s of program.segments) this.memory.load(s.address, s.bytes);
    this.pc = program.entry >>> 0;
  }

  state(): CpuState {
    return {
      pc: this.pc, cpl: this.cpl, registers: Array.from(this.R), flags: this.flagsWord(),
      cr0: this.cr0 >>> 0, cr2: this.cr2 >>> 0, cr3: this.cr3 >>> 0, cr8: this.cr8, ksp: this.ksp >>> 0, sep: this.sep >>> 0,
      idtr: this.idtr >>> 0, time: this.time,
    };
  }

  /** Console output so far. */
  consoleText(): string {
    return this.console.text();
  }

  /** Cycles so far, from the counters and the cost model. */
  cycles(): number {
    return this.counters.cycles(this.cost, this.ops);
  }

  /** The hardware interrupts delivered so far, in order (one array, grown as interrupts are delivered). */
  get interrupts(): readonly InterruptRecord[] {
    const records = this.irqRecords;
    for (let i = records.length; i < this.irqTimes.length; i++) records.push({ time: this.irqTimes[i]!, vector: this.irqVectors[i]! });
    return records;
  }

  private recordInterrupt(time: number, vector: number): void {
    this.irqTimes.push(time);
    this.irqVectors.push(vector);
  }

  /** Instructions retired so far. */
  retired(): number {
    let n = 0;
    for (let i = 0; i < 256; i++) n += this.ops[i]!;
    return n;
  }

  // ---------------------------------------------------------------- running

  /**
   * Run at most `maxSteps` instructions (default: until the machine stops by itself, capped at 10⁹) on
   * `engine` (default: the machine's).
   */
  run(options: { maxSteps?: number; engine?: Engine } = {}): Stop {
    const max = options.maxSteps ?? 1e9;
    if (!(max >= 0)) throw new RangeError(`maxSteps must be a non-negative number, got ${max}`);
    this.checkAt = 0;
    const engine = options.engine ?? this.engine;
    // An engine is asked for at most ENGINE_CHUNK instructions per call, so very long runs go in chunks.
    let left = max;
    for (;;) {
      const stop = engine.run(this, Math.min(left, ENGINE_CHUNK));
      left -= Math.min(left, ENGINE_CHUNK);
      if (stop.kind !== "budget" || left <= 0) return stop;
    }
  }

  /**
   * Execute one instruction, or deliver one pending interrupt and stop before the handler's first
   * instruction (a step that retires nothing), so that a trace names every instruction where it ran.
   */
  step(): Stop {
    const delivered = this.counters.interrupts;
    this.checkAt = 0;
    const stop = this.boundary();
    if (stop) return stop;
    if (this.counters.interrupts !== delivered) return { kind: "budget", pc: this.pc };
    return this.run({ maxSteps: 1 });
  }

  /**
   * Called by the engine at an instruction boundary when time reached checkAt: device events, power off,
   * pending interrupts. Returns a Stop to end the run, or undefined to go on (pc may have changed).
   */
  boundary(): Stop | undefined {
    if (this.poweredOff !== undefined) return { kind: "poweroff", pc: this.pc, code: this.poweredOff };
    const now = this.time;
    let next = this.bus.nextEvent();
    if (next <= now) {
      this.bus.tick(now);
      next = this.bus.nextEvent();
    }
    if (this.inhibitUntil > now) next = Math.min(next, this.inhibitUntil);
    else if (this.iflag) {
      if (this.exits.interruptWindow) {
        this.checkAt = 0;
        return { kind: "exit", pc: this.pc, event: { kind: "interrupt-window", vector: NO_VECTOR, error: 0, pc: this.pc } };
      }
      const irq = this.pic.deliverable();
      if (irq >= 0 && (VECTOR.IRQ_BASE + irq) >> 4 > this.cr8) {
        this.pic.acknowledge(irq);
        const vector = VECTOR.IRQ_BASE + irq;
        this.counters.interrupts++;
        if (this.exits.interrupts) {
          this.checkAt = 0;
          return { kind: "exit", pc: this.pc, event: { kind: "interrupt", vector, error: 0, pc: this.pc } };
        }
        this.recordInterrupt(now, vector);
        const stop = this.deliver(vector, 0, this.pc, false);
        if (stop) return stop;
        // Another line may be pending behind this one, deliverable once IF returns: the gate cleared IF, and
        // whatever sets it again (STI, POPF, IRET) asks for a boundary at once, so no boundary is due before then.
        if (this.iflag) next = 0;
      }
    }
    this.checkAt = next === 0 ? now + 1 : next;
    return undefined;
  }

  /**
   * Called by the engine when an instruction raised an event. An event the exit policy sends out stops the
   * run with an exit; any other is delivered through the IDT and the run goes on (undefined). Anything
   * that cannot go on stops the run.
   */
  onEvent(e: unknown, pc: number): Stop | undefined {
    this.pc = pc;
    if (e instanceof CpuEvent) {
      if (e.kind === "halt") return this.haltAt(e.returnPc!);
      this.counters.events[e.vector]!++;
      if (e.kind === "syscall" ? this.exits.syscall : this.exits.vector(e.vector)) {
        this.checkAt = 0;
        const event: ExitEvent = {
          kind: e.kind === "fault" ? "fault" : e.kind === "syscall" ? "syscall" : "trap",
          vector: e.vector, error: e.error, pc, returnPc: e.returnPc,
          address: e.vector === VECTOR.PAGE_FAULT ? this.cr2 >>> 0 : undefined,
        };
        if (e.returnPc !== undefined) this.pc = e.returnPc;
        return { kind: "exit", pc, event };
      }
      if (e.kind === "syscall") return undefined; // already entered ring 0 by syscall()
      return this.deliver(e.vector, e.error, e.returnPc ?? pc, e.returnPc === undefined);
    }
    if (e instanceof ExitRequest) {
      this.checkAt = 0;
      return { kind: "exit", pc, event: { ...e.exit, pc } };
    }
    if (e instanceof MachineCheck) return { kind: "machine-check", pc, message: e.message };
    if (e instanceof UnclaimedPortError) return { kind: "machine-check", pc, message: e.message };
    throw e;
  }

  /** HLT: sleep until an interrupt the CPU would take is pending (see wake.ts), or stop for good if none can come. */
  private haltAt(next: number): Stop | undefined {
    this.pc = next;
    this.checkAt = 0;
    if (!this.iflag) return haltedStop(next, false);
    const wake = wakeTime(this.bus, this.pic, this.cr8, this.time);
    if (wake.kind === "never") return haltedStop(next, true, wake.reason);
    this.counters.haltedTime += wake.time - this.time;
    this.time = wake.time;
    return undefined;
  }

  /**
   * Deliver a vector through the IDT (native mode): push [old SP if the ring changes], FLAGS, CS,
   * return PC and an error slot on the ring-0 stack, enter ring 0 with IF clear. A fault while doing so
   * becomes a double fault; a fault while delivering that is a triple fault, which stops the machine.
   */
  private deliver(vector: number, error: number, returnPc: number, isFault: boolean): Stop | undefined {
    try {
      this.enterGate(vector, error, returnPc);
      return undefined;
    } catch (e) {
      if (!(e instanceof CpuEvent)) {
        if (e instanceof MachineCheck) return { kind: "machine-check", pc: this.pc, message: e.message };
        throw e;
      }
      if (vector === VECTOR.DOUBLE_FAULT) {
        return { kind: "triple-fault", pc: this.pc, vector, message: `triple fault at ${hex(this.pc)}: the double fault could not be delivered (${this.why(e)})` };
      }
      this.counters.events[VECTOR.DOUBLE_FAULT]!++;
      try {
        this.enterGate(VECTOR.DOUBLE_FAULT, 0, this.pc);
        return undefined;
      } catch (e2) {
        if (!(e2 instanceof CpuEvent)) {
          if (e2 instanceof MachineCheck) return { kind: "machine-check", pc: this.pc, message: e2.message };
          throw e2;
        }
        return {
          kind: "triple-fault", pc: this.pc, vector,
          message: `triple fault at ${hex(this.pc)}: ${vectorName(vector)}${isFault ? "" : " (trap)"} could not be delivered (${this.why(e)}), and neither could the double fault that followed (${this.why(e2)})`,
        };
      }
    }
  }

  /** Why a delivery failed, in words. */
  private why(e: CpuEvent): string {
    if (e.vector === VECTOR.GENERAL_PROTECTION && e.error & 2) return `IDT gate ${e.error >>> 3} is not present at ${hex(this.idtr + (e.error >>> 3) * 8)}`;
    if (e.vector === VECTOR.PAGE_FAULT) return `page fault at ${hex(this.cr2)} while reading the gate or pushing the frame`;
    return vectorName(e.vector);
  }

  /** Enter IDT gate `vector` as the hardware does (ring-0 rights for the gate and frame); the emulating monitor applies this to a virtual CPU. */
  enterGate(vector: number, error: number, returnPc: number): void {
    const outer = this.cpl;
    // Gates and frames are reached with ring-0 rights.
    this.cpl = 0;
    this.refreshMasks();
    try {
      const gate = (this.idtr + vector * 8) >>> 0;
      const handler = this.rd32(gate);
      const attr = this.rd32((gate + 4) >>> 0);
      if (!(attr & 1)) throw this.fault(VECTOR.GENERAL_PROTECTION, vector * 8 + 2);
      let sp = outer > 0 ? this.ksp >>> 0 : this.R[SP]! >>> 0;
      // The frame, from the top: [SP of the outer ring,] FLAGS, CS, return PC, error slot (no array: a delivery allocates nothing).
      const oldSp = this.R[SP]!, flags = this.flagsWord();
      if (outer > 0) this.wr32((sp = (sp - 4) >>> 0), oldSp);
      this.wr32((sp = (sp - 4) >>> 0), flags);
      this.wr32((sp = (sp - 4) >>> 0), csSelector(outer));
      this.wr32((sp = (sp - 4) >>> 0), returnPc);
      this.wr32((sp = (sp - 4) >>> 0), error);
      this.R[SP] = sp;
      this.iflag = false;
      this.pc = handler >>> 0;
      if (outer > 0) this.counters.modeSwitches++;
      else this.counters.sameRingDeliveries++;
      this.checkAt = 0;
    } catch (e) {
      this.cpl = outer;
      this.refreshMasks();
      throw e;
    }
  }

  // ---------------------------------------------------------------- helpers for instruction templates

  fault(vector: number, error = 0): CpuEvent {
    return new CpuEvent("fault", vector, error);
  }
  needCpl0(): void {
    if (this.cpl !== 0) throw this.fault(VECTOR.GENERAL_PROTECTION);
  }
  needIopl(): void {
    if (this.cpl > this.iopl) throw this.fault(VECTOR.GENERAL_PROTECTION);
  }
  divisor(v: number): number {
    if (v === 0) throw this.fault(VECTOR.DIVIDE_ERROR);
    return v;
  }
  add(x: number, y: number): number {
    const r = (x + y) | 0;
    this.fop = F_ADD; this.fa = x; this.fb = y; this.fres = r;
    return r;
  }
  sub(x: number, y: number): number {
    const r = (x - y) | 0;
    this.fop = F_SUB; this.fa = x; this.fb = y; this.fres = r;
    return r;
  }
  logic(r: number): number {
    this.fop = F_LOGIC; this.fres = r | 0;
    return r | 0;
  }

  /** ZF SF CF OF as FLAGS bits. */
  status(): number {
    return statusOf(this.fop, this.fres, this.fa, this.fb, this.fstat);
  }

  /** Evaluate a condition code (COND in the table) against the lazy flags. */
  cond(cc: number): boolean {
    return evalCond(cc, this.fop, this.fres, this.fa, this.fb, this.fstat);
  }

  flagsWord(): number {
    return this.status() | (this.iflag ? FLAG.IF : 0) | (this.iopl << IOPL_SHIFT);
  }

  /**
   * Load FLAGS as POPF does at privilege level `cpl`: status bits always; IOPL only in ring 0; IF only
   * when CPL <= IOPL. Above that the x86 profile silently keeps them (the strict profile faulted earlier).
   */
  setFlagsWord(v: number, cpl: number): void {
    v &= FLAGS_MASK;
    this.fop = F_NONE;
    this.fstat = v & STATUS_MASK;
    if (cpl <= this.iopl) this.setIF((v & FLAG.IF) !== 0);
    if (cpl === 0) this.iopl = (v >>> IOPL_SHIFT) & 3;
  }

  setIF(on: boolean): void {
    if (on && !this.iflag) this.checkAt = 0;
    this.iflag = on;
  }

  /** STI: interrupts are recognised only after the next instruction (the interrupt shadow). */
  sti(): void {
    if (!this.iflag) {
      this.iflag = true;
      this.inhibitUntil = this.time + 2;
      this.checkAt = 0;
    }
  }

  cs(): number {
    return csSelector(this.cpl);
  }

  push(v: number): void {
    const sp = (this.R[SP]! - 4) >>> 0;
    this.wr32(sp, v);
    this.R[SP] = sp;
  }

  pop(): number {
    const sp = this.R[SP]! >>> 0;
    const v = this.rd32(sp);
    this.R[SP] = (sp + 4) | 0;
    return v;
  }

  /** IRET: pop the error slot, PC, CS, FLAGS, and SP when returning to an outer ring. Returns the new PC. */
  iret(): number {
    const sp = this.R[SP]! >>> 0;
    const pc = this.rd32((sp + 4) >>> 0) >>> 0;
    const cs = this.rd32((sp + 8) >>> 0);
    const flags = this.rd32((sp + 12) >>> 0);
    const newCpl = cs & 3;
    if (newCpl < this.cpl) throw this.fault(VECTOR.GENERAL_PROTECTION, cs & 0xfffc);
    let newSp = (sp + 16) >>> 0;
    if (newCpl > this.cpl) newSp = this.rd32(newSp) >>> 0;
    this.setFlagsWord(flags, this.cpl);
    if (newCpl !== this.cpl) {
      this.cpl = newCpl;
      this.refreshMasks();
      this.counters.modeSwitches++;
    }
    this.R[SP] = newSp;
    this.checkAt = 0;
    return pc;
  }

  // HLT, INT n, BRK and VMCALL always end their instruction with an event. Each has a form that returns
  // the event, which generated engines hand to their event handler without a throw (see the `event` entries
  // in engines/helpers.ts), and the form templates name, which throws it (the reference engine runs those).

  halt(next: number): never {
    throw this.haltEvent(next);
  }
  /** HLT's event: an exit when the policy intercepts HLT, else the halt event. */
  haltEvent(next: number): CpuEvent | ExitRequest {
    if (this.exits.hlt) return new ExitRequest({ kind: "hlt", vector: NO_VECTOR, error: 0 });
    return new CpuEvent("halt", 0, 0, next);
  }

  softInt(vector: number, next: number): never {
    throw this.softIntEvent(vector, next);
  }
  /** INT n: check the gate (present, DPL ≥ CPL) and trap through it — unless the vector exits, when the monitor checks its guest's gate. The event is the trap or the gate's #GP (a page fault reading the gate is thrown). */
  softIntEvent(vector: number, next: number): CpuEvent {
    if (!this.exits.vector(vector)) {
      const gate = (this.idtr + vector * 8) >>> 0;
      const outer = this.cpl;
      this.cpl = 0;
      this.refreshMasks();
      let attr: number;
      try {
        attr = this.rd32((gate + 4) >>> 0);
      } finally {
        this.cpl = outer;
        this.refreshMasks();
      }
      if (!(attr & 1) || ((attr >>> 1) & 3) < this.cpl) return this.fault(VECTOR.GENERAL_PROTECTION, vector * 8 + 2);
    }
    return new CpuEvent("trap", vector, 0, next);
  }

  trap(vector: number, next: number): never {
    throw this.trapEvent(vector, next);
  }
  trapEvent(vector: number, next: number): CpuEvent {
    return new CpuEvent("trap", vector, 0, next);
  }

  /** SYSCALL: r13 ← return PC, r12 ← FLAGS, IF ← 0, ring 0, PC ← SEP. */
  syscall(next: number): number {
    if (this.exits.syscall) throw new CpuEvent("syscall", VECTOR.SYSCALL, 0, next);
    this.R[13] = next;
    this.R[12] = this.flagsWord();
    this.iflag = false;
    if (this.cpl !== 0) {
      this.cpl = 0;
      this.refreshMasks();
      this.counters.modeSwitches++;
    }
    this.counters.syscalls++;
    return this.sep >>> 0;
  }

  /** SYSRET: PC ← r13, FLAGS ← r12, ring 3. */
  sysret(): number {
    const pc = this.R[13]! >>> 0;
    this.setFlagsWord(this.R[12]!, 0);
    this.cpl = 3;
    this.refreshMasks();
    this.counters.modeSwitches++;
    this.checkAt = 0;
    return pc;
  }

  vmcall(): never {
    throw this.vmcallEvent();
  }
  /** VMCALL on a bare machine: #UD (a monitor recognizes the instruction behind it). */
  vmcallEvent(): CpuEvent {
    return this.fault(VECTOR.INVALID_OPCODE);
  }

  /** CPUID leaf 0: r0 = highest leaf, r1..r3 = "vmlab-cpu   "; leaf 1: r0 = version, r1 = features (bit 0 paging, bit 1 x86 profile). */
  cpuid(): void {
    const leaf = this.R[0]!;
    const text = (s: string) => s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
    if (leaf === 0) {
      this.R[0] = 1; this.R[1] = text("vmla"); this.R[2] = text("b-cp"); this.R[3] = text("u   ");
    } else if (leaf === 1) {
      this.R[0] = 0x0100; this.R[1] = 1 | (this.profile === "x86" ? 2 : 0); this.R[2] = 0; this.R[3] = 0;
    } else {
      this.R[0] = 0; this.R[1] = 0; this.R[2] = 0; this.R[3] = 0;
    }
  }

  portIn(port: number): number {
    if (this.exits.port(port)) throw new ExitRequest({ kind: "io", vector: NO_VECTOR, error: 0, port, write: false, value: 0 });
    this.counters.portReads++;
    const v = this.bus.read(port);
    if (this.ioTrace.length < this.ioTraceLimit) this.ioTrace.push({ time: this.time, dir: "in", port, value: v });
    return v;
  }

  portOut(port: number, value: number): void {
    if (this.exits.port(port)) throw new ExitRequest({ kind: "io", vector: NO_VECTOR, error: 0, port, write: true, value: value | 0 });
    this.counters.portWrites++;
    if (this.ioTrace.length < this.ioTraceLimit) this.ioTrace.push({ time: this.time, dir: "out", port, value: value | 0 });
    this.bus.write(port, value);
  }

  /** MOV rd, crN: #UD for a register the machine lacks; an exit when the policy intercepts reads of it. */
  readCr(index: number): number {
    const v = this.cr.read(index);
    if (v === undefined) throw this.fault(VECTOR.INVALID_OPCODE);
    if (this.exits.crRead(index)) throw new ExitRequest({ kind: "cr", vector: NO_VECTOR, error: 0, index, write: false, value: 0 });
    return v;
  }

  /** MOV crN, rs: #UD for a register the machine lacks; an exit when the policy intercepts writes of it; else see setCr. */
  writeCr(index: number, v: number): void {
    if (this.exits.crWrite(index) && this.cr.read(index) !== undefined) {
      throw new ExitRequest({ kind: "cr", vector: NO_VECTOR, error: 0, index, write: true, value: v | 0 });
    }
    this.setCr(index, v);
  }

  /**
   * Write a control register with MOV crN's rules and their consequences on this machine (TLB flush,
   * access rights, interrupt re-check), whatever the exit policy: how a monitor sets up the machine it owns.
   */
  setCr(index: number, v: number): void {
    const effect = this.cr.write(index, v);
    if (effect & CR_EFFECT.UNDEFINED) throw this.fault(VECTOR.INVALID_OPCODE);
    if (effect & CR_EFFECT.FLUSH_TLB) this.flushTlb();
    if (effect & CR_EFFECT.PAGING_MODE) this.refreshMasks();
    if (effect & CR_EFFECT.PRIORITY) this.checkAt = 0;
  }

  // ---------------------------------------------------------------- MMU

  get paging(): boolean {
    return (this.cr0 & CR0.PG) !== 0;
  }

  /** Recompute the TLB permission masks for the current ring and CR0.WP. */
  refreshMasks(): void {
    const user = this.cpl === 3;
    this.readMask = T_VALID | (user ? T_USER : 0);
    this.writeMask = T_VALID | T_DIRTY | (user ? T_USER | T_WRITE : this.cr0 & CR0.WP ? T_WRITE : 0);
  }

  invlpg(va: number): void {
    this.tlb.invalidate(va >>> PAGE_SHIFT);
  }

  flushTlb(): void {
    this.tlb.flush();
    this.counters.tlbFlushes++;
  }

  /** Translate a linear address for an access, walking the page tables on a miss. */
  translate(va: number, write: boolean, fetch: boolean): number {
    const e = this.tlb.lookup(va >>> PAGE_SHIFT);
    const need = write ? this.writeMask : this.readMask;
    if ((e & need) === need) {
      this.counters.tlbHits++;
      return (e & ~0xfff) | (va & 0xfff);
    }
    return this.walk(va, write, fetch);
  }

  /** The page-table walker's effects for a real access: set A/D, raise #PF (CR2, counted) or a machine check. */
  private readonly mmu: WalkEffects;

  private walk(va: number, write: boolean, fetch: boolean): number {
    this.counters.tlbMisses++;
    const entry = walkPageTables(this.memory, this.cr, va, write, fetch, this.cpl === 3, this.mmu);
    this.tlb.fill(va >>> PAGE_SHIFT, entry);
    return physicalAddress(entry, va);
  }

  private pageFault(va: number, err: number): CpuEvent {
    this.counters.pageFaults++;
    this.cr2 = va >>> 0;
    return new CpuEvent("fault", VECTOR.PAGE_FAULT, err);
  }

  /** Fetch the instruction word at `va` (must be 4-byte aligned). */
  fetch(va: number): number {
    if (va & 3) throw this.fault(VECTOR.GENERAL_PROTECTION);
    const e = this.tlb.lookup(va >>> PAGE_SHIFT);
    const need = this.readMask;
    if ((e & need) === need) {
      this.counters.tlbHits++;
      return this.memory.words[((e & ~0xfff) | (va & 0xfff)) >>> 2]!;
    }
    return this.memory.read32(this.walk(va, false, true));
  }

  rd32(va: number): number {
    if ((va & 0xfff) > 0xffc) return this.rd8(va) | (this.rd8(va + 1) << 8) | (this.rd8(va + 2) << 16) | (this.rd8(va + 3) << 24);
    return this.memory.read32(this.translate(va, false, false));
  }
  wr32(va: number, v: number): void {
    if ((va & 0xfff) > 0xffc) {
      // A write that straddles two pages must not half-happen: check both pages first. A fault on the
      // second page reports its first byte in CR2, as a load's byte-by-byte access does (and x86 does).
      this.translate(va, true, false);
      this.translate(((va + 3) & ~0xfff) >>> 0, true, false);
      for (let i = 0; i < 4; i++) this.wr8((va + i) >>> 0, v >>> (8 * i));
      return;
    }
    this.memory.write32(this.translate(va, true, false), v);
  }
  rd8(va: number): number {
    return this.memory.read8(this.translate(va >>> 0, false, false));
  }
  wr8(va: number, v: number): void {
    this.memory.write8(this.translate(va >>> 0, true, false), v);
  }

  /**
   * Translate a linear address without side effects (no A/D bits, no TLB fill, no counters), for
   * debuggers and notebooks. Undefined when the access would fault.
   */
  probe(va: number): number | undefined {
    const entry = walkPageTables(this.memory, this.cr, va, false, false, false, PROBE);
    return entry === NO_PAGE ? undefined : physicalAddress(entry, va);
  }
}

/** Create a machine (the documented entry point for notebooks, labs and the grader). */
export function createMachine(options: MachineOptions = {}): Machine {
  return new Machine(options);
}
