; a bare kernel that counts in 400 short CLI ... STI critical sections while a fast timer ticks, then prints both counts: a kernel's everyday CLI and STI, which inline code makes cheap
TIMER_PERIOD = 61

_start:
        mov r15, 0x8000
        mov r1, idt
        lidt r1
        mov r2, tick
        st [r1 + 256], r2          ; gate 32 (timer): handler
        mov r3, 1
        st [r1 + 260], r3          ; gate 32: present
        mov r1, TIMER_PERIOD
        out 0x40, r1
        mov r5, 0                  ; ticks seen
        mov r6, 0                  ; critical sections run
        sti
loop:
        cli
        add r6, r6, 1              ; the shared counter, updated with interrupts off
        add r7, r6, r5
        sti
        cmp r6, 400
        jl loop
        cli
        mov r1, 0
        out 0x40, r1
        out 0x11, r6
        mov r8, 10
        out 0x10, r8
        out 0x11, r5
        out 0x10, r8
        mov r1, 0
        out 0xf0, r1

tick:
        add r5, r5, 1
        iret

        .align 8
idt:    .space 2048
