; guests/ring-check.s — a CPL 0 kernel that asks the CPU which ring it runs in and prints "ring N".
;
; It reads the code-segment selector with MOV r, CS (its low two bits are the CPL) and cross-checks
; with PUSH CS. Natively it prints "ring 0". A trap-and-emulate monitor on the x86 profile runs the
; kernel deprivileged, and both instructions execute without trapping and show the real ring (e.g.
; "ring 1"): they are sensitive but not privileged. On the strict profile they trap and the monitor
; can answer "ring 0". If the two readings disagree it prints a second line "push cs: ring M".
; Powers off with code 0.

.include "lib/machine.s"
.include "lib/macros.s"

_start:
    mov sp, stack_top
    mov r8, cs
    and r8, r8, RING_MASK
    push cs
    pop r9
    and r9, r9, RING_MASK
    mov r1, msg_ring
    call print
    out PORT_DEC, r8
    PUTC '\n'
    cmp r8, r9
    jz .done
    mov r1, msg_push
    call print
    out PORT_DEC, r9
    PUTC '\n'
.done:
    POWER_OFF 0
    hlt

.include "lib/print.s"              ; print(r1 = NUL-terminated string)

msg_ring: .asciz "ring "
msg_push: .asciz "push cs: ring "
    .align 4
stack:
    .space 256
stack_top:
