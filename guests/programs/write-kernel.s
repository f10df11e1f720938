; guests/programs/write-kernel.s — asks the kernel to print kernel memory: the write system call must refuse.
;
; write(KERNEL_ADDR, 16) names a buffer outside the user region, so the kernel returns -1 and prints
; nothing of it; a buffer that runs past the end of the user region is refused too.
; Prints "write refused: -1 -1".

KERNEL_ADDR = 0x1000

main:
    push r8
    mov r1, KERNEL_ADDR
    mov r2, 16
    call write
    mov r8, r0
    mov r1, main
    mov r2, 0x7fffffff             ; starts in user memory, ends far beyond it
    call write
    push r0
    mov r1, msg
    call puts
    mov r1, r8
    call putn
    call space
    pop r1
    call putn
    call newline
    mov r0, 0
    pop r8
    ret

msg: .asciz "write refused: "

.include "../lib/user.s"                ; _start, exit and the system-call wrappers
