; guests/ring-check.s — a CPL 0 kernel that asks the CPU which ring it runs in and prints "ring N".
;
; It reads the code-segment selector with MOV r, CS (its low two bits are the CPL) and cross-checks
; with PUSH CS. Natively it prints "ring 0". A trap-and-emulate monitor on the x86 profile runs the
; kernel deprivileged, and both instructions execute without trapping and show the real ring (e.g.
; "ring 1"): they are sensitive but not privileged. On the strict profile they trap and the monitor
; can answer "ring 0". If the two readings disagree it prints a second line "push cs: ring M".
; Powers off with code 0.

PORT_CHAR  = 0x10
PORT_DEC   = 0x11
PORT_POWER = 0xF0

_start:
    mov sp, stack_top
    mov r8, cs
    and r8, r8, 3
    push cs
    pop r9
    and r9, r9, 3
    mov r1, msg_ring
    call print
    out PORT_DEC, r8
    mov r1, 10
    out PORT_CHAR, r1
    cmp r8, r9
    jz .done
    mov r1, msg_push
    call print
    out PORT_DEC, r9
    mov r1, 10
    out PORT_CHAR, r1
.done:
    mov r1, 0
    out PORT_POWER, r1
    hlt

; print(r1 = NUL-terminated string)
print:
    ldb r2, [r1]
    cmp r2, 0
    jz .done
    out PORT_CHAR, r2
    add r1, r1, 1
    jmp print
.done:
    ret

msg_ring: .asciz "ring "
msg_push: .asciz "push cs: ring "
    .align 4
stack:
    .space 256
stack_top:
