; guests/programs/sleep.s — sleeps for TICKS timer ticks (the kernel idles with STI; HLT) and checks the clock.
;
; Needs the timer (TIMER_PERIOD > 0). Prints "slept TICKS ticks".

TICKS = 3

main:
    push r8
    call ticks
    mov r8, r0
    mov r1, TICKS
    call sleep
    cmp r0, 0
    jnz .no_timer
    call ticks
    sub r1, r0, r8
    cmp r1, TICKS
    jl .early
    mov r1, msg_slept
    call puts
    mov r1, TICKS
    call putn
    mov r1, msg_ticks
    call puts
    mov r0, 0
    pop r8
    ret
.no_timer:
    mov r1, msg_no_timer
    call puts
    mov r0, 1
    pop r8
    ret
.early:
    mov r1, msg_early
    call puts
    mov r0, 2
    pop r8
    ret

msg_slept:    .asciz "slept "
msg_ticks:    .asciz " ticks\n"
msg_no_timer: .asciz "sleep: the timer is off\n"
msg_early:    .asciz "sleep: woke up early\n"

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
