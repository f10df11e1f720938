; guests/generator/layout.s — the start of every generated guest kernel: its memory map, the machine's names, its macros.
;
; src/analysis/generator.ts writes a guest as this file (its includes inlined), the boot code and
; random blocks it generates from the seed, then guests/generator/kernel.s (the handlers). Addresses
; are physical; with paging on they are identity-mapped, except the scratch and demand pages.

.include "../lib/machine.s"
.include "../lib/macros.s"

IDT          = 0x20000          ; 256 gates x 8 bytes: [handler, attributes]
PAGE_DIR     = 0x21000
PAGE_TABLE   = 0x22000          ; maps 0x00000-0x3FFFF (MAPPED_PAGES pages)
KSTACK_TOP   = 0x24000          ; kernel stack (and KSP for entries from CPL 3)
KDATA        = 0x25000          ; kernel data: counters, scratch words
SCRATCH_VA   = 0x26000          ; remapped by page-table blocks between FRAME_A and FRAME_B
FRAME_A      = 0x27000
FRAME_B      = 0x28000
DEMAND_VA    = 0x29000          ; unmapped by blocks, mapped again by the #PF handler
UDATA        = 0x2C000          ; user data
USTACK_TOP   = 0x2E000
GUEST_MEMORY = 0x40000          ; the memory a guest needs (src/analysis/generator.ts exports it)
MAPPED_PAGES = GUEST_MEMORY / PAGE
DATA         = KDATA + 0x100    ; r9 of the kernel's random blocks: the words they load and store
TICKS        = KDATA            ; timer interrupts taken
DE_COUNT     = KDATA + 4        ; #DE faults skipped
GP_COUNT     = KDATA + 8        ; #GP faults skipped
PF_COUNT     = KDATA + 12       ; #PF faults served
PTE_PWU      = PTE_P | PTE_W | PTE_U    ; present, writable, user

; The handlers' system calls (INT 0x80, r0 = number): print r1 in decimal, print the character r1, exit.
SYS_PRINT_DEC = 1
SYS_PRINT_CHAR = 2
SYS_EXIT     = 3
UNEXPECTED_EXIT = 0xEE          ; exit code of a guest that took a vector it has no handler for
