// Emulated devices on a port bus: interrupt controller, console, timer, block device, power switch.
import { IRQ, PORT } from "../isa/arch.js";
import type { PhysicalMemory } from "./memory.js";

/** What a device may ask of the machine it is plugged into (injected, so tests pass fakes). */
export interface DeviceHost {
  /** Machine time: instructions retired plus time skipped while halted. */
  now(): number;
  /** Raise an interrupt line on the interrupt controller. */
  raise(irq: number): void;
  /** Ask the machine to look at device events again at `time` (a device's clock changed: every change of a device's nextEvent() outside its tick() is announced here). */
  wake(time: number): void;
  /** Physical memory, for DMA. */
  readonly memory: PhysicalMemory;
  /** Switch the machine off with an exit code. */
  powerOff(code: number): void;
}

/** A device answers reads and writes on the ports it registers. */
export interface Device {
  readonly name: string;
  readonly ports: readonly number[];
  read(port: number): number;
  write(port: number, value: number): void;
  /** Time of this device's next event (Infinity when none): the machine calls tick() once time reaches it. It changes only in tick() or with a call of the host's wake(). */
  nextEvent(): number;
  /** The interrupt line its events raise (none: its events raise no line). */
  readonly irq?: number;
  tick(now: number): void;
}

/** Thrown for a port no device claims: the run stops with a message naming the port (no silent default). */
export class UnclaimedPortError extends Error {
  constructor(readonly port: number, readonly direction: "in" | "out") {
    super(`no device answers port 0x${port.toString(16)} (${direction})`);
  }
}

/** The port bus: each device registers its ports; a port has at most one owner. */
export class PortBus {
  private readonly owners = new Map<number, Device>();
  readonly devices: Device[] = [];
  /** The earliest event over the devices, once asked (NaN: ask them again). */
  private earliest = NaN;

  /** A device's next event changed (createDevices's devices call this with every wake()). */
  changed(): void {
    this.earliest = NaN;
  }

  attach(device: Device): void {
    for (const p of device.ports) {
      const prior = this.owners.get(p);
      if (prior) throw new Error(`port 0x${p.toString(16)} is already claimed by ${prior.name}; ${device.name} cannot take it`);
    }
    for (const p of device.ports) this.owners.set(p, device);
    this.devices.push(device);
    this.earliest = NaN;
  }

  owner(port: number): Device | undefined {
    return this.owners.get(port);
  }

  read(port: number): number {
    const d = this.owners.get(port);
    if (!d) throw new UnclaimedPortError(port, "in");
    return d.read(port) | 0;
  }

  write(port: number, value: number): void {
    const d = this.owners.get(port);
    if (!d) throw new UnclaimedPortError(port, "out");
    d.write(port, value | 0);
  }

  /** Earliest event over all devices (asked of them again only after a tick or a change). */
  nextEvent(): number {
    if (this.earliest === this.earliest) return this.earliest;
    let t = Infinity;
    for (const d of this.devices) t = Math.min(t, d.nextEvent());
    return (this.earliest = t);
  }

  /** Earliest event of a device whose interrupt line is in the bit mask `lines`. */
  nextEventRaising(lines: number): number {
    let t = Infinity;
    for (const d of this.devices) if (d.irq !== undefined && lines & (1 << d.irq)) t = Math.min(t, d.nextEvent());
    return t;
  }

  tick(now: number): void {
    for (const d of this.devices) if (d.nextEvent() <= now) d.tick(now);
    // A device's clock moves in its tick() without a wake().
    this.earliest = NaN;
  }
}

/** Interrupt controller: 16 lines with pending and mask bits; delivery acknowledges the line (edge-triggered). */
export class InterruptController implements Device {
  readonly name = "pic";
  readonly ports = [PORT.PIC_PENDING, PORT.PIC_MASK];
  pending = 0;
  mask = 0;
  constructor(private readonly host: Pick<DeviceHost, "now" | "wake">) {}

  raise(irq: number): void {
    this.pending |= 1 << irq;
    this.host.wake(this.host.now());
  }
  /** Lowest pending unmasked line, or -1. */
  deliverable(): number {
    const ready = this.pending & ~this.mask & 0xffff;
    return ready === 0 ? -1 : 31 - Math.clz32(ready & -ready);
  }
  acknowledge(irq: number): void {
    this.pending &= ~(1 << irq);
  }
  read(port: number): number {
    return port === PORT.PIC_PENDING ? this.pending : this.mask;
  }
  write(port: number, value: number): void {
    if (port === PORT.PIC_PENDING) this.acknowledge(value & 15);
    else {
      this.mask = value & 0xffff;
      this.host.wake(this.host.now());
    }
  }
  nextEvent(): number {
    return Infinity;
  }
  tick(): void {}
}

/** Console: bytes written to its port become text; numbers can be printed in decimal or hex. */
export class Console implements Device {
  readonly name = "console";
  readonly ports = [PORT.CONSOLE_CHAR, PORT.CONSOLE_DEC, PORT.CONSOLE_HEX];
  private chunks: string[] = [];
  private size = 0;
  /** Output beyond this many characters is dropped (and counted), so a runaway guest cannot exhaust memory. */
  constructor(readonly limit = 1 << 20) {}
  dropped = 0;

