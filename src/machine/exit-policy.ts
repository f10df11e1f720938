// The exit policy: which events and instructions leave the guest as exits to a monitor instead of running on the machine — declared as data, asked by the machine at each decision.
//
// A bare machine has no exits: every exception and interrupt enters the IDT. A monitor that owns the
// machine declares what it wants to see:
//
//   vectors            exceptions, BRK's #BP and INT n, by vector: an event whose vector exits stops the
//                      run before the IDT is touched (INT n before its gate check — the monitor checks
//                      the guest's own gate)
//   interrupts         device interrupts the CPU would take (IF set, no STI shadow, above CR8)
//   interruptWindow    the first instruction boundary where the guest could take an interrupt
//   syscall            SYSCALL, instead of entering ring 0 at SEP
//   hlt                HLT, before it sleeps
//   ioPorts            IN/OUT on these ports, before the device sees the access
//   crReads, crWrites  MOV rd, crN / MOV crN, rs on these control registers, before the access
//
// Faults that depend on the ring come first (a CLI at CPL 3 with IOPL 0 is a #GP, whether or not
// anything exits on CLI), as on VT-x, where privilege faults have priority over VM exits. Instruction
// exits (io, cr, hlt) leave before the instruction runs: the exit's pc names it and it has not retired.
//
// Trap-and-emulate (and the Popek–Goldberg classifier) run with EVERY_EVENT_EXITS: the guest is
// deprivileged, so every sensitive instruction it runs raises an event, and every event exits. A VT-x
// model maps its VMCS controls onto the same fields: the exception bitmap onto `vectors` (0..31),
// external-interrupt exiting onto `interrupts`, interrupt-window exiting onto `interruptWindow`, HLT
// exiting onto `hlt`, the I/O bitmaps (or unconditional I/O exiting) onto `ioPorts`, CR3-load/store and
// CR8-load/store exiting and the CR0 guest/host mask onto `crWrites` / `crReads`.
import { CR_NAMES, CR_INDEX, vectorName, type CrName } from "../isa/arch.js";
import type { ExitEvent } from "./events.js";

/** Every port an I/O instruction can name (16-bit). */
export const PORT_COUNT = 65536;
/** Every vector an event can have. */
export const VECTOR_COUNT = 256;

/** A set of numbers in a declaration: every one, or these. */
export type Selection<T> = "all" | readonly T[];

/** What leaves the guest, as written by whoever owns the machine. Omitted fields exit on nothing. */
export interface ExitPolicySpec {
  readonly vectors?: Selection<number>;
  readonly interrupts?: boolean;
  readonly interruptWindow?: boolean;
  readonly syscall?: boolean;
  readonly hlt?: boolean;
  readonly ioPorts?: Selection<number>;
  readonly crReads?: Selection<CrName>;
  readonly crWrites?: Selection<CrName>;
}

/** A bitmap over `size` numbers with one bit each (VT-x keeps its I/O and exception bitmaps the same way). */
function bitmap(selection: Selection<number> | undefined, size: number, what: string): Uint32Array {
  const bits = new Uint32Array(Math.ceil(size / 32));
  if (selection === "all") bits.fill(~0 >>> 0);
  else {
    for (const n of selection ?? []) {
      if (!Number.isInteger(n) || n < 0 || n >= size) throw new RangeError(`an exit policy's ${what} must be integers 0..${size - 1}, got ${n}`);
      bits[n >>> 5]! |= 1 << (n & 31);
    }
  }
  return bits;
}

function crIndexes(selection: Selection<CrName> | undefined, what: string): Selection<number> {
  if (selection === "all" || selection === undefined) return selection ?? [];
  return selection.map((name) => {
    const index = CR_INDEX[name];
    if (index === undefined) throw new RangeError(`an exit policy's ${what} name control registers (${Object.keys(CR_INDEX).join(", ")}), got ${String(name)}`);
    return index;
  });
}

function has(bits: Uint32Array, n: number): boolean {
  return ((bits[n >>> 5]! >>> (n & 31)) & 1) !== 0;
}

/** An exit policy, ready for the machine to ask: immutable, with the declaration it came from. */
export class ExitPolicy {
  readonly interrupts: boolean;
  readonly interruptWindow: boolean;
  readonly syscall: boolean;
  readonly hlt: boolean;
  private readonly vectorBits: Uint32Array;
  private readonly portBits: Uint32Array;
  private readonly crReadBits: Uint32Array;
  private readonly crWriteBits: Uint32Array;

