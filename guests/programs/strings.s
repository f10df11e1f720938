; guests/programs/strings.s — string routines: length, upper case, reverse, compare.
;
; REPS repeats the work (same results) to scale it. Prints:
;   length L
;   upper TEXT-IN-UPPER-CASE
;   reverse txet-desrever
;   compare S1 S2 S3        (signs −1 / 0 / 1 of three strcmp calls)

.include "../lib/macros.s"

REPS = 1
BUF  = 128

main:
    SAVE r8, r9, r10, r11, r12
    mov r12, REPS
.rep:
    mov r1, text
    call strlen
    mov r8, r0
    mov r1, upper_buf
    mov r2, text
    call strupper
    mov r1, reverse_buf
    mov r2, text
    call strrev
    mov r1, cmp_a1
    mov r2, cmp_b1
    call strcmp
    mov r9, r0
    mov r1, cmp_a2
    mov r2, cmp_b2
    call strcmp
    mov r10, r0
    mov r1, cmp_a3
    mov r2, cmp_b3
    call strcmp
    mov r11, r0
    sub r12, r12, 1
    jnz .rep

    mov r1, label_length
    call puts
    mov r1, r8
    call putn
    call newline
    mov r1, label_upper
    call puts
    mov r1, upper_buf
    call puts
    call newline
    mov r1, label_reverse
    call puts
    mov r1, reverse_buf
    call puts
    call newline
    mov r1, label_compare
    call puts
    mov r1, r9
    call putn
    call space
    mov r1, r10
    call putn
    call space
    mov r1, r11
    call putn
    call newline
    RESTORE r8, r9, r10, r11, r12
    mov r0, 0
    ret

; strlen(r1 = string) → r0; touches only r0 and r3
strlen:
    mov r0, r1
.loop:
    ldb r3, [r0]
    cmp r3, 0
    jz .done
    add r0, r0, 1
    jmp .loop
.done:
    sub r0, r0, r1
    ret

; strupper(r1 = destination, r2 = source): copy with a–z mapped to A–Z
strupper:
    ldb r3, [r2]
    cmp r3, 'a'
    jl .store
    cmp r3, 'z'
    jg .store
    sub r3, r3, 'a' - 'A'
.store:
    stb [r1], r3
    add r1, r1, 1
    add r2, r2, 1
    cmp r3, 0
    jnz strupper
    ret

; strrev(r1 = destination, r2 = source): the source backwards, NUL-terminated
strrev:
    mov r4, r1
    mov r1, r2
    call strlen                     ; r0 = n (strlen keeps r2 and r4)
    add r3, r4, r0
    mov r5, 0
    stb [r3], r5                    ; dst[n] = 0
.loop:
    cmp r3, r4
    jbe .done
    sub r3, r3, 1
    ldb r5, [r2]
    stb [r3], r5
    add r2, r2, 1
    jmp .loop
.done:
    ret

; strcmp(r1, r2) → r0 = −1, 0 or 1 by the first differing byte (unsigned)
strcmp:
    ldb r3, [r1]
    ldb r4, [r2]
    cmp r3, r4
    jb .less
    ja .greater
    cmp r3, 0
    jz .equal
    add r1, r1, 1
    add r2, r2, 1
    jmp strcmp
.less:
    mov r0, -1
    ret
.greater:
    mov r0, 1
    ret
.equal:
    mov r0, 0
    ret

label_length:  .asciz "length "
label_upper:   .asciz "upper "
label_reverse: .asciz "reverse "
label_compare: .asciz "compare "
text:          .asciz "Hello, virtual world! 42 guests share one machine."
cmp_a1:        .asciz "apple"
cmp_b1:        .asciz "apricot"
cmp_a2:        .asciz "monitor"
cmp_b2:        .asciz "monitor"
cmp_a3:        .asciz "zebra"
cmp_b3:        .asciz "zeal"
upper_buf:     .space BUF
reverse_buf:   .space BUF

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
