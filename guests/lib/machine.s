; guests/lib/machine.s — the vmlab machine's numbers, named once: ports, FLAGS and CR0 bits, page tables, IDT gates, vectors.
;
; Constants only (it emits no bytes): include it at the top of a kernel, once. The values are those of
; src/isa/arch.ts, which the machine itself uses.

; I/O ports (IN/OUT)
PORT_CHAR     = 0x10            ; console: write one character
PORT_DEC      = 0x11            ; console: write a value in signed decimal
PORT_HEX      = 0x12            ; console: write a value as 0x… hex
PORT_PIC_MASK = 0x21            ; interrupt controller: mask register (bit n masks IRQ n)
PORT_TIMER    = 0x40            ; timer: write the period in instructions (0 stops it), read it back
PORT_POWER    = 0xF0            ; power: write an exit code to switch the machine off

; FLAGS
FLAGS_CF      = 1 << 0          ; carry
FLAGS_ZF      = 1 << 6          ; zero
FLAGS_IF      = 1 << 9          ; interrupts enabled

; CR0
CR0_PE        = 1               ; protection (always on)
CR0_WP        = 1 << 16         ; supervisor writes honour read-only pages
CR0_PG        = 1 << 31         ; paging

; Code-segment selectors: the low two bits are the ring (CPL)
RING_MASK     = 3
USER_CS       = 0x18 | 3        ; CPL 3

; Paging: two levels of 1024 four-byte entries; a directory entry covers 4 MiB, a table entry 4 KiB
PAGE          = 4096
PAGE_SHIFT    = 12
PDE_SHIFT     = 22
ENTRY_BYTES   = 4
ENTRY_SHIFT   = 2               ; log2 ENTRY_BYTES
TABLE_INDEX   = 1023            ; mask of a table index
PTE_P         = 1               ; present
PTE_W         = 2               ; writable
PTE_U         = 4               ; user-accessible

; The IDT: 256 gates of 8 bytes [handler, attributes: bit 0 present, bits 1–2 DPL]
IDT_GATES     = 256
GATE_BYTES    = 8
GATE_SHIFT    = 3               ; log2 GATE_BYTES
GATE_KERNEL   = 1               ; present, DPL 0 (INT n from CPL 3 gets #GP)
GATE_USER     = 1 | (3 << 1)    ; present, DPL 3 (INT n allowed from CPL 3)

; Vectors
VEC_DE        = 0               ; divide error
VEC_GP        = 13              ; general protection
VEC_PF        = 14              ; page fault (CR2 holds the address)
EXCEPTIONS    = 32              ; vectors 0–31 are exceptions
VEC_TIMER     = 32              ; IRQ0
VEC_SYSCALL   = 0x80            ; INT 0x80
