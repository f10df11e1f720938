// Architectural constants of the vmlab machine: flag bits, vectors, control-register bits, page-table bits, ports.

/** Bit positions in FLAGS; they sit where x86 keeps them so lecture slides carry over. */
export const FLAG = {
  /** Carry: unsigned overflow of the last arithmetic operation. */
  CF: 1 << 0,
  /** Zero: the last result was zero. */
  ZF: 1 << 6,
  /** Sign: bit 31 of the last result. */
  SF: 1 << 7,
  /** Interrupt enable: maskable interrupts are delivered only while set. */
  IF: 1 << 9,
  /** Overflow: signed overflow of the last arithmetic operation. */
  OF: 1 << 11,
  /** I/O privilege level, two bits: IN/OUT/CLI/STI are allowed when CPL <= IOPL. */
  IOPL: 3 << 12,
} as const;

/** Shift of the IOPL field inside FLAGS. */
export const IOPL_SHIFT = 12;
/** FLAGS bits that exist; POPF ignores the rest. */
export const FLAGS_MASK = FLAG.CF | FLAG.ZF | FLAG.SF | FLAG.IF | FLAG.OF | FLAG.IOPL;
/** Arithmetic status bits (what CMP and ALU operations set). */
export const STATUS_MASK = FLAG.CF | FLAG.ZF | FLAG.SF | FLAG.OF;

/** Exception and interrupt vectors (x86 numbering). */
export const VECTOR = {
  /** #DE: DIV or REM by zero. */
  DIVIDE_ERROR: 0,
  /** #BP: BRK, the one-byte breakpoint of debuggers. */
  BREAKPOINT: 3,
  /** #UD: an undefined or disabled opcode (VMCALL outside a monitor). */
  INVALID_OPCODE: 6,
  /** #DF: a fault while delivering another fault. */
  DOUBLE_FAULT: 8,
  /** #GP: a privileged instruction above its ring, an absent IDT gate, a gate above the caller's ring. */
  GENERAL_PROTECTION: 13,
  /** #PF: a page-table walk failed or the access was not allowed; CR2 holds the address. */
  PAGE_FAULT: 14,
  /** First vector of device interrupt lines (IRQ n arrives at 32 + n). */
  IRQ_BASE: 32,
  /** The software-interrupt vector conventionally used for system calls. */
  SYSCALL: 0x80,
} as const;

/** Vector names for reports. */
export const VECTOR_NAMES: Record<number, string> = {
  0: "#DE divide error",
  3: "#BP breakpoint",
  6: "#UD invalid opcode",
  8: "#DF double fault",
  13: "#GP general protection",
  14: "#PF page fault",
  32: "IRQ0 timer",
  33: "IRQ1 block device",
  0x80: "INT 0x80 system call",
};

/** Name a vector for a human. */
export function vectorName(vector: number): string {
  return VECTOR_NAMES[vector] ?? (vector >= 32 && vector < 48 ? `IRQ${vector - 32}` : `vector ${vector}`);
}

/** CR0 bits. */
export const CR0 = {
  /** Protection enabled; always set on this machine. */
  PE: 1 << 0,
  /** Write protect: supervisor writes honour read-only pages. */
  WP: 1 << 16,
  /** Paging enabled: addresses go through CR3's page tables. */
  PG: 1 << 31,
} as const;

/** Control registers reachable with MOV crN (index in the encoding). */
export const CR_INDEX = {
  cr0: 0,
  cr2: 2,
  cr3: 3,
  /** Kernel stack pointer loaded on entry to ring 0 (the role of x86's TSS.ESP0). */
  ksp: 4,
  /** SYSCALL entry point (the role of x86-64's IA32_LSTAR). */
  sep: 5,
  cr8: 8,
} as const;
/** A control register's name (`cr0`, `ksp`, ...), as MOV crN and the monitors' traces spell it. */
export type CrName = keyof typeof CR_INDEX;
/** Control-register names by their index in the encoding (the inverse of CR_INDEX). */
export const CR_NAMES: Record<number, CrName> = Object.fromEntries(
  Object.entries(CR_INDEX).map(([k, v]) => [v, k as CrName]),
) as Record<number, CrName>;

/** Page-table entry bits (both levels). */
export const PTE = {
  /** Present. */
  P: 1 << 0,
  /** Writable. */
  W: 1 << 1,
  /** User-accessible (CPL 3). */
  U: 1 << 2,
  /** Accessed: set by the walk. */
  A: 1 << 5,
  /** Dirty: set on the first write through the entry (level 2 only). */
  D: 1 << 6,
} as const;
/** Page size in bytes. */
export const PAGE_SIZE = 4096;
/** log2 of the page size: a virtual address shifted right by this is its page number. */
export const PAGE_SHIFT = 12;
/** The offset-in-page bits of an address (and the flag bits of a page-table entry); `& ~PAGE_OFFSET_MASK` keeps the frame. */
export const PAGE_OFFSET_MASK = 0xfff;
/** A linear address's page-directory index is its top 10 bits. */
export const PDE_SHIFT = 22;
/** A page-table index (bits 12..21 of an address, after shifting by PAGE_SHIFT) has 10 bits. */
export const PT_INDEX_MASK = 0x3ff;

/** Page-fault error-code bits. */
export const PF_ERR = {
  /** 1: protection violation; 0: page not present. */
  P: 1 << 0,
  /** 1: the access was a write. */
  W: 1 << 1,
  /** 1: the access came from CPL 3. */
  U: 1 << 2,
  /** 1: the access was an instruction fetch. */
  I: 1 << 4,
} as const;

/** IDT gates: 256 of 8 bytes each, a handler address then an attribute word. */
export const GATE = {
  /** Bytes per gate. */
  SIZE: 8,
  /** Offset of the attribute word inside a gate. */
  ATTRIBUTES: 4,
  /** Attribute bit: the gate is present. */
  PRESENT: 1 << 0,
  /** Attribute bits 1..2: the gate's DPL, the outermost ring INT n may enter it from. */
  DPL_SHIFT: 1,
  DPL_MASK: 3,
  /** Error-code bit of a #GP raised by a gate: the selector names an IDT entry. */
  ERROR_IDT: 1 << 1,
} as const;

/** The #GP error code that names IDT gate `vector` (absent, or above the caller's ring). */
export function gateErrorCode(vector: number): number {
  return vector * GATE.SIZE + GATE.ERROR_IDT;
}

/** SYSCALL and SYSRET pass the return PC and the FLAGS word in these registers (r13 and r12). */
export const SYSCALL_REG = { RETURN_PC: 13, FLAGS: 12 } as const;

/** Code-segment selector for a privilege level: the low two bits are the CPL, as on x86. */
export function csSelector(cpl: number): number {
  return cpl === 0 ? 0x08 : 0x18 | cpl;
}

/** Standard I/O ports of the bundled devices. */
export const PORT = {
  /** Interrupt controller: read pending lines, write a line number to acknowledge. */
  PIC_PENDING: 0x20,
  /** Interrupt controller: mask register (bit n masks IRQ n). */
  PIC_MASK: 0x21,
  /** Console: write one byte (a character). */
  CONSOLE_CHAR: 0x10,
  /** Console: write a 32-bit value, printed in decimal. */
  CONSOLE_DEC: 0x11,
  /** Console: write a 32-bit value, printed in hexadecimal. */
  CONSOLE_HEX: 0x12,
  /** Timer: write N to interrupt every N instructions of machine time (0 stops it); read the period. */
  TIMER_PERIOD: 0x40,
  /** Timer: read the current machine time (low 32 bits). */
  TIMER_NOW: 0x41,
  /** Block device: sector number. */
  BLOCK_SECTOR: 0x30,
  /** Block device: command (1 read sector to memory, 2 write memory to sector). */
  BLOCK_COMMAND: 0x31,
  /** Block device: physical memory address for the transfer. */
  BLOCK_ADDRESS: 0x32,
  /** Block device: status (0 idle, 1 busy, 2 error). */
  BLOCK_STATUS: 0x33,
  /** Power: write an exit code to switch the machine off. */
  POWER_OFF: 0xf0,
} as const;

/** Interrupt lines of the bundled devices. */
export const IRQ = { TIMER: 0, BLOCK: 1 } as const;

/** The stack pointer is r15. */
export const SP = 15;
/** Number of general registers. */
export const NUM_REGS = 16;