  constructor(readonly spec: ExitPolicySpec) {
    this.interrupts = spec.interrupts ?? false;
    this.interruptWindow = spec.interruptWindow ?? false;
    this.syscall = spec.syscall ?? false;
    this.hlt = spec.hlt ?? false;
    this.vectorBits = bitmap(spec.vectors, VECTOR_COUNT, "vectors");
    this.portBits = bitmap(spec.ioPorts, PORT_COUNT, "ioPorts");
    this.crReadBits = bitmap(crIndexes(spec.crReads, "crReads"), 16, "crReads");
    this.crWriteBits = bitmap(crIndexes(spec.crWrites, "crWrites"), 16, "crWrites");
    Object.freeze(this);
  }

  /** Does an exception, BRK or INT n with this vector exit? */
  vector(vector: number): boolean {
    return has(this.vectorBits, vector & (VECTOR_COUNT - 1));
  }

  /** Does IN or OUT on this port exit? */
  port(port: number): boolean {
    return has(this.portBits, port & (PORT_COUNT - 1));
  }

  /** Does MOV rd, crN exit for this index? */
  crRead(index: number): boolean {
    return has(this.crReadBits, index & 15);
  }

  /** Does MOV crN, rs exit for this index? */
  crWrite(index: number): boolean {
    return has(this.crWriteBits, index & 15);
  }

  /** Does anything exit at all? */
  get exitsAnything(): boolean {
    return this.interrupts || this.interruptWindow || this.syscall || this.hlt ||
      [this.vectorBits, this.portBits, this.crReadBits, this.crWriteBits].some((bits) => bits.some((w) => w !== 0));
  }

  /** The policy in words, one line per field that exits on something. */
  describe(): string[] {
    const out: string[] = [];
    const list = (what: string, s: Selection<number | string> | undefined, fmt: (x: number | string) => string = String) => {
      if (s === "all") out.push(`${what}: all`);
      else if (s && s.length) out.push(`${what}: ${s.map(fmt).join(", ")}`);
    };
    list("vectors", this.spec.vectors);
    if (this.interrupts) out.push("device interrupts");
    if (this.interruptWindow) out.push("interrupt window");
    if (this.syscall) out.push("syscall");
    if (this.hlt) out.push("hlt");
    list("I/O ports", this.spec.ioPorts, (p) => `0x${Number(p).toString(16)}`);
    list("control-register reads", this.spec.crReads);
    list("control-register writes", this.spec.crWrites);
    return out;
  }
}

/** Build an exit policy from its declaration. */
export function exitPolicy(spec: ExitPolicySpec): ExitPolicy {
  return new ExitPolicy(spec);
}

/** A bare machine: nothing exits. */
export const NO_EXITS = exitPolicy({});

/**
 * A deprivileged guest (trap-and-emulate, the Popek–Goldberg experiments): every event the CPU raises —
 * any exception, BRK, INT n, SYSCALL, a device interrupt — exits instead of entering the IDT. Sensitive
 * instructions exit by faulting, since the guest runs them above ring 0; the instructions themselves run
 * as the hardware runs them (no instruction exits).
 */
export const EVERY_EVENT_SPEC: ExitPolicySpec = Object.freeze({ vectors: "all", interrupts: true, syscall: true });
/** EVERY_EVENT_SPEC as the machine asks it. */
export const EVERY_EVENT_EXITS = exitPolicy(EVERY_EVENT_SPEC);

/** An exit in words: `fault #GP general protection`, `io out 0x10 ← 65`, `cr write cr3 ← 0x5000`, `hlt`. */
export function describeExit(e: ExitEvent): string {
  switch (e.kind) {
    case "io": return `io ${e.write ? `out 0x${e.port.toString(16)} ← ${e.value}` : `in 0x${e.port.toString(16)}`}`;
    case "cr": return `cr ${e.write ? `write ${CR_NAMES[e.index]} ← 0x${(e.value >>> 0).toString(16)}` : `read ${CR_NAMES[e.index]}`}`;
    case "hlt":
    case "interrupt-window": return e.kind;
    default: return `${e.kind} ${vectorName(e.vector)}`;
  }
}
