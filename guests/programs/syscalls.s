; guests/programs/syscalls.s — REPS round trips through INT 0x80 and through SYSCALL/SYSRET.
;
; Each round trip asks for the tick count. Checks that the kernel preserves r8–r10 (INT 0x80
; preserves everything but r0; SYSCALL also clobbers r11–r13) and that both paths answer.
; A nanobenchmark for the cost of a system call. Prints "int 0x80 REPS, syscall REPS".

.include "../lib/macros.s"

REPS = 20

main:
    SAVE r8, r9, r10, r11, r12, r13 ; SYSCALL clobbers r11–r13; main keeps r8–r14 for its caller
    mov r8, 0x1234
    mov r9, 0
    mov r10, REPS
.int_loop:
    SYS SYS_TICKS
    cmp r0, 0
    jl .broken
    add r9, r9, 1
    sub r10, r10, 1
    jnz .int_loop
    mov r1, msg_int
    call puts
    mov r1, r9
    call putn
    mov r9, 0
    mov r10, REPS
.sys_loop:
    mov r0, SYS_TICKS
    syscall
    cmp r0, 0
    jl .broken
    add r9, r9, 1
    sub r10, r10, 1
    jnz .sys_loop
    mov r1, msg_sys
    call puts
    mov r1, r9
    call putn
    call newline
    mov r1, 0x1234
    cmp r8, r1
    jnz .broken
    mov r0, 0
    RESTORE r8, r9, r10, r11, r12, r13
    ret
.broken:
    mov r1, msg_broken
    call puts
    mov r0, 1
    RESTORE r8, r9, r10, r11, r12, r13
    ret

msg_int:    .asciz "int 0x80 "
msg_sys:    .asciz ", syscall "
msg_broken: .asciz "\nsystem calls clobbered a register\n"

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
