; guests/programs/primes.s — sieve of Eratosthenes below N; prints how many primes and the largest.
;
; One byte per number (0 = still a candidate). REPS re-runs the sieve (same answer) to scale the work.
; Prints "primes below N: COUNT, largest LAST".

.include "../lib/macros.s"

N    = 2000
REPS = 1

main:
    SAVE r8, r9, r10, r11, r12, r13
    mov r13, N                      ; (in a register: N may exceed a 16-bit immediate)
    mov r12, REPS
.rep:
    ; clear the sieve
    mov r8, sieve
    mov r9, sieve + N
    mov r1, 0
.clear:
    stb [r8], r1
    add r8, r8, 1
    cmp r8, r9
    jb .clear
    ; cross out multiples of every prime p with p*p < N
    mov r8, 2                       ; p
    mov r10, sieve
    mov r3, 1
.p_loop:
    mul r1, r8, r8
    cmp r1, r13
    jge .count
    add r2, r10, r8
    ldb r2, [r2]
    cmp r2, 0
    jnz .p_next
.mark:                              ; r1 = multiple
    add r2, r10, r1
    stb [r2], r3
    add r1, r1, r8
    cmp r1, r13
    jl .mark
.p_next:
    add r8, r8, 1
    jmp .p_loop
.count:
    mov r8, 2                       ; n
    mov r9, 0                       ; count
    mov r11, 0                      ; largest
.c_loop:
    cmp r8, r13
    jge .done
    add r2, r10, r8
    ldb r2, [r2]
    cmp r2, 0
    jnz .c_next
    add r9, r9, 1
    mov r11, r8
.c_next:
    add r8, r8, 1
    jmp .c_loop
.done:
    sub r12, r12, 1
    jnz .rep

    mov r1, label_below
    call puts
    mov r1, N
    call putn
    mov r1, label_colon
    call puts
    mov r1, r9
    call putn
    mov r1, label_largest
    call puts
    mov r1, r11
    call putn
    call newline
    RESTORE r8, r9, r10, r11, r12, r13
    mov r0, 0
    ret

label_below:   .asciz "primes below "
label_colon:   .asciz ": "
label_largest: .asciz ", largest "
sieve:
    .space N

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
