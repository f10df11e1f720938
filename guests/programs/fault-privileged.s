; guests/programs/fault-privileged.s — a user program that runs CLI at CPL 3: the kernel must report a #GP.
;
; CLI needs CPL <= IOPL, and the kernel starts user code with IOPL 0, on both profiles.

main:
    mov r1, msg_before
    call puts
privileged:
    cli                             ; #GP
    mov r0, 1
    ret

msg_before: .asciz "trying CLI at CPL 3\n"

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