  private append(s: string): void {
    if (this.size + s.length > this.limit) {
      this.dropped += s.length;
      return;
    }
    this.chunks.push(s);
    this.size += s.length;
  }
  read(): number {
    return 0;
  }
  write(port: number, value: number): void {
    if (port === PORT.CONSOLE_CHAR) this.append(String.fromCharCode(value & 0xff));
    else if (port === PORT.CONSOLE_DEC) this.append(String(value | 0));
    else this.append("0x" + (value >>> 0).toString(16));
  }
  text(): string {
    const s = this.chunks.join("");
    this.chunks = [s];
    return s;
  }
  nextEvent(): number {
    return Infinity;
  }
  tick(): void {}
}

/** Timer: interrupts every N units of machine time (retired instructions), so runs are deterministic. */
export class Timer implements Device {
  readonly name = "timer";
  readonly ports = [PORT.TIMER_PERIOD, PORT.TIMER_NOW];
  readonly irq = IRQ.TIMER;
  period = 0;
  next = Infinity;
  constructor(private readonly host: Pick<DeviceHost, "now" | "raise" | "wake">) {}
  read(port: number): number {
    return port === PORT.TIMER_PERIOD ? this.period : this.host.now() | 0;
  }
  write(port: number, value: number): void {
    if (port !== PORT.TIMER_PERIOD) return;
    this.period = value >>> 0;
    this.next = this.period === 0 ? Infinity : this.host.now() + this.period;
    this.host.wake(this.next);
  }
  nextEvent(): number {
    return this.next;
  }
  tick(now: number): void {
    this.host.raise(IRQ.TIMER);
    // One interrupt per expiry that was reached; missed expiries while halted collapse into one, like a real PIT line.
    while (this.next <= now) this.next += this.period;
  }
}

/** Sector size of the block device. */
export const SECTOR_SIZE = 512;

/** A block device: DMA of 512-byte sectors to and from physical memory, completing after a fixed latency with IRQ1. */
export class BlockDevice implements Device {
  readonly name = "block";
  readonly ports = [PORT.BLOCK_SECTOR, PORT.BLOCK_COMMAND, PORT.BLOCK_ADDRESS, PORT.BLOCK_STATUS];
  readonly irq = IRQ.BLOCK;
  sector = 0;
  address = 0;
  status = 0;
  private doneAt = Infinity;
  private pendingCommand = 0;
  constructor(
    private readonly host: DeviceHost,
    readonly disk: Uint8Array = new Uint8Array(64 * SECTOR_SIZE),
    /** Completion latency in machine-time units. */
    readonly latency = 50,
  ) {}
  read(port: number): number {
    switch (port) {
      case PORT.BLOCK_SECTOR: return this.sector;
      case PORT.BLOCK_ADDRESS: return this.address;
      case PORT.BLOCK_STATUS: return this.status;
      default: return 0;
    }
  }
  write(port: number, value: number): void {
    if (port === PORT.BLOCK_SECTOR) this.sector = value >>> 0;
    else if (port === PORT.BLOCK_ADDRESS) this.address = value >>> 0;
    else if (port === PORT.BLOCK_COMMAND && this.status !== 1) {
      this.pendingCommand = value;
      this.status = 1;
      this.doneAt = this.host.now() + this.latency;
      this.host.wake(this.doneAt);
    }
  }
  nextEvent(): number {
    return this.doneAt;
  }
  tick(): void {
    this.doneAt = Infinity;
    const off = this.sector * SECTOR_SIZE;
    const mem = this.host.memory;
    if (off + SECTOR_SIZE > this.disk.length || this.address + SECTOR_SIZE > mem.size || (this.pendingCommand !== 1 && this.pendingCommand !== 2)) {
      this.status = 2;
    } else {
      if (this.pendingCommand === 1) mem.load(this.address, this.disk.subarray(off, off + SECTOR_SIZE));
      else this.disk.set(mem.bytes.subarray(this.address, this.address + SECTOR_SIZE), off);
      this.status = 0;
    }
    this.host.raise(IRQ.BLOCK);
  }
}

/** Power switch: writing an exit code switches the machine off. */
export class PowerSwitch implements Device {
  readonly name = "power";
  readonly ports = [PORT.POWER_OFF];
  constructor(private readonly host: Pick<DeviceHost, "powerOff">) {}
  read(): number {
    return 0;
  }
  write(_port: number, value: number): void {
    this.host.powerOff(value | 0);
  }
  nextEvent(): number {
    return Infinity;
  }
  tick(): void {}
}

/** The standard set of devices every vmlab machine (real or virtual) has, attached to one bus. */
export interface DeviceSet {
  readonly bus: PortBus;
  readonly pic: InterruptController;
  readonly console: Console;
  readonly timer: Timer;
  readonly block: BlockDevice;
  readonly power: PowerSwitch;
}

/**
 * Build the standard devices against a host: the bare machine passes itself, a monitor passes its
 * virtual machine's clock and guest-physical memory. `host.raise` should reach the returned `pic`.
 */
export function createDevices(host: DeviceHost, options: { readonly disk?: Uint8Array; readonly consoleLimit?: number } = {}): DeviceSet {
  const bus = new PortBus();
  // The devices announce a change of their next event to the bus as well, which keeps the earliest one until then.
  const devicesHost: DeviceHost = {
    now: () => host.now(), raise: (irq) => host.raise(irq), memory: host.memory, powerOff: (code) => host.powerOff(code),
    wake: (time) => {
      bus.changed();
      host.wake(time);
    },
  };
  const pic = new InterruptController(devicesHost);
  const console = new Console(options.consoleLimit);
  const timer = new Timer(devicesHost);
  const block = new BlockDevice(devicesHost, options.disk);
  const power = new PowerSwitch(devicesHost);
  for (const d of [pic, console, timer, block, power] as Device[]) bus.attach(d);
  return { bus, pic, console, timer, block, power };
}
