; guests/programs/matmul.s — integer matrix multiply C = A × B of two N × N matrices.
;
; A[i][j] = (7i + 3j) mod 11 − 5 and B[i][j] = (5i + 2j) mod 13 − 6, as 32-bit words, row-major.
; REPS recomputes C (same result) to scale the work. Prints row 0 of C, its trace and the sum of all
; its entries:
;   row0 v v … v
;   trace T
;   sum S

.include "../lib/macros.s"

N    = 8
REPS = 1

main:
    SAVE r8, r9, r10, r11, r12, r13
    mov r12, N
    ; fill A and B
    mov r8, 0                       ; i
.gen_row:
    cmp r8, r12
    jge .gen_done
    mov r9, 0                       ; j
.gen_col:
    cmp r9, r12
    jge .gen_next_row
    mul r1, r8, r12
    add r1, r1, r9
    shl r1, r1, 2                   ; byte offset of [i][j]
    mul r2, r8, 7
    mul r3, r9, 3
    add r2, r2, r3
    mov r3, 11
    rem r2, r2, r3
    sub r2, r2, 5
    mov r4, mat_a
    add r4, r4, r1
    st [r4], r2
    mul r2, r8, 5
    mul r3, r9, 2
    add r2, r2, r3
    mov r3, 13
    rem r2, r2, r3
    sub r2, r2, 6
    mov r4, mat_b
    add r4, r4, r1
    st [r4], r2
    add r9, r9, 1
    jmp .gen_col
.gen_next_row:
    add r8, r8, 1
    jmp .gen_row
.gen_done:

    mov r13, REPS
.rep:
    mov r8, 0                       ; i
.row:
    cmp r8, r12
    jge .rep_next
    mov r9, 0                       ; j
.col:
    cmp r9, r12
    jge .next_row
    mul r5, r8, r12
    shl r5, r5, 2
    mov r1, mat_a
    add r5, r5, r1                  ; &A[i][0]
    shl r6, r9, 2
    mov r1, mat_b
    add r6, r6, r1                  ; &B[0][j]
    shl r7, r12, 2                  ; row stride
    mov r11, 0                      ; dot product
    mov r10, 0                      ; k
.dot:
    cmp r10, r12
    jge .dot_done
    ld r1, [r5]
    ld r2, [r6]
    mul r1, r1, r2
    add r11, r11, r1
    add r5, r5, 4
    add r6, r6, r7
    add r10, r10, 1
    jmp .dot
.dot_done:
    mul r1, r8, r12
    add r1, r1, r9
    shl r1, r1, 2
    mov r2, mat_c
    add r1, r1, r2
    st [r1], r11
    add r9, r9, 1
    jmp .col
.next_row:
    add r8, r8, 1
    jmp .row
.rep_next:
    sub r13, r13, 1
    jnz .rep

    ; row 0
    mov r1, label_row
    call puts
    mov r8, mat_c
    mov r9, 0
.print_row:
    cmp r9, r12
    jge .print_row_done
    call space
    ld r1, [r8]
    call putn
    add r8, r8, 4
    add r9, r9, 1
    jmp .print_row
.print_row_done:
    call newline
    ; trace and sum
    mov r10, 0                      ; trace
    mov r11, 0                      ; sum
    mov r8, 0                       ; i
    mov r5, mat_c
.sum_row:
    cmp r8, r12
    jge .sum_done
    mov r9, 0
.sum_col:
    cmp r9, r12
    jge .sum_next_row
    ld r1, [r5]
    add r11, r11, r1
    cmp r8, r9
    jnz .off_diagonal
    add r10, r10, r1
.off_diagonal:
    add r5, r5, 4
    add r9, r9, 1
    jmp .sum_col
.sum_next_row:
    add r8, r8, 1
    jmp .sum_row
.sum_done:
    mov r1, label_trace
    call puts
    mov r1, r10
    call putn
    call newline
    mov r1, label_sum
    call puts
    mov r1, r11
    call putn
    call newline

    RESTORE r8, r9, r10, r11, r12, r13
    mov r0, 0
    ret

label_row:   .asciz "row0"
label_trace: .asciz "trace "
label_sum:   .asciz "sum "
    .align 4
mat_a: .space N * N * 4
mat_b: .space N * N * 4
mat_c: .space N * N * 4

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
