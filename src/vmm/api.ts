// The handler API of the trap-and-emulate monitor: what a student's VMM code sees and writes.
//
// A handler receives a VirtualCpu — a narrow capability object with named parts and small verbs —
// never the machine, the counters or the checker. Handlers are plain functions on an object; an event
// the guest raises with no handler stops the run with a message naming the event.

/** The guest instruction that trapped to the monitor, decoded from the instruction table. */
export interface TrappedInstruction {
  /** Form name from the table, e.g. `POPF`, `MOV_CR_R`, `IN`. */
  readonly name: string;
  /** Assembly mnemonic, e.g. `popf`, `mov`, `in`. */
  readonly mnemonic: string;
  /** Guest-virtual address of the instruction. */
  readonly pc: number;
  /** Encoded size in bytes (the address of the next instruction is pc + size). */
  readonly size: number;
  /** Register fields (see the table's operand kinds): `a` is the destination or source register, `b` the control-register index for MOV crN. */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** The immediate: port number for IN/OUT, vector for INT. */
  readonly imm: number;
  /** Disassembly, for messages. */
  readonly text: string;
}

/** The virtual FLAGS register: what the guest believes its flags are. */
export interface VirtualFlags {
  /** Virtual interrupt flag: virtual interrupts are delivered only while it is set. */
  IF: boolean;
  /** Virtual I/O privilege level (0–3). */
  IOPL: number;
  /** The whole FLAGS word as the guest sees it (status bits from the real CPU, IF and IOPL virtual). Writing it sets every bit, without privilege checks. */
  word: number;
}

/** The guest's general registers r0..r15 (r15 is the stack pointer). */
export interface VirtualRegisters {
  get(index: number): number;
  set(index: number, value: number): void;
}

/** The guest's control registers by index (0 CR0, 2 CR2, 3 CR3, 4 KSP, 5 SEP, 8 CR8). Writing CR0 or CR3 resynchronises the monitor's shadow paging. */
export interface VirtualControlRegisters {
  get(index: number): number;
  set(index: number, value: number): void;
}

/** The guest's virtual devices (console, timer, interrupt controller, block device, power switch). */
export interface VirtualIo {
  in(port: number): number;
  out(port: number, value: number): void;
}

/** An interrupt or exception to deliver into the guest through its IDT. */
export interface GuestEvent {
  /** `interrupt`: a virtual device interrupt; `exception`: a fault the guest itself caused; `software`: INT n. */
  readonly kind: "interrupt" | "exception" | "software";
  readonly vector: number;
  /** Error code to push in the frame's error slot (0 when the vector has none). */
  readonly error: number;
  /** Where the guest resumes after the handler's IRET: the faulting instruction for faults, the next one otherwise. */
  readonly returnPc: number;
}

/** The narrow view of one virtual CPU that handlers get. */
export interface VirtualCpu {
  /** Virtual privilege level: 0 while the guest kernel runs (really at CPL 3), 3 for guest user code. */
  cpl: number;
  readonly flags: VirtualFlags;
  readonly regs: VirtualRegisters;
  readonly cr: VirtualControlRegisters;
  /** The guest's IDT base (what LIDT set). */
  idtBase: number;
  readonly io: VirtualIo;
  /** The trapped instruction being emulated. */
  readonly insn: TrappedInstruction;
  /** Guest program counter (the trapped instruction's address until skip() or jump()). */
  readonly pc: number;
  /** Resume after the trapped instruction: it retires and guest time advances by one. */
  skip(): void;
  /** Resume at a guest address (IRET, reflection). The trapped instruction, if any, retires. */
  jump(address: number): void;
  /** Push a word on the guest's current stack (guest-virtual, with the virtual CPL's rights). */
  push(value: number): void;
  /** Pop a word from the guest's current stack. */
  pop(): number;
  /** Read and write guest-virtual memory with the virtual CPL's rights. A guest page fault is raised into the guest for you. */
  read32(address: number): number;
  write32(address: number, value: number): void;
  /** Drop the monitor's shadow mapping of one guest page (emulating INVLPG). */
  invalidatePage(address: number): void;
  /** HLT with IF set: wait for the next virtual interrupt. */
  waitForInterrupt(): void;
  /** HLT with IF clear: the virtual machine stops. */
  halt(): void;
  /**
   * Raise a guest exception at the trapped instruction (added compatibly to the original sketch): the
   * instruction does not retire, every change the handler made to the virtual CPU is undone, and the
   * monitor reflects the exception into the guest (a fault while reflecting becomes a double fault).
   * Used for what native hardware would fault on, e.g. `raise(13, selector)` in IRET, `raise(6)` for VMCALL.
   * Never returns.
   */
  raise(vector: number, error?: number): never;
}

/**
 * The events a trap-and-emulate monitor hands to handlers. Each handler must leave the vCPU resumed
 * (skip() or jump()) unless it halts or waits.
 */
export interface TrapHandlers {
  cli?(vcpu: VirtualCpu): void;
  sti?(vcpu: VirtualCpu): void;
  pushf?(vcpu: VirtualCpu): void;
  popf?(vcpu: VirtualCpu): void;
  iret?(vcpu: VirtualCpu): void;
  hlt?(vcpu: VirtualCpu): void;
  in?(vcpu: VirtualCpu): void;
  out?(vcpu: VirtualCpu): void;
  /** MOV crN, rs */
  movToCr?(vcpu: VirtualCpu): void;
  /** MOV rd, crN */
  movFromCr?(vcpu: VirtualCpu): void;
  lidt?(vcpu: VirtualCpu): void;
  sidt?(vcpu: VirtualCpu): void;
  invlpg?(vcpu: VirtualCpu): void;
  smsw?(vcpu: VirtualCpu): void;
  /** PUSH CS and MOV rd, CS (they trap on the strict profile). */
  readCs?(vcpu: VirtualCpu): void;
  sysret?(vcpu: VirtualCpu): void;
  /** VMCALL: the paravirtual hypercall. */
  vmcall?(vcpu: VirtualCpu): void;
  /**
   * Deliver an interrupt or exception into the guest through its IDT: push the frame, enter virtual ring 0,
   * jump to the gate's handler. It must resume with `jump()`; retirement is the monitor's business here
   * (a fault's instruction never retires, INT n has already retired, an interrupt has none). For a device
   * interrupt `vcpu.insn` is a pseudo-instruction named `IRQ` whose `imm` is the vector and whose size is 0.
   */
  reflect?(vcpu: VirtualCpu, event: GuestEvent): void;
}

/** Names of all handler slots, for validation and did-you-mean. */
export const HANDLER_NAMES = [
  "cli", "sti", "pushf", "popf", "iret", "hlt", "in", "out", "movToCr", "movFromCr", "lidt", "sidt", "invlpg", "smsw",
  "readCs", "sysret", "vmcall", "reflect",
] as const satisfies readonly (keyof TrapHandlers)[];
/** The name of one trap handler (`cli`, `popf`, ...), one of HANDLER_NAMES. */
export type HandlerName = (typeof HANDLER_NAMES)[number];
