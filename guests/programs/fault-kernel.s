; guests/programs/fault-kernel.s — a user program that reads a kernel page: the kernel must report a #PF.
;
; KERNEL_ADDR is mapped supervisor-only, so the load at `touch` faults with error P|U (0x5) and CR2 =
; KERNEL_ADDR. The kernel prints its one-line report and powers off with 128 + 14.

KERNEL_ADDR = 0x1000

main:
    mov r1, msg_before
    call puts
    mov r1, KERNEL_ADDR
touch:
    ld r2, [r1]                     ; #PF: the page has no U bit
    mov r1, msg_after
    call puts
    mov r0, 1
    ret

msg_before: .asciz "reading kernel memory\n"
msg_after:  .asciz "the kernel page was readable!\n"

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
