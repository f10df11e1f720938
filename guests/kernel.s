; guests/kernel.s — vmlab's teaching kernel: IDT, paging, a timer tick, system calls, one user program at CPL 3.
;
; The kernel runs natively at CPL 0 on either profile (the profiles differ only above ring 0). It boots
; with paging off, builds its IDT and page tables, turns paging on, programs the timer and drops to the
; user program at CPL 3 with IRET. It never returns to boot code: the user program ends by the exit
; system call, or by a fault the kernel reports on one console line before powering off.
;
; Physical memory (the kernel picks every address below; `buildGuest` reads `kernel_end` to know
; where to put the user program's bytes):
;
;   0x00000000  _start, kernel text and read-only strings
;   idt         page aligned: 256 gates × 8 bytes [handler, attributes: bit 0 present, bits 1–2 DPL]
;   page_dir    the page directory (CR3)
;   pt_kernel   page table for 0x00000000–0x003FFFFF: identity map of [0, kernel_end), supervisor-only
;   pt_user     page table for the 4 MiB slot holding USER_BASE: user-accessible
;   kstack      KSTACK_PAGES pages of kernel stack; `ksp` = kstack_top (every entry from CPL 3 lands here)
;   kernel_end  first page the kernel does not use = USER_PHYS, the physical home of the user program:
;               physical USER_PHYS + i·4096 backs virtual USER_BASE + i·4096 for i < USER_PAGES
;
; Virtual memory while the user program runs:
;
;   0x00000000 .. kernel_end                   kernel, identity-mapped, P|W (no U: a user access is #PF P|U)
;   USER_BASE .. USER_BASE + USER_PAGES·4096   user text and data from the bottom, its stack from the top
;                                              (P|W|U); the region must stay inside one 4 MiB slot
;   everything else                            not present
;
; Entering the kernel. Exceptions 0–31, the timer (vector 32) and INT 0x80 come through the IDT; from
; CPL 3 the CPU switches to `ksp` and the handler finds, from [sp] upwards: error slot, PC, CS, FLAGS,
; user SP. The SYSCALL instruction enters at `sep` (r13 = return PC, r12 = user FLAGS, no stack switch).
;
; System call ABI (INT 0x80, or SYSCALL which also clobbers r11, r12 and r13):
;   r0 = number, r1 and r2 = arguments; the result comes back in r0; every other register is preserved.
;   1 write      r1 = user address, r2 = length   → r0 = length, or -1 if the buffer is not user memory
;   2 write dec  r1 = value (signed decimal)      → r0 = 0
;   3 exit       r1 = exit code: powers the machine off with it; prints nothing; does not return
;   4 ticks      → r0 = timer ticks counted since boot
;   5 write hex  r1 = value ("0x…", lowercase)    → r0 = 0
;   6 sleep      r1 = ticks to wait (STI; HLT)    → r0 = 0, or -1 when the timer is off
;   any other number                              → r0 = -1
; The kernel enables interrupts while it serves a system call, so its console routines use the
; irqsave pattern (PUSHF; CLI; … ; POPF) to keep a line in one piece.
;
; Faults. An exception prints one line and powers off with exit code 128 + vector, e.g.
;   user fault: #PF page fault pc=0x400010 addr=0x1000 error=0x5
; (`addr` = CR2, only for #PF; "kernel fault:" when the faulting code ran at CPL 0).
;
; Kernel calling convention: arguments r1–r3, result r0; a routine may clobber r0–r7 and preserves
; r8–r14. Entry code saves whatever the interrupted code could lose.
;
; The machine's numbers (ports, CR0 and page-table bits, gates, vectors) come from lib/machine.s, and
; the macros shared with the other guests (SAVE, TICK_ENTRY, USER_FRAME, ZERO, …) from lib/macros.s.
;
; Defines (each has a default below; `buildGuest` overrides them):
;   TIMER_PERIOD  instructions between timer interrupts (0 leaves the timer off)
;   USER_BASE     virtual address of the user program (the origin it was assembled at)
;   USER_PAGES    pages mapped at USER_BASE (program image + stack)
;   USER_ENTRY    virtual address the kernel IRETs to at CPL 3
;   USER_PHYS     physical address of the user pages (default: kernel_end)
;   KSTACK_PAGES  size of the kernel stack in pages

.include "lib/machine.s"
.include "lib/macros.s"

TIMER_PERIOD = 1000
USER_BASE    = 0x00400000
USER_PAGES   = 4
USER_ENTRY   = USER_BASE
USER_PHYS    = kernel_end
KSTACK_PAGES = 2

USER_TOP     = USER_BASE + USER_PAGES * PAGE   ; end of the user region = initial user SP
SYS_COUNT    = 7                ; system call numbers are 0 .. SYS_COUNT-1 (0 is unused)
STUB_BYTES   = 16               ; one exception stub: mov r1, vector; jmp fatal
FAULT_EXIT   = 128              ; a fault powers off with FAULT_EXIT + vector

; GATE vector, handler, attributes: install one IDT gate through set_gate. Clobbers r0–r3.
.macro GATE vector, handler, attributes
    mov r1, \vector
    mov r2, \handler
    mov r3, \attributes
    call set_gate
.endm

; OUT_IRQSAVE port: write r1 to the port with interrupts off around it (PUSHF; CLI; OUT; POPF
; restores whatever IF the caller had), so a value is never split by a tick's output.
.macro OUT_IRQSAVE port
    pushf
    cli
    out \port, r1
    popf
.endm

; EXC_STUBS vector, …: one STUB_BYTES stub per vector that loads the vector number and joins `fatal`.
.macro EXC_STUBS vector, more:vararg
    mov r1, \vector
    jmp fatal
  .ifnb \more
    EXC_STUBS \more
  .endif
.endm

; ---------------------------------------------------------------------------------------------------
; Boot: CPL 0, paging off, IF = 0.

_start:
    cli
    mov sp, kstack_top

    ; 1. The IDT. Exceptions 0–31 go to per-vector stubs that report and power off.
    mov r8, 0                       ; vector
    mov r9, exc_stubs               ; its stub
.exc:
    GATE r8, r9, GATE_KERNEL
    add r8, r8, 1
    add r9, r9, STUB_BYTES
    cmp r8, EXCEPTIONS
    jl .exc
    GATE VEC_TIMER, timer_entry, GATE_KERNEL
    GATE VEC_SYSCALL, int80_entry, GATE_USER    ; the one gate user code may name with INT n
    mov r1, idt
    lidt r1

    ; 2. Page tables: the kernel identity-mapped, supervisor-only ...
    mov r1, pt_kernel
    mov r2, 0                       ; physical = virtual
    mov r3, kernel_end
    shr r3, r3, PAGE_SHIFT          ; pages
    mov r4, PTE_P | PTE_W
    call map_pages
    ; ... and the user pages at USER_BASE, user-accessible, backed by the frames from USER_PHYS.
    mov r1, pt_user + ((USER_BASE >> PAGE_SHIFT) & TABLE_INDEX) * ENTRY_BYTES
    mov r2, USER_PHYS
    mov r3, USER_PAGES
    mov r4, PTE_P | PTE_W | PTE_U
    call map_pages
    mov r1, page_dir
    mov r2, pt_kernel | PTE_P | PTE_W
    st [r1], r2
    mov r1, page_dir + (USER_BASE >> PDE_SHIFT) * ENTRY_BYTES
    mov r2, pt_user | PTE_P | PTE_W | PTE_U
    st [r1], r2
    mov r1, page_dir
    mov cr3, r1
    mov r1, CR0_PG | CR0_WP | CR0_PE
    mov cr0, r1                     ; paging on; the kernel keeps running at the same (identity) addresses

    ; 3. Entry points from user mode.
    mov r1, kstack_top
    mov ksp, r1                     ; stack for every delivery from CPL 3
    mov r1, syscall_entry
    mov sep, r1                     ; SYSCALL entry

    ; 4. The timer (IRQ0 → vector 32).
    mov r1, TIMER_PERIOD
    out PORT_TIMER, r1

    ; 5. Drop to CPL 3: build the frame IRET expects (error slot, PC, CS, FLAGS, SP) and return into it,
    ; with interrupts on and IOPL 0, and clean registers (r0–r14 zero).
    USER_FRAME USER_ENTRY, USER_TOP, FLAGS_IF
    ZERO r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14
    iret

; set_gate(r1 = vector, r2 = handler, r3 = attributes)
set_gate:
    shl r1, r1, GATE_SHIFT
    mov r0, idt
    add r1, r1, r0
    st [r1], r2
    st [r1 + 4], r3
    ret

; map_pages(r1 = address of the first PTE, r2 = first physical address, r3 = pages, r4 = PTE bits)
map_pages:
    cmp r3, 0
    jle .done
    or r5, r2, r4
    st [r1], r5
    add r1, r1, 4
    add r2, r2, PAGE
    sub r3, r3, 1
    jmp map_pages
.done:
    ret

; ---------------------------------------------------------------------------------------------------
; The timer interrupt: count a tick. Any ring, any time IF = 1. IRET restores the interrupted FLAGS.

timer_entry:                        ; (the PIC acknowledged IRQ0 when it delivered it)
    TICK_ENTRY ticks

; ---------------------------------------------------------------------------------------------------
; System calls.

; INT 0x80: the CPU switched to ksp and cleared IF.
int80_entry:
    SAVE r1, r2, r3, r4, r5, r6, r7
    sti                             ; the kernel is preemptible while it serves a call
    call syscall_dispatch
    cli                             ; no interrupt between restoring registers and IRET
    RESTORE r1, r2, r3, r4, r5, r6, r7
    iret

; SYSCALL: r13 = return PC, r12 = user FLAGS, IF = 0, CPL 0, still on the user stack.
syscall_entry:
    mov r11, sp
    mov sp, kstack_top
    SAVE r11, r12, r13              ; user SP, user FLAGS, return PC
    SAVE r1, r2, r3, r4, r5, r6, r7
    sti
    call syscall_dispatch
    cli
    RESTORE r1, r2, r3, r4, r5, r6, r7
    RESTORE r11, r12, r13
    mov sp, r11
    sysret

; syscall_dispatch(r0 = number, r1, r2) → r0
syscall_dispatch:
    cmp r0, SYS_COUNT
    jae .bad                        ; unsigned: negative numbers too
    shl r0, r0, 2
    mov r7, syscall_table
    add r7, r7, r0
    ld r7, [r7]
    jmp r7                          ; tail call: the handler's RET returns to our caller
.bad:
    mov r0, -1
    ret

syscall_table:
    .word sys_bad, sys_write, sys_write_dec, sys_exit, sys_ticks, sys_write_hex, sys_sleep

sys_bad:
    mov r0, -1
    ret

; write(r1 = address, r2 = length): only from user memory.
sys_write:
    mov r3, USER_BASE
    cmp r1, r3
    jb .efault
    add r4, r1, r2
    cmp r4, r1
    jb .efault                      ; address + length wrapped around
    mov r3, USER_TOP
    cmp r4, r3
    ja .efault
    call console_write
    mov r0, r2
    ret
.efault:
    mov r0, -1
    ret

sys_write_dec:
    OUT_IRQSAVE PORT_DEC
    mov r0, 0
    ret

sys_write_hex:
    OUT_IRQSAVE PORT_HEX
    mov r0, 0
    ret

sys_exit:
    out PORT_POWER, r1              ; the machine stops before the next instruction
    cli
    hlt

sys_ticks:
    mov r0, ticks
    ld r0, [r0]
    ret

; sleep(r1 = ticks): idle with STI; HLT until the tick count has moved on by r1.
sys_sleep:
    in r3, PORT_TIMER
    cmp r3, 0
    jz .off                         ; no timer: nothing would ever wake us
    mov r3, ticks
    ld r4, [r3]
    add r4, r4, r1                  ; deadline
.wait:
    cli                             ; test and sleep without a window for the tick to slip in between
    ld r5, [r3]
    sub r5, r5, r4
    jns .done                       ; ticks − deadline ≥ 0 (wrap-safe)
    sti                             ; STI's shadow covers HLT: the wake-up cannot be lost
    hlt
    jmp .wait
.done:
    sti
    mov r0, 0
    ret
.off:
    mov r0, -1
    ret

; ---------------------------------------------------------------------------------------------------
; Console (irqsave: PUSHF; CLI; … ; POPF restores whatever IF the caller had).

; console_write(r1 = address, r2 = length); preserves r1 and r2
console_write:
    pushf
    cli
    mov r3, r1
    add r4, r1, r2
.loop:
    cmp r3, r4
    jae .done
    ldb r5, [r3]
    out PORT_CHAR, r5
    add r3, r3, 1
    jmp .loop
.done:
    popf
    ret

; kputs(r1 = NUL-terminated string)
kputs:
    mov r2, r1
.len:
    ldb r3, [r2]
    cmp r3, 0
    jz .go
    add r2, r2, 1
    jmp .len
.go:
    sub r2, r2, r1
    jmp console_write

; kputhex(r1 = value)
kputhex:
    OUT_IRQSAVE PORT_HEX
    ret

; ---------------------------------------------------------------------------------------------------
; Exceptions: one 16-byte stub per vector 0–31 loads the vector number and joins `fatal`.

    .align STUB_BYTES
exc_stubs:
    EXC_STUBS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    EXC_STUBS 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
exc_stubs_end:

; fatal(r1 = vector), sp → the trap frame: error, PC, CS, FLAGS[, SP]. Reports one line, powers off.
fatal:
    mov r8, r1                      ; vector
    mov r9, sp                      ; frame
    mov r10, cr2                    ; before anything else can fault
    ld r1, [r9 + 8]                 ; CS of the interrupted code: its low bits are its ring
    and r1, r1, RING_MASK
    jz .kernel
    mov r1, msg_user
    jmp .who
.kernel:
    mov r1, msg_kernel
.who:
    call kputs
    mov r1, r8
    shl r1, r1, 2
    mov r2, vector_names
    add r1, r1, r2
    ld r1, [r1]
    call kputs
    mov r1, msg_pc
    call kputs
    ld r1, [r9 + 4]
    call kputhex
    cmp r8, VEC_PF
    jnz .noaddr
    mov r1, msg_addr
    call kputs
    mov r1, r10
    call kputhex
.noaddr:
    mov r1, msg_error
    call kputs
    ld r1, [r9]
    call kputhex
    mov r1, msg_nl
    call kputs
    add r1, r8, FAULT_EXIT
    out PORT_POWER, r1
    cli
    hlt

; ---------------------------------------------------------------------------------------------------
; Data.

    .align 4
ticks:
    .word 0

vector_names:
    .word name_de, name_exc, name_exc, name_bp, name_exc, name_exc, name_ud, name_exc
    .word name_df, name_exc, name_exc, name_exc, name_exc, name_gp, name_pf, name_exc
    .word name_exc, name_exc, name_exc, name_exc, name_exc, name_exc, name_exc, name_exc
    .word name_exc, name_exc, name_exc, name_exc, name_exc, name_exc, name_exc, name_exc

msg_user:   .asciz "user fault: "
msg_kernel: .asciz "kernel fault: "
msg_pc:     .asciz " pc="
msg_addr:   .asciz " addr="
msg_error:  .asciz " error="
msg_nl:     .asciz "\n"
name_de:    .asciz "#DE divide error"
name_bp:    .asciz "#BP breakpoint"
name_ud:    .asciz "#UD invalid opcode"
name_df:    .asciz "#DF double fault"
name_gp:    .asciz "#GP general protection"
name_pf:    .asciz "#PF page fault"
name_exc:   .asciz "exception"

    .align PAGE
idt:
    .space IDT_GATES * GATE_BYTES
    .align PAGE
page_dir:
    .space PAGE
pt_kernel:
    .space PAGE
pt_user:
    .space PAGE
kstack:
    .space KSTACK_PAGES * PAGE
kstack_top:
kernel_end:
