; guests/popf-irq.s — a CPL 0 kernel whose critical sections rely on POPF to turn interrupts back on.
;
; It takes timer interrupts (vector 32) and runs WORK critical sections, each bracketed the irqsave
; way: PUSHF; CLI; … ; POPF. A tick that arrives inside a section waits until POPF restores IF = 1.
; At the end it prints "ticks N" (N = timer interrupts taken) and powers off with code 0.
;
; Natively N > 0. Under trap-and-emulate on the x86 profile the deprivileged kernel's CLI traps (the
; monitor clears the virtual IF) but its POPF silently leaves IF alone above ring 0, so the virtual IF
; never comes back on and the guest sees no ticks: POPF is sensitive but not privileged.
;
; Memory: this code from 0, then the IDT and a one-page stack. No paging, no user mode.
; Defines: TIMER_PERIOD (instructions between ticks), WORK (critical sections).

.include "lib/machine.s"
.include "lib/macros.s"

TIMER_PERIOD = 200
WORK = 500

_start:
    cli
    mov sp, stack_top
    SET_GATE idt, VEC_TIMER, timer_entry, GATE_KERNEL
    mov r1, idt
    lidt r1
    mov r1, TIMER_PERIOD
    out PORT_TIMER, r1
    sti

    mov r8, WORK
    mov r9, shared
.section:
    pushf                           ; irqsave
    cli
    ld r1, [r9]                     ; a read-modify-write no interrupt may split
    add r1, r1, 3
    mul r1, r1, 5
    st [r9], r1
    ld r2, [r9 + 4]
    add r2, r2, 1
    st [r9 + 4], r2
    popf                            ; irqrestore: IF = 1 again, a pending tick is taken here
    add r3, r3, 1                   ; work outside the section
    add r3, r3, r2
    sub r8, r8, 1
    jnz .section

    cli
    mov r1, msg_ticks
    call print
    mov r1, ticks
    ld r1, [r1]
    out PORT_DEC, r1
    PUTC '\n'
    POWER_OFF 0
    hlt

timer_entry:
    TICK_ENTRY ticks

.include "lib/print.s"              ; print(r1 = NUL-terminated string)

msg_ticks: .asciz "ticks "
    .align 4
ticks:  .word 0
shared: .word 0, 0
    .align GATE_BYTES
idt:
    .space IDT_GATES * GATE_BYTES
    .align PAGE
stack:
    .space PAGE
stack_top:
