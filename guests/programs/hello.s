; guests/programs/hello.s — the smallest user program: one line through the write system call.

main:
    mov r1, greeting
    call puts
    mov r0, 0
    ret

greeting:
    .asciz "Hello from user mode!\n"

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
