; guests/lib/user.s — the user-space runtime every program includes at its end: start-up code and system-call wrappers.
;
; A program ends with `.include "../lib/user.s"`; `buildGuest` assembles it at the program's virtual
; base. The program defines `main`; `_start` calls it and exits with the value main returns in r0.
;
; Calling convention (the kernel's too): arguments r1–r3, result r0; a routine may clobber r0–r7 and
; preserves r8–r14; sp (r15) is the stack pointer, full-descending. System calls go through INT 0x80
; with r0 = number (see guests/kernel.s for the ABI).

    .align 4                        ; the program before us may end with a string

.include "macros.s"                 ; SYS (the program may have included it already: that is fine)

SYS_WRITE     = 1
SYS_WRITE_DEC = 2
SYS_EXIT      = 3
SYS_TICKS     = 4
SYS_WRITE_HEX = 5
SYS_SLEEP     = 6

_start:
    call main
    mov r1, r0
    jmp exit

; exit(r1 = code): does not return
exit:
    SYS SYS_EXIT
    jmp exit

; write(r1 = address, r2 = length) → r0 = length or -1
write:
    SYS SYS_WRITE
    ret

; puts(r1 = NUL-terminated string) → r0 = length
puts:
    mov r2, r1
.len:
    ldb r3, [r2]
    cmp r3, 0
    jz .go
    add r2, r2, 1
    jmp .len
.go:
    sub r2, r2, r1
    SYS SYS_WRITE
    ret

; putn(r1 = value): signed decimal
putn:
    SYS SYS_WRITE_DEC
    ret

; puthex(r1 = value): 0x… lowercase
puthex:
    SYS SYS_WRITE_HEX
    ret

; putc(r1 = character)
putc:
    push r1                         ; little-endian: the character is the byte at [sp]
    mov r1, sp
    mov r2, 1
    SYS SYS_WRITE
    pop r1
    ret

newline:
    mov r1, 10
    jmp putc

space:
    mov r1, ' '
    jmp putc

; ticks() → r0 = timer ticks since boot
ticks:
    SYS SYS_TICKS
    ret

; sleep(r1 = ticks) → r0 = 0, or -1 when the timer is off
sleep:
    SYS SYS_SLEEP
    ret
