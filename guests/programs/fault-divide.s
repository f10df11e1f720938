; guests/programs/fault-divide.s — a user program that divides by zero: the kernel must report a #DE.

main:
    mov r1, 42
    mov r2, 0
divide:
    div r3, r1, r2                  ; #DE
    mov r0, 1
    ret

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
