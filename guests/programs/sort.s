; guests/programs/sort.s — insertion sort of N pseudo-random numbers, printed in order.
;
; The numbers come from the C library's classic LCG: x ← x·1103515245 + 12345 (mod 2³²), value =
; (x >> 16) mod 1000, starting from x = SEED. REPS regenerates and re-sorts the array that many times
; (the output does not change), to scale the work. Prints the sorted values on one line, separated by
; spaces, then "sorted N".

.include "../lib/macros.s"

N    = 50
SEED = 1974
REPS = 1
LCG_A = 1103515245
LCG_C = 12345

main:
    SAVE r8, r9, r10, r11, r12, r13
    mov r13, REPS
.rep:
    ; generate
    mov r8, SEED
    mov r9, LCG_A
    mov r10, numbers
    mov r11, 0
    mov r12, 1000
.gen:
    mul r8, r8, r9
    add r8, r8, LCG_C
    shr r1, r8, 16
    remu r1, r1, r12
    st [r10], r1
    add r10, r10, 4
    add r11, r11, 1
    cmp r11, N
    jl .gen
    ; insertion sort: for i in 1..N-1, sink numbers[i] into the sorted prefix
    mov r8, 1                       ; i
.outer:
    cmp r8, N
    jge .sorted
    shl r1, r8, 2
    mov r2, numbers
    add r2, r2, r1                  ; &numbers[i]
    ld r3, [r2]                     ; key
.inner:
    mov r4, numbers
    cmp r2, r4
    jbe .place                      ; reached the front
    ld r5, [r2 - 4]
    cmp r5, r3
    jle .place                      ; numbers[j-1] <= key: stop (stable)
    st [r2], r5
    sub r2, r2, 4
    jmp .inner
.place:
    st [r2], r3
    add r8, r8, 1
    jmp .outer
.sorted:
    sub r13, r13, 1
    jnz .rep

    ; print
    mov r8, numbers
    mov r9, 0
.print:
    cmp r9, 0
    jz .first
    call space
.first:
    ld r1, [r8]
    call putn
    add r8, r8, 4
    add r9, r9, 1
    cmp r9, N
    jl .print
    call newline
    mov r1, sorted_label
    call puts
    mov r1, N
    call putn
    call newline

    RESTORE r8, r9, r10, r11, r12, r13
    mov r0, 0
    ret

sorted_label: .asciz "sorted "
    .align 4
numbers:
    .space N * 4

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
