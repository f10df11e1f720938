; guests/programs/checksum.s — FNV-1a (32-bit) and Adler-32 of a known text, repeated REPS times.
;
; Both checksums run over the byte stream "text × REPS" (the text without its NUL, REPS copies back to
; back), so REPS scales the work for benchmarks. Prints:
;   fnv1a 0x…
;   adler32 0x…

.include "../lib/macros.s"

REPS = 1
FNV_OFFSET = 0x811c9dc5
FNV_PRIME  = 0x01000193
ADLER_MOD  = 65521

main:
    SAVE r8, r9, r10, r11
    ; FNV-1a: h = (h ^ byte) * prime
    mov r8, FNV_OFFSET
    mov r11, FNV_PRIME
    mov r9, REPS
.fnv_rep:
    mov r10, text
.fnv_byte:
    ldb r1, [r10]
    cmp r1, 0
    jz .fnv_next
    xor r8, r8, r1
    mul r8, r8, r11
    add r10, r10, 1
    jmp .fnv_byte
.fnv_next:
    sub r9, r9, 1
    jnz .fnv_rep
    mov r1, fnv_label
    call puts
    mov r1, r8
    call puthex
    call newline

    ; Adler-32: a = (a + byte) mod 65521, b = (b + a) mod 65521, result b << 16 | a
    mov r8, 1                       ; a
    mov r11, 0                      ; b
    mov r9, REPS
    mov r6, ADLER_MOD
.adler_rep:
    mov r10, text
.adler_byte:
    ldb r1, [r10]
    cmp r1, 0
    jz .adler_next
    add r8, r8, r1
    remu r8, r8, r6
    add r11, r11, r8
    remu r11, r11, r6
    add r10, r10, 1
    jmp .adler_byte
.adler_next:
    sub r9, r9, 1
    jnz .adler_rep
    mov r1, adler_label
    call puts
    shl r1, r11, 16
    or r1, r1, r8
    call puthex
    call newline

    RESTORE r8, r9, r10, r11
    mov r0, 0
    ret

fnv_label:   .asciz "fnv1a "
adler_label: .asciz "adler32 "
text:        .asciz "The quick brown fox jumps over the lazy dog. Popek and Goldberg, 1974: trap and emulate!"

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
